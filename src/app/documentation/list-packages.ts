/** The versions of an offboarding's documentation package, with every download and acknowledgement of receipt. */
import { packagesRepo } from '../../storage/documentation-repository.ts';
import { attestationsRepo, offboardingsRepo, partiesRepo, usersRepo } from '../../storage/repositories.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { Queryable } from '../../storage/db.ts';
import type { Actor, App } from '../context.ts';
import { presentPackage, receiptsOf } from './package-delivery.ts';

/** Staff and parties by the reference the record keeps (`user:<id>`, `party:<id>`). */
export async function actorNames(q: Queryable, tenantId: string, offboardingId: string): Promise<Map<string, string>> {
  const [users, parties] = [await usersRepo.list(q, tenantId), await partiesRepo.ofOffboarding(q, tenantId, offboardingId)];
  return new Map([
    ...users.map((u) => [`user:${u.id}`, u.name] as [string, string]),
    ...parties.map((p) => [`party:${p.id}`, p.name] as [string, string]),
  ]);
}

export async function listPackages(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  if (!(await offboardingsRepo.get(db, actor.tenantId, offboardingId))) throw new NotFoundError('offboarding', offboardingId);
  const [packages, downloads, attestations, names] = [
    await packagesRepo.ofOffboarding(db, actor.tenantId, offboardingId),
    await packagesRepo.downloadsOfOffboarding(db, actor.tenantId, offboardingId),
    await attestationsRepo.ofOffboarding(db, actor.tenantId, offboardingId),
    await actorNames(db, actor.tenantId, offboardingId),
  ];
  const receipts = receiptsOf(attestations);
  return { packages: packages.map((p) => presentPackage(p, downloads, receipts.get(p.id) ?? [], names)) };
}
