/**
 * `offboard rehearse` and the server run the same escalation policy: walking the same case day
 * by day, completing the same tasks on the same days, they send the same notifications (the
 * same deterministic keys).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { STATEMENT_FOR_GATE, completeWithProof, recordFromDocument } from '../../test/app-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import type { Actor } from '../app/context.ts';
import { loadOffboarding } from '../app/offboardings/offboarding-facts.ts';
import { BusinessCalendar } from '../domain/calendar.ts';
import { parsePlaybook } from '../domain/playbook.ts';
import { calendarOf } from '../domain/planner.ts';
import { rehearse } from '../domain/rehearsal.ts';
import type { Gate } from '../domain/vocabulary.ts';

let h: WorkerHarness;

beforeAll(async () => {
  h = await workerHarness({ offboarding: { revocationDate: '2026-03-27' } });
});
afterAll(async () => {
  await h.close();
});

const CUTOFF = '2026-04-03';
const LATE = { 'dns-transfer': 6, 'backup-transition': 3 };
// The client signs two business days after its task was due; the new provider proves a backup
// late; nobody ever attests replacement coverage: reminders go to the new provider once the
// client's authorization names it, and escalate.
const SIGNED: Partial<Record<Gate, string>> = { authorization: '2026-03-06', 'backup-handoff': '2026-03-18' };

describe(`rehearsal and server agree (${testDatabaseKind})`, () => {
  it('sends the same notifications for the same case and the same signatures', { timeout: 120_000 }, async () => {
    const { app, database, msp, offboardingId: id } = h;
    const actor: Actor = msp.as('admin');
    const start = await loadOffboarding(database.db, msp.tenantId, id);
    const playbook = parsePlaybook(start.offboarding.playbookSnapshot);
    const notifications = rehearse(playbook, start.facts, { late: LATE, signed: SIGNED, offboardingId: id })
      .days.filter((d) => d.date <= CUTOFF)
      .flatMap((d) => d.events.flatMap((e) => (e.type === 'notification' ? [e.notification] : [])));
    const expected = notifications.map((n) => n.key).sort();
    expect(expected.length).toBeGreaterThan(40);
    // The comparison covers what goes to the parties: the client, and the new provider once authorized.
    const partyOf = (n: (typeof notifications)[number]) => (n.recipient.role === 'external-party' ? n.recipient.party : null);
    expect(notifications.filter((n) => partyOf(n) === 'new-provider').length).toBeGreaterThan(2);
    expect(notifications.filter((n) => partyOf(n) === 'client').length).toBeGreaterThan(2);

    const cal = calendarOf(start.facts);
    const finishOn = new Map(start.tasks.map((t) => [t.key, cal.addBusinessDays(t.due, LATE[t.key as keyof typeof LATE] ?? 0)] as const));
    const attest = (gate: Gate) => recordFromDocument(app, actor, id, STATEMENT_FOR_GATE[gate]);

    for (let date = '2026-03-02'; date <= CUTOFF; date = new BusinessCalendar().addDays(date, 1)) {
      // 10:00 in New York: the day's notifications (sent at 09:00) go out.
      await h.day(date);
      // Midday: the statements signed today arrive (after the morning's reminders, as in the rehearsal).
      const signing = (Object.entries(SIGNED) as [Gate, string][]).filter(([, on]) => on === date);
      if (signing.length > 0) h.clock.set(new Date(`${date}T16:30:00Z`).toISOString());
      for (const [gate] of signing) await attest(gate);
      if (!cal.isBusinessDay(date)) continue;
      // 17:00: everything due today (or as late as planned) is done, as in the rehearsal.
      h.clock.set(new Date(`${date}T22:00:00Z`).toISOString());
      for (let changed = true; changed;) {
        changed = false;
        const loaded = await loadOffboarding(database.db, msp.tenantId, id);
        const onFile = new Set(loaded.attestations.map((a) => a.gate));
        for (const t of loaded.tasks) {
          if ((t.status !== 'ready' && t.status !== 'in-progress') || (finishOn.get(t.key) as string) > date) continue;
          if ((t.gates as Gate[]).some((gate) => !onFile.has(gate))) continue;
          await completeWithProof(app, actor, t.id);
          changed = true;
          break;
        }
      }
    }

    // Task notifications: the start messages (no task) are not the policy's, and the rehearsal has none.
    const rows = await database.query<{ key: string }>(
      'select distinct key from notifications where offboarding_id = $1 and task_id is not null and fire_at < $2',
      [id, `${CUTOFF}T23:59:59Z`],
    );
    expect(rows.map((r) => r.key).sort()).toEqual(expected);
  });
});
