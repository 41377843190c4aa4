/** Rows to API shapes: instants in ISO 8601 UTC, no internal columns. */
import type { Context } from 'hono';
import { isoInstant } from '../app/present.ts';
import { type Playbook, parsePlaybook } from '../domain/playbook.ts';
import { statementsBackTask } from '../domain/gates.ts';
import type { AuthorizationScope, Gate, TaskStatus } from '../domain/vocabulary.ts';
import type { ClientRow, OffboardingRow, TaskRow, UserRow } from '../storage/repositories.ts';

export function presentTask(t: TaskRow) {
  return {
    id: t.id,
    offboardingId: t.offboardingId,
    key: t.key,
    title: t.title,
    phase: t.phase,
    role: t.role,
    assigneeId: t.assigneeId,
    status: t.status as TaskStatus,
    due: t.due,
    dueAt: isoInstant(t.dueAt),
    dependsOn: t.dependsOn,
    gates: t.gates,
    checklist: t.checklist,
    note: t.note,
    waiver: t.waiver,
    authorizationScope: t.authorizationScope,
    evidenceRequired:
      t.evidence.length > 0 &&
      t.evidenceWaiver === null &&
      !statementsBackTask({ gates: t.gates as Gate[], authorizationScope: t.authorizationScope as AuthorizationScope | null }),
    evidenceWaiver: t.evidenceWaiver,
    readyOn: t.readyOn,
    completedAt: isoInstant(t.completedAt),
    completedBy: t.completedBy,
    version: t.version,
  };
}

const playbooks = new Map<string, Playbook>();

/** The guidance, evidence and checklist of a task, from the playbook its offboarding was planned from. */
export function guidanceOf(offboarding: OffboardingRow, key: string) {
  let playbook = playbooks.get(offboarding.playbookDigest);
  if (!playbook) {
    playbook = parsePlaybook(offboarding.playbookSnapshot);
    if (playbooks.size > 100) playbooks.clear();
    playbooks.set(offboarding.playbookDigest, playbook);
  }
  const t = playbook.tasks.find((x) => x.key === key);
  return { guidance: t?.guidance ?? '', evidence: t?.evidence ?? [], when: t?.whenText ?? '' };
}

export function presentOffboarding(
  o: Pick<
    OffboardingRow,
    | 'id'
    | 'clientId'
    | 'type'
    | 'status'
    | 'noticeDate'
    | 'endDate'
    | 'revocationDate'
    | 'retentionDays'
    | 'newProvider'
    | 'playbookDigest'
    | 'warnings'
    | 'cancelReason'
    | 'departureReason'
    | 'version'
    | 'createdAt'
  >,
) {
  return {
    id: o.id,
    clientId: o.clientId,
    type: o.type,
    status: o.status,
    noticeDate: o.noticeDate,
    endDate: o.endDate,
    revocationDate: o.revocationDate,
    retentionDays: o.retentionDays,
    newProvider: o.newProvider,
    playbookDigest: o.playbookDigest,
    warnings: o.warnings,
    cancelReason: o.cancelReason,
    departureReason: o.departureReason,
    version: o.version,
    createdAt: isoInstant(o.createdAt),
  };
}

export function presentClient(c: ClientRow) {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    timezone: c.timezone,
    calendarId: c.calendarId,
    psaIds: c.psaIds,
    contacts: c.contacts,
    services: c.services,
    contract: c.contract,
    team: c.team,
    departureReason: c.departureReason,
    awaitingConfirmation: c.pendingTrigger
      ? {
          provider: c.pendingTrigger.provider,
          eventId: c.pendingTrigger.eventId,
          occurredAt: c.pendingTrigger.occurredAt,
          offboardingType: c.pendingTrigger.offboardingType,
        }
      : null,
    version: c.version,
  };
}

export function presentUser(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, managerId: u.managerId, disabled: u.disabledAt !== null };
}

/** A stored file sent a piece at a time (never whole in memory), as an attachment with its digest. */
export function streamedFile(
  c: Context,
  file: { pieces: AsyncIterable<Uint8Array>; size: number; mediaType: string; filename: string; sha256: string },
): Response {
  const pieces = file.pieces[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  return c.body(stream, 200, {
    'content-type': file.mediaType,
    'content-length': String(file.size),
    'content-disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`,
    'x-content-sha256': file.sha256,
  });
}
