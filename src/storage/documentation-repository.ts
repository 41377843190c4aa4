/** A client's documentation items, imports and packages: SQL only, by tenant. */
import { and, asc, count, desc, eq, gt, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from './db.ts';
import {
  credentialIntake,
  documentationConnections,
  documentationImports,
  documentationItems,
  documentationPackages,
  packageDownloads,
} from './schema.ts';

export type DocumentationItemRow = typeof documentationItems.$inferSelect;
export type DocumentationImportRow = typeof documentationImports.$inferSelect;
export type DocumentationPackageRow = typeof documentationPackages.$inferSelect;
export type PackageDownloadRow = typeof packageDownloads.$inferSelect;
export type DocumentationConnectionRow = typeof documentationConnections.$inferSelect;

const one = <T>(rows: T[]): T | undefined => rows[0];

export type ItemFilter = {
  section?: string | undefined;
  /** An owner, or 'none' for items without one. */
  owner?: string | undefined;
  mspInternal?: boolean | undefined;
  /** Words in the name or any field. */
  q?: string | undefined;
  /** The last id of the previous page. */
  after?: { name: string; id: string } | undefined;
};

/** `%` and `_` in a search are letters, not patterns. */
export const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const documentationRepo = {
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(documentationItems)
        .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.id, id))),
    ),
  ofIds: async (q: Queryable, tenantId: string, clientId: string, ids: string[]) =>
    q
      .select()
      .from(documentationItems)
      .where(
        and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.clientId, clientId), inArray(documentationItems.id, ids)),
      ),
  list: async (q: Queryable, tenantId: string, clientId: string, filter: ItemFilter, limit: number) => {
    const d = documentationItems;
    const conditions = [eq(d.tenantId, tenantId), eq(d.clientId, clientId)];
    if (filter.section) conditions.push(eq(d.section, filter.section));
    if (filter.owner === 'none') conditions.push(isNull(d.owner));
    else if (filter.owner) conditions.push(eq(d.owner, filter.owner));
    if (filter.mspInternal !== undefined) conditions.push(eq(d.mspInternal, filter.mspInternal));
    if (filter.q) {
      const like = likeText(filter.q);
      conditions.push(or(ilike(d.name, like), ilike(sql`${d.fields}::text`, like), ilike(sql`coalesce(${d.fileName}, '')`, like)) as never);
    }
    if (filter.after)
      conditions.push(or(gt(d.name, filter.after.name), and(eq(d.name, filter.after.name), gt(d.id, filter.after.id))) as never);
    return q
      .select()
      .from(d)
      .where(and(...conditions))
      .orderBy(asc(d.name), asc(d.id))
      .limit(limit);
  },
  /** Every item of a client, ordered, for the register and packages (callers page with `after`). */
  register: async (q: Queryable, tenantId: string, clientId: string) =>
    q
      .select({
        id: documentationItems.id,
        section: documentationItems.section,
        name: documentationItems.name,
        owner: documentationItems.owner,
        mspInternal: documentationItems.mspInternal,
      })
      .from(documentationItems)
      .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.clientId, clientId)))
      .orderBy(asc(documentationItems.section), asc(documentationItems.name), asc(documentationItems.id)),
  counts: async (q: Queryable, tenantId: string, clientId: string) =>
    q
      .select({
        section: documentationItems.section,
        owner: documentationItems.owner,
        mspInternal: documentationItems.mspInternal,
        n: count(),
      })
      .from(documentationItems)
      .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.clientId, clientId)))
      .groupBy(documentationItems.section, documentationItems.owner, documentationItems.mspInternal),
  insert: async (q: Queryable, row: typeof documentationItems.$inferInsert) =>
    one(await q.insert(documentationItems).values(row).returning()) as DocumentationItemRow,
  insertMany: async (q: Queryable, rows: (typeof documentationItems.$inferInsert)[]) => {
    await q.insert(documentationItems).values(rows);
  },
  /** Compare-and-set on the version read; undefined when someone else changed it first. */
  update: async (
    q: Queryable,
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<typeof documentationItems.$inferInsert>,
    at: string,
  ) =>
    one(
      await q
        .update(documentationItems)
        .set({ ...changes, version: sql`${documentationItems.version} + 1`, updatedAt: at })
        .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.id, id), eq(documentationItems.version, version)))
        .returning(),
    ),
  updateMany: async (
    q: Queryable,
    tenantId: string,
    clientId: string,
    ids: string[],
    changes: Partial<typeof documentationItems.$inferInsert>,
    at: string,
  ) =>
    q
      .update(documentationItems)
      .set({ ...changes, version: sql`${documentationItems.version} + 1`, updatedAt: at })
      .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.clientId, clientId), inArray(documentationItems.id, ids)))
      .returning({ id: documentationItems.id }),
  remove: async (q: Queryable, tenantId: string, id: string) =>
    (
      await q
        .delete(documentationItems)
        .where(and(eq(documentationItems.tenantId, tenantId), eq(documentationItems.id, id)))
        .returning({ id: documentationItems.id })
    ).length > 0,
  /** The items an import already brought in from this source, by the platform's id. */
  imported: async (q: Queryable, tenantId: string, clientId: string, source: string, externalIds: string[]) =>
    externalIds.length === 0
      ? []
      : q
          .select()
          .from(documentationItems)
          .where(
            and(
              eq(documentationItems.tenantId, tenantId),
              eq(documentationItems.clientId, clientId),
              eq(documentationItems.source, source),
              inArray(documentationItems.externalId, externalIds),
            ),
          ),
};

export const documentationImportsRepo = {
  insert: async (q: Queryable, row: typeof documentationImports.$inferInsert) => {
    await q.insert(documentationImports).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(documentationImports)
        .where(and(eq(documentationImports.tenantId, tenantId), eq(documentationImports.id, id))),
    ),
  update: async (q: Queryable, tenantId: string, id: string, changes: Partial<typeof documentationImports.$inferInsert>) => {
    await q
      .update(documentationImports)
      .set(changes)
      .where(and(eq(documentationImports.tenantId, tenantId), eq(documentationImports.id, id)));
  },
  ofClient: async (q: Queryable, tenantId: string, clientId: string, limit: number) =>
    q
      .select()
      .from(documentationImports)
      .where(and(eq(documentationImports.tenantId, tenantId), eq(documentationImports.clientId, clientId)))
      .orderBy(sql`${documentationImports.createdAt} desc`, asc(documentationImports.id))
      .limit(limit),
};

export const documentationConnectionsRepo = {
  get: async (q: Queryable, tenantId: string, platform: string) =>
    one(
      await q
        .select()
        .from(documentationConnections)
        .where(and(eq(documentationConnections.tenantId, tenantId), eq(documentationConnections.platform, platform))),
    ),
  list: async (q: Queryable, tenantId: string) =>
    q
      .select()
      .from(documentationConnections)
      .where(eq(documentationConnections.tenantId, tenantId))
      .orderBy(asc(documentationConnections.platform)),
  upsert: async (q: Queryable, row: typeof documentationConnections.$inferInsert) => {
    await q
      .insert(documentationConnections)
      .values(row)
      .onConflictDoUpdate({
        target: [documentationConnections.tenantId, documentationConnections.platform],
        set: { baseUrl: row.baseUrl, keySealed: row.keySealed, updatedAt: row.updatedAt },
      });
  },
};

/** Passwords set aside by imports before the vault existed: read once, moved into the vault, deleted. */
export const credentialIntakeRepo = {
  batch: async (q: Queryable, limit: number) =>
    q
      .select()
      .from(credentialIntake)
      .orderBy(asc(credentialIntake.tenantId), asc(credentialIntake.clientId), asc(credentialIntake.id))
      .limit(limit),
  remove: async (q: Queryable, ids: string[]) => {
    if (ids.length > 0) await q.delete(credentialIntake).where(inArray(credentialIntake.id, ids));
  },
};

export const packagesRepo = {
  /** The owned, shareable items of a client in full (a package's content). */
  packagedItems: async (q: Queryable, tenantId: string, clientId: string) =>
    q
      .select()
      .from(documentationItems)
      .where(
        and(
          eq(documentationItems.tenantId, tenantId),
          eq(documentationItems.clientId, clientId),
          eq(documentationItems.mspInternal, false),
          sql`${documentationItems.owner} is not null`,
        ),
      ),
  insert: async (q: Queryable, row: typeof documentationPackages.$inferInsert) => {
    await q.insert(documentationPackages).values(row);
  },
  get: async (q: Queryable, tenantId: string, id: string) =>
    one(
      await q
        .select()
        .from(documentationPackages)
        .where(and(eq(documentationPackages.tenantId, tenantId), eq(documentationPackages.id, id))),
    ),
  /** Every version for the offboarding, newest first. */
  ofOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(documentationPackages)
      .where(and(eq(documentationPackages.tenantId, tenantId), eq(documentationPackages.offboardingId, offboardingId)))
      .orderBy(desc(documentationPackages.builtAt), desc(documentationPackages.version)),
  latestVersion: async (q: Queryable, tenantId: string, offboardingId: string, audience: string) =>
    Number(
      one(
        await q
          .select({ v: sql<number>`coalesce(max(${documentationPackages.version}), 0)` })
          .from(documentationPackages)
          .where(
            and(
              eq(documentationPackages.tenantId, tenantId),
              eq(documentationPackages.offboardingId, offboardingId),
              eq(documentationPackages.audience, audience),
            ),
          ),
      )?.v ?? 0,
    ),
  recordDownload: async (q: Queryable, row: typeof packageDownloads.$inferInsert) => {
    await q.insert(packageDownloads).values(row);
  },
  downloadsOfOffboarding: async (q: Queryable, tenantId: string, offboardingId: string) =>
    q
      .select()
      .from(packageDownloads)
      .where(and(eq(packageDownloads.tenantId, tenantId), eq(packageDownloads.offboardingId, offboardingId)))
      .orderBy(asc(packageDownloads.at)),
};
