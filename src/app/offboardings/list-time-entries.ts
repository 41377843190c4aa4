/** The time recorded on an offboarding, with the summary against its included hours. */
import { timeEntriesRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { timeSummary } from './record-time.ts';

export async function listTimeEntries(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  const { offboarding } = await loadOffboarding(db, actor.tenantId, offboardingId);
  return {
    entries: await timeEntriesRepo.ofOffboarding(db, actor.tenantId, offboarding.id),
    summary: await timeSummary(db, actor.tenantId, offboarding.id, offboarding.clientId),
  };
}
