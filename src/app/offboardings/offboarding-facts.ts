/** Loading an offboarding with what the rules need: its tasks, attestations, facts and playbook. */
import { localDateAt } from '../../domain/calendar.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { OffboardingFacts } from '../../domain/offboarding-case.ts';
import type { TaskContext } from '../../domain/task-state.ts';
import { type GateState, type StatementOnFile, gateState, unmetGates } from '../../domain/gates.ts';
import type { StatementKind } from '../../domain/statements.ts';
import { type AuthorizationScope, type Gate, isClosedStatus, type TaskStatus } from '../../domain/vocabulary.ts';
import { asc, inArray } from 'drizzle-orm';
import type { Queryable } from '../../storage/db.ts';
import { attestations, offboardings, tasks } from '../../storage/schema.ts';
import {
  type AttestationRow,
  type OffboardingRow,
  type TaskRow,
  attestationsRepo,
  offboardingsRepo,
  tasksRepo,
} from '../../storage/repositories.ts';

export type LoadedOffboarding = {
  offboarding: OffboardingRow;
  facts: OffboardingFacts;
  tasks: TaskRow[];
  attestations: AttestationRow[];
};

export async function loadOffboarding(q: Queryable, tenantId: string, id: string): Promise<LoadedOffboarding> {
  // Asked together: on a pool they run side by side (in a transaction its one connection queues them).
  const [offboarding, tasks, attestations] = await Promise.all([
    offboardingsRepo.get(q, tenantId, id),
    tasksRepo.ofOffboarding(q, tenantId, id),
    attestationsRepo.ofOffboarding(q, tenantId, id),
  ]);
  if (!offboarding) throw new NotFoundError('offboarding', id);
  return { offboarding, facts: offboarding.facts as OffboardingFacts, tasks, attestations };
}

/**
 * Many offboardings at once, in three queries whatever their number (the scheduler's sweep):
 * the offboardings, all their tasks, all their attestations.
 */
export async function loadOffboardings(q: Queryable, ids: readonly string[]): Promise<LoadedOffboarding[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const [rows, taskRows, attestationRows] = [
    await q.select().from(offboardings).where(inArray(offboardings.id, list)),
    await q.select().from(tasks).where(inArray(tasks.offboardingId, list)).orderBy(asc(tasks.phase), asc(tasks.due), asc(tasks.key)),
    await q.select().from(attestations).where(inArray(attestations.offboardingId, list)).orderBy(asc(attestations.signedAt)),
  ];
  const group = <T extends { offboardingId: string }>(items: T[]) => {
    const by = new Map<string, T[]>();
    for (const item of items) by.set(item.offboardingId, [...(by.get(item.offboardingId) ?? []), item]);
    return by;
  };
  const tasksBy = group(taskRows);
  const attestationsBy = group(attestationRows);
  return rows.map((offboarding) => ({
    offboarding,
    facts: offboarding.facts as OffboardingFacts,
    tasks: tasksBy.get(offboarding.id) ?? [],
    attestations: attestationsBy.get(offboarding.id) ?? [],
  }));
}

/** The statements as the gate rules read them. */
export const statementsOnFile = (
  attestations: readonly Pick<AttestationRow, 'id' | 'kind' | 'gate' | 'signedAt' | 'details'>[],
): StatementOnFile[] =>
  attestations.map((a) => ({
    id: a.id,
    kind: a.kind as StatementKind | null,
    gate: a.gate as Gate | null,
    signedAt: a.signedAt,
    details: a.details,
  }));

export const gateStateOf = (attestations: readonly AttestationRow[]): GateState => gateState(statementsOnFile(attestations));

/** The gates a task row still waits on, its authorization scope included. */
export const unmetGatesOf = (task: Pick<TaskRow, 'gates' | 'authorizationScope'>, state: GateState): Gate[] =>
  unmetGates({ gates: task.gates as Gate[], authorizationScope: task.authorizationScope as AuthorizationScope | null }, state);

/** What the task state machine's guards look at, from the offboarding's current state. */
export function contextOf(task: TaskRow, loaded: Pick<LoadedOffboarding, 'tasks' | 'attestations'>): TaskContext {
  const status = new Map(loaded.tasks.map((t) => [t.key, t.status as TaskStatus] as const));
  const state = gateStateOf(loaded.attestations);
  return {
    openDependencies: task.dependsOn.filter((d) => {
      const s = status.get(d);
      return s !== undefined && !isClosedStatus(s);
    }),
    unmetGates: unmetGatesOf(task, state),
    authorizationScope: task.authorizationScope,
  };
}

/** Today in the client's time zone. */
export function clientToday(facts: OffboardingFacts, at: string): string {
  return localDateAt(at, facts.client.timezone);
}

/** Tasks due by the end date (phases with a latest date) that are still open. */
export function openTasks(tasks: readonly TaskRow[]): { beforeEnd: string[]; all: string[] } {
  const open = tasks.filter((t) => !isClosedStatus(t.status as TaskStatus));
  return { beforeEnd: open.filter((t) => t.phase <= 5).map((t) => t.key), all: open.map((t) => t.key) };
}
