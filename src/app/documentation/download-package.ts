/** Taking a package: staff from the app, a party from the portal (see package-delivery.ts for who may take which). */
import { NotFoundError } from '../../domain/errors.ts';
import { packagesRepo } from '../../storage/documentation-repository.ts';
import { usersRepo } from '../../storage/repositories.ts';
import { type Actor, type App, actorRef } from '../context.ts';
import { type PortalActor, partyRef } from '../portal/portal-access.ts';
import { deliverPackage, portalPackage } from './package-delivery.ts';

type Request = { ip: string; userAgent: string | undefined };

export async function downloadPackage(app: App, actor: Actor, packageId: string, request: Request) {
  const db = app.database.db;
  const row = await packagesRepo.get(db, actor.tenantId, packageId);
  if (!row) throw new NotFoundError('documentation package', packageId);
  const user = actor.kind === 'user' ? await usersRepo.get(db, actor.tenantId, actor.id) : undefined;
  return deliverPackage(app, row, { actor: actorRef(actor), partyId: null, name: user?.name ?? actorRef(actor), side: 'msp' }, request);
}

export async function downloadPortalPackage(app: App, actor: PortalActor, packageId: string, request: Request) {
  const row = await portalPackage(app.database.db, actor, packageId);
  return deliverPackage(app, row, { actor: partyRef(actor), partyId: actor.partyId, name: actor.name, side: actor.side }, request);
}
