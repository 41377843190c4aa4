/**
 * The three verifiers agree, word for word and by exit code, on every bundle of the tamper
 * corpus: `offboard verify` (the CLI), offboard-verify.mjs on Node.js 18 (the oldest it promises),
 * and the verify page in Chromium, opened as a file saved to disk and as served by the server.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinModules } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { type Server, launchBrowser, startServer } from '../e2e/browser.ts';
import { type CorpusCase, tamperCorpus } from '../tamper-corpus.ts';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'offboard-verifiers-'));
const node18 = execFileSync('bash', [join(root, 'scripts/install-node18.sh')], { encoding: 'utf8' }).trim();
const standalone = join(root, 'dist/verify/offboard-verify.mjs');
let corpus: CorpusCase[];
let browser: Browser;
let server: Server;

type Outcome = { exit: number; text: string };

beforeAll(async () => {
  corpus = await tamperCorpus();
  browser = await launchBrowser();
  server = await startServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function files(c: CorpusCase, i: number): string[] {
  const bundle = join(dir, `${i}.zip`);
  writeFileSync(bundle, c.zip);
  const args = [bundle, ...c.keys.flatMap((k) => ['--key', k])];
  if (c.knownCheckpoint !== undefined) {
    const known = join(dir, `${i}.checkpoint`);
    writeFileSync(known, c.knownCheckpoint);
    args.push('--known-checkpoint', known);
  }
  return args;
}

async function viaCli(args: string[]): Promise<Outcome> {
  let text = '';
  const exit = await run(['verify', ...args], { out: (t) => (text += t), err: (t) => (text += t) });
  return { exit, text };
}

function viaNode18(args: string[]): Outcome {
  const r = spawnSync(node18, [standalone, ...args], { encoding: 'utf8' });
  return { exit: r.status ?? -1, text: r.stdout + r.stderr };
}

async function viaPage(page: Page, c: CorpusCase): Promise<Outcome> {
  await page.evaluate('delete document.body.dataset.exit');
  await page.setInputFiles('#bundle', { name: 'bundle.zip', mimeType: 'application/zip', buffer: Buffer.from(c.zip) });
  await page.fill('#keys', c.keys.join('\n'));
  await page.fill('#known', c.knownCheckpoint ?? '');
  await page.click('button[type=submit]');
  await page.waitForSelector('body[data-exit]');
  return { exit: Number(await page.getAttribute('body', 'data-exit')), text: (await page.textContent('#output')) ?? '' };
}

describe('the client-side verifiers', () => {
  it('runs on Node 18 with nothing installed', () => {
    expect(execFileSync(node18, ['--version'], { encoding: 'utf8' })).toMatch(/^v18\./);
    // One file: its only imports are Node's own modules.
    const imported = [...readFileSync(standalone, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) =>
      (m[1] as string).replace(/^node:/, ''),
    );
    expect(imported.length).toBeGreaterThan(0);
    for (const name of imported) expect(builtinModules, name).toContain(name);
  });

  it('agree with `offboard verify` on every bundle of the tamper corpus: CLI, Node 18 file, page saved to disk', async () => {
    expect(corpus.length).toBeGreaterThan(20);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(root, 'dist/verify/index.html')).href);
    const verdicts = new Map<number, number>();
    for (const [i, c] of corpus.entries()) {
      const args = files(c, i);
      const cli = await viaCli(args);
      expect(viaNode18(args), `Node 18 on "${c.name}"`).toEqual(cli);
      expect(await viaPage(page, c), `the page on "${c.name}"`).toEqual(cli);
      verdicts.set(cli.exit, (verdicts.get(cli.exit) ?? 0) + 1);
    }
    // The corpus exercises every verdict: valid, invalid and malformed.
    expect(verdicts.get(0)).toBe(3);
    expect(verdicts.get(1)).toBeGreaterThan(10);
    expect(verdicts.get(2)).toBeGreaterThanOrEqual(3);
    await page.close();
  });

  it('are served by the server: the page at /verify/ (verifying in the page) and the file for download', async () => {
    const res = await fetch(`${server.url}/verify/offboard-verify.mjs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('offboard-verify.mjs');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(standalone))).toBe(true);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${server.url}/verify/`);
    const c = corpus[1] as CorpusCase;
    const outcome = await viaPage(page, c);
    expect(outcome).toEqual(await viaCli(files(c, 1)));
    expect(outcome.text).toMatch(/^VALID/);
    // Nothing was uploaded: the only request is the page itself.
    expect(requests).toEqual([`${server.url}/verify/`]);
    await page.close();
  });
});
