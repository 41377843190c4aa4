/**
 * A manager lets a task be completed without the evidence its playbook asks for, with a reason
 * (the system has no screen to photograph, the client keeps the proof). Recorded on the task and in
 * the log; verify and the app say the requirement was waived, by whom and why, never that evidence exists.
 */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { isClosedStatus, type TaskStatus } from '../../domain/vocabulary.ts';
import type { TaskRow } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { audit, loadTaskForChange, saveTask } from './task-changes.ts';

export const WaiveEvidenceInput = z.object({ reason: z.string().trim().min(1, 'is required').max(2000) }).strict();

export async function waiveEvidenceRequirement(
  app: App,
  actor: Actor,
  taskId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof WaiveEvidenceInput>,
): Promise<TaskRow> {
  const data = parseInput(WaiveEvidenceInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { task } = await loadTaskForChange(tx, actor, taskId, expectedVersion);
    if (isClosedStatus(task.status as TaskStatus))
      throw new ConflictError(`the task is ${task.status}`, [{ path: 'status', message: `is ${task.status}` }]);
    if (task.evidence.length === 0)
      throw new ConflictError('the playbook asks no evidence for this task', [{ path: 'evidence', message: 'none is required' }]);
    if (task.evidenceWaiver)
      throw new ConflictError('the evidence requirement is already waived', [{ path: 'evidenceWaiver', message: 'is set' }]);
    const saved = await saveTask(tx, actor, task, { evidenceWaiver: { reason: data.reason, approverId: actor.id, at } }, at);
    await audit(tx, actor, at, {
      action: 'task.evidence-waived',
      subject: { type: 'task', id: task.id },
      offboardingId: task.offboardingId,
      data: { key: task.key, title: task.title, evidence: task.evidence, reason: data.reason },
    });
    return saved;
  });
}
