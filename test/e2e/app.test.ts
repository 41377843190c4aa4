/**
 * The web app in headless Chromium against the real server with the demo MSP: sign in, the
 * dashboard's health, finishing overdue work on the offboarding page with an evidence upload,
 * a second browser getting the conflict politely, accessibility on each main screen, and
 * screenshots of them in docs/screenshots.
 */
import { readBundle } from '../../src/cli/log-commands.ts';
import { ed25519, generateSigningKey, sha256 } from '../../src/crypto/node.ts';
import { verifyBundle } from '../../src/domain/evidence-bundle.ts';
import { KEY_TYPES, formatVerifierKey, parseVerifierKey } from '../../src/domain/signed-note.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, type Server, launchBrowser, seriousViolations, signIn, startServer } from './browser.ts';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

const harborRow = (page: Page) => page.getByRole('row').filter({ hasText: 'Harbor Dental Group' });

async function openTask(page: Page, title: string) {
  await page.getByRole('button', { name: title }).click();
  await page.getByRole('dialog').getByRole('heading', { name: title }).waitFor();
}

describe('the web app in Chromium', () => {
  it('refuses a wrong password with a clear message, then signs in', async () => {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByLabel('Email').fill('amy@acme-it.example');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email or password/i);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    await page.getByLabel('Password').fill('offboard-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
    await page.context().close();
  });

  it('completes the overdue work with evidence, and the dashboard health changes', async () => {
    const page = await newPage();
    // The overdue work is a technician's: the task rule lets technicians, the assignee, managers and admins do it.
    await signIn(page, server.url, 'morgan@acme-it.example');
    await harborRow(page).getByText('Overdue', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await harborRow(page).getByRole('link', { name: 'Harbor Dental Group' }).click();
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByRole('figure').waitFor();
    // The activity log in words: who did what to which task.
    await page
      .getByText(/Tom Tech completed "Build the documentation package"|Amy Account completed "/)
      .first()
      .waitFor();
    // Events covered by a signed checkpoint are marked.
    await page.getByText('in the signed log').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'offboarding.png'), fullPage: true });

    await openTask(page, 'Inventory every credential we hold');
    await page.getByLabel('Drop files here, or choose them').setInputFiles({
      name: 'credential-inventory.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('system,account,owner\nM365,admin@harbor,client\n'),
    });
    await page.getByRole('link', { name: 'credential-inventory.csv' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'task-panel.png') });
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('dialog').getByText('done', { exact: true }).waitFor();
    // Escape closes the panel, and the keyboard is back on the task it was opened from.
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    await expect(
      page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent,
      ),
    ).resolves.toBe('Inventory every credential we hold');

    // The transfer waited on the inventory (the client's authorization is on file): it is ready now.
    await openTask(page, 'Hand over the credentials the client keeps');
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('dialog').getByText('done', { exact: true }).waitFor();

    await page.getByRole('link', { name: 'Offboardings' }).first().click();
    await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
    await harborRow(page)
      .getByText(/^(At risk|On track)$/)
      .waitFor();
    await expect(harborRow(page).getByText('Overdue', { exact: true }).count()).resolves.toBe(0);
    await page.context().close();
  });

  it('tells the second of two people completing one task that someone else changed it', async () => {
    const [first, second] = [await newPage(), await newPage()];
    await signIn(first, server.url, 'tara@acme-it.example');
    await signIn(second, server.url, 'tom@acme-it.example');
    for (const page of [first, second]) {
      await harborRow(page).getByRole('link', { name: 'Harbor Dental Group' }).click();
      await openTask(page, 'Remove our scripts, scheduled tasks and other agents');
    }
    await first.getByRole('button', { name: 'Complete' }).click();
    await first.getByRole('dialog').getByText('done', { exact: true }).waitFor();
    await second.getByRole('button', { name: 'Complete' }).click();
    await expect(second.getByRole('dialog').getByRole('alert').textContent()).resolves.toMatch(/Someone else changed this task/);
    // The panel now shows the task as it is: done.
    await second.getByRole('dialog').getByText('done', { exact: true }).waitFor();
  });

  it('shows my tasks and my notifications, and is usable on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, server.url, 'tom@acme-it.example');
    await page.getByRole('link', { name: 'My tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await page
      .getByRole('heading', { name: /^Due today|^This week|^Later/ })
      .first()
      .waitFor();
    // Each task names its client, and its due date is the client's local date, with the zone named.
    await page
      .getByText(/Harbor Dental Group · due \d{4}-\d{2}-\d{2} \(America\/New_York\)/)
      .first()
      .waitFor();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SCREENSHOTS, 'my-tasks-phone.png'), fullPage: true });
    await context.close();
  });

  it('starts an offboarding from a client after previewing its plan, warnings included', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'amy@acme-it.example');
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // A new client with a bad time zone is refused at the field, then added.
    await page.getByText('Add a client').click();
    await page.locator('#c-name').fill('Fabrikam Dental');
    await page.locator('#c-timezone').fill('Mars/Base');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page
      .getByRole('alert')
      .getByText(/timezone: unknown time zone "Mars\/Base"/)
      .waitFor();
    await page.locator('#c-timezone').fill('America/Denver');
    await page.getByRole('checkbox', { name: 'm365' }).check();
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'Fabrikam Dental' }).waitFor();
    // Edited: contract terms and the authorized contact; a bad value is refused at its field.
    await page.getByText('Edit client').click();
    await page.locator('#e-timezone').fill('Nowhere/Town');
    await page.getByRole('button', { name: 'Save client' }).click();
    await page
      .getByRole('alert')
      .getByText(/timezone: unknown time zone "Nowhere\/Town"/)
      .waitFor();
    await page.locator('#e-timezone').fill('America/Denver');
    await page.locator('#e-end').fill('2026-12-31');
    await page.locator('#e-hours').fill('6');
    await page.locator('#e-contact-name').fill('Fran Fabrikam');
    await page.locator('#e-contact-email').fill('fran@fabrikam.example');
    await page.getByRole('button', { name: 'Save client' }).click();
    await page
      .getByRole('status')
      .getByText(/^Saved\./)
      .waitFor();
    await page.getByText('Fran Fabrikam <fran@fabrikam.example> (authorized signer)').waitFor();
    await page.getByText(/end: 2026-12-31/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'All clients' }).click();
    await page.getByRole('link', { name: 'Bluebird Logistics' }).click();
    await page.getByLabel('Notice date').fill('2026-12-01');
    // Two weeks is short for the default playbook: the preview says which tasks were brought forward.
    await page.getByLabel('Contract end', { exact: true }).fill('2026-12-15');
    await page.getByLabel('New provider', { exact: true }).fill('Northwind IT');
    await page.getByLabel("New provider's contact email").fill('transition@northwind-it.example');
    await page.getByRole('button', { name: 'Preview the plan' }).click();
    await page.getByRole('heading', { name: /The plan: \d+ tasks, dates in America\/Chicago/ }).waitFor();
    await page.getByText(/^compressed: short notice: \d+ tasks were brought forward/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'start-preview.png'), fullPage: true });
    await page.getByRole('button', { name: 'Start this offboarding' }).click();
    await page.getByRole('heading', { name: 'Bluebird Logistics: provider switch' }).waitFor();
    await page.getByRole('link', { name: 'All offboardings' }).click();
    await page.getByRole('row').filter({ hasText: 'Bluebird Logistics' }).waitFor();
    await page.context().close();
  });

  it('shows an auditor the signed log; the evidence bundle downloads and verifies offline', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'audrey@acme-it.example');
    await harborRow(page).getByRole('link', { name: 'Harbor Dental Group' }).click();
    await page.getByText('in the signed log').first().waitFor();
    await page.getByText(/^Signed log offboard\//).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download evidence bundle' }).click(),
    ]);
    const log = (await (await page.request.get(`${server.url}/api/log`)).json()) as { verifierKeys: { verifierKey: string }[] };
    const verdict = verifyBundle(readBundle(new Uint8Array(readFileSync(await download.path()))), {
      keys: log.verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey)),
      sha256,
      ed25519,
    });
    expect(verdict.problems).toEqual([]);
    expect(verdict.facts.join('\n')).toMatch(/offboarding started/);
    await page.context().close();
  });

  it('sets up a new MSP from the one-time setup link, in the app, then signs in', async () => {
    const empty = await startServer(['--no-demo']);
    try {
      expect(empty.setupUrl).toMatch(/\/setup\?token=/);
      const page = await newPage();
      await page.goto(empty.setupUrl!);
      await page.getByRole('heading', { name: 'Set up offboard' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel("Your MSP's name").fill('Contoso IT');
      await page.getByLabel('Your name').fill('Casey Admin');
      await page.getByLabel('Email').fill('casey@contoso-it.example');
      await page.getByLabel('Password (at least 10 characters)').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByText('Your MSP and its administrator are ready.').waitFor();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Email').fill('casey@contoso-it.example');
      await page.getByLabel('Password').fill('a-long-enough-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
      await page.context().close();
    } finally {
      await empty.close();
    }
  });

  it('keeps a technician out of the settings; an admin sees them', async () => {
    const tech = await newPage();
    await signIn(tech, server.url, 'tom@acme-it.example');
    await expect(tech.getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
    await tech.goto(`${server.url}/settings`);
    await expect(tech.getByRole('alert').textContent()).resolves.toMatch(/Settings are for admins/);
    await tech.context().close();

    const admin = await newPage();
    await signIn(admin, server.url, 'ada@acme-it.example');
    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByRole('heading', { name: 'People' }).waitFor();
    await admin.getByRole('heading', { name: 'PSA connections' }).waitFor();
    // An admin adds a person and an API token (shown once).
    await admin.locator('#u-name').fill('Nora New');
    await admin.locator('#u-email').fill('nora@acme-it.example');
    await admin.getByRole('button', { name: 'Add person' }).click();
    await admin.getByRole('cell', { name: 'nora@acme-it.example' }).waitFor();
    const nora = admin.getByRole('row').filter({ hasText: 'nora@acme-it.example' });
    await admin.getByLabel('Manager of Nora New').selectOption({ label: 'Morgan Manager' });
    await admin.getByText('Nora New changed.').waitFor();
    await nora.getByRole('button', { name: 'Disable' }).click();
    await nora.getByRole('button', { name: 'Enable' }).waitFor();
    // A generic PSA webhook: its secret is shown once.
    await admin.getByLabel('PSA', { exact: true }).selectOption('generic');
    await admin.getByLabel(/^Statuses meaning offboarding/).fill('offboarding, cancelled');
    await admin.getByRole('button', { name: 'Connect' }).nth(1).click();
    await admin.getByText(/Connected\. Webhook: http:\/\/127\.0\.0\.1:\d+\/webhooks\/psa\/\S+\. Secret \(shown once\): whsec_/).waitFor();
    await admin.getByRole('cell', { name: 'status offboarding, status cancelled' }).waitFor();
    // Its mapping changed afterwards: other statuses mean offboarding now.
    const psaRow = admin.getByRole('row').filter({ hasText: 'status offboarding, status cancelled' });
    await psaRow.getByText('Change mapping').click();
    await psaRow.getByLabel('Statuses meaning offboarding').fill('Lost, Churned');
    await psaRow.getByRole('button', { name: 'Save mapping' }).click();
    await admin.getByRole('cell', { name: 'status Lost, status Churned' }).waitFor();
    await admin.locator('#token-name').fill('PSA bridge');
    await admin.getByRole('button', { name: 'Create token' }).click();
    await admin.getByText(/Token \(shown once, copy it now\): obt_/).waitFor();
    // A holiday added to the MSP's calendar.
    await admin.getByLabel('Holidays (YYYY-MM-DD, one per line)').fill('2026-12-24\n2026-12-25');
    await admin.getByRole('button', { name: 'Save calendar' }).click();
    await admin.getByText(/saved: offboardings planned from now on use it/).waitFor();
    // The signed log: its verifier key, as clients receive it.
    await admin.getByRole('heading', { name: 'Signed audit log' }).waitFor();
    await admin
      .getByText(/^offboard\/[^+]+\+[0-9a-f]{8}\+/)
      .first()
      .waitFor();
    // A witness: a key that is not one is refused at its field; the right one is added.
    await admin.locator('#witness-name').fill("Harbor's witness");
    await admin.locator('#witness-url').fill('http://127.0.0.1:9/');
    await admin.locator('#witness-key').fill('not a key');
    await admin.getByRole('button', { name: 'Add witness' }).click();
    await admin.getByText(/must be a witness verifier key/).waitFor();
    await admin
      .locator('#witness-key')
      .fill(formatVerifierKey(sha256, 'witness.harbor.example', generateSigningKey().publicKey, KEY_TYPES.cosignature));
    await admin.getByRole('button', { name: 'Add witness' }).click();
    await admin.getByText("Harbor's witness (http://127.0.0.1:9/): nothing cosigned yet").waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.screenshot({ path: join(SCREENSHOTS, 'settings.png'), fullPage: true });
    await admin.getByRole('link', { name: /Ada Admin/ }).click();
    await admin.getByRole('heading', { name: 'My profile' }).waitFor();
    await admin.getByRole('checkbox', { name: 'Reminders before and on the due date: email' }).check();
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.context().close();
  });

  it('edits a copy of the playbook, shows a problem at its field, rehearses it and publishes a version', async () => {
    const page = await newPage();
    await signIn(page, server.url, 'morgan@acme-it.example');
    await page.getByRole('link', { name: 'Playbooks' }).click();
    await page.getByRole('heading', { name: /tasks$/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Copy and edit' }).click();
    await page.getByRole('button', { name: 'Acknowledge the termination in writing' }).click();
    const when = page.getByRole('textbox', { name: /^When/ });
    await when.fill('tomorrow');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('1 problem: see the fields marked below.').waitFor();
    await page
      .locator('.field.invalid')
      .filter({ has: when })
      .getByText(/must be "day N"/)
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'playbook-editor.png'), fullPage: true });
    await when.fill('day 1');
    await page.getByRole('textbox', { name: 'Title' }).fill('Acknowledge the notice in writing, the same day');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('Valid: 28 tasks.').waitFor();
    await page.getByRole('button', { name: 'Rehearse', exact: true }).click();
    await page.getByRole('heading', { name: /^Rehearsal: \d+ notifications over \d+ days$/ }).waitFor();
    await page.getByRole('button', { name: 'Publish as a new version' }).click();
    await page.getByText(/Published as version 2/).waitFor();
    await page.getByRole('button', { name: /version 2/ }).waitFor();
    await page.context().close();
  });
});
