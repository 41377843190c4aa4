/**
 * The end-to-end harness: `offboard serve` with the demo MSP on a fresh PGlite folder, as a
 * child process on 127.0.0.1, and headless Debian Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

const root = join(import.meta.dirname, '../..');
export const SCREENSHOTS = join(root, 'docs/screenshots');
export const DEMO_PASSWORD = 'offboard-demo';

export type Server = { url: string; setupUrl?: string | undefined; close: () => Promise<void> };

export async function startServer(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'offboard-e2e-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'bin/offboard.js'), 'serve', '--port', String(port), '--data-dir', join(dataDir, 'db'), ...extraArgs],
    {
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', SMTP_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      output = out;
      const m = /offboard is running at (\S+)/.exec(out);
      if (m?.[1] && (!extraArgs.includes('--no-demo') || /this link works once\): \S+\n/.test(out))) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
  return {
    url,
    setupUrl: /this link works once\): (\S+)/.exec(output)?.[1],
    close: async () => {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.OFFBOARD_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // Without these, Chromium keeps trying to reach Google's hosts, which this machine refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core in the page: the serious and critical violations (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  // Runs in the page (where the DOM is; this file is type-checked without it).
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as {
      axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> };
      document: unknown;
    };
    return (await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
      .violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
