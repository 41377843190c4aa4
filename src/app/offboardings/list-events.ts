/** An offboarding's audit events in order, and how far the signed log covers them. */
import { auditRepo } from '../../storage/repositories.ts';
import { logRepo } from '../../storage/log-repository.ts';
import type { Actor, App } from '../context.ts';
import { loadOffboarding } from './offboarding-facts.ts';

export async function listEvents(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  const { offboarding } = await loadOffboarding(db, actor.tenantId, offboardingId);
  return {
    events: await auditRepo.ofOffboarding(db, actor.tenantId, offboarding.id),
    signedThrough: (await logRepo.latestCheckpoint(db, actor.tenantId))?.size ?? 0,
  };
}
