/** The escalation policy's view of one offboarding, from what the database holds. */
import type { PolicyInput } from '../../domain/escalation.ts';
import { calendarOf } from '../../domain/planner.ts';
import type { Gate, TaskRole, TaskStatus } from '../../domain/vocabulary.ts';
import { type LoadedOffboarding, gateStateOf, unmetGatesOf } from './offboarding-facts.ts';

/** `followUps`: the vault's part (credential-follow-ups.ts), where the caller read it. */
export function policyInputFor(
  loaded: LoadedOffboarding,
  followUps: Pick<PolicyInput, 'credentialChanges' | 'rotationsPending'> = {},
): PolicyInput {
  const state = gateStateOf(loaded.attestations);
  return {
    offboardingId: loaded.offboarding.id,
    timeZone: loaded.facts.client.timezone,
    calendar: calendarOf(loaded.facts),
    hasNewProvider: loaded.offboarding.newProvider !== null,
    authorizationOnFile: state.met.has('authorization'),
    ...followUps,
    tasks: loaded.tasks.map((t) => {
      const unmet = unmetGatesOf(t, state);
      return {
        key: t.key,
        title: t.title,
        role: t.role as TaskRole,
        status: t.status as TaskStatus,
        due: t.due,
        readyOn: t.readyOn ?? undefined,
        gates: (t.gates as Gate[]).map((gate) => ({ gate, satisfied: !unmet.includes(gate) })),
      };
    }),
  };
}
