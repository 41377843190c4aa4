/**
 * The material of the evidence bundle tests: two real bundles (a whole closed offboarding's, and
 * a small one of an offboarding still running) with their keys, and the helpers that tamper
 * with them and ask the verifier.
 */
import { ed25519, sha256 } from '../src/crypto/node.ts';
import { readBundle } from '../src/domain/bundle-verifier.ts';
import { exportEvidence } from '../src/app/log/export-evidence.ts';
import { logStatus } from '../src/app/log/transparency-log.ts';
import type { App } from '../src/app/context.ts';
import { MalformedBundle, type Verdict, verifyBundle } from '../src/domain/evidence-bundle.ts';
import { type VerifierKey, parseVerifierKey } from '../src/domain/signed-note.ts';
import type { Database } from '../src/storage/db.ts';
import { logRepo } from '../src/storage/log-repository.ts';
import { type SeededMsp, type TestClock, seedMsp, testApp } from './app-fixture.ts';
import { closedOffboarding } from './log-fixture.ts';

export type BundleMaterial = {
  app: App;
  database: Database;
  clock: TestClock;
  msp: SeededMsp;
  keys: VerifierKey[];
  small: Map<string, Uint8Array>;
  full: Map<string, Uint8Array>;
  /** The plain checkpoint signed at the full offboarding's close. */
  closing: string;
};

export async function bundleMaterial(): Promise<BundleMaterial> {
  const { app, database, clock } = await testApp();
  const msp = await seedMsp(app);
  const fullId = await closedOffboarding(app, msp, clock);
  const closing = (await logRepo.checkpoints(database.db, msp.tenantId)).find((c) => c.reason === 'offboarding-closed')!.note;
  const full = readBundle((await exportEvidence(app, msp.admin, fullId, { includeFiles: true })).zip);
  const other = await seedMsp(app, 'Small MSP');
  const smallId = await closedOffboarding(app, other, clock, { close: false });
  const small = readBundle((await exportEvidence(app, other.admin, smallId, { includeFiles: true })).zip);
  const keys = [...(await logStatus(app, msp.tenantId)).verifierKeys, ...(await logStatus(app, other.tenantId)).verifierKeys].map((k) =>
    parseVerifierKey(sha256, k.verifierKey),
  );
  return { app, database, clock, msp, keys, small, full, closing };
}

const utf8 = new TextEncoder();
export const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

export function verifyWith(
  keys: readonly VerifierKey[],
  files: ReadonlyMap<string, Uint8Array>,
  knownCheckpoint?: string,
): Verdict | 'malformed' {
  try {
    return verifyBundle(files, { keys, knownCheckpoint, sha256, ed25519 });
  } catch (e) {
    if (e instanceof MalformedBundle) return 'malformed';
    throw e;
  }
}
export const rejected = (v: Verdict | 'malformed') => v === 'malformed' || !v.valid;
export const reason = (v: Verdict | 'malformed') => (v === 'malformed' ? 'malformed' : v.problems.join('; '));

export function withFile(files: Map<string, Uint8Array>, name: string, content: Uint8Array | string | null): Map<string, Uint8Array> {
  const next = new Map(files);
  if (content === null) next.delete(name);
  else next.set(name, typeof content === 'string' ? utf8.encode(content) : content);
  return next;
}

/** Bytes of manifest.json inside the exportedAt value: informational, the one field nothing can check. */
export function allowListed(name: string, bytes: Uint8Array): (i: number) => boolean {
  if (name === 'README.txt') return () => true;
  if (name !== 'manifest.json') return () => false;
  const s = text(bytes);
  const start = s.indexOf('"exportedAt":"') + '"exportedAt":"'.length;
  const end = s.indexOf('"', start);
  return (i) => i >= start && i < end;
}

/** What `offboard verify` says of an offboarding's evidence bundle, as exported now: its summary and facts, one line each. */
export async function verifiedWords(
  app: App,
  actor: Parameters<typeof exportEvidence>[1],
  offboardingId: string,
  includeFiles = false,
): Promise<string> {
  const bundle = readBundle((await exportEvidence(app, actor, offboardingId, { includeFiles })).zip);
  const keys = (await logStatus(app, actor.tenantId)).verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey));
  const verdict = verifyWith(keys, bundle);
  if (verdict === 'malformed') throw new Error('the bundle is malformed');
  return [...verdict.summary, ...verdict.facts].join('\n');
}
