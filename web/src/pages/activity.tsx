/** What happened on an offboarding, in words: who (with the role they held then), did what, to which task or for whom. */
import { channelLabel, gateLabel, notificationKindLabel, roleLabel, statementLabel } from '../labels.ts';

export type ActivityEvent = {
  seq: number;
  at: string;
  actorName: string;
  actorRole: string | null;
  recipient: string | null;
  action: string;
  data?: unknown;
};

const PHRASES: Record<string, string> = {
  'offboarding.started': 'started the offboarding',
  'offboarding.dates-changed': 'changed the dates and re-planned',
  'offboarding.closing': 'moved the offboarding to closing',
  'offboarding.closed': 'closed the offboarding',
  'offboarding.cancelled': 'cancelled the offboarding',
  'client.status-changed': "changed the client's status",
  'task.ready': 'made ready',
  'task.started': 'started',
  'task.completed': 'completed',
  'task.waived': 'waived',
  'task.reopened': 'reopened',
  'task.assigned': 'assigned',
  'task.blocked': 'put back to waiting',
  'task.checklist-ticked': 'ticked a checklist item of',
  'task.checklist-unticked': 'unticked a checklist item of',
  'evidence.attached': 'attached evidence to',
  'attestation.recorded': 'recorded a written statement',
  'time.recorded': 'recorded time',
  'phase.completed': 'finished a phase',
  'checkpoint.queued-for-client': 'queued the signed checkpoint for the client',
};

const str = (data: Record<string, unknown>, key: string): string => (typeof data[key] === 'string' ? data[key] : '');

const by = (data: Record<string, unknown>) =>
  str(data, 'channel') === 'in-app' ? '(in the app)' : `(by ${channelLabel(str(data, 'channel')).toLowerCase()})`;
const about = (data: Record<string, unknown>, titles: Map<string, string>) => {
  const key = str(data, 'task');
  return key ? ` about “${titles.get(key) ?? key}”` : '';
};

export function describeEvent(e: ActivityEvent, titles: Map<string, string>): string {
  const data = (typeof e.data === 'object' && e.data !== null ? e.data : {}) as Record<string, unknown>;
  const who = `${e.actorName}${e.actorRole ? ` (${roleLabel(e.actorRole)})` : ''}`;
  switch (e.action) {
    case 'notification.sent':
      return `${who} sent “${notificationKindLabel(str(data, 'kind'))}”${about(data, titles)} to ${e.recipient ?? 'someone'} ${by(data)}`;
    case 'notification.failed':
      return `${who} could not deliver “${notificationKindLabel(str(data, 'kind'))}”${about(data, titles)} to ${e.recipient ?? 'someone'} ${by(data)}: ${str(data, 'error')}`;
    case 'attestation.recorded':
      // Made before signatures: a staff member typed the statement in. Never called signed.
      return `${who} recorded a written “${gateLabel(str(data, 'gate'))}” from ${str(data, 'signerName')} (typed in by staff)`;
    case 'statement.signed':
      return `${who} signed “${statementLabel(str(data, 'kind'))}” in the portal`;
    case 'statement.recorded-from-document':
      return `${who} recorded “${statementLabel(str(data, 'kind'))}” of ${str(data, 'signerName')} from a signed document`;
    case 'party.invited':
      return `${who} sent ${str(data, 'name')} <${str(data, 'email')}> a link to the portal`;
    case 'party.added':
      return `${who} added ${str(data, 'name')} <${str(data, 'email')}> to the portal (their link waits for the client’s authorization)`;
    case 'portal.link-sent':
      return `${who} was sent a new portal link, as they asked`;
    case 'portal.link-opened':
      return `${who} opened their portal link`;
    case 'message.posted': {
      const to = Array.isArray(data.to) ? data.to.length : 0;
      return `${who} wrote in the conversation with the new provider (emailed to ${to} ${to === 1 ? 'person' : 'people'})`;
    }
    case 'portal.file-uploaded':
      return `${who} uploaded “${str(data, 'filename')}” in the portal`;
    case 'task.evidence-waived':
      return `${who} let “${titles.get(str(data, 'key')) ?? str(data, 'title')}” be completed without evidence (${str(data, 'reason')})`;
    case 'task.completed': {
      // Worded by what backs it, as verify words it: the files attached, the statements on file.
      const title = titles.get(str(data, 'key')) ?? str(data, 'title');
      const files = typeof data.evidenceFiles === 'number' ? data.evidenceFiles : undefined;
      const waived = str(data, 'evidenceWaived');
      const evidence =
        files === undefined
          ? ''
          : files === 0
            ? ` with no evidence attached${waived ? ` (requirement waived: ${waived})` : ''}`
            : ` with ${files} evidence file${files === 1 ? '' : 's'}`;
      const gates = Array.isArray(data.gates) ? data.gates.map(String) : [];
      const statements = gates.length > 0 ? `; ${gates.map((g) => gateLabel(g)).join(', ')} on file` : '';
      return `${who} completed “${title}”${evidence}${statements}`;
    }
    case 'party.access-revoked':
      return `${who} ended the portal access of ${str(data, 'name')} <${str(data, 'email')}>`;
    case 'early-cutover.proposed':
      return `${who} proposed to end access on ${str(data, 'date')}, before ${str(data, 'revocationDate')}: ${str(data, 'reason')}`;
    case 'time.recorded':
      return `${who} recorded ${typeof data.minutes === 'number' ? data.minutes : '?'} minutes of work on ${str(data, 'workDate')}`;
    case 'phase.completed':
      return `${who} finished phase ${typeof data.phase === 'number' ? data.phase : ''}`;
    default:
      break;
  }
  const what = PHRASES[e.action] ?? e.action.replace('.', ' ').replaceAll('-', ' ');
  const key = str(data, 'task') || (e.action.startsWith('task.') ? str(data, 'key') : '');
  const item = str(data, 'item');
  const reason = str(data, 'reason') || str(data, 'departureReason');
  return `${who} ${what}${key ? ` “${titles.get(key) ?? str(data, 'title') ?? key}”` : ''}${item ? `: ${item}` : ''}${reason ? ` (${reason})` : ''}`;
}
