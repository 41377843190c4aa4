/**
 * The web app's first load: the dashboard with 200 offboardings, in headless Chromium with an
 * empty cache, against `offboard serve` on 127.0.0.1 (PGlite), from navigation to the 200th row
 * on screen; and the JavaScript it ships, gzipped.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEMO_PASSWORD, launchBrowser, startServer } from '../e2e/browser.ts';

const root = join(import.meta.dirname, '../..');
const COUNT = 200;

export async function webBench(): Promise<{
  firstLoadMs: number[];
  seenFromOutsideMs: number[];
  jsGzipBytes: number;
  firstLoadJsGzipBytes: number;
  rows: number;
}> {
  execFileSync('bash', [join(root, 'scripts/install-browser.sh')], { stdio: 'ignore' });
  execFileSync(process.execPath, [join(root, 'scripts/build-web.ts')], { stdio: 'inherit' });
  const assets = join(root, 'web/dist/assets');
  const gzipped = (f: string) => gzipSync(readFileSync(join(assets, f))).length;
  // Everything the app can load, and what the dashboard's first load fetches (other screens load when first opened).
  const jsGzipBytes = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gzipped(f), 0);
  const fetched = new Set<string>();

  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const call = async (path: string, body: unknown, cookie: string) => {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: server.url },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };
    const signIn = await call('/api/auth/sign-in', { email: 'amy@acme-it.example', password: DEMO_PASSWORD }, '');
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    // The demo has one offboarding; add clients and offboardings until there are COUNT.
    for (let i = 1; i < COUNT; i++) {
      const client = (await (
        await call('/api/clients', { name: `Bench client ${String(i).padStart(3, '0')}`, timezone: 'America/New_York' }, cookie)
      ).json()) as { id: string };
      await call(
        '/api/offboardings',
        { clientId: client.id, type: 'provider-switch', noticeDate: '2026-11-02', endDate: '2026-12-31' },
        cookie,
      );
    }
    const firstLoadMs: number[] = [];
    const seenFromOutsideMs: number[] = [];
    let rows = 0;
    for (let run = 0; run < 5; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name: cookie.split('=')[0] ?? '', value: cookie.split('=').slice(1).join('='), url: server.url }]);
      const page = await context.newPage();
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (path.startsWith('/assets/') && path.endsWith('.js')) fetched.add(path.slice('/assets/'.length));
      });
      // In the page: the first frame painted after the 200th row is in the document, on the page's
      // own clock (from the start of navigation, as the browser's paint timings are). Outside it,
      // the same wait seen from here, which adds the automation protocol's round trips.
      await page.addInitScript((count: number) => {
        type Window = {
          document: { querySelectorAll(s: string): { length: number }; body: unknown; addEventListener(e: string, f: () => void): void };
          performance: { now(): number };
          requestAnimationFrame(f: () => void): void;
          MutationObserver: new (f: () => void) => { observe(n: unknown, o: object): void; disconnect(): void };
          __painted?: number;
        };
        const g = globalThis as unknown as Window;
        const observer = new g.MutationObserver(() => {
          if (g.document.querySelectorAll('tbody tr').length < count) return;
          observer.disconnect();
          g.requestAnimationFrame(() => setTimeout(() => (g.__painted = g.performance.now())));
        });
        g.document.addEventListener('DOMContentLoaded', () => observer.observe(g.document.body, { childList: true, subtree: true }));
      }, COUNT);
      const started = performance.now();
      await page.goto(server.url);
      await page.waitForFunction(() => (globalThis as unknown as { __painted?: number }).__painted !== undefined, undefined, {
        polling: 'raf',
      });
      seenFromOutsideMs.push(performance.now() - started);
      firstLoadMs.push(await page.evaluate(() => (globalThis as unknown as { __painted: number }).__painted));
      rows = await page.locator('tbody tr').count();
      await context.close();
    }
    const firstLoadJsGzipBytes = [...fetched].reduce((sum, f) => sum + gzipped(f), 0);
    return { firstLoadMs, seenFromOutsideMs, jsGzipBytes, firstLoadJsGzipBytes, rows };
  } finally {
    await browser.close();
    await server.close();
  }
}
