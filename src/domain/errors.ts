/**
 * Typed domain errors. Each carries a stable `code`; only the edges (CLI, HTTP) map codes to
 * exit codes or statuses.
 */

export type Issue = { path: string; message: string };

export type DomainErrorCode =
  | 'invalid-input'
  | 'invalid-playbook'
  | 'invalid-transition'
  | 'gate-not-satisfied'
  | 'evidence-required'
  | 'dependencies-open'
  | 'too-early'
  | 'waiver-reason-required'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate-limited'
  | 'choose-msp';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Issue[];
  /** What the caller may pick from to try again (the MSPs an address signs in to, once its password is proven). */
  choices?: unknown[];

  constructor(code: DomainErrorCode, message: string, details: Issue[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

/** Bad input: every problem found, each as `path: message`. */
export class InputError extends DomainError {
  constructor(message: string, details: Issue[], code: DomainErrorCode = 'invalid-input') {
    super(code, message, details);
    this.name = 'InputError';
  }
}

export class PlaybookInvalidError extends InputError {
  constructor(details: Issue[]) {
    super(`the playbook has ${details.length} problem${details.length === 1 ? '' : 's'}`, details, 'invalid-playbook');
    this.name = 'PlaybookInvalidError';
  }
}

export function formatIssues(issues: readonly Issue[]): string[] {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
}

/** Turns a path array from a validator into the dotted form used in every message. */
export function pathToString(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The thing asked for does not exist in this tenant (another tenant's ids answer this too). */
export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not-found', `${what} ${id} not found`, [{ path: 'id', message: `no ${what} ${id}` }]);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed it first, or it is in a state that does not allow this now. */
export class ConflictError extends DomainError {
  constructor(message: string, details: Issue[] = []) {
    super('conflict', message, details);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'your role does not allow this') {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}
