/** The transparency log over the API: status, checkpoints, proofs, key rotation, evidence download. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeededMsp, seedMsp, testApp } from '../../test/app-fixture.ts';
import { closedOffboarding } from '../../test/log-fixture.ts';
import { createApiToken } from '../app/accounts/api-tokens.ts';
import type { App } from '../app/context.ts';
import { readBundle } from '../cli/log-commands.ts';
import { ed25519, sha256 } from '../crypto/node.ts';
import { verifyBundle } from '../domain/evidence-bundle.ts';
import { verifyConsistency } from '../domain/merkle.ts';
import { parseCheckpoint, parseVerifierKey } from '../domain/signed-note.ts';
import type { Database } from '../storage/db.ts';
import { testClock } from '../../test/app-fixture.ts';
import { createHttpApp } from './app.ts';

let app: App;
let database: Database;
let msp: SeededMsp;
let offboardingId: string;
let http: ReturnType<typeof createHttpApp>;
const tokens: Record<string, string> = {};
type Role = 'admin' | 'auditor' | 'technician';

beforeAll(async () => {
  ({ app, database } = await testApp());
  msp = await seedMsp(app);
  offboardingId = await closedOffboarding(app, msp, testClock());
  http = createHttpApp(app);
  for (const role of ['admin', 'auditor', 'technician'] as const)
    tokens[role] = (await createApiToken(app, msp.admin, { name: role, role })).token;
}, 60_000);
afterAll(() => database.close());

const call = (method: string, path: string, role: Role = 'auditor') =>
  http.request(path, { method, headers: { authorization: `Bearer ${tokens[role]}` } });
const body = async (res: Response) => (await res.json()) as Record<string, unknown>;
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('the log over the API', () => {
  it('shows the log to the auditor, not to a technician; proofs verify; bad sizes name the field', async () => {
    expect((await call('GET', '/api/log', 'technician')).status).toBe(403);
    const status = await body(await call('GET', '/api/log'));
    expect(status.size).toBeGreaterThan(50);
    expect((status.verifierKeys as { verifierKey: string }[])[0]?.verifierKey).toMatch(/^offboard\/[^+]+\+[0-9a-f]{8}\+/);
    const checkpoints = (await body(await call('GET', '/api/log/checkpoints'))).items as { size: number; note: string }[];
    const [a, b] = [checkpoints[0]!, checkpoints.at(-1)!];
    const proof = (await body(await call('GET', `/api/log/proofs/consistency?from=${a.size}&to=${b.size}`))).hashes as string[];
    const root = (note: string) => parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1)).root;
    verifyConsistency(sha256, a.size, b.size, proof.map(b64), root(a.note), root(b.note));
    const bad = await call('GET', `/api/log/proofs/inclusion?index=0&size=${Number(status.size) + 1}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('"path":"size"');
  });

  it('downloads an evidence bundle that verifies; only the admin rotates keys', async () => {
    const res = await call('GET', `/api/offboardings/${offboardingId}/evidence?includeFiles=true`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const status = await body(await call('GET', '/api/log'));
    const keys = (status.verifierKeys as { verifierKey: string }[]).map((k) => parseVerifierKey(sha256, k.verifierKey));
    expect(verifyBundle(readBundle(new Uint8Array(await res.arrayBuffer())), { keys, sha256, ed25519 })).toMatchObject({ valid: true });
    expect((await call('GET', `/api/offboardings/${offboardingId}/evidence`, 'technician')).status).toBe(403);
    expect((await call('POST', '/api/log/keys/rotate', 'auditor')).status).toBe(403);
    expect((await call('POST', '/api/log/keys/rotate', 'admin')).status).toBe(200);
    expect(((await body(await call('GET', '/api/log'))).verifierKeys as unknown[]).length).toBe(2);
  });
});
