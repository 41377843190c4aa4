/**
 * Playbooks as the MSP edits them: versions are never changed, only added (an offboarding keeps
 * the snapshot it was planned from). A draft is checked with every problem at its path, and
 * rehearsed (the mock offboard) before it is published as a new version.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { InputError, NotFoundError } from '../../domain/errors.ts';
import { LocalDateSchema, validateCase } from '../../domain/offboarding-case.ts';
import { GATES } from '../../domain/vocabulary.ts';
import { type Playbook, parsePlaybook, validatePlaybook } from '../../domain/playbook.ts';
import { rehearse } from '../../domain/rehearsal.ts';
import { playbooks } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { audit } from '../tasks/task-changes.ts';

/** A draft: the playbook as data (what the editor sends), or as YAML text. */
export const DraftInput = z.union([
  z.object({ data: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ source: z.string().min(1).max(500_000) }).strict(),
]);

function draftOf(input: unknown): { playbook: Playbook; source: string } {
  const draft = parseInput(DraftInput, input, 'playbook');
  if ('source' in draft) return { playbook: parsePlaybook(draft.source), source: draft.source };
  return { playbook: validatePlaybook(draft.data), source: stringify(draft.data, { lineWidth: 0 }) };
}

export const listPlaybooks = (app: App, actor: Actor) =>
  app.database.db
    .select({
      id: playbooks.id,
      name: playbooks.name,
      version: playbooks.version,
      digest: playbooks.digest,
      isDefault: playbooks.isDefault,
      createdAt: playbooks.createdAt,
    })
    .from(playbooks)
    .where(eq(playbooks.tenantId, actor.tenantId))
    .orderBy(playbooks.name, desc(playbooks.version));

export async function getPlaybook(app: App, actor: Actor, id: string) {
  const [row] = await app.database.db
    .select()
    .from(playbooks)
    .where(and(eq(playbooks.tenantId, actor.tenantId), eq(playbooks.id, id)));
  if (!row) throw new NotFoundError('playbook', id);
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    digest: row.digest,
    isDefault: row.isDefault,
    source: row.source,
    data: parseYaml(row.source) as Record<string, unknown>,
  };
}

/** Checks a draft; every problem with its path (and line, for YAML). */
export function checkPlaybook(input: unknown): { tasks: number; phases: number } {
  const { playbook } = draftOf(input);
  return { tasks: playbook.tasks.length, phases: playbook.phases.length };
}

export const RehearseInput = z
  .object({
    draft: DraftInput,
    /** The sample offboarding to rehearse it on: client, type, dates (as in `offboard rehearse --case`). */
    case: z.record(z.string(), z.unknown()),
    late: z.record(z.string(), z.number().int().min(0).max(100)).optional(),
    /** When each party's statement arrives (a date per gate); left out: every party signs the day a task needs it. */
    signed: z.partialRecord(z.enum(GATES), LocalDateSchema).optional(),
  })
  .strict();

export function rehearsePlaybook(input: unknown) {
  const data = parseInput(RehearseInput, input, 'rehearsal');
  const { playbook } = draftOf(data.draft);
  const facts = validateCase(data.case);
  const result = rehearse(playbook, facts, { late: data.late ?? {}, signed: data.signed ?? 'when-needed' });
  return {
    warnings: result.plan.warnings,
    summary: result.summary,
    days: result.days
      .filter((d) => d.events.length > 0)
      .map((d) => ({
        date: d.date,
        businessDay: d.businessDay,
        events: d.events.map((e) =>
          e.type === 'notification'
            ? {
                type: e.type,
                kind: e.notification.kind,
                task: e.notification.taskKey,
                level: e.notification.level,
                reason: e.notification.reason,
              }
            : e.type === 'signed'
              ? { type: e.type, task: e.statement }
              : { type: e.type, task: e.task },
        ),
      })),
  };
}

export const PublishInput = z.object({ draft: DraftInput, makeDefault: z.boolean().default(true) }).strict();

/** Publishes a draft as the next version of its name; the new default for offboardings started from now on. */
export async function publishPlaybook(app: App, actor: Actor, input: unknown): Promise<{ id: string; version: number }> {
  const data = parseInput(PublishInput, input, 'playbook');
  const { playbook, source } = draftOf(data.draft);
  const at = now(app);
  return transaction(app, async (tx) => {
    const [latest] = await tx
      .select({ version: sql<number>`max(${playbooks.version})::int` })
      .from(playbooks)
      .where(and(eq(playbooks.tenantId, actor.tenantId), eq(playbooks.name, playbook.name)));
    const version = (latest?.version ?? 0) + 1;
    if (version > 100_000) throw new InputError('too many versions', [{ path: 'name', message: 'has too many versions' }]);
    const id = newId();
    if (data.makeDefault) await tx.update(playbooks).set({ isDefault: false }).where(eq(playbooks.tenantId, actor.tenantId));
    const digest = sha256Hex(source);
    await tx.insert(playbooks).values({
      id,
      tenantId: actor.tenantId,
      name: playbook.name,
      version,
      digest,
      source,
      isDefault: data.makeDefault,
      createdBy: actor.id,
    });
    await audit(tx, actor, at, {
      action: 'playbook.published',
      subject: { type: 'playbook', id },
      data: { name: playbook.name, version, digest, tasks: playbook.tasks.length, isDefault: data.makeDefault },
    });
    return { id, version };
  });
}
