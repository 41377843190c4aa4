/** Evaluates playbook `only` conditions against an offboarding's facts. */
import type { OffboardingFacts } from './offboarding-case.ts';
import type { Condition } from './playbook.ts';

export function holds(condition: Condition | undefined, facts: OffboardingFacts): boolean {
  if (!condition) return true;
  const services = facts.client.services;
  if (condition.service !== undefined) {
    const wanted = Array.isArray(condition.service) ? condition.service : [condition.service];
    if (!wanted.every((s) => services[s])) return false;
  }
  if (condition.firewall !== undefined && !condition.firewall.includes(services.firewall)) return false;
  if (condition.type !== undefined && !condition.type.includes(facts.type)) return false;
  if (condition.newProvider !== undefined && condition.newProvider !== (facts.newProvider !== undefined)) return false;
  if (condition.anyOf !== undefined && !condition.anyOf.some((c) => holds(c, facts))) return false;
  if (condition.allOf !== undefined && !condition.allOf.every((c) => holds(c, facts))) return false;
  if (condition.not !== undefined && holds(condition.not, facts)) return false;
  return true;
}
