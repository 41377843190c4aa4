/**
 * Crash safety: kill -9 the server during a stream of task completions. After a restart, every
 * completion that was answered 2xx is there with its audit event, and no task is done without
 * its audit event (or the other way round).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, testDataDir, testDatabaseKind } from '../../test/db.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'offboard-crash-'));
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

async function freshPostgres(): Promise<void> {
  const fresh = await freshPostgresDatabase(process.env.TEST_DATABASE_URL as string, 'offboard_crash');
  databaseUrl = fresh.url;
  dropDatabase = fresh.drop;
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, OFFBOARD_DEMO: '1', LOG_LEVEL: 'warn', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /running at (http:\/\/[^\s]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase?.();
});

describe(`crash safety (${testDatabaseKind})`, () => {
  it('keeps every acknowledged completion, with its audit event, across kill -9', { timeout: 120_000 }, async () => {
    if (testDatabaseKind === 'postgres') await freshPostgres();
    else await testDataDir(dataDir);
    let server = await startServer();
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@acme-it.example', password: 'offboard-demo' }),
    });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const token = (
      (await (
        await fetch(`${server.url}/api/tokens`, {
          method: 'POST',
          headers: { cookie, origin: server.url, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'crash test', role: 'admin' }),
        })
      ).json()) as { token: string }
    ).token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    // Open offboardings for the two other demo clients too, for a longer stream of ready tasks.
    const clients = (
      (await (await fetch(`${server.url}/api/clients`, { headers: auth })).json()) as { items: { id: string; status: string }[] }
    ).items;
    for (const c of clients.filter((x) => x.status === 'active')) {
      const r = await fetch(`${server.url}/api/offboardings`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ clientId: c.id, type: 'insourced', noticeDate: '2026-11-02', endDate: '2026-12-31' }),
      });
      expect(r.status).toBe(201);
    }
    const offboardings = ((await (await fetch(`${server.url}/api/offboardings`, { headers: auth })).json()) as { items: { id: string }[] })
      .items;
    const ready: string[] = [];
    for (const o of offboardings) {
      const detail = (await (await fetch(`${server.url}/api/offboardings/${o.id}`, { headers: auth })).json()) as {
        tasks: { id: string; status: string; gates: string[] }[];
      };
      ready.push(...detail.tasks.filter((t) => t.status === 'ready' && t.gates.length === 0).map((t) => t.id));
    }
    expect(ready.length).toBeGreaterThan(20);
    // Each with the evidence its playbook asks for, as staff attach it before completing.
    for (const id of ready) {
      const form = new FormData();
      form.append('file', new File([new TextEncoder().encode(`proof for ${id}`)], 'proof.png', { type: 'image/png' }));
      const r = await fetch(`${server.url}/api/tasks/${id}/evidence`, {
        method: 'POST',
        headers: { authorization: auth.authorization },
        body: form,
      });
      expect(r.status).toBe(201);
    }

    // Stream completions four at a time; kill -9 once ten have been acknowledged.
    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    let killed = false;
    const queue = [...ready];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !killed; id = queue.shift()) {
        attempted.add(id);
        try {
          const r = await fetch(`${server.url}/api/tasks/${id}/complete`, { method: 'POST', headers: auth, body: '{}' });
          if (r.status === 200) acknowledged.add(id);
          if (acknowledged.size >= 10 && !killed) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        } catch {
          // The connection died with the server: this completion was not acknowledged.
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const dead = server.child;
    if (dead.exitCode === null && dead.signalCode === null) await new Promise((resolve) => dead.once('exit', resolve));
    expect(killed).toBe(true);

    server = await startServer();
    try {
      // Read through the restarted server (PGlite allows one process on its folder at a time).
      const done = new Set<string>();
      for (const o of offboardings) {
        const detail = (await (await fetch(`${server.url}/api/offboardings/${o.id}`, { headers: auth })).json()) as {
          tasks: { id: string; status: string }[];
        };
        for (const t of detail.tasks) if (t.status === 'done') done.add(t.id);
        const events = (await (await fetch(`${server.url}/api/offboardings/${o.id}/events`, { headers: auth })).json()) as {
          items: { action: string; subject: { id: string } }[];
        };
        const completedEvents = events.items.filter((e) => e.action === 'task.completed').map((e) => e.subject.id);
        // Done if and only if there is exactly one completion event for it.
        for (const t of detail.tasks) expect(completedEvents.filter((id) => id === t.id).length, t.id).toBe(t.status === 'done' ? 1 : 0);
      }
      for (const id of acknowledged) expect(done.has(id), `acknowledged ${id}`).toBe(true);
      for (const id of done) if (ready.includes(id)) expect(attempted.has(id), `done but never sent ${id}`).toBe(true);
    } finally {
      server.child.kill('SIGINT');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  });
});
