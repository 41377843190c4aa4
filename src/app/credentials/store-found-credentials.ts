/**
 * Puts the credentials an import found into the vault: new ones sealed with the client's data
 * key, known ones (same source and platform id) updated when anything changed, never duplicated.
 * Used by credential imports and by documentation imports, which hand every password they meet
 * to the vault and keep none.
 */
import { kindFromWords } from '../../domain/credentials.ts';
import type { FoundCredential } from '../../integrations/documentation/types.ts';
import type { Tx } from '../../storage/db.ts';
import { credentialsRepo, dataKeysRepo } from '../../storage/credentials-repository.ts';
import { type App, newId } from '../context.ts';
import { dataKeyFor, sealSecret, secretDigest, unwrapDataKey } from './vault.ts';

export type FoundCounts = {
  created: number;
  updated: number;
  unchanged: number;
  changedByOthers: string[];
  /** The names of the first 20 new and changed ones (a dry run's preview). */
  createdNames: string[];
  updatedNames: string[];
};

const clean = (s: string | undefined) => (s === undefined ? null : s.replaceAll('\u0000', '') || null);

export async function storeFoundCredentials(
  tx: Tx,
  app: App,
  where: { tenantId: string; clientId: string; source: string; by: string | null },
  found: readonly FoundCredential[],
  at: string,
  dryRun: boolean,
): Promise<FoundCounts & { digests: string[] }> {
  const counts: FoundCounts & { digests: string[] } = {
    created: 0,
    updated: 0,
    unchanged: 0,
    changedByOthers: [],
    createdNames: [],
    updatedNames: [],
    digests: [],
  };
  if (found.length === 0) return counts;
  const { tenantId, clientId, source, by } = where;
  // A dry run makes no data key: without one, everything would be new.
  const key = dryRun
    ? await (async () => {
        const row = await dataKeysRepo.get(tx, tenantId, clientId);
        return row?.wrappedKey && app.secrets ? unwrapDataKey(app.secrets, row.wrappedKey) : undefined;
      })()
    : await dataKeyFor(tx, app, tenantId, clientId);
  const existing = new Map(
    (
      await credentialsRepo.imported(
        tx,
        tenantId,
        clientId,
        source,
        found.map((f) => f.externalId),
      )
    ).map((e) => [e.externalId as string, e]),
  );
  const fresh = [];
  for (const f of found) {
    const payload = { password: f.password.replaceAll('\u0000', ''), otpSecret: clean(f.otpSecret) ?? undefined };
    const described = {
      name: (clean(f.name) ?? f.externalId).slice(0, 300),
      username: clean(f.username),
      url: clean(f.url),
      notes: clean(f.notes),
    };
    const before = existing.get(f.externalId);
    const digest = key ? secretDigest(key, payload) : undefined;
    if (digest) counts.digests.push(`${f.externalId} ${digest}`);
    if (!before) {
      counts.created++;
      if (counts.createdNames.length < 20) counts.createdNames.push(described.name);
      if (dryRun || !key) continue;
      const id = newId();
      fresh.push({
        id,
        tenantId,
        clientId,
        ...described,
        kind: kindFromWords(f.category, f.name),
        owner: f.owner ?? null,
        source,
        externalId: f.externalId,
        secretSealed: sealSecret(key, id, payload),
        secretDigest: digest as string,
        hasOtp: Boolean(payload.otpSecret),
        secretChangedAt: at,
        createdBy: by,
        updatedBy: by,
        createdAt: at,
        updatedAt: at,
      });
      continue;
    }
    const sameSecret = digest === before.secretDigest;
    if (sameSecret && Object.entries(described).every(([k, v]) => before[k as keyof typeof described] === v)) {
      counts.unchanged++;
      continue;
    }
    if (!dryRun && key) {
      const changes = {
        ...described,
        updatedBy: by,
        ...(sameSecret
          ? {}
          : {
              secretSealed: sealSecret(key, before.id, payload),
              secretDigest: digest as string,
              hasOtp: Boolean(payload.otpSecret),
              secretChangedAt: at,
            }),
      };
      // Someone editing it while the import runs wins; the import says it left it.
      if (!(await credentialsRepo.update(tx, tenantId, before.id, before.version, changes, at))) {
        counts.changedByOthers.push(f.externalId);
        continue;
      }
    }
    counts.updated++;
    if (counts.updatedNames.length < 20) counts.updatedNames.push(described.name);
  }
  await credentialsRepo.insertMany(tx, fresh);
  return counts;
}
