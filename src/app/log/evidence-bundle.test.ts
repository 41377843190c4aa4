/**
 * Evidence bundles under attack: the structural attacks (dropped, reordered or repeated events,
 * a dropped tail, a forked or stale checkpoint, an off-by-one index) and the CLI's exit codes.
 * Every single-byte change and the fuzzing are in evidence-bundle.exhaustive.test.ts
 * (`npm run test:exhaustive`).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededMsp } from '../../../test/app-fixture.ts';
import { bundleMaterial, reason, text, verifyWith, withFile } from '../../../test/bundle-fixture.ts';
import { dropLastEvents } from '../../../test/log-fixture.ts';
import { run } from '../../cli/main.ts';
import { ed25519, privateKeyFromPkcs8, sha256 } from '../../crypto/node.ts';
import { canonicalJson } from '../../domain/audit.ts';
import { type VerifierKey, formatCheckpoint, parseCheckpoint, signNote } from '../../domain/signed-note.ts';
import type { Database } from '../../storage/db.ts';
import { logRepo } from '../../storage/log-repository.ts';
import type { App } from '../context.ts';

let app: App;
let database: Database;
let msp: SeededMsp;
let keys: VerifierKey[];
let small: Map<string, Uint8Array>;
let full: Map<string, Uint8Array>;
let closing: string;

beforeAll(async () => {
  ({ app, database, msp, keys, small, full, closing } = await bundleMaterial());
}, 60_000);
afterAll(async () => {
  await database.close();
});

const utf8 = new TextEncoder();
const verify = (files: ReadonlyMap<string, Uint8Array>, knownCheckpoint?: string) => verifyWith(keys, files, knownCheckpoint);

describe('evidence bundle verification', () => {
  it('accepts the real bundles as exported', () => {
    expect(verify(small)).toMatchObject({ valid: true });
    expect(verify(full, closing)).toMatchObject({ valid: true });
  });

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
    const [row] = await database.query<{ attachments: { content: string }[] }>(
      "select attachments from notifications where tenant_id = $1 and kind = 'client-checkpoint'",
      [msp.tenantId],
    );
    const clientCopy = row!.attachments[0]!.content;
    expect(verify(full, clientCopy)).toMatchObject({ valid: true });
    // An MSP holding the key could re-sign the bundle's own head; the client's copy still catches the missing events.
    const key = (await logRepo.activeKey(database.db, msp.tenantId))!;
    const finalCp = parseCheckpoint(text(full.get('head.checkpoint')).split('\n\n')[0]! + '\n');
    const remaining = lines.slice(0, closedAt);
    const lastSeq = seqOf(remaining[remaining.length - 1]!);
    const forgedHead = signNote(
      sha256,
      ed25519,
      formatCheckpoint({
        ...finalCp,
        extensions: [`offboard-head ${finalCp.extensions[0]!.split(' ')[1]} ${remaining.length} ${lastSeq}`],
      }),
      key.name,
      new Uint8Array(key.publicKey),
      privateKeyFromPkcs8(app.secrets!.open(key.sealedPrivateKey)),
    );
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
    expect(
      reason(verify(manifestWith(withFile(full, 'events.jsonl', repeated.join('\n') + '\n'), (m) => (m.events = repeated.length)))),
    ).toMatch(/dropped, repeated or reordered/);
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
    return signNote(
      sha256,
      ed25519,
      body,
      key.name,
      new Uint8Array(key.publicKey),
      privateKeyFromPkcs8(app.secrets!.open(key.sealedPrivateKey)),
    );
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
    expect(good.out).toMatch(
      /authorization to hand over to the new provider of Carla Client <carla@harbor.example>, signed on paper on 2026-03-03, recorded from a signed document.*\(by amy, account manager\)/,
    );
    expect(good.out).not.toMatch(/signed by Carla/);
    // A completion is described by what backs it, never by what its title claims.
    expect(good.out).toMatch(/"Inventory every credential we hold" marked done with 1 evidence file \[credential-inventory\]/);
    expect(good.out).not.toMatch(/removed from every device|authorization obtained/);
    expect(good.out).toMatch(
      /"Tell everyone who touches the account" marked done with no evidence attached \(the evidence requirement waived by [^,]+, admin because Announced at the Monday stand-up; nothing written\)/,
    );
    // People by name and the role they held then, never by id (issue 11, point 9).
    expect(good.out).toMatch(/offboarding started \(provider switch.*\(by amy, account manager\)/);
    expect(good.out).toMatch(/evidence "inventory.csv" attached.*\(by tom, technician\)/);
    expect(good.out).not.toMatch(/user:/);
    const bad = await cli(['verify', write('bad.zip', withFile(full, 'events.jsonl', events().reverse().join('\n') + '\n')), ...keyArgs]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^INVALID: /);
    writeFileSync(join(dir, 'junk.zip'), 'not a zip at all');
    expect((await cli(['verify', join(dir, 'junk.zip'), ...keyArgs])).code).toBe(2);
    expect((await cli(['verify', join(dir, 'good.zip'), '--key', 'not-a-key'])).code).toBe(2);
    expect((await cli(['verify', join(dir, 'missing.zip'), ...keyArgs])).code).toBe(2);
  }, 60_000);
});
