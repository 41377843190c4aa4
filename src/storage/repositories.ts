/**
 * Repositories: SQL only, no rules. Every function takes the tenant and filters by it, so a
 * row of another tenant is simply not found.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from './db.ts';
import { offboardingSummary } from './hot-queries.ts';
import {
  attestations,
  auditEvents,
  blobChunks,
  blobs,
  evidence,
  calendars,
  clients,
  offboardings,
  parties,
  playbooks,
  tasks,
  tenants,
  timeEntries,
  users,
} from './schema.ts';

export type TenantRow = typeof tenants.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;
export type CalendarRow = typeof calendars.$inferSelect;
export type PlaybookRow = typeof playbooks.$inferSelect;
export type OffboardingRow = typeof offboardings.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;
export type AttestationRow = typeof attestations.$inferSelect;
export type PartyRow = typeof parties.$inferSelect;
export type TimeEntryRow = typeof timeEntries.$inferSelect;

const one = <T>(rows: T[]): T | undefined => rows[0];

export const tenantsRepo = {
  insert: async (q: Queryable, row: typeof tenants.$inferInsert) => {
    await q.insert(tenants).values(row);
  },
  get: async (q: Queryable, tenantId: string) => one(await q.select().from(tenants).where(eq(tenants.id, tenantId))),
};

export const usersRepo = {
  insert: async (q: Queryable, row: typeof users.$inferInsert) => {
    await q.insert(users).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, id))),
    ),
  list: async (q: Queryable, tenantId: string) =>
    q.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.name), asc(users.id)),
  /** The accounts of one address: at most one per MSP, and possibly several MSPs. */
  byEmail: async (q: Queryable, email: string) =>
    q
      .select({ user: users, tenantName: tenants.name })
      .from(users)
      .innerJoin(tenants, eq(tenants.id, users.tenantId))
      .where(sql`lower(${users.email}) = lower(${email})`)
      .orderBy(asc(tenants.name), asc(users.id)),
  byTenantEmail: async (q: Queryable, tenantId: string, email: string) =>
    one(
      await q
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = lower(${email})`)),
    ),
};

export const calendarsRepo = {
  insert: async (q: Queryable, row: typeof calendars.$inferInsert) => {
    await q.insert(calendars).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(calendars)
        .where(and(eq(calendars.tenantId, tenantId), eq(calendars.id, id))),
    ),
};

export const clientsRepo = {
  insert: async (q: Queryable, row: typeof clients.$inferInsert) => {
    await q.insert(clients).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(clients)
        .where(and(eq(clients.tenantId, tenantId), eq(clients.id, id))),
    ),
  list: async (q: Queryable, tenantId: string, limit: number, offset: number) =>
    q.select().from(clients).where(eq(clients.tenantId, tenantId)).orderBy(asc(clients.name), asc(clients.id)).limit(limit).offset(offset),
  /** Updates only if the row is still at `version`; returns the new row, or undefined when someone else changed it. */
  update: async (q: Queryable, tenantId: string, id: string, version: number, changes: Partial<typeof clients.$inferInsert>, at: string) =>
    one(
      await q
        .update(clients)
        .set({ ...changes, version: sql`${clients.version} + 1`, updatedAt: at })
        .where(and(eq(clients.tenantId, tenantId), eq(clients.id, id), eq(clients.version, version)))
        .returning(),
    ),
};

export const playbooksRepo = {
  insert: async (q: Queryable, row: typeof playbooks.$inferInsert) => {
    await q.insert(playbooks).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(playbooks)
        .where(and(eq(playbooks.tenantId, tenantId), eq(playbooks.id, id))),
    ),
  getDefault: async (q: Queryable, tenantId: string) =>
    one(
      await q
        .select()
        .from(playbooks)
        .where(and(eq(playbooks.tenantId, tenantId), eq(playbooks.isDefault, true)))
        .orderBy(sql`${playbooks.version} desc`)
        .limit(1),
    ),
};

export const offboardingsRepo = {
  insert: async (q: Queryable, row: typeof offboardings.$inferInsert) => {
    await q.insert(offboardings).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(offboardings)
        .where(and(eq(offboardings.tenantId, tenantId), eq(offboardings.id, id))),
    ),
  /** With the client's name and task counts, for lists and dashboards. */
  /** A client's offboardings that are still running (planned, active or closing), newest first. */
  runningOfClient: async (q: Queryable, tenantId: string, clientId: string) =>
    q
      .select()
      .from(offboardings)
      .where(
        and(
          eq(offboardings.tenantId, tenantId),
          eq(offboardings.clientId, clientId),
          inArray(offboardings.status, ['planned', 'active', 'closing']),
        ),
      )
      .orderBy(desc(offboardings.createdAt)),
  listWithProgress: async (q: Queryable, tenantId: string, at: string, limit: number, offset: number) =>
    q
      .select({
        offboarding: offboardingSummary,
        clientName: clients.name,
        // The zone the offboarding was planned in: its dates are dates there.
        timezone: sql<string>`${offboardings.facts} -> 'client' ->> 'timezone'`,
        total: sql<number>`(select count(*)::int from ${tasks} where ${tasks.offboardingId} = ${offboardings.id})`,
        done: sql<number>`(select count(*)::int from ${tasks} where ${tasks.offboardingId} = ${offboardings.id} and ${tasks.status} in ('done', 'waived'))`,
        overdue: sql<number>`(select count(*)::int from ${tasks} where ${tasks.offboardingId} = ${offboardings.id} and ${tasks.status} in ('pending', 'ready', 'in-progress') and ${tasks.dueAt} < ${at})`,
        // Open tasks with a gate whose attestation is not on file yet.
        waitingGates: sql<number>`(select count(*)::int from ${tasks} where ${tasks.offboardingId} = ${offboardings.id} and ${tasks.status} in ('ready', 'in-progress')
          and exists (select 1 from jsonb_array_elements_text(${tasks.gates}) as g(gate)
            where not exists (select 1 from ${attestations} where ${attestations.offboardingId} = ${offboardings.id} and ${attestations.gate} = g.gate)))`,
      })
      .from(offboardings)
      .innerJoin(clients, eq(clients.id, offboardings.clientId))
      .where(eq(offboardings.tenantId, tenantId))
      .orderBy(asc(offboardings.endDate), asc(offboardings.id))
      .limit(limit)
      .offset(offset),
  update: async (
    q: Queryable,
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<typeof offboardings.$inferInsert>,
    at: string,
  ) =>
    one(
      await q
        .update(offboardings)
        .set({ ...changes, version: sql`${offboardings.version} + 1`, updatedAt: at })
        .where(and(eq(offboardings.tenantId, tenantId), eq(offboardings.id, id), eq(offboardings.version, version)))
        .returning(),
    ),
};

export const tasksRepo = {
  insertMany: async (q: Queryable, rows: (typeof tasks.$inferInsert)[]) => {
    if (rows.length > 0) await q.insert(tasks).values(rows);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(tasks)
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id))),
    ),
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(tasks)
      .where(and(eq(tasks.tenantId, tenantId), eq(tasks.offboardingId, offboardingId)))
      .orderBy(asc(tasks.phase), asc(tasks.due), asc(tasks.key)),
  /** Compare-and-set on the version: undefined when someone else changed the task first. */
  update: async (q: Queryable, tenantId: string, id: string, version: number, changes: Partial<typeof tasks.$inferInsert>, at: string) =>
    one(
      await q
        .update(tasks)
        .set({ ...changes, version: sql`${tasks.version} + 1`, updatedAt: at })
        .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, id), eq(tasks.version, version)))
        .returning(),
    ),
  openForAssignee: async (q: Queryable, tenantId: string, userId: string) =>
    q
      .select()
      .from(tasks)
      .innerJoin(offboardings, eq(offboardings.id, tasks.offboardingId))
      .where(
        and(
          eq(tasks.tenantId, tenantId),
          eq(tasks.assigneeId, userId),
          inArray(tasks.status, ['pending', 'ready', 'in-progress']),
          inArray(offboardings.status, ['active', 'closing']),
        ),
      )
      .orderBy(asc(tasks.dueAt), asc(tasks.key))
      .limit(500),
  /** The task `key` of every running offboarding of a client, where it may be completed now (ready or in progress). */
  workableOfClient: async (q: Queryable, tenantId: string, clientId: string, key: string) =>
    (
      await q
        .select({ id: tasks.id })
        .from(tasks)
        .innerJoin(offboardings, eq(offboardings.id, tasks.offboardingId))
        .where(
          and(
            eq(tasks.tenantId, tenantId),
            eq(offboardings.clientId, clientId),
            inArray(offboardings.status, ['planned', 'active', 'closing']),
            eq(tasks.key, key),
            inArray(tasks.status, ['ready', 'in-progress']),
          ),
        )
    ).map((t) => t.id),
};

export const auditRepo = {
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.offboardingId, offboardingId)))
      .orderBy(asc(auditEvents.seq)),
};

export const attestationsRepo = {
  insert: async (q: Queryable, row: typeof attestations.$inferInsert) => {
    await q.insert(attestations).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(attestations)
        .where(and(eq(attestations.tenantId, tenantId), eq(attestations.id, id))),
    ),
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(attestations)
      .where(and(eq(attestations.tenantId, tenantId), eq(attestations.offboardingId, offboardingId)))
      .orderBy(asc(attestations.signedAt)),
};

export const partiesRepo = {
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(parties)
        .where(and(eq(parties.tenantId, tenantId), eq(parties.id, id))),
    ),
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(parties)
      .where(and(eq(parties.tenantId, tenantId), eq(parties.offboardingId, offboardingId)))
      .orderBy(asc(parties.side), asc(parties.createdAt), asc(parties.email)),
  /** Inserts unless the offboarding already has this side and address; returns the row either way. */
  ensure: async (q: Queryable, row: typeof parties.$inferInsert): Promise<PartyRow> => {
    const [inserted] = await q.insert(parties).values(row).onConflictDoNothing().returning();
    if (inserted) return inserted;
    const [existing] = await q
      .select()
      .from(parties)
      .where(
        and(eq(parties.offboardingId, row.offboardingId), eq(parties.side, row.side), sql`lower(${parties.email}) = lower(${row.email})`),
      );
    return existing as PartyRow;
  },
  byEmail: async (q: Queryable, email: string) =>
    q
      .select()
      .from(parties)
      .where(and(sql`lower(${parties.email}) = lower(${email})`, isNull(parties.accessRevokedAt))),
};

export const timeEntriesRepo = {
  insert: async (q: Queryable, row: typeof timeEntries.$inferInsert) => {
    await q.insert(timeEntries).values(row);
  },
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(timeEntries)
      .where(and(eq(timeEntries.tenantId, tenantId), eq(timeEntries.offboardingId, offboardingId)))
      .orderBy(asc(timeEntries.workDate), asc(timeEntries.createdAt)),
};

export const evidenceRepo = {
  countOfTask: async (q: Queryable, tenantId: string, taskId: string): Promise<number> =>
    (
      await q
        .select({ n: count() })
        .from(evidence)
        .where(and(eq(evidence.tenantId, tenantId), eq(evidence.taskId, taskId)))
    )[0]?.n ?? 0,
  ofTask: async (q: Queryable, tenantId: string, taskId: string) =>
    q
      .select()
      .from(evidence)
      .where(and(eq(evidence.tenantId, tenantId), eq(evidence.taskId, taskId)))
      .orderBy(asc(evidence.createdAt)),
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(evidence)
        .where(and(eq(evidence.tenantId, tenantId), eq(evidence.id, id))),
    ),
};

/** Piece size of stored files: large enough for few rows, small enough to stream. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

export const blobsRepo = {
  /** True when this content is new to the tenant (its chunks are then to be written). */
  insert: async (q: Queryable, row: { tenantId: string; sha256: string; size: number }) =>
    (
      await q
        .insert(blobs)
        .values({ ...row, content: null })
        .onConflictDoNothing()
        .returning({ sha256: blobs.sha256 })
    ).length > 0,
  insertChunk: async (q: Queryable, row: typeof blobChunks.$inferInsert) => {
    await q.insert(blobChunks).values(row);
  },
  get: async (q: Queryable, tenantId: string, sha256: string) =>
    one(
      await q
        .select({ size: blobs.size, content: blobs.content })
        .from(blobs)
        .where(and(eq(blobs.tenantId, tenantId), eq(blobs.sha256, sha256))),
    ),
  chunk: async (q: Queryable, tenantId: string, sha256: string, n: number) =>
    one(
      await q
        .select({ bytes: blobChunks.bytes })
        .from(blobChunks)
        .where(and(eq(blobChunks.tenantId, tenantId), eq(blobChunks.sha256, sha256), eq(blobChunks.n, n))),
    )?.bytes,
};

/** A stored file's bytes piece by piece (one query a piece), for streaming it out; undefined when there is no such file. */
export async function blobPieces(
  q: Queryable,
  tenantId: string,
  sha256: string,
): Promise<{ size: number; pieces: AsyncIterable<Uint8Array> } | undefined> {
  const blob = await blobsRepo.get(q, tenantId, sha256);
  if (!blob) return undefined;
  const legacy = blob.content;
  return {
    size: blob.size,
    pieces: (async function* () {
      if (legacy) {
        yield new Uint8Array(legacy);
        return;
      }
      for (let n = 0, sent = 0; sent < blob.size; n++) {
        const bytes = await blobsRepo.chunk(q, tenantId, sha256, n);
        if (!bytes) throw new Error(`file ${sha256} is missing its piece ${n}`);
        sent += bytes.length;
        yield new Uint8Array(bytes);
      }
    })(),
  };
}

/** One piece of a stored file as base64: PostgreSQL writes base64 faster than bytea's hex, and Node decodes it faster. */
async function pieceOf(q: Queryable, tenantId: string, sha256: string, n: number): Promise<Uint8Array | undefined> {
  const [row] = await q
    .select({ b64: sql<string>`encode(${blobChunks.bytes}, 'base64')` })
    .from(blobChunks)
    .where(and(eq(blobChunks.tenantId, tenantId), eq(blobChunks.sha256, sha256), eq(blobChunks.n, n)));
  if (row) return new Uint8Array(Buffer.from(row.b64, 'base64'));
  // Files stored before uploads were streamed are one piece in the blobs row.
  const legacy = n === 0 ? (await blobsRepo.get(q, tenantId, sha256))?.content : undefined;
  return legacy ? new Uint8Array(legacy) : undefined;
}

/**
 * Many stored files' bytes in order, piece by piece, with up to `ahead` pieces asked for before
 * they are needed: on a pool the queries run side by side on the server while this process
 * works on the piece in hand (one file of 1 MiB is one piece, so reading ahead must cross files).
 * Yields each piece with the index of the file it belongs to; memory stays at `ahead` pieces.
 */
export async function* blobsInOrder(
  q: Queryable,
  tenantId: string,
  files: readonly { sha256: string; size: number }[],
  ahead = 3,
): AsyncIterable<{ file: number; bytes: Uint8Array }> {
  function* plan(): Iterable<{ file: number; n: number }> {
    for (let file = 0; file < files.length; file++) {
      const size = (files[file] as { size: number }).size;
      for (let n = 0; n === 0 || n * BLOB_CHUNK_BYTES < size; n++) yield { file, n };
    }
  }
  const steps = plan()[Symbol.iterator]();
  const inFlight: { file: number; n: number; piece: Promise<Uint8Array | undefined> }[] = [];
  const ask = () => {
    const next = steps.next();
    if (next.done) return;
    const { file, n } = next.value;
    const piece = pieceOf(q, tenantId, (files[file] as { sha256: string }).sha256, n);
    // Awaited below in order; a failure before then is not an unhandled rejection.
    piece.catch(() => undefined);
    inFlight.push({ file, n, piece });
  };
  for (let i = 0; i < ahead; i++) ask();
  while (inFlight.length > 0) {
    const { file, n, piece } = inFlight.shift() as (typeof inFlight)[number];
    ask();
    const bytes = await piece;
    const f = files[file] as { sha256: string; size: number };
    if (!bytes) {
      if (f.size === 0 && n === 0) continue;
      throw new Error(`file ${f.sha256} is missing its piece ${n}`);
    }
    yield { file, bytes };
  }
}

/** A stored file whole (for an evidence bundle that includes files). */
export async function blobBytes(q: Queryable, tenantId: string, sha256: string): Promise<Uint8Array | undefined> {
  const blob = await blobPieces(q, tenantId, sha256);
  if (!blob) return undefined;
  const out = new Uint8Array(blob.size);
  let at = 0;
  for await (const piece of blob.pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
