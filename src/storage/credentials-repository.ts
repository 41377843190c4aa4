/** The credential vault's rows: clients' data keys and their credentials. SQL only, by tenant. */
import { and, asc, count, eq, getTableColumns, gt, ilike, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from './db.ts';
import { likeText } from './documentation-repository.ts';
import { clientDataKeys, credentialHandovers, credentials, revocations } from './schema.ts';

export type CredentialRow = typeof credentials.$inferSelect;
export type DataKeyRow = typeof clientDataKeys.$inferSelect;

const one = <T>(rows: T[]): T | undefined => rows[0];

export type CredentialFilter = {
  kind?: string | undefined;
  /** An owner, or 'none'. */
  owner?: string | undefined;
  /** A disposition, or 'none' for credentials without one. */
  disposition?: string | undefined;
  /** Words in the name, username, URL or notes. */
  q?: string | undefined;
  after?: { name: string; id: string } | undefined;
};

/** What listings read: every column but the sealed secret. */
const { secretSealed: _sealed, ...listed } = getTableColumns(credentials);

export type ListedCredential = Omit<CredentialRow, 'secretSealed'>;

export const dataKeysRepo = {
  get: async (q: Queryable, tenantId: string, clientId: string) =>
    one(
      await q
        .select()
        .from(clientDataKeys)
        .where(and(eq(clientDataKeys.tenantId, tenantId), eq(clientDataKeys.clientId, clientId))),
    ),
  insertIfMissing: async (q: Queryable, row: typeof clientDataKeys.$inferInsert) => {
    await q.insert(clientDataKeys).values(row).onConflictDoNothing();
  },
  /** Forgets the key: what it sealed can never be opened again. */
  destroy: async (q: Queryable, tenantId: string, clientId: string, by: string, at: string) =>
    (
      await q
        .update(clientDataKeys)
        .set({ wrappedKey: null, wrappedBy: null, destroyedAt: at, destroyedBy: by })
        .where(and(eq(clientDataKeys.tenantId, tenantId), eq(clientDataKeys.clientId, clientId), isNotNull(clientDataKeys.wrappedKey)))
        .returning({ clientId: clientDataKeys.clientId })
    ).length > 0,
  /** Live keys sealed by another server key than `keyId`, a batch at a time (every tenant: rotation is the server's). */
  wrappedByOther: async (q: Queryable, keyId: string, limit: number) =>
    q
      .select()
      .from(clientDataKeys)
      .where(and(isNotNull(clientDataKeys.wrappedKey), or(isNull(clientDataKeys.wrappedBy), ne(clientDataKeys.wrappedBy, keyId))))
      .orderBy(asc(clientDataKeys.tenantId), asc(clientDataKeys.clientId))
      .limit(limit),
  rewrap: async (q: Queryable, row: DataKeyRow, wrappedKey: string, wrappedBy: string, at: string) =>
    (
      await q
        .update(clientDataKeys)
        .set({ wrappedKey, wrappedBy, rewrappedAt: at })
        .where(
          and(
            eq(clientDataKeys.tenantId, row.tenantId),
            eq(clientDataKeys.clientId, row.clientId),
            eq(clientDataKeys.wrappedKey, row.wrappedKey ?? ''),
          ),
        )
        .returning({ clientId: clientDataKeys.clientId })
    ).length > 0,
};

export const credentialsRepo = {
  /** One credential with its sealed secret (for a reveal or a change of the secret). */
  getSealed: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(credentials)
        .where(and(eq(credentials.tenantId, tenantId), eq(credentials.id, id))),
    ),
  get: async (q: Queryable, tenantId: string, id: string): Promise<ListedCredential | undefined> =>
    one(
      await q
        .select(listed)
        .from(credentials)
        .where(and(eq(credentials.tenantId, tenantId), eq(credentials.id, id))),
    ),
  ofIds: async (q: Queryable, tenantId: string, clientId: string, ids: string[]): Promise<ListedCredential[]> =>
    ids.length === 0
      ? []
      : q
          .select(listed)
          .from(credentials)
          .where(and(eq(credentials.tenantId, tenantId), eq(credentials.clientId, clientId), inArray(credentials.id, ids))),
  list: async (q: Queryable, tenantId: string, clientId: string, filter: CredentialFilter, limit: number): Promise<ListedCredential[]> => {
    const c = credentials;
    const conditions = [eq(c.tenantId, tenantId), eq(c.clientId, clientId)];
    if (filter.kind) conditions.push(eq(c.kind, filter.kind));
    if (filter.owner === 'none') conditions.push(isNull(c.owner));
    else if (filter.owner) conditions.push(eq(c.owner, filter.owner));
    if (filter.disposition === 'none') conditions.push(isNull(c.disposition));
    else if (filter.disposition) conditions.push(eq(c.disposition, filter.disposition));
    if (filter.q) {
      const like = likeText(filter.q);
      conditions.push(
        or(
          ilike(c.name, like),
          ilike(sql`coalesce(${c.username}, '')`, like),
          ilike(sql`coalesce(${c.url}, '')`, like),
          ilike(sql`coalesce(${c.notes}, '')`, like),
        ) as never,
      );
    }
    if (filter.after)
      conditions.push(or(gt(c.name, filter.after.name), and(eq(c.name, filter.after.name), gt(c.id, filter.after.id))) as never);
    return q
      .select(listed)
      .from(c)
      .where(and(...conditions))
      .orderBy(asc(c.name), asc(c.id))
      .limit(limit);
  },
  /** Credentials counted by disposition and recipient, for the inventory's summary. */
  counts: async (q: Queryable, tenantId: string, clientId: string) =>
    q
      .select({ disposition: credentials.disposition, recipient: credentials.recipient, n: count() })
      .from(credentials)
      .where(and(eq(credentials.tenantId, tenantId), eq(credentials.clientId, clientId)))
      .groupBy(credentials.disposition, credentials.recipient),
  /** Every credential of a client without its secret, ordered: the inventory. */
  inventory: async (q: Queryable, tenantId: string, clientId: string): Promise<ListedCredential[]> =>
    q
      .select(listed)
      .from(credentials)
      .where(and(eq(credentials.tenantId, tenantId), eq(credentials.clientId, clientId)))
      .orderBy(asc(credentials.name), asc(credentials.id)),
  insert: async (q: Queryable, row: typeof credentials.$inferInsert): Promise<ListedCredential> =>
    one(await q.insert(credentials).values(row).returning(listed)) as ListedCredential,
  insertMany: async (q: Queryable, rows: (typeof credentials.$inferInsert)[]) => {
    if (rows.length > 0) await q.insert(credentials).values(rows);
  },
  /** Compare-and-set on the version read; undefined when someone else changed it first. */
  update: async (
    q: Queryable,
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<typeof credentials.$inferInsert>,
    at: string,
  ) =>
    one(
      await q
        .update(credentials)
        .set({ ...changes, version: sql`${credentials.version} + 1`, updatedAt: at })
        .where(and(eq(credentials.tenantId, tenantId), eq(credentials.id, id), eq(credentials.version, version)))
        .returning(listed),
    ),
  remove: async (q: Queryable, tenantId: string, id: string) =>
    (
      await q
        .delete(credentials)
        .where(and(eq(credentials.tenantId, tenantId), eq(credentials.id, id)))
        .returning({ id: credentials.id })
    ).length > 0,
  /** The credentials an import already brought in from this source, by the platform's id. */
  imported: async (q: Queryable, tenantId: string, clientId: string, source: string, externalIds: string[]) =>
    externalIds.length === 0
      ? []
      : q
          .select({
            id: credentials.id,
            externalId: credentials.externalId,
            name: credentials.name,
            username: credentials.username,
            url: credentials.url,
            notes: credentials.notes,
            kind: credentials.kind,
            secretDigest: credentials.secretDigest,
            version: credentials.version,
          })
          .from(credentials)
          .where(
            and(
              eq(credentials.tenantId, tenantId),
              eq(credentials.clientId, clientId),
              eq(credentials.source, source),
              inArray(credentials.externalId, externalIds),
            ),
          ),
};

export type HandoverRow = typeof credentialHandovers.$inferSelect;

export const handoversRepo = {
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string): Promise<HandoverRow[]> =>
    q
      .select()
      .from(credentialHandovers)
      .where(and(eq(credentialHandovers.tenantId, tenantId), eq(credentialHandovers.offboardingId, offboardingId)))
      .orderBy(asc(credentialHandovers.at), asc(credentialHandovers.id)),
  /** Inserts; false when the row would show a secret to the same person twice. */
  insert: async (q: Queryable, rows: (typeof credentialHandovers.$inferInsert)[]): Promise<number> =>
    rows.length === 0
      ? 0
      : (await q.insert(credentialHandovers).values(rows).onConflictDoNothing().returning({ id: credentialHandovers.id })).length,
};

export type RevocationRow = typeof revocations.$inferSelect;

export const revocationsRepo = {
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(revocations)
        .where(and(eq(revocations.tenantId, tenantId), eq(revocations.id, id))),
    ),
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string): Promise<RevocationRow[]> =>
    q
      .select()
      .from(revocations)
      .where(and(eq(revocations.tenantId, tenantId), eq(revocations.offboardingId, offboardingId)))
      .orderBy(asc(revocations.createdAt), asc(revocations.what), asc(revocations.id)),
  /** Adds items; one per vault credential and offboarding however often it is asked. */
  insert: async (q: Queryable, rows: (typeof revocations.$inferInsert)[]) => {
    if (rows.length > 0) await q.insert(revocations).values(rows).onConflictDoNothing();
  },
  update: async (
    q: Queryable,
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<typeof revocations.$inferInsert>,
    at: string,
  ) =>
    one(
      await q
        .update(revocations)
        .set({ ...changes, version: sql`${revocations.version} + 1`, updatedAt: at })
        .where(and(eq(revocations.tenantId, tenantId), eq(revocations.id, id), eq(revocations.version, version)))
        .returning(),
    ),
  /** Items of a credential no longer to be revoked, never touched yet: they leave the list. */
  removeUntouchedOfCredential: async (q: Queryable, tenantId: string, credentialId: string) => {
    await q
      .delete(revocations)
      .where(
        and(
          eq(revocations.tenantId, tenantId),
          eq(revocations.credentialId, credentialId),
          isNull(revocations.revokedAt),
          isNull(revocations.accounted),
        ),
      );
  },
};
