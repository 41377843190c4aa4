/**
 * The client's copy of the log: the termination acknowledgement carries the verifier key, and at
 * close the signed checkpoint reaches the client's authorized contact through a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waiveAllAndClose } from '../../test/log-fixture.ts';
import { startSmtp } from '../../test/smtp-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { logStatus } from '../app/transparency-log.ts';
import { ed25519, sha256 } from '../crypto/node.ts';
import { parseCheckpoint, parseVerifierKey, verifyNote } from '../domain/signed-note.ts';
import { type Mailer, createMailer } from '../integrations/email/mailer.ts';
import { logRepo } from '../storage/log-repository.ts';

let h: WorkerHarness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;

beforeAll(async () => {
  smtp = await startSmtp(() => h.clock());
  mailer = createMailer({ url: smtp.url, from: 'Acme MSP <offboarding@acme.example>' });
  h = await workerHarness({ mailer, chat: true });
});
afterAll(async () => {
  mailer.close();
  await h.close();
  await smtp.close();
});

describe(`the client's copy of the log (${testDatabaseKind})`, () => {
  it('sends the verifier key with the acknowledgement, and the signed closing checkpoint at close', { timeout: 60_000 }, async () => {
    await h.day('2026-03-02');
    const status = await logStatus(h.app, h.msp.tenantId);
    const vkey = status.verifierKeys.find((k) => k.active)!.verifierKey;
    const ack = smtp.received.find((m) => m.subject.startsWith('We received your notice'));
    expect(ack?.text).toContain(vkey);

    h.clock.set('2026-04-01T15:00:00Z');
    await waiveAllAndClose(h.app, h.msp, h.offboardingId);
    await h.day('2026-04-01');
    const closing = (await logRepo.checkpoints(h.database.db, h.msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!;
    const mails = smtp.received.filter((m) => m.subject.startsWith('Your offboarding record: signed checkpoint'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toContain('carla@harbor.example');
    const text = mails[0]!.text;
    expect(text).toContain(vkey);
    // The checkpoint in the email is the signed note itself: it verifies with the key, and is the close checkpoint.
    const note = `${text.slice(text.indexOf('--- checkpoint ---\n') + 19, text.indexOf('\n--- end of checkpoint ---'))}\n`;
    expect(note).toBe(closing.note);
    expect(parseCheckpoint(verifyNote(ed25519, note, [parseVerifierKey(sha256, vkey)]).text).size).toBe(closing.size);
    // Sent once, however often the tick runs.
    await h.day('2026-04-02');
    expect(smtp.received.filter((m) => m.subject.startsWith('Your offboarding record')).length).toBe(1);
  });
});
