/**
 * Which gates are open, from the statements on file (issue 12). A gate opens only by a party's
 * statement or its defined alternative: the authorization by the client's signature (closed again
 * by a later withdrawal), the backup hand-off by the new provider's verified backup or the client's
 * backup release, replacement coverage by the new provider's attestation. Staff actions never
 * appear here: nothing a staff member does can open a gate. Pure.
 */
import { AUTHORIZATION_SCOPES, type AuthorizationScope, STATEMENT_KINDS, type StatementKind } from './statements.ts';
import type { Gate } from './vocabulary.ts';

/** A statement as the rules see it; `kind` is null for rows recorded before templates (they name only a gate). */
export type StatementOnFile = {
  id: string;
  kind: StatementKind | null;
  gate: Gate | null;
  signedAt: string;
  details: { scopes?: readonly string[] | undefined; cutoverDate?: string | undefined };
};

export type GateState = {
  /** Gates whose statement is on file. */
  met: ReadonlySet<Gate>;
  /** The authorization in force: its statement and what it covers; null when none is, or it was withdrawn. */
  authorization: { id: string; signedAt: string; scopes: readonly AuthorizationScope[] } | null;
  /** The client's agreement to end access early, when there is one: the earliest date agreed. */
  earlyCutover: { id: string; date: string } | null;
};

const isScope = (s: string): s is AuthorizationScope => (AUTHORIZATION_SCOPES as readonly string[]).includes(s);

/** Statements in the order they were signed; equal times keep the order given (the order they were stored). */
export function gateState(statements: readonly StatementOnFile[]): GateState {
  const ordered = statements.map((s, i) => ({ s, i })).sort((a, b) => a.s.signedAt.localeCompare(b.s.signedAt) || a.i - b.i);
  const met = new Set<Gate>();
  let authorization: GateState['authorization'] = null;
  let earlyCutover: GateState['earlyCutover'] = null;
  for (const { s } of ordered) {
    const kind = s.kind;
    if (kind === null) {
      // Before templates, a row named its gate and nothing else: an authorization then covered everything.
      if (s.gate === 'authorization') authorization = { id: s.id, signedAt: s.signedAt, scopes: AUTHORIZATION_SCOPES };
      else if (s.gate) met.add(s.gate);
      continue;
    }
    switch (kind) {
      case 'authorization':
        authorization = { id: s.id, signedAt: s.signedAt, scopes: (s.details.scopes ?? []).filter(isScope) };
        break;
      case 'authorization-withdrawal':
        authorization = null;
        break;
      case 'early-cutover':
        if (s.details.cutoverDate && (!earlyCutover || s.details.cutoverDate < earlyCutover.date))
          earlyCutover = { id: s.id, date: s.details.cutoverDate };
        break;
      case 'backup-release':
      case 'backup-verified':
      case 'replacement-coverage':
      case 'receipt':
      case 'package-receipt':
      case 'credentials-receipt': {
        const opens = STATEMENT_KINDS[kind].opens;
        if (opens) met.add(opens);
        break;
      }
    }
  }
  if (authorization) met.add('authorization');
  return { met, authorization, earlyCutover };
}

/** The task that ends the MSP's access: done on the agreed date, or earlier only with the client's agreement. */
export const ACCESS_CUTOVER_TASK = 'access-revocation';
/** MFA registrations end with the access: on the same date, under the same rule. */
export const MFA_CLEANUP_TASK = 'mfa-cleanup';

/** The first day the MSP's access may end: the agreed revocation date, or the earlier date the client agreed to. */
export function accessMayEndOn(revocationDate: string, state: Pick<GateState, 'earlyCutover'>): string {
  const early = state.earlyCutover?.date;
  return early !== undefined && early < revocationDate ? early : revocationDate;
}

/** Whether the authorization in force covers a scope (nothing is covered before the client signs). */
export const covers = (state: GateState, scope: AuthorizationScope): boolean => state.authorization?.scopes.includes(scope) ?? false;

/**
 * The gates a task still waits on: each gate whose statement is not on file, and the authorization
 * also when it is in force but does not cover what the task gives the new provider.
 */
export function unmetGates(task: { gates: readonly Gate[]; authorizationScope: AuthorizationScope | null }, state: GateState): Gate[] {
  return task.gates.filter((g) =>
    g === 'authorization' && task.authorizationScope !== null ? !covers(state, task.authorizationScope) : !state.met.has(g),
  );
}

/**
 * Whether a task's statements back its completion as evidence would: a backup attestation or release,
 * replacement coverage, the authorization for the task that obtains it. A scoped authorization does
 * not: it permits a hand-over, it is no proof that one happened.
 */
export const statementsBackTask = (task: { gates: readonly Gate[]; authorizationScope: AuthorizationScope | null }): boolean =>
  task.gates.some((g) => g !== 'authorization' || task.authorizationScope === null);

/** What the playbook asks for that nothing backs yet: empty when a file is attached, a statement backs it, or a manager waived it. */
export function missingEvidence(task: {
  gates: readonly Gate[];
  authorizationScope: AuthorizationScope | null;
  evidence: readonly string[];
  evidenceWaived: boolean;
  filesAttached: number;
}): readonly string[] {
  if (task.evidence.length === 0 || task.evidenceWaived || task.filesAttached > 0 || statementsBackTask(task)) return [];
  return task.evidence;
}
