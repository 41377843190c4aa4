/**
 * Witnesses: independent parties (the client, a peer MSP, an insurer running `offboard witness`)
 * that cosign our checkpoints only when each is consistent with the last one they saw. An admin
 * adds them; each new checkpoint is sent to every witness (by the scheduler's job, and at once
 * when a bundle is exported), and the cosignatures go into evidence bundles.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { sha256, ed25519 } from '../../crypto/node.ts';
import { formatAddCheckpoint, verifyCosignature, withSignatures } from '../../domain/cosignature.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { KEY_TYPES, parseVerifierKey } from '../../domain/signed-note.ts';
import { guardedFetch } from '../../integrations/outbound.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { logRepo } from '../../storage/log-repository.ts';
import { checkpoints, cosignatures, witnesses } from '../../storage/schema.ts';
import { type Actor, type App, actorRef, newId, now, parseInput, transaction } from '../context.ts';
import { consistencyProof } from './transparency-log.ts';

export const AddWitnessInput = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000),
    verifierKey: z
      .string()
      .max(500)
      .refine((k) => {
        try {
          parseVerifierKey(sha256, k, KEY_TYPES.cosignature);
          return true;
        } catch {
          return false;
        }
      }, 'must be a witness verifier key (name+keyid+key, Ed25519 cosignature type 4), as `offboard witness` prints it'),
  })
  .strict();

export type WitnessRow = typeof witnesses.$inferSelect;

export async function addWitness(app: App, actor: Actor, input: z.input<typeof AddWitnessInput>): Promise<WitnessRow> {
  const data = parseInput(AddWitnessInput, input, 'witness');
  const id = newId();
  return transaction(app, async (tx) => {
    const [row] = await tx
      .insert(witnesses)
      .values({ id, tenantId: actor.tenantId, name: data.name, url: data.url, verifierKey: data.verifierKey })
      .returning();
    await appendAuditEvent(tx, actor.tenantId, now(app), {
      actor: actorRef(actor),
      action: 'witness.added',
      subject: { type: 'witness', id },
      data: { name: data.name, url: data.url, verifierKey: data.verifierKey },
    });
    return row as WitnessRow;
  });
}

export async function removeWitness(app: App, actor: Actor, id: string): Promise<void> {
  await transaction(app, async (tx) => {
    const [row] = await tx
      .update(witnesses)
      .set({ removedAt: now(app) })
      .where(and(eq(witnesses.tenantId, actor.tenantId), eq(witnesses.id, id), isNull(witnesses.removedAt)))
      .returning({ id: witnesses.id, name: witnesses.name });
    if (!row) throw new NotFoundError('witness', id);
    await appendAuditEvent(tx, actor.tenantId, now(app), {
      actor: actorRef(actor),
      action: 'witness.removed',
      subject: { type: 'witness', id },
      data: { name: row.name },
    });
  });
}

export async function listWitnesses(app: App, actor: Actor): Promise<WitnessRow[]> {
  return app.database.db
    .select()
    .from(witnesses)
    .where(and(eq(witnesses.tenantId, actor.tenantId), isNull(witnesses.removedAt)))
    .orderBy(asc(witnesses.createdAt));
}

export type CosignResult = 'up-to-date' | 'cosigned' | 'refused';

const readText = async (res: { text: () => Promise<string> }) => (await res.text()).slice(0, 500).trim();

/**
 * Sends the tenant's latest checkpoint to one witness, with a consistency proof from the size it
 * last cosigned. 200: the cosignature is checked and stored. 409: the witness holds another size;
 * when it is one of our checkpoints, the request is made again from there. A refusal (a fork, a
 * bad signature) is recorded and audited. Network failures throw, for the job's retry.
 */
export async function cosignLatest(app: App, witness: WitnessRow): Promise<CosignResult> {
  const db = app.database.db;
  const latest = await logRepo.latestCheckpoint(db, witness.tenantId);
  if (!latest || latest.size <= witness.cosignedSize) return 'up-to-date';
  const key = parseVerifierKey(sha256, witness.verifierKey, KEY_TYPES.cosignature);
  const endpoint = `${witness.url.replace(/\/+$/, '')}/add-checkpoint`;
  const note = (error: string | null) =>
    db
      .update(witnesses)
      .set({ lastError: error, lastAttemptAt: now(app) })
      .where(eq(witnesses.id, witness.id));
  let oldSize = witness.cosignedSize;
  for (let attempt = 0; attempt < 2; attempt++) {
    const proof = oldSize > 0 && oldSize < latest.size ? await consistencyProof(db, witness.tenantId, oldSize, latest.size) : [];
    let res: Awaited<ReturnType<typeof guardedFetch>>;
    try {
      res = await guardedFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: formatAddCheckpoint({ oldSize, proof, checkpoint: latest.note }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      await note(`could not reach the witness: ${(error as Error).message}`);
      throw error;
    }
    const body = await readText(res);
    if (res.status === 200) {
      const line = body.split('\n').find((l) => l.startsWith(`\u2014 ${key.name} `));
      let at: number | undefined;
      try {
        at = line ? verifyCosignature(ed25519, withSignatures(latest.note, [line]), key) : undefined;
      } catch {
        at = undefined;
      }
      if (at === undefined || !line) return refuse(app, witness, latest.size, `answered 200 without a valid cosignature of ${key.name}`);
      await transaction(app, async (tx) => {
        await tx
          .insert(cosignatures)
          .values({
            tenantId: witness.tenantId,
            size: latest.size,
            witnessId: witness.id,
            line,
            cosignedAt: new Date(at * 1000).toISOString(),
          })
          .onConflictDoNothing();
        await tx
          .update(witnesses)
          .set({ cosignedSize: sql`greatest(${witnesses.cosignedSize}, ${latest.size})`, lastError: null, lastAttemptAt: now(app) })
          .where(eq(witnesses.id, witness.id));
      });
      return 'cosigned';
    }
    if (res.status === 409) {
      const held = Number(body.split('\n')[0]);
      const ours =
        Number.isSafeInteger(held) && held !== oldSize && held <= latest.size
          ? held === 0
            ? true
            : (
                await db
                  .select({ size: checkpoints.size })
                  .from(checkpoints)
                  .where(and(eq(checkpoints.tenantId, witness.tenantId), eq(checkpoints.size, held)))
              ).length > 0
          : false;
      if (ours && attempt === 0) {
        oldSize = held;
        continue;
      }
      return refuse(app, witness, latest.size, `holds size ${body.split('\n')[0] ?? '?'}, which is not a checkpoint this log signed`);
    }
    if (res.status >= 500) {
      await note(`the witness answered ${res.status}: ${body}`);
      throw new Error(`witness ${witness.name} answered ${res.status}`);
    }
    return refuse(app, witness, latest.size, `${res.status} ${body}`);
  }
  return refuse(app, witness, latest.size, 'no agreement on the size to extend');
}

/** A witness refused our checkpoint: the loudest thing a witness can say. Recorded and audited. */
async function refuse(app: App, witness: WitnessRow, size: number, reason: string): Promise<CosignResult> {
  await transaction(app, async (tx) => {
    await tx
      .update(witnesses)
      .set({ lastError: `refused checkpoint ${size}: ${reason}`, lastAttemptAt: now(app) })
      .where(eq(witnesses.id, witness.id));
    await appendAuditEvent(tx, witness.tenantId, now(app), {
      actor: 'system',
      action: 'witness.refused',
      subject: { type: 'witness', id: witness.id },
      data: { name: witness.name, size, reason },
    });
  });
  return 'refused';
}

/** Every active witness of the tenant, asked now (export does this so the bundle's final checkpoint is cosigned). Failures are left to the record. */
export async function cosignNow(app: App, tenantId: string): Promise<void> {
  const rows = await app.database.db
    .select()
    .from(witnesses)
    .where(and(eq(witnesses.tenantId, tenantId), isNull(witnesses.removedAt)));
  for (const w of rows) await cosignLatest(app, w).catch(() => 'unreachable');
}

/** The cosignature lines stored for some of the tenant's checkpoints, by size. */
export async function cosignaturesOf(app: App, tenantId: string, sizes: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (sizes.length === 0) return out;
  const rows = await app.database.db
    .select({ size: cosignatures.size, line: cosignatures.line })
    .from(cosignatures)
    .where(and(eq(cosignatures.tenantId, tenantId), inArray(cosignatures.size, [...sizes])))
    .orderBy(asc(cosignatures.witnessId));
  for (const r of rows) out.set(r.size, [...(out.get(r.size) ?? []), r.line]);
  return out;
}

/** Witnesses behind on the latest checkpoint: for the scheduler to send a cosign job each. */
export async function witnessesBehind(app: App): Promise<{ tenantId: string; witnessId: string; size: number }[]> {
  return app.database.db
    .select({
      tenantId: witnesses.tenantId,
      witnessId: witnesses.id,
      size: sql<number>`(select max(c.size) from checkpoints c where c.tenant_id = ${witnesses.tenantId})`.mapWith(Number),
    })
    .from(witnesses)
    .where(
      and(
        isNull(witnesses.removedAt),
        sql`${witnesses.cosignedSize} < coalesce((select max(c.size) from checkpoints c where c.tenant_id = ${witnesses.tenantId}), 0)`,
      ),
    );
}

export async function witnessById(app: App, tenantId: string, id: string): Promise<WitnessRow | undefined> {
  const [row] = await app.database.db
    .select()
    .from(witnesses)
    .where(and(eq(witnesses.tenantId, tenantId), eq(witnesses.id, id), isNull(witnesses.removedAt)));
  return row;
}
