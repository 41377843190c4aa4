/**
 * Changes an offboarding's dates (notice, end, revocation) and replans: done and waived tasks
 * stay as they are, open ones move, and the audit event lists every move.
 */
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.ts';
import { ConflictError } from '../../domain/errors.ts';
import { type OffboardingFacts, validateCase } from '../../domain/offboarding-case.ts';
import { parsePlaybook } from '../../domain/playbook.ts';
import { type MovedTask, replan } from '../../domain/planner.ts';
import type { TaskStatus } from '../../domain/vocabulary.ts';
import { offboardingsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { STALE, audit, saveTask } from '../tasks/task-changes.ts';

const LocalDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');

export const ChangeDatesInput = z
  .object({ noticeDate: LocalDate.optional(), endDate: LocalDate.optional(), revocationDate: LocalDate.nullable().optional() })
  .strict()
  .refine(
    (d) => d.noticeDate !== undefined || d.endDate !== undefined || d.revocationDate !== undefined,
    'give at least one of noticeDate, endDate, revocationDate',
  );

type Loaded = Awaited<ReturnType<typeof loadOffboarding>>;

/** The plan the new dates make: open tasks move, done and waived ones stay (pure, given what is loaded). */
function replanWith(loaded: Loaded, data: z.output<typeof ChangeDatesInput>) {
  const { revocationDate: _old, ...rest } = loaded.facts;
  const revocationDate = data.revocationDate === undefined ? loaded.facts.revocationDate : (data.revocationDate ?? undefined);
  const facts: OffboardingFacts = validateCase({
    ...rest,
    ...(data.noticeDate ? { noticeDate: data.noticeDate } : {}),
    ...(data.endDate ? { endDate: data.endDate } : {}),
    ...(revocationDate ? { revocationDate } : {}),
  });
  const result = replan(
    parsePlaybook(loaded.offboarding.playbookSnapshot),
    facts,
    loaded.tasks.map((t) => ({ key: t.key, status: t.status as TaskStatus, due: t.due })),
  );
  return { facts, result };
}

/** What changing the dates would move, and the plan's warnings, without changing anything. */
export async function previewDateChange(app: App, actor: Actor, offboardingId: string, input: z.input<typeof ChangeDatesInput>) {
  const data = parseInput(ChangeDatesInput, input);
  const loaded = await loadOffboarding(app.database.db, actor.tenantId, offboardingId);
  const { result } = replanWith(loaded, data);
  return { moved: result.moved, warnings: result.plan.warnings };
}

export async function changeOffboardingDates(
  app: App,
  actor: Actor,
  offboardingId: string,
  expectedVersion: number | undefined,
  input: z.input<typeof ChangeDatesInput>,
): Promise<{ moved: MovedTask[] }> {
  const data = parseInput(ChangeDatesInput, input);
  const at = now(app);
  return transaction(app, async (tx) => {
    const loaded = await loadOffboarding(tx, actor.tenantId, offboardingId);
    const o = loaded.offboarding;
    if (expectedVersion !== undefined && expectedVersion !== o.version)
      throw new ConflictError('the offboarding was changed by someone else; reload and try again');
    if (o.status !== 'active' && o.status !== 'closing') throw new ConflictError(`the offboarding is ${o.status}`);
    const { facts, result } = replanWith(loaded, data);
    const byKey = new Map(result.plan.tasks.map((t) => [t.key, t] as const));
    for (const m of result.moved) {
      const task = loaded.tasks.find((t) => t.key === m.key);
      const planned = byKey.get(m.key);
      if (task && planned) await saveTask(tx, actor, task, { due: planned.due, dueAt: planned.dueAt }, at);
    }
    const saved = await offboardingsRepo.update(
      tx,
      actor.tenantId,
      o.id,
      o.version,
      {
        noticeDate: facts.noticeDate,
        endDate: facts.endDate,
        revocationDate: facts.revocationDate ?? null,
        facts: facts,
        warnings: result.plan.warnings,
      },
      at,
    );
    if (!saved) throw new ConflictError(STALE);
    await audit(tx, actor, at, {
      action: 'offboarding.dates-changed',
      subject: { type: 'offboarding', id: o.id },
      offboardingId: o.id,
      data: {
        from: { noticeDate: o.noticeDate, endDate: o.endDate, revocationDate: o.revocationDate },
        to: { noticeDate: facts.noticeDate, endDate: facts.endDate, revocationDate: facts.revocationDate ?? null },
        moved: result.moved,
      },
    });
    return { moved: result.moved };
  });
}
