import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import { OpenTasksError, transitionOffboarding, type OffboardingEvent } from './offboarding-state.ts';
import {
  DependenciesOpenError,
  GateNotSatisfiedError,
  InvalidTransitionError,
  type TaskEvent,
  TooEarlyError,
  EvidenceRequiredError,
  WaiverReasonRequiredError,
  initialTaskStatus,
  transitionTask,
} from './task-state.ts';
import { OFFBOARDING_STATUSES, TASK_STATUSES, type TaskStatus } from './vocabulary.ts';

const clear = { openDependencies: [], unmetGates: [] } as const;

describe('task state machine', () => {
  it('goes pending -> ready -> in-progress -> done', () => {
    expect(initialTaskStatus({ openDependencies: ['a'] })).toBe('pending');
    expect(initialTaskStatus({ openDependencies: [] })).toBe('ready');
    let s = transitionTask({ status: 'pending' }, { type: 'dependencies-done' }, clear);
    expect(s.status).toBe('ready');
    s = transitionTask(s, { type: 'start' }, clear);
    expect(s.status).toBe('in-progress');
    s = transitionTask(s, { type: 'complete' }, clear);
    expect(s.status).toBe('done');
  });

  it('completes straight from ready', () => {
    expect(transitionTask({ status: 'ready' }, { type: 'complete' }, clear).status).toBe('done');
  });

  it('refuses to complete while a gate is not satisfied', () => {
    const attempt = () =>
      transitionTask({ status: 'in-progress' }, { type: 'complete' }, { openDependencies: [], unmetGates: ['backup-handoff'] });
    expect(attempt).toThrow(GateNotSatisfiedError);
    expect(attempt).toThrow(/backup-handoff gate is not satisfied/);
    try {
      attempt();
    } catch (e) {
      expect((e as DomainError).code).toBe('gate-not-satisfied');
      expect((e as DomainError).details).toEqual([{ path: 'gates.backup-handoff', message: 'no attestation on file' }]);
    }
  });

  it('refuses to start or complete a task whose dependencies are open', () => {
    const ctx = { openDependencies: ['credential-inventory'], unmetGates: [] };
    expect(() => transitionTask({ status: 'pending' }, { type: 'start' }, ctx)).toThrow(DependenciesOpenError);
    expect(() => transitionTask({ status: 'pending' }, { type: 'complete' }, ctx)).toThrow(/waiting on credential-inventory/);
    expect(() => transitionTask({ status: 'pending' }, { type: 'dependencies-done' }, ctx)).toThrow(DependenciesOpenError);
  });

  it('needs a reason and an approver to waive', () => {
    expect(() => transitionTask({ status: 'ready' }, { type: 'waive', reason: '  ', approver: 'Dana' }, clear)).toThrow(
      WaiverReasonRequiredError,
    );
    expect(() => transitionTask({ status: 'ready' }, { type: 'waive', reason: 'Client has no M365', approver: '' }, clear)).toThrow(
      /approver/,
    );
    const waived = transitionTask(
      { status: 'pending' },
      { type: 'waive', reason: ' Client has no M365 ', approver: 'Dana' },
      { openDependencies: ['x'], unmetGates: [] },
    );
    expect(waived).toEqual({ status: 'waived', waiver: { reason: 'Client has no M365', approver: 'Dana' } });
  });

  it('reopens done and waived tasks to ready or pending', () => {
    expect(transitionTask({ status: 'done' }, { type: 'reopen' }, clear).status).toBe('ready');
    expect(
      transitionTask(
        { status: 'waived', waiver: { reason: 'r', approver: 'a' } },
        { type: 'reopen' },
        { openDependencies: ['x'], unmetGates: [] },
      ),
    ).toEqual({ status: 'pending' });
    expect(transitionTask({ status: 'in-progress' }, { type: 'dependency-reopened' }, clear).status).toBe('pending');
  });

  it('rejects every other transition with a typed error, and never ends in an unknown status (property)', () => {
    const events: TaskEvent[] = [
      { type: 'dependencies-done' },
      { type: 'dependency-reopened' },
      { type: 'start' },
      { type: 'complete' },
      { type: 'waive', reason: 'not needed', approver: 'Dana' },
      { type: 'reopen' },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...TASK_STATUSES),
        fc.constantFrom(...events),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (status, event, depsOpen, gateOpen, evidenceMissing) => {
          const ctx = {
            openDependencies: depsOpen ? ['dep'] : [],
            unmetGates: gateOpen ? (['authorization'] as const) : [],
            missingEvidence: evidenceMissing ? ['a screenshot'] : [],
          };
          try {
            const next = transitionTask({ status }, event, ctx);
            expect(TASK_STATUSES).toContain(next.status);
            if (next.status === 'done') expect(depsOpen || gateOpen || evidenceMissing).toBe(false);
            if (status === 'done' || status === 'waived') expect(event.type).toBe('reopen');
          } catch (e) {
            expect(e).toBeInstanceOf(DomainError);
            if (e instanceof InvalidTransitionError) expect(e.from).toBe(status);
          }
        },
      ),
    );
  });
});

describe('gates nobody can talk their way past', () => {
  const STAFF_EVENTS: TaskEvent[] = [
    { type: 'dependencies-done' },
    { type: 'dependency-reopened' },
    { type: 'start' },
    { type: 'complete' },
    { type: 'waive', reason: 'the client said yes on the phone', approver: 'Dana' },
    { type: 'reopen' },
  ];

  it('no sequence of staff actions completes or waives a task while its gate is open (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TaskStatus>('pending', 'ready', 'in-progress'),
        fc.array(fc.constantFrom(...STAFF_EVENTS), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (start, events, depsOpen) => {
          let state: { status: TaskStatus } = { status: start };
          for (const [i, event] of events.entries()) {
            const ctx = { openDependencies: depsOpen[i] ? ['dep'] : [], unmetGates: ['authorization'] as const };
            try {
              state = transitionTask(state, event, ctx);
            } catch (e) {
              expect(e).toBeInstanceOf(DomainError);
            }
            expect(state.status === 'done' || state.status === 'waived').toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('opens only by the statement: the same sequence passes once the gate is met', () => {
    const met = { openDependencies: [], unmetGates: [] };
    expect(transitionTask({ status: 'ready' }, { type: 'waive', reason: 'client has no backups', approver: 'Dana' }, met).status).toBe(
      'waived',
    );
    expect(() =>
      transitionTask(
        { status: 'ready' },
        { type: 'waive', reason: 'client has no backups', approver: 'Dana' },
        { ...met, unmetGates: ['backup-handoff'] },
      ),
    ).toThrow(GateNotSatisfiedError);
  });
});

describe('offboarding state machine', () => {
  const none = { openTasksBeforeEnd: [], openTasks: [] };

  it('goes planned -> active -> closing -> closed', () => {
    let s = transitionOffboarding({ status: 'planned' }, { type: 'activate' }, none);
    s = transitionOffboarding(s, { type: 'begin-closing' }, { openTasksBeforeEnd: [], openTasks: ['retention-deletion'] });
    expect(s.status).toBe('closing');
    s = transitionOffboarding(s, { type: 'close', departureReason: 'Moved to an in-house IT team' }, none);
    expect(s).toEqual({ status: 'closed', departureReason: 'Moved to an in-house IT team' });
  });

  it('cannot begin closing or close with open tasks', () => {
    expect(() =>
      transitionOffboarding(
        { status: 'active' },
        { type: 'begin-closing' },
        { openTasksBeforeEnd: ['dns-transfer'], openTasks: ['dns-transfer'] },
      ),
    ).toThrow(OpenTasksError);
    expect(() =>
      transitionOffboarding(
        { status: 'closing' },
        { type: 'close', departureReason: 'x' },
        { openTasksBeforeEnd: [], openTasks: ['retention-deletion'] },
      ),
    ).toThrow(/1 task is still open \(retention-deletion\)/);
  });

  it('is cancelled when the client stays, with a reason', () => {
    expect(transitionOffboarding({ status: 'active' }, { type: 'cancel', reason: 'Client renewed' }, none)).toEqual({
      status: 'cancelled',
      cancelReason: 'Client renewed',
    });
    expect(() => transitionOffboarding({ status: 'active' }, { type: 'cancel', reason: '' }, none)).toThrow(/reason is required/);
    expect(() => transitionOffboarding({ status: 'closed' }, { type: 'cancel', reason: 'late' }, none)).toThrow(InvalidTransitionError);
  });

  it('has no way out of closed or cancelled (property)', () => {
    const events: OffboardingEvent[] = [
      { type: 'activate' },
      { type: 'begin-closing' },
      { type: 'close', departureReason: 'gone' },
      { type: 'cancel', reason: 'stays' },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...OFFBOARDING_STATUSES), fc.constantFrom(...events), (status, event) => {
        try {
          const next = transitionOffboarding({ status }, event, none);
          expect(status === 'closed' || status === 'cancelled').toBe(false);
          expect(OFFBOARDING_STATUSES).toContain(next.status);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
        }
      }),
    );
  });

  it('refuses to complete without the evidence the playbook asks for, and waives a task without it', () => {
    const base = { openDependencies: [], unmetGates: [], missingEvidence: ['Screenshot of a failed login'] };
    expect(() => transitionTask({ status: 'in-progress' }, { type: 'complete' }, base)).toThrow(EvidenceRequiredError);
    expect(() => transitionTask({ status: 'in-progress' }, { type: 'complete' }, base)).toThrow(/Screenshot of a failed login/);
    // A task that does not apply needs no proof that it was done.
    expect(transitionTask({ status: 'ready' }, { type: 'waive', reason: 'no such system', approver: 'Dana' }, base).status).toBe('waived');
    expect(transitionTask({ status: 'ready' }, { type: 'complete' }, { ...base, missingEvidence: [] }).status).toBe('done');
  });

  it('refuses to complete before the agreed date, and allows it on the day (notBefore)', () => {
    const base = { openDependencies: [], unmetGates: [] };
    expect(() =>
      transitionTask({ status: 'ready' }, { type: 'complete' }, { ...base, notBefore: { date: '2026-03-31', today: '2026-03-30' } }),
    ).toThrow(TooEarlyError);
    expect(
      transitionTask({ status: 'ready' }, { type: 'complete' }, { ...base, notBefore: { date: '2026-03-31', today: '2026-03-31' } }).status,
    ).toBe('done');
  });
});
