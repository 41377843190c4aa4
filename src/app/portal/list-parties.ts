/**
 * For staff: an offboarding's parties (invited when, last in the portal when, access revoked),
 * the statements on file (who signed what, how it was recorded) and the gates they open.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { gatesWaiting } from '../../domain/escalation.ts';
import { policyInputFor } from '../offboardings/policy-input.ts';
import type { Gate } from '../../domain/vocabulary.ts';
import { partiesRepo } from '../../storage/repositories.ts';
import { notifications, portalLinks } from '../../storage/schema.ts';
import type { Actor, App } from '../context.ts';
import { gateStateOf, loadOffboarding } from '../offboardings/offboarding-facts.ts';
import { isoInstant } from '../present.ts';

const iso = (v: string | null): string | null => isoInstant(v);

export async function listParties(app: App, actor: Actor, offboardingId: string) {
  const db = app.database.db;
  const loaded = await loadOffboarding(db, actor.tenantId, offboardingId);
  const parties = await partiesRepo.ofOffboarding(db, actor.tenantId, offboardingId);
  const links =
    parties.length === 0
      ? []
      : await db
          .select()
          .from(portalLinks)
          .where(
            inArray(
              portalLinks.partyId,
              parties.map((p) => p.id),
            ),
          )
          .orderBy(desc(portalLinks.createdAt));
  const state = gateStateOf(loaded.attestations);
  // What each open gate waits for, and how often the party was reminded (each reminder once, whatever its channels).
  const reminders = await db
    .select({ kind: notifications.kind, key: notifications.key, at: notifications.fireAt })
    .from(notifications)
    .where(
      and(
        eq(notifications.tenantId, actor.tenantId),
        eq(notifications.offboardingId, offboardingId),
        inArray(notifications.kind, ['gate-reminder', 'gate-escalation']),
        inArray(notifications.status, ['sent', 'delivered']),
      ),
    );
  const waiting = gatesWaiting(policyInputFor(loaded)).map((w) => {
    const sent = reminders.filter((r) => r.kind === 'gate-reminder' && r.key.includes(`:gate-reminder.${w.gate}:`));
    const keys = new Set(sent.map((r) => r.key));
    const last =
      sent
        .map((r) => r.at)
        .sort()
        .at(-1) ?? null;
    // Asked ahead of a due date that came soon after the notice: never before the offboarding began.
    const since = w.since < loaded.offboarding.noticeDate ? loaded.offboarding.noticeDate : w.since;
    return { ...w, since, remindersSent: keys.size, lastReminderAt: iso(last) };
  });
  return {
    parties: parties.map((p) => {
      const last = links.find((l) => l.partyId === p.id);
      return {
        id: p.id,
        side: p.side as 'client' | 'new-provider',
        name: p.name,
        email: p.email,
        canSign: p.canSign,
        invitedAt: iso(p.invitedAt),
        lastLinkSentAt: iso(last?.createdAt ?? null),
        lastLinkExpiresAt: iso(last?.expiresAt ?? null),
        lastOpenedAt: iso(p.lastOpenedAt),
        accessRevokedAt: iso(p.accessRevokedAt),
      };
    }),
    statements: loaded.attestations.map((a) => ({
      id: a.id,
      kind: a.kind,
      gate: a.gate as Gate | null,
      method: a.method as 'signed' | 'recorded-from-document' | 'recorded-by-staff',
      party: a.party,
      signerName: a.signerName,
      signerEmail: a.signerEmail,
      signedAt: isoInstant(a.signedAt),
      statementSha256: a.statementSha256,
      certificateSha256: a.certificateSha256,
      documentSha256: a.documentSha256,
      details: a.details,
    })),
    gates: {
      met: [...state.met].sort(),
      authorization: state.authorization
        ? {
            statementId: state.authorization.id,
            signedAt: isoInstant(state.authorization.signedAt),
            scopes: [...state.authorization.scopes],
          }
        : null,
      earlyCutover: state.earlyCutover,
      waiting,
    },
  };
}
