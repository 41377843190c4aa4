/**
 * The task state machine: pending (dependencies not done) -> ready -> in-progress -> done,
 * or waived. A pure function over typed events; guards fail with typed errors.
 */
import { DomainError } from './errors.ts';
import type { Gate, TaskStatus } from './vocabulary.ts';

export type Waiver = { reason: string; approver: string };

export type TaskState = {
  status: TaskStatus;
  waiver?: Waiver | undefined;
};

/** What the guards look at, supplied by the caller from the offboarding's current state. */
export type TaskContext = {
  /** Dependencies in the plan that are neither done nor waived. */
  openDependencies: readonly string[];
  /** Gates this task needs whose attestation is not on file. */
  unmetGates: readonly Gate[];
  /** What the authorization must cover for this task, when it names a scope (for the error's words). */
  authorizationScope?: string | null | undefined;
  /** Not to be done before this date (the agreed access cut-over), judged on `today` in the client's time zone. */
  notBefore?: { date: string; today: string } | undefined;
  /**
   * The evidence the playbook asks for, when nothing backs the task yet: no file attached, no
   * statement on file for a gate, and no manager's waiver of the requirement. Empty or absent: nothing missing.
   */
  missingEvidence?: readonly string[] | undefined;
};

export type TaskEvent =
  | { type: 'dependencies-done' }
  | { type: 'dependency-reopened' }
  | { type: 'start' }
  | { type: 'complete' }
  | { type: 'waive'; reason: string; approver: string }
  | { type: 'reopen' };

export class InvalidTransitionError extends DomainError {
  readonly from: string;
  readonly event: string;
  constructor(subject: string, from: string, event: string) {
    super('invalid-transition', `cannot ${event} a ${subject} that is ${from}`, [{ path: 'status', message: `is ${from}` }]);
    this.name = 'InvalidTransitionError';
    this.from = from;
    this.event = event;
  }
}

export class GateNotSatisfiedError extends DomainError {
  readonly gates: readonly Gate[];
  constructor(gates: readonly Gate[], scope?: string | null) {
    const why = (g: Gate) => (g === 'authorization' && scope ? `no authorization covering ${scope} is on file` : 'no attestation on file');
    super(
      'gate-not-satisfied',
      `the ${gates.join(', ')} gate${gates.length === 1 ? ' is' : 's are'} not satisfied: ${gates.map(why).join('; ')}`,
      gates.map((g) => ({ path: `gates.${g}`, message: why(g) })),
    );
    this.name = 'GateNotSatisfiedError';
    this.gates = gates;
  }
}

export class EvidenceRequiredError extends DomainError {
  readonly evidence: readonly string[];
  constructor(evidence: readonly string[]) {
    super(
      'evidence-required',
      `attach evidence first (${evidence.join('; ')}), or have a manager waive the evidence requirement with a reason`,
      [{ path: 'evidence', message: 'no file is attached' }],
    );
    this.name = 'EvidenceRequiredError';
    this.evidence = evidence;
  }
}

export class TooEarlyError extends DomainError {
  readonly notBefore: string;
  constructor(notBefore: string) {
    super(
      'too-early',
      `not before ${notBefore}: that is the agreed date, and only the client's agreement to an early cut-over brings it forward`,
      [{ path: 'notBefore', message: `is ${notBefore}` }],
    );
    this.name = 'TooEarlyError';
    this.notBefore = notBefore;
  }
}

export class DependenciesOpenError extends DomainError {
  readonly dependencies: readonly string[];
  constructor(dependencies: readonly string[]) {
    super(
      'dependencies-open',
      `waiting on ${dependencies.join(', ')}`,
      dependencies.map((d) => ({ path: `dependsOn.${d}`, message: 'is not done' })),
    );
    this.name = 'DependenciesOpenError';
    this.dependencies = dependencies;
  }
}

export class WaiverReasonRequiredError extends DomainError {
  constructor(field: 'reason' | 'approver') {
    super('waiver-reason-required', `a waiver needs a ${field}`, [{ path: field, message: 'is required' }]);
    this.name = 'WaiverReasonRequiredError';
  }
}

const OPEN: readonly TaskStatus[] = ['pending', 'ready', 'in-progress'];

/** The status a task starts in, or returns to when reopened. */
export function initialTaskStatus(context: Pick<TaskContext, 'openDependencies'>): TaskStatus {
  return context.openDependencies.length > 0 ? 'pending' : 'ready';
}

export function transitionTask(state: TaskState, event: TaskEvent, context: TaskContext): TaskState {
  const fail = (): never => {
    throw new InvalidTransitionError('task', state.status, event.type);
  };
  switch (event.type) {
    case 'dependencies-done':
      if (state.status !== 'pending') return fail();
      if (context.openDependencies.length > 0) throw new DependenciesOpenError(context.openDependencies);
      return { status: 'ready' };
    case 'dependency-reopened':
      if (state.status !== 'ready' && state.status !== 'in-progress') return fail();
      return { status: 'pending' };
    case 'start':
      if (state.status === 'pending') throw new DependenciesOpenError(context.openDependencies);
      if (state.status !== 'ready') return fail();
      return { status: 'in-progress' };
    case 'complete':
      if (state.status !== 'ready' && state.status !== 'in-progress' && state.status !== 'pending') return fail();
      if (context.openDependencies.length > 0) throw new DependenciesOpenError(context.openDependencies);
      if (context.unmetGates.length > 0) throw new GateNotSatisfiedError(context.unmetGates, context.authorizationScope);
      if (context.missingEvidence && context.missingEvidence.length > 0) throw new EvidenceRequiredError(context.missingEvidence);
      if (context.notBefore && context.notBefore.today < context.notBefore.date) throw new TooEarlyError(context.notBefore.date);
      return { status: 'done' };
    case 'waive':
      if (!OPEN.includes(state.status)) return fail();
      // A waiver is a staff decision; a gate is opened only by a party's statement, so no waiver passes one.
      if (context.unmetGates.length > 0) throw new GateNotSatisfiedError(context.unmetGates, context.authorizationScope);
      if (event.reason.trim() === '') throw new WaiverReasonRequiredError('reason');
      if (event.approver.trim() === '') throw new WaiverReasonRequiredError('approver');
      return { status: 'waived', waiver: { reason: event.reason.trim(), approver: event.approver.trim() } };
    case 'reopen':
      if (state.status !== 'done' && state.status !== 'waived') return fail();
      return { status: initialTaskStatus(context) };
  }
}
