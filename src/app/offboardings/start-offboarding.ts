/**
 * Opens an offboarding for a client: the plan is computed from the tenant's playbook and the
 * client's facts, every task is created and assigned by role, and the client's status becomes
 * `offboarding`, all in one transaction with its audit events.
 */
import { z } from 'zod';
import { isLocalDate } from '../../domain/calendar.ts';
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.ts';
import { validateCase } from '../../domain/offboarding-case.ts';
import { transitionOffboarding } from '../../domain/offboarding-state.ts';
import { parsePlaybook } from '../../domain/playbook.ts';
import { type PlanWarning, plan } from '../../domain/planner.ts';
import { initialTaskStatus } from '../../domain/task-state.ts';
import { OFFBOARDING_TYPES, type ServiceProfile } from '../../domain/vocabulary.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import {
  type ClientRow,
  calendarsRepo,
  clientsRepo,
  offboardingsRepo,
  playbooksRepo,
  tasksRepo,
  tenantsRepo,
  usersRepo,
} from '../../storage/repositories.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { syncRevocations } from '../credentials/revocations.ts';
import { signCheckpoint } from '../log/transparency-log.ts';

const LocalDate = z.string().refine(isLocalDate, 'must be a date YYYY-MM-DD');

export const StartOffboardingInput = z
  .object({
    clientId: z.string().min(1).max(100),
    type: z.enum(OFFBOARDING_TYPES),
    noticeDate: LocalDate,
    endDate: LocalDate,
    revocationDate: LocalDate.optional(),
    retentionDays: z.number().int().min(0).max(3650).optional(),
    newProvider: z
      .object({ name: z.string().trim().min(1).max(200), contact: z.string().trim().min(1).max(200) })
      .strict()
      .optional(),
    playbookId: z.string().min(1).max(100).optional(),
  })
  .strict();

export type StartOffboardingData = z.output<typeof StartOffboardingInput>;

/** The facts and the playbook an offboarding of this client would be planned from. */
export async function planningInputs(q: Queryable, tenantId: string, client: ClientRow, data: Omit<StartOffboardingData, 'clientId'>) {
  const playbookRow = data.playbookId ? await playbooksRepo.get(q, tenantId, data.playbookId) : await playbooksRepo.getDefault(q, tenantId);
  if (!playbookRow) {
    if (data.playbookId) throw new InputError('invalid input', [{ path: 'playbookId', message: `no playbook ${data.playbookId}` }]);
    throw new ConflictError('this MSP has no default playbook');
  }
  const tenant = await tenantsRepo.get(q, tenantId);
  const calendarId = client.calendarId ?? (tenant?.settings.defaultCalendarId as string | undefined);
  const calendar = calendarId ? await calendarsRepo.get(q, tenantId, calendarId) : undefined;
  const facts = validateCase({
    client: { name: client.name, timezone: client.timezone, services: client.services as ServiceProfile },
    type: data.type,
    noticeDate: data.noticeDate,
    endDate: data.endDate,
    ...(data.revocationDate ? { revocationDate: data.revocationDate } : {}),
    ...((data.retentionDays ?? client.contract.retentionDays) !== undefined
      ? { retentionDays: data.retentionDays ?? client.contract.retentionDays }
      : {}),
    ...(data.newProvider ? { newProvider: data.newProvider } : {}),
    ...(calendar ? { calendar: { workdays: calendar.workdays, holidays: calendar.holidays } } : {}),
  });
  return { playbookRow, playbook: parsePlaybook(playbookRow.source), facts };
}

/** How an offboarding came to be opened; recorded in its audit event. */
export type Trigger =
  | { source: 'api' | 'cli' }
  | { source: 'psa'; provider: string; connectionId: string; deliveryId: string; eventId: string }
  | { source: 'confirmation'; provider: string; connectionId: string; deliveryId: string; eventId: string };

export async function startOffboarding(
  app: App,
  actor: Actor,
  input: z.input<typeof StartOffboardingInput>,
  trigger: Trigger = { source: 'api' },
): Promise<{ id: string; warnings: PlanWarning[] }> {
  const data = parseInput(StartOffboardingInput, input, 'offboarding');
  const at = now(app);
  return transaction(app, async (tx) => {
    const client = await clientsRepo.get(tx, actor.tenantId, data.clientId);
    if (!client) throw new NotFoundError('client', data.clientId);
    return openOffboarding(app, tx, actor, at, client, data, trigger);
  });
}

/** The body of a start, inside the caller's transaction: plan, tasks, client status, audit events. */
export async function openOffboarding(
  app: App,
  tx: Tx,
  actor: Actor,
  at: string,
  client: ClientRow,
  data: StartOffboardingData,
  trigger: Trigger,
): Promise<{ id: string; warnings: PlanWarning[] }> {
  if (client.status !== 'active')
    throw new ConflictError(`the client is ${client.status}, not active`, [{ path: 'clientId', message: `client is ${client.status}` }]);
  if (client.pendingTrigger && trigger.source !== 'confirmation') {
    throw new ConflictError('the client came from a PSA event and waits for confirmation', [
      { path: 'clientId', message: 'confirm the client first' },
    ]);
  }
  const { playbookRow, playbook, facts } = await planningInputs(tx, actor.tenantId, client, data);
  const planned = plan(playbook, facts);

  // Assign by role: the client's team first, then anyone on the staff with that role.
  const staff = await usersRepo.list(tx, actor.tenantId);
  const assigneeFor = (role: string): string | null => client.team[role] ?? staff.find((u) => u.role === role && !u.disabledAt)?.id ?? null;

  const id = newId();
  const status = transitionOffboarding({ status: 'planned' }, { type: 'activate' }, { openTasksBeforeEnd: [], openTasks: [] }).status;
  await offboardingsRepo.insert(tx, {
    id,
    tenantId: actor.tenantId,
    clientId: client.id,
    type: facts.type,
    status,
    noticeDate: facts.noticeDate,
    endDate: facts.endDate,
    revocationDate: facts.revocationDate ?? null,
    retentionDays: facts.retentionDays ?? null,
    newProvider: facts.newProvider ?? null,
    facts: facts,
    playbookId: playbookRow.id,
    playbookSnapshot: playbookRow.source,
    playbookDigest: playbookRow.digest,
    warnings: planned.warnings,
  });
  await tasksRepo.insertMany(
    tx,
    planned.tasks.map((t) => {
      const initial = initialTaskStatus({ openDependencies: t.dependsOn });
      return {
        id: newId(),
        tenantId: actor.tenantId,
        offboardingId: id,
        key: t.key,
        title: t.title,
        phase: t.phase,
        role: t.role,
        assigneeId: assigneeFor(t.role),
        status: initial,
        due: t.due,
        dueAt: t.dueAt,
        dependsOn: t.dependsOn,
        gates: t.gates,
        authorizationScope: t.authorizationScope,
        evidence: t.evidence,
        checklist: t.checklist.map((item) => ({ item, done: false })),
        readyOn: initial === 'ready' ? planned.firstDay : null,
      };
    }),
  );
  const moved = await clientsRepo.update(
    tx,
    actor.tenantId,
    client.id,
    client.version,
    { status: 'offboarding', pendingTrigger: null },
    at,
  );
  if (!moved) throw new ConflictError('the client was changed by someone else; try again');
  await appendAuditEvent(tx, actor.tenantId, at, {
    actor: actorRef(actor),
    action: 'offboarding.started',
    subject: { type: 'offboarding', id },
    offboardingId: id,
    data: {
      client: client.id,
      clientName: client.name,
      type: facts.type,
      noticeDate: facts.noticeDate,
      endDate: facts.endDate,
      revocationDate: planned.revocationDate,
      newProvider: facts.newProvider?.name ?? null,
      playbook: { id: playbookRow.id, digest: playbookRow.digest },
      tasks: planned.tasks.length,
      trigger,
      warnings: planned.warnings.map((w) => w.code),
    },
  });
  await appendAuditEvent(tx, actor.tenantId, at, {
    actor: actorRef(actor),
    action: 'client.status-changed',
    subject: { type: 'client', id: client.id },
    offboardingId: id,
    data: { from: 'active', to: 'offboarding' },
  });
  // What the vault already says to revoke is on the new offboarding's revocation list from the start.
  const started = await offboardingsRepo.get(tx, actor.tenantId, id);
  if (started) await syncRevocations(tx, started, actorRef(actor), at);
  await signCheckpoint(tx, app, actor.tenantId, 'offboarding-started', at);
  return { id, warnings: planned.warnings };
}
