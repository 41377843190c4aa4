/**
 * How people outside the MSP get in: they ask for a link by email (the answer is the same whether
 * or not the address is known; limited per address and per IP), open it once, and hold a portal
 * session for one party of one offboarding. A portal session is never a staff session: it is a
 * different cookie, a different table, and the staff routes do not read either.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ForbiddenError } from '../../domain/errors.ts';
import type { GateState } from '../../domain/gates.ts';
import type { Queryable } from '../../storage/db.ts';
import { type AttestationRow, attestationsRepo, offboardingsRepo, partiesRepo } from '../../storage/repositories.ts';
import { gateStateOf } from '../offboardings/offboarding-facts.ts';
import { parties, portalLinks, portalSessions } from '../../storage/schema.ts';
import { AuthError, countAttempt, tokenHash } from '../accounts/sign-in.ts';
import { type App, now, parseInput, transaction } from '../context.ts';
import { appendAuditEvent } from '../../storage/audit-repository.ts';
import { PORTAL_SESSION_HOURS } from './portal-links.ts';
import { isLive, invite, type PartySide } from './parties.ts';

/** Link requests per address and per IP in 15 minutes. */
export const LINK_REQUESTS_PER_ADDRESS = 5;
export const LINK_REQUESTS_PER_IP = 20;

export const RequestPortalLinkInput = z.object({ email: z.email().max(320) }).strict();
export const OpenPortalLinkInput = z.object({ token: z.string().min(20, 'is not a portal link token').max(200) }).strict();

/** Who is acting in the portal: one party of one offboarding. */
export type PortalActor = {
  tenantId: string;
  offboardingId: string;
  partyId: string;
  side: PartySide;
  name: string;
  email: string;
  canSign: boolean;
  sessionHash: string;
  linkHash: string;
};

export const partyRef = (actor: Pick<PortalActor, 'partyId'>): string => `party:${actor.partyId}`;

/** The new provider sees and does nothing in the portal until the client's authorization is in force. */
export function assertLetIn(actor: Pick<PortalActor, 'side'>, state: Pick<GateState, 'authorization'>): void {
  if (actor.side === 'new-provider' && !state.authorization) throw new ForbiddenError('waiting for the client’s authorization');
}

/** The statements of a party's offboarding as the gate rules read them, once the party is let in. */
export async function letInState(q: Queryable, actor: PortalActor): Promise<{ state: GateState; attestations: AttestationRow[] }> {
  const attestations = await attestationsRepo.ofOffboarding(q, actor.tenantId, actor.offboardingId);
  const state = gateStateOf(attestations);
  assertLetIn(actor, state);
  return { state, attestations };
}

/**
 * Sends a fresh link to every live offboarding where this address is a party with access. The
 * caller answers the same whatever happened here.
 */
export async function requestPortalLink(app: App, input: unknown, ip: string): Promise<void> {
  const data = parseInput(RequestPortalLinkInput, input, 'request');
  const at = now(app);
  const address = data.email.toLowerCase();
  // Counted before anything is looked up, so the limit says nothing about the address.
  const [perAddress, perIp] = [
    await countAttempt(app.database.db, [`portal-email:${address}`], at),
    await countAttempt(app.database.db, [`portal-ip:${ip}`], at),
  ];
  if (perAddress > LINK_REQUESTS_PER_ADDRESS || perIp > LINK_REQUESTS_PER_IP)
    throw new AuthError('rate-limited', 'too many link requests; try again in 15 minutes');
  const candidates = await partiesRepo.byEmail(app.database.db, address);
  for (const candidate of candidates) {
    await transaction(app, async (tx) => {
      const party = await partiesRepo.get(tx, candidate.tenantId, candidate.id);
      if (!party || party.accessRevokedAt) return;
      const offboarding = await offboardingsRepo.get(tx, party.tenantId, party.offboardingId);
      if (!offboarding || !isLive(offboarding)) return;
      // A new provider's link waits for the authorization exactly as its invitation does.
      await invite(tx, app, party, `party:${party.id}`, at, 'requested');
    });
  }
}

export class PortalLinkError extends AuthError {
  constructor() {
    super(
      'unauthenticated',
      'this link does not work any more: it was used, has expired or was withdrawn. Ask for a new one with your email address.',
    );
    this.name = 'PortalLinkError';
  }
}

/** Exchanges a link's token for a portal session; the link works once. */
export async function openPortalLink(
  app: App,
  input: unknown,
  request: { ip: string; userAgent: string | undefined },
): Promise<{ token: string; expiresAt: string; actor: PortalActor }> {
  const data = parseInput(OpenPortalLinkInput, input, 'link');
  const at = now(app);
  const linkHash = tokenHash(data.token);
  return transaction(app, async (tx) => {
    // Used up in the same statement that finds it: two tabs opening one link get one session.
    const [link] = await tx
      .update(portalLinks)
      .set({ usedAt: at })
      .where(and(eq(portalLinks.tokenHash, linkHash), isNull(portalLinks.usedAt), gt(portalLinks.expiresAt, at)))
      .returning();
    if (!link) throw new PortalLinkError();
    const party = await partiesRepo.get(tx, link.tenantId, link.partyId);
    const offboarding = party && (await offboardingsRepo.get(tx, party.tenantId, party.offboardingId));
    if (!party || party.accessRevokedAt || !offboarding || offboarding.status === 'cancelled') throw new PortalLinkError();
    const token = randomBytes(32).toString('base64url');
    const sessionHash = tokenHash(token);
    const expiresAt = new Date(Date.parse(at) + PORTAL_SESSION_HOURS * 3_600_000).toISOString();
    const userAgent = request.userAgent?.slice(0, 500) ?? null;
    await tx.insert(portalSessions).values({
      tokenHash: sessionHash,
      tenantId: party.tenantId,
      partyId: party.id,
      linkHash,
      ip: request.ip,
      userAgent,
      createdAt: at,
      expiresAt,
    });
    await tx.update(parties).set({ lastOpenedAt: at }).where(eq(parties.id, party.id));
    await appendAuditEvent(tx, party.tenantId, at, {
      actor: `party:${party.id}`,
      action: 'portal.link-opened',
      subject: { type: 'party', id: party.id },
      offboardingId: party.offboardingId,
      // The session's digest, never the token: enough to tie a later signature to this opening.
      data: { ip: request.ip, userAgent, linkSha256: linkHash, sessionSha256: sessionHash },
    });
    return { token, expiresAt, actor: portalActorOf(party, sessionHash, linkHash) };
  });
}

const portalActorOf = (party: typeof parties.$inferSelect, sessionHash: string, linkHash: string): PortalActor => ({
  tenantId: party.tenantId,
  offboardingId: party.offboardingId,
  partyId: party.id,
  side: party.side as PartySide,
  name: party.name,
  email: party.email,
  canSign: party.canSign,
  sessionHash,
  linkHash,
});

/** The party behind a portal session, while the session lasts and the party has access. */
/**
 * Portal sessions read in the last few seconds, so a page's burst of requests costs one lookup.
 * Revoking a party or ending a session forgets it at once in this process; another process keeps
 * its copy at most SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000;
const sessionCache = new Map<string, { actor: PortalActor; expiresAt: string; until: number }>();

/** Forgets a party's cached sessions (after its access is revoked or its rights change). */
export function forgetPortalParty(partyId: string): void {
  for (const [hash, entry] of sessionCache) if (entry.actor.partyId === partyId) sessionCache.delete(hash);
}

export async function portalActorForSession(app: App, token: string): Promise<PortalActor | undefined> {
  const sessionHash = tokenHash(token);
  const at = now(app);
  const hit = sessionCache.get(sessionHash);
  if (hit && hit.until > Date.now() && hit.expiresAt > at) return hit.actor;
  const [row] = await app.database.db
    .select({ session: portalSessions, party: parties })
    .from(portalSessions)
    .innerJoin(parties, eq(parties.id, portalSessions.partyId))
    .where(and(eq(portalSessions.tokenHash, sessionHash), gt(portalSessions.expiresAt, at)));
  if (!row || row.party.accessRevokedAt) {
    sessionCache.delete(sessionHash);
    return undefined;
  }
  const actor = portalActorOf(row.party, sessionHash, row.session.linkHash);
  if (sessionCache.size > 10_000) sessionCache.clear();
  sessionCache.set(sessionHash, { actor, expiresAt: row.session.expiresAt, until: Date.now() + SESSION_CACHE_MS });
  return actor;
}

export async function endPortalSession(app: App, token: string): Promise<void> {
  sessionCache.delete(tokenHash(token));
  await app.database.db.delete(portalSessions).where(eq(portalSessions.tokenHash, tokenHash(token)));
}
