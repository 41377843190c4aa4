/** Records time spent on an offboarding, against the contract's included offboarding hours. */
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.ts';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { clientsRepo, tasksRepo, timeEntriesRepo } from '../../storage/repositories.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { audit } from '../tasks/task-changes.ts';

export const RecordTimeInput = z
  .object({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    workDate: z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD'),
    taskId: z.string().min(1).max(100).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export type TimeSummary = { minutes: number; includedMinutes: number | null; overIncluded: boolean };

export async function recordTime(
  app: App,
  actor: Actor,
  offboardingId: string,
  input: z.input<typeof RecordTimeInput>,
): Promise<{ id: string; summary: TimeSummary }> {
  const data = parseInput(RecordTimeInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const { offboarding } = await loadOffboarding(tx, actor.tenantId, offboardingId);
    if (offboarding.status === 'cancelled') throw new ConflictError('the offboarding is cancelled');
    if (data.taskId) {
      const task = await tasksRepo.get(tx, actor.tenantId, data.taskId);
      if (!task || task.offboardingId !== offboardingId)
        throw new InputError('invalid input', [{ path: 'taskId', message: `no task ${data.taskId} in this offboarding` }]);
    }
    const id = newId();
    await timeEntriesRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      offboardingId,
      taskId: data.taskId ?? null,
      userId: actor.id,
      minutes: data.minutes,
      workDate: data.workDate,
      note: data.note ?? null,
    });
    const summary = await timeSummary(tx, actor.tenantId, offboardingId, offboarding.clientId);
    await audit(tx, actor, at, {
      action: 'time.recorded',
      subject: { type: 'time-entry', id },
      offboardingId,
      data: {
        minutes: data.minutes,
        workDate: data.workDate,
        taskId: data.taskId ?? null,
        totalMinutes: summary.minutes,
        overIncluded: summary.overIncluded,
      },
    });
    return { id, summary };
  });
}

export async function timeSummary(
  q: Parameters<typeof timeEntriesRepo.ofOffboarding>[0],
  tenantId: string,
  offboardingId: string,
  clientId: string,
): Promise<TimeSummary> {
  const entries = await timeEntriesRepo.ofOffboarding(q, tenantId, offboardingId);
  const client = await clientsRepo.get(q, tenantId, clientId);
  const included = client?.contract.includedOffboardingHours;
  const minutes = entries.reduce((sum, e) => sum + e.minutes, 0);
  const includedMinutes = included === undefined ? null : Math.round(included * 60);
  return { minutes, includedMinutes, overIncluded: includedMinutes !== null && minutes > includedMinutes };
}
