/**
 * The client's copy of the log: the termination acknowledgement carries the verifier key, and at
 * close the signed checkpoint reaches the client's authorized contact through a real SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waiveAllAndClose } from '../../test/log-fixture.ts';
import { startSmtp } from '../../test/smtp-fixture.ts';
import { type WorkerHarness, workerHarness } from '../../test/worker-fixture.ts';
import { testDatabaseKind } from '../../test/db.ts';
import { logStatus } from '../app/log/transparency-log.ts';
import { ed25519, sha256 } from '../crypto/node.ts';
import { KEY_TYPES, normalizePastedNote, parseCheckpoint, parseVerifierKey, verifyNote } from '../domain/signed-note.ts';
import { addWitness, listWitnesses } from '../app/log/witnesses.ts';
import { startWitness } from '../witness/server.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headsOf, verifyBundle } from '../domain/evidence-bundle.ts';
import { exportEvidence } from '../app/log/export-evidence.ts';
import { unzipSync } from 'fflate';
import { dropLastEvents } from '../../test/log-fixture.ts';
import { type Mailer, createMailer } from '../integrations/email/mailer.ts';
import { logRepo } from '../storage/log-repository.ts';

let h: WorkerHarness;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let mailer: Mailer;
const witnessDir = mkdtempSync(join(tmpdir(), 'offboard-witness-'));
let closeWitness: (() => Promise<void>) | undefined;

beforeAll(async () => {
  smtp = await startSmtp(() => h.clock());
  mailer = createMailer({ url: smtp.url, from: 'Acme MSP <offboarding@acme.example>' });
  h = await workerHarness({ mailer, chat: true });
});
afterAll(async () => {
  await closeWitness?.();
  rmSync(witnessDir, { recursive: true, force: true });
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

    // A witness the MSP added: the scheduler sends it each new checkpoint (a job per witness and size).
    const witness = await startWitness({ dataDir: witnessDir, name: 'witness.client.example', logs: [vkey], host: '127.0.0.1', port: 0 });
    closeWitness = witness.close;
    const added = await addWitness(h.app, h.msp.admin, {
      name: "The client's witness",
      url: witness.url,
      verifierKey: witness.verifierKey,
    });

    h.clock.set('2026-04-01T15:00:00Z');
    // A second signer whose mailbox the SMTP server refuses (550): the record must say so, not "sent".
    await h.database.query(
      `update clients set contacts = contacts || '[{"name": "Nobody", "email": "nobody@harbor.example", "authorizedSigner": true}]'::jsonb where id = $1`,
      [h.msp.clientId],
    );
    await waiveAllAndClose(h.app, h.msp, h.offboardingId);
    await h.day('2026-04-01');
    const closing = (await logRepo.checkpoints(h.database.db, h.msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!;
    // The tick sent the witness the newest checkpoint, and it cosigned it.
    const newest = (await logRepo.checkpoints(h.database.db, h.msp.tenantId)).at(-1)!;
    expect((await listWitnesses(h.app, h.msp.admin)).find((w) => w.id === added.id)?.cosignedSize).toBe(newest.size);
    const mails = smtp.received.filter((m) => m.subject.startsWith('Your offboarding record: signed checkpoint'));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toContain('carla@harbor.example');
    const text = mails[0]!.text;
    expect(text).toContain(vkey);
    const key = parseVerifierKey(sha256, vkey);
    // The attachment is the signed note exactly as signed: the close checkpoint with the offboarding's head.
    const attached = mails[0]!.attachments.find((a) => a.filename === `offboarding-checkpoint-${closing.size}.txt`);
    expect(attached?.contentType).toMatch(/^text\/plain/);
    const note = attached!.content.toString('utf8');
    const cp = parseCheckpoint(verifyNote(ed25519, note, [key]).text);
    expect(cp).toMatchObject({ size: closing.size, root: parseCheckpoint(verifyNote(ed25519, closing.note, [key]).text).root });
    expect(headsOf(cp.extensions)).toEqual([expect.objectContaining({ offboarding: h.offboardingId })]);
    // The same note in the text, as a client copies it out of a mail client: CRLF, trailing spaces, markers and all.
    const pasted = text.slice(text.indexOf('--- checkpoint ---'), text.indexOf('--- end of checkpoint ---') + 25).replace(/\n/g, ' \r\n');
    expect(normalizePastedNote(pasted)).toBe(note);

    // The evidence bundle verifies against either copy; with the tail of the offboarding dropped it does not.
    const bundle = unzipSync((await exportEvidence(h.app, h.msp.admin, h.offboardingId)).zip);
    const files = new Map(Object.entries(bundle));
    const options = { keys: [key], sha256, ed25519 };
    for (const known of [note, pasted, text]) expect(verifyBundle(files, { ...options, knownCheckpoint: known }).valid).toBe(true);
    const withoutTail = dropLastEvents(files, 3);
    const verdict = verifyBundle(withoutTail, { ...options, knownCheckpoint: pasted });
    expect(verdict.valid).toBe(false);
    expect(verdict.problems.join(' ')).toMatch(/left out/);
    // The record says what became of the email: queued at close, then accepted by the mail server.
    const words = verifyBundle(files, { ...options, witnesses: [parseVerifierKey(sha256, witness.verifierKey, KEY_TYPES.cosignature)] });
    expect(words.valid).toBe(true);

    expect(words.facts.some((f) => /queued for email to carla@harbor.example/.test(f))).toBe(true);
    expect(words.summary.join(' ')).toMatch(/client's copy of checkpoint \d+ for carla@harbor.example: accepted by the mail server/);
    expect(words.summary.join(' ')).toMatch(/client's copy of checkpoint \d+ for nobody@harbor.example: delivery FAILED .*550/);
    expect(words.facts.some((f) => /client-checkpoint by email to nobody@harbor.example could not be delivered/.test(f))).toBe(true);
    // Sent once, however often the tick runs.
    await h.day('2026-04-02');
    expect(smtp.received.filter((m) => m.subject.startsWith('Your offboarding record')).length).toBe(1);
  });
});
