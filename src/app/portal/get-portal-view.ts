/**
 * What a party sees in the portal. The client: the hand-over's steps in plain words, what waits on
 * them, the statements they may sign and those on file. The new provider: before the client's
 * authorization, only that they are waiting for it; afterwards what the authorization covers,
 * the steps that wait on them and their own statements.
 */
import { accessMayEndOn, covers, gateState } from '../../domain/gates.ts';
import { portalSteps, signableStatements } from '../../domain/portal-words.ts';
import type { AuthorizationScope, Gate, TaskStatus } from '../../domain/vocabulary.ts';
import { localDateAt } from '../../domain/calendar.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { statementsOnFile } from '../offboardings/offboarding-facts.ts';
import { portalViewRows } from '../../storage/hot-queries.ts';
import type { App } from '../context.ts';
import { isoInstant } from '../present.ts';
import { attachmentOf, statementsSeenBy } from './get-portal-statement-file.ts';
import type { PortalActor } from './portal-access.ts';

/** Steps the new provider takes part in: the hand-overs the authorization covers and the attestations asked of them. */
const NEW_PROVIDER_STEPS = new Set([
  'client-authorization',
  'documentation-package',
  'credential-transfer',
  'security-transition',
  'backup-transition',
  'dns-transfer',
  'm365-transition',
  'network-equipment',
  'cloud-transfer',
]);

export async function getPortalView(app: App, actor: PortalActor) {
  const rows = await portalViewRows(app.database, actor.tenantId, actor.offboardingId);
  if (!rows) throw new NotFoundError('offboarding', actor.offboardingId);
  const state = gateState(statementsOnFile(rows.attestations));
  const words = { clientName: rows.clientName ?? 'your organization', mspName: rows.mspName ?? 'Your IT provider' };
  const you = { name: actor.name, email: actor.email, side: actor.side, canSign: actor.canSign };
  if (actor.side === 'new-provider' && !state.authorization)
    return {
      waitingFor: 'authorization' as const,
      you,
      mspName: words.mspName,
      offboarding: null,
      steps: [],
      signable: [],
      statements: [],
      signingCodeRequired: false,
    };
  const o = rows.offboarding;
  const today = localDateAt(app.clock().toISOString(), o.timezone);
  const tasks = rows.tasks.map((t) => ({
    key: t.key,
    title: t.title,
    status: t.status as TaskStatus,
    due: t.due,
    phase: t.phase,
    gates: t.gates,
    authorizationScope: t.authorizationScope,
  }));
  // The new provider sees the steps that concern it, and of those only what the authorization covers.
  const forNewProvider = (t: (typeof tasks)[number]) =>
    NEW_PROVIDER_STEPS.has(t.key) && (t.authorizationScope === null || covers(state, t.authorizationScope as AuthorizationScope));
  const steps = portalSteps(actor.side === 'client' ? tasks : tasks.filter(forNewProvider), state, actor.side);
  const signable = signableStatements(
    actor.side,
    actor.canSign,
    {
      gates: new Set(rows.tasks.flatMap((t) => t.gates as Gate[])),
      hasNewProvider: o.newProvider !== null,
      revocationDate: o.revocationDate ?? o.endDate,
      today,
      proposedCutover: o.proposedCutover ?? undefined,
    },
    state,
  );
  // The new provider sees the authorization that lets them in and their own statements; the client sees all.
  const statements = statementsSeenBy(actor, rows.attestations, state.authorization?.id).map((a) => {
    const attachment = attachmentOf(a);
    return {
      id: a.id,
      kind: a.kind,
      party: a.party,
      how: a.method === 'signed' ? ('signed in the portal' as const) : ('recorded by the MSP from a signed document' as const),
      signerName: a.signerName,
      signerEmail: a.signerEmail,
      signedAt: isoInstant(a.signedAt),
      statementSha256: a.statementSha256,
      hasCertificate: a.certificateSha256 !== null,
      attachment: attachment ? { filename: attachment.filename, sha256: attachment.sha256 } : null,
    };
  });
  return {
    waitingFor: null,
    you,
    mspName: words.mspName,
    offboarding: {
      clientName: words.clientName,
      newProvider: o.newProvider?.name ?? null,
      timeZone: o.timezone,
      today,
      endDate: o.endDate,
      revocationDate: o.revocationDate ?? o.endDate,
      // The MSP's proposal to end access early, until the client agrees; then the agreed date.
      proposedCutover: state.earlyCutover ? null : (o.proposedCutover ?? null),
      accessEndsOn: accessMayEndOn(o.revocationDate ?? o.endDate, state),
      status: o.status,
      authorization: state.authorization
        ? { signedAt: isoInstant(state.authorization.signedAt), scopes: [...state.authorization.scopes] }
        : null,
    },
    steps,
    signable,
    statements,
    signingCodeRequired: signable.length > 0 && rows.signingCode,
  };
}
