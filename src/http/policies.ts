/** The permission table lives in the domain (pure rules); the HTTP layer attaches its actions to routes. */
export { type Action, PERMISSIONS, allowed, refusal } from '../domain/policies.ts';
