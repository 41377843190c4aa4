/**
 * Evidence bundles under attack: every single-byte change of every file of a real bundle, and
 * the structural attacks (dropped, reordered or repeated events, a forked or stale checkpoint,
 * an off-by-one index). Also the CLI's exit codes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, type TestClock, seedMsp, testApp } from '../../test/app-fixture.ts';
import { closedOffboarding, dropLastEvents } from '../../test/log-fixture.ts';
import { run } from '../cli/main.ts';
import { readBundle } from '../cli/log-commands.ts';
import { ed25519, privateKeyFromPkcs8, sha256 } from '../crypto/node.ts';
import { canonicalJson } from '../domain/audit.ts';
import { MalformedBundle, type Verdict, verifyBundle } from '../domain/evidence-bundle.ts';
import { type VerifierKey, formatCheckpoint, parseCheckpoint, parseVerifierKey, signNote } from '../domain/signed-note.ts';
import type { Database } from '../storage/db.ts';
import { logRepo } from '../storage/log-repository.ts';
import type { App } from './context.ts';
import { exportEvidence } from './export-evidence.ts';
import { logStatus } from './transparency-log.ts';

let app: App;
let database: Database;
let clock: TestClock;
let msp: SeededMsp;
let keys: VerifierKey[];
let small: Map<string, Uint8Array>;
let full: Map<string, Uint8Array>;
let closing: string;

beforeAll(async () => {
  ({ app, database, clock } = await testApp());
  msp = await seedMsp(app);
  const fullId = await closedOffboarding(app, msp, clock);
  closing = (await logRepo.checkpoints(database.db, msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!.note;
  full = readBundle((await exportEvidence(app, msp.admin, fullId, { includeFiles: true })).zip);
  const other = await seedMsp(app, 'Small MSP');
  const smallId = await closedOffboarding(app, other, clock, { close: false });
  small = readBundle((await exportEvidence(app, other.admin, smallId, { includeFiles: true })).zip);
  keys = [...(await logStatus(app, msp.tenantId)).verifierKeys, ...(await logStatus(app, other.tenantId)).verifierKeys].map((k) => parseVerifierKey(sha256, k.verifierKey));
}, 60_000);
afterAll(async () => {
  await database.close();
});

const utf8 = new TextEncoder();
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

function verify(files: ReadonlyMap<string, Uint8Array>, knownCheckpoint?: string): Verdict | 'malformed' {
  try {
    return verifyBundle(files, { keys, knownCheckpoint, sha256, ed25519 });
  } catch (e) {
    if (e instanceof MalformedBundle) return 'malformed';
    throw e;
  }
}
const rejected = (v: Verdict | 'malformed') => v === 'malformed' || !v.valid;
const reason = (v: Verdict | 'malformed') => (v === 'malformed' ? 'malformed' : v.problems.join('; '));

function withFile(files: Map<string, Uint8Array>, name: string, content: Uint8Array | string | null): Map<string, Uint8Array> {
  const next = new Map(files);
  if (content === null) next.delete(name);
  else next.set(name, typeof content === 'string' ? utf8.encode(content) : content);
  return next;
}

/** Bytes of manifest.json inside the exportedAt value: informational, the one field nothing can check. */
function allowListed(name: string, bytes: Uint8Array): (i: number) => boolean {
  if (name === 'README.txt') return () => true;
  if (name !== 'manifest.json') return () => false;
  const s = text(bytes);
  const start = s.indexOf('"exportedAt":"') + '"exportedAt":"'.length;
  const end = s.indexOf('"', start);
  return (i) => i >= start && i < end;
}

describe('evidence bundle verification', () => {
  it('accepts the real bundles as exported', () => {
    expect(verify(small)).toMatchObject({ valid: true });
    expect(verify(full, closing)).toMatchObject({ valid: true });
  });

  it('rejects every single-byte change of every file of a bundle, except the documented allow-list', () => {
    let tried = 0;
    let allowed = 0;
    for (const [name, bytes] of small) {
      const isAllowed = allowListed(name, bytes);
      for (let i = 0; i < bytes.length; i++) {
        const changed = bytes.slice();
        changed[i] = changed[i]! ^ 0x01;
        const verdict = verify(withFile(small, name, changed));
        if (isAllowed(i)) {
          allowed++;
          continue;
        }
        tried++;
        if (!rejected(verdict)) throw new Error(`flipping byte ${i} of ${name} still verifies`);
      }
    }
    expect(tried).toBeGreaterThan(5000);
    expect(allowed).toBeLessThan(1500);
  }, 120_000);

  it('rejects random single-byte changes of a whole closed offboarding\'s bundle (property)', () => {
    const names = [...full.keys()].filter((n) => n !== 'README.txt');
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), fc.integer({ min: 1, max: 255 }), (name, at, xor) => {
        const bytes = full.get(name)!;
        const i = at % bytes.length;
        if (allowListed(name, bytes)(i)) return;
        const changed = bytes.slice();
        changed[i] = changed[i]! ^ xor;
        expect(rejected(verify(withFile(full, name, changed)))).toBe(true);
      }),
      { numRuns: 1500 },
    );
  }, 120_000);

  const events = () => text(full.get('events.jsonl')).slice(0, -1).split('\n');
  const manifestWith = (files: Map<string, Uint8Array>, change: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(text(files.get('manifest.json'))) as Record<string, unknown>;
    change(m);
    return withFile(files, 'manifest.json', canonicalJson(m));
  };
  const seqOf = (line: string) => (JSON.parse(line) as { seq: number }).seq;

  it('rejects a dropped event, even with its proof and the count removed too', () => {
    const lines = events();
    const dropped = lines[3]!;
    let files = withFile(full, 'events.jsonl', lines.filter((l) => l !== dropped).join('\n') + '\n');
    files = withFile(files, `proofs/${seqOf(dropped)}.tlog-proof`, null);
    files = manifestWith(files, (m) => (m.events = lines.length - 1));
    expect(reason(verify(files))).toMatch(/dropped, repeated or reordered/);
  });

  it("rejects a bundle with the tail of the offboarding dropped (proofs and count fixed), with and without the client's copy", async () => {
    const lines = events();
    const closedAt = lines.findIndex((l) => (JSON.parse(l) as { action: string }).action === 'offboarding.closed');
    expect(closedAt).toBeGreaterThan(0);
    const cut = dropLastEvents(full, lines.length - closedAt);
    expect(reason(verify(cut))).toMatch(/signed head .* says \d+ ending at \d+ \(events left out at the end\?\)/);
    // Even with the head file taken from a bundle made before the close: its checkpoint is not the bundle's final one.
    expect(reason(verify(cut, closing))).toMatch(/left out/);
    // The client's copy (the attachment of the closing email) names the head at close.
    const [row] = await database.query<{ attachments: { content: string }[] }>("select attachments from notifications where tenant_id = $1 and kind = 'client-checkpoint'", [msp.tenantId]);
    const clientCopy = row!.attachments[0]!.content;
    expect(verify(full, clientCopy)).toMatchObject({ valid: true });
    // An MSP holding the key could re-sign the bundle's own head; the client's copy still catches the missing events.
    const key = (await logRepo.activeKey(database.db, msp.tenantId))!;
    const finalCp = parseCheckpoint(text(full.get('head.checkpoint')).split('\n\n')[0]! + '\n');
    const remaining = lines.slice(0, closedAt);
    const lastSeq = seqOf(remaining[remaining.length - 1]!);
    const forgedHead = signNote(sha256, ed25519, formatCheckpoint({ ...finalCp, extensions: [`offboard-head ${finalCp.extensions[0]!.split(' ')[1]} ${remaining.length} ${lastSeq}`] }), key.name, new Uint8Array(key.publicKey), privateKeyFromPkcs8(app.secrets!.open(key.sealedPrivateKey)));
    const resigned = withFile(cut, 'head.checkpoint', forgedHead);
    expect(verify(resigned)).toMatchObject({ valid: true }); // what the MSP alone can make...
    expect(reason(verify(resigned, clientCopy))).toMatch(/the checkpoint you hold says the offboarding had \d+ events/); // ...and what the client's copy refuses
  });

  it('rejects reordered and repeated events', () => {
    const lines = events();
    const swapped = [...lines];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    expect(reason(verify(withFile(full, 'events.jsonl', swapped.join('\n') + '\n')))).toMatch(/dropped, repeated or reordered/);
    const repeated = [...lines.slice(0, 6), lines[5]!, ...lines.slice(6)];
    expect(reason(verify(manifestWith(withFile(full, 'events.jsonl', repeated.join('\n') + '\n'), (m) => (m.events = repeated.length))))).toMatch(/dropped, repeated or reordered/);
  });

  it('rejects an off-by-one index in an inclusion proof', () => {
    const seq = seqOf(events()[2]!);
    const name = `proofs/${seq}.tlog-proof`;
    const proof = text(full.get(name)).replace(`\nindex ${seq - 1}\n`, `\nindex ${seq}\n`);
    expect(reason(verify(withFile(full, name, proof)))).toMatch(/index \d+ is not event/);
  });

  async function signedCheckpoint(size: number, root: Uint8Array): Promise<string> {
    const key = (await logRepo.activeKey(database.db, msp.tenantId))!;
    const body = formatCheckpoint({ origin: `offboard/${msp.tenantId}`, size, root, extensions: [] });
    return signNote(sha256, ed25519, body, key.name, new Uint8Array(key.publicKey), privateKeyFromPkcs8(app.secrets!.open(key.sealedPrivateKey)));
  }

  it('rejects a forked checkpoint, in the bundle or held by the client', async () => {
    const held = parseCheckpoint(closing.slice(0, closing.indexOf('\n\n') + 1));
    const forked = await signedCheckpoint(held.size, sha256(utf8.encode('another history')));
    expect(reason(verify(full, forked))).toMatch(/forked log/);
    expect(reason(verify(withFile(full, `checkpoints/${held.size}.checkpoint`, forked)))).toMatch(/not an extension|forked/);
  });

  it('rejects a stale bundle: the client holds a later checkpoint than the bundle ends with', async () => {
    const m = JSON.parse(text(full.get('manifest.json'))) as { checkpoints: number[] };
    const later = await signedCheckpoint(m.checkpoints.at(-1)! + 5, sha256(utf8.encode('later')));
    expect(reason(verify(full, later))).toMatch(/stale/);
  });

  it('the zip reader and the bundle verifier answer any input with a verdict or MalformedBundle, never a crash (fuzz)', () => {
    const names = [...small.keys()];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          readBundle(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedBundle);
        }
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), (name, content) => {
        const v = verify(withFile(small, name, content));
        expect(rejected(v) || name === 'README.txt').toBe(true);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('offboard verify exits 0 valid, 1 invalid, 2 malformed, and says what the bundle proves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-verify-'));
    const write = (name: string, files: Map<string, Uint8Array>) => {
      const path = join(dir, name);
      writeFileSync(path, zipSync(Object.fromEntries(files)));
      return path;
    };
    writeFileSync(join(dir, 'closing.checkpoint'), closing);
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const code = await run(args, { out: (t) => out.push(t), err: (t) => out.push(t) });
      return { code, out: out.join('') };
    };
    const keyArgs = keys.flatMap((k) => ['--key', k.vkey]);
    const good = await cli(['verify', write('good.zip', full), ...keyArgs, '--known-checkpoint', join(dir, 'closing.checkpoint')]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/^VALID/);
    expect(good.out).toMatch(/written authorization from Carla Client/);
    const bad = await cli(['verify', write('bad.zip', withFile(full, 'events.jsonl', events().reverse().join('\n') + '\n')), ...keyArgs]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^INVALID: /);
    writeFileSync(join(dir, 'junk.zip'), 'not a zip at all');
    expect((await cli(['verify', join(dir, 'junk.zip'), ...keyArgs])).code).toBe(2);
    expect((await cli(['verify', join(dir, 'good.zip'), '--key', 'not-a-key'])).code).toBe(2);
    expect((await cli(['verify', join(dir, 'missing.zip'), ...keyArgs])).code).toBe(2);
  }, 60_000);
});
