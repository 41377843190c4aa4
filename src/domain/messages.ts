/** The words of each notification: plain language, the client, the task, the due date, a link. */
import { describeRecipient, type Notification } from './escalation.ts';

export type MessageContext = { clientName: string; taskTitle: string; link: string };

export function messageFor(n: Notification, ctx: MessageContext): { subject: string; body: string } {
  const task = `"${ctx.taskTitle}" for ${ctx.clientName}`;
  const open = `Open it: ${ctx.link}`;
  switch (n.kind) {
    case 'reminder':
      return { subject: `Reminder: ${ctx.taskTitle} (${ctx.clientName}) is ${n.reason.startsWith('due today') ? 'due today' : `due ${n.due}`}`, body: `${task} is ${n.reason}.\n\n${open}` };
    case 'overdue':
      return { subject: `Overdue: ${ctx.taskTitle} (${ctx.clientName})`, body: `${task} is ${n.reason}. Please finish it or tell your manager what blocks it.\n\n${open}` };
    case 'escalation':
      return {
        subject: `Escalation: ${ctx.taskTitle} (${ctx.clientName}) is ${n.overdueBusinessDays ?? 0} business days overdue`,
        body: `${task}, assigned to the ${n.assigneeRole}, is ${n.reason}. You are receiving this as the ${describeRecipient(n.recipient)}.\n\n${open}`,
      };
    case 'gate-reminder':
      return { subject: `Waiting on you: ${ctx.taskTitle} (${ctx.clientName})`, body: `Before we can finish ${task} we need ${n.reason.replace(/^waiting since \S+ for /, '')}.\n\n${open}` };
    case 'gate-escalation':
      return { subject: `Still waiting: ${ctx.taskTitle} (${ctx.clientName})`, body: `${task} is ${n.reason}. You are receiving this as the ${describeRecipient(n.recipient)}.\n\n${open}` };
  }
}
