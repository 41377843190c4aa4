/**
 * The offboarding state machine: planned -> active -> closing -> closed, or cancelled when the
 * client stays. Closing starts once every task due by the end date is done or waived; closed
 * needs every task done or waived (including the retention deletion).
 */
import { DomainError } from './errors.ts';
import { InvalidTransitionError } from './task-state.ts';
import type { OffboardingStatus } from './vocabulary.ts';

export type OffboardingState = {
  status: OffboardingStatus;
  cancelReason?: string | undefined;
  departureReason?: string | undefined;
};

export type OffboardingContext = {
  /** Open tasks that are due by the end date (phases with a latest date). */
  openTasksBeforeEnd: readonly string[];
  /** All open tasks. */
  openTasks: readonly string[];
};

export type OffboardingEvent =
  { type: 'activate' } | { type: 'begin-closing' } | { type: 'close'; departureReason: string } | { type: 'cancel'; reason: string };

export class OpenTasksError extends DomainError {
  readonly tasks: readonly string[];
  constructor(action: string, tasks: readonly string[]) {
    super(
      'dependencies-open',
      `cannot ${action}: ${tasks.length} task${tasks.length === 1 ? ' is' : 's are'} still open (${tasks.join(', ')})`,
      tasks.map((t) => ({ path: `tasks.${t}`, message: 'is open' })),
    );
    this.name = 'OpenTasksError';
    this.tasks = tasks;
  }
}

export class ReasonRequiredError extends DomainError {
  constructor(field: string) {
    super('invalid-input', `${field} is required`, [{ path: field, message: 'is required' }]);
    this.name = 'ReasonRequiredError';
  }
}

export function transitionOffboarding(state: OffboardingState, event: OffboardingEvent, context: OffboardingContext): OffboardingState {
  const fail = (): never => {
    throw new InvalidTransitionError('offboarding', state.status, event.type);
  };
  switch (event.type) {
    case 'activate':
      if (state.status !== 'planned') return fail();
      return { status: 'active' };
    case 'begin-closing':
      if (state.status !== 'active') return fail();
      if (context.openTasksBeforeEnd.length > 0) throw new OpenTasksError('begin closing', context.openTasksBeforeEnd);
      return { status: 'closing' };
    case 'close':
      if (state.status !== 'closing') return fail();
      if (event.departureReason.trim() === '') throw new ReasonRequiredError('departureReason');
      if (context.openTasks.length > 0) throw new OpenTasksError('close', context.openTasks);
      return { status: 'closed', departureReason: event.departureReason.trim() };
    case 'cancel':
      if (state.status === 'closed' || state.status === 'cancelled') return fail();
      if (event.reason.trim() === '') throw new ReasonRequiredError('reason');
      return { status: 'cancelled', cancelReason: event.reason.trim() };
  }
}
