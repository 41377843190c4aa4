/**
 * The web app in headless Chromium against the real server with the demo MSP. Each of the
 * defects a new user hit (issue 11, numbered) has a test named with its number and the role
 * that hit it; every screen is checked with axe and photographed at 1440x900 and 390x844
 * (docs/screenshots); routine screens must log no console error and get no refused API call.
 */
import { readBundle } from '../../src/cli/log-commands.ts';
import { ed25519, generateSigningKey, sha256 } from '../../src/crypto/node.ts';
import { verifyBundle } from '../../src/domain/evidence-bundle.ts';
import { KEY_TYPES, formatVerifierKey, parseVerifierKey } from '../../src/domain/signed-note.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, SCREENSHOTS, type Server, launchBrowser, seriousViolations, startServer } from './browser.ts';
import { DESKTOP, PHONE, type Watched, fillDate, pickTimeZone, screenshot, watchedPage } from './browser-helpers.ts';

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

async function signedIn(email: string, viewport = DESKTOP): Promise<Watched> {
  const w = await watchedPage(browser, viewport);
  await w.page.goto(server.url);
  await w.page.getByLabel('Email').fill(email);
  await w.page.getByLabel('Password').fill(DEMO_PASSWORD);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.getByRole('heading', { name: 'Offboardings' }).waitFor();
  return w;
}

const harborRow = (page: Page) => page.getByRole('row').filter({ hasText: 'Harbor Dental Group' });

async function openHarbor(page: Page) {
  await harborRow(page).getByRole('link', { name: 'Harbor Dental Group' }).click();
  await page.getByRole('heading', { name: 'Activity' }).waitFor();
}

async function openTask(page: Page, title: string) {
  await page.locator('table').getByRole('link', { name: title, exact: true }).click();
  await page.getByRole('dialog').getByRole('heading', { name: title }).waitFor();
}

const panel = (page: Page) => page.getByRole('dialog').filter({ has: page.locator('#task-title') });

/** axe finds nothing serious on what is on screen now. */
async function accessible(page: Page) {
  expect(await seriousViolations(page)).toEqual([]);
}

const clean = (w: Watched, allowed: RegExp[] = []) => expect(w.problems.filter((p) => !allowed.some((a) => a.test(p)))).toEqual([]);

describe('the web app in Chromium', () => {
  it('#13 (anyone): the sign-in page asks nothing it is refused; a wrong password is refused in words, then signs in', async () => {
    const w = await watchedPage(browser);
    const { page } = w;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in to offboard' }).waitFor();
    clean(w);
    await page.getByLabel('Email').fill('amy@acme-it.example');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/email or password/i);
    await accessible(page);
    await screenshot(page, 'sign-in-desktop');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
    // The refused password is the only refusal; the browser reports it as a failed resource.
    clean(w, [/401 POST \/api\/auth\/sign-in/, /console: Failed to load resource: the server responded with a status of 401/]);
    // Opened afresh, signed in: the page asks for the dashboard's list while the app's code loads,
    // and the app takes that answer rather than asking again.
    await page.reload();
    await harborRow(page).waitFor();
    type Entry = { name: string; initiatorType: string };
    const lists = await page.evaluate(() =>
      (globalThis as unknown as { performance: { getEntriesByType(type: string): Entry[] } }).performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/offboardings'))
        .map((e) => `${e.initiatorType} ${new URL(e.name).pathname}${new URL(e.name).search}`),
    );
    expect(lists).toEqual(['link /api/offboardings?limit=200']);
    await page.context().close();
  });

  it('#5 #8 #9 #10 (manager): overdue is marked with how late, the timeline shows every task, the activity names who did what to whom', async () => {
    const w = await signedIn('morgan@acme-it.example');
    const { page } = w;
    await harborRow(page).getByText('Overdue', { exact: true }).waitFor();
    await accessible(page);
    await screenshot(page, 'dashboard-desktop');
    await openHarbor(page);
    // #5: the overdue task says so in the table, with how late.
    const inventoryRow = page.locator('tr[data-task="credential-inventory"]');
    await inventoryRow.getByText(/^Overdue by \d+ days?$/).waitFor();
    // #8: every task is on the timeline, the closeout ones too; finished ones end where they were finished.
    const timeline = page.getByRole('figure');
    const rows = await timeline.locator('.timeline-row').count();
    const tasks = await page.locator('tr[data-task]').count();
    expect(rows).toBe(tasks);
    await timeline.locator('[data-task="retention-deletion"]').waitFor();
    await expect(timeline.locator('[data-task="credential-inventory"] .timeline-bar.status-overdue').count()).resolves.toBe(1);
    // #9: people by name and role; notifications by kind and recipient.
    await page
      .getByText(/(Tom Tech \(Technician\)|Amy Account \(Account manager\)|Dora Docs \(Documentation\)) completed “/)
      .first()
      .waitFor();
    // Notifications by kind and recipient's name (they are sent by the scheduler, shortly after start).
    const sent = page.getByText(/offboard sent “[^”]+”( about “[^”]+”)? to [A-Z][a-z]+ [A-Z][a-z]+ \((in the app|by email)\)/).first();
    for (let i = 0; i < 30 && (await sent.count()) === 0; i++) {
      await page.waitForTimeout(2000);
      await page.reload();
      await page.getByRole('heading', { name: 'Activity' }).waitFor();
    }
    await sent.waitFor();
    await expect(page.locator('.activity').textContent()).resolves.not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expect(page.getByText('The system sent a notification').count()).resolves.toBe(0);
    // #10: human words, not keys: the type, roles, gates; contract terms on the client page.
    await page.getByRole('heading', { name: 'Harbor Dental Group: switching to a new provider' }).waitFor();
    await expect(page.getByText('provider-switch').count()).resolves.toBe(0);
    await page.getByRole('cell', { name: 'Client’s written authorization' }).first().waitFor();
    await page.getByText('in the signed log').first().waitFor();
    await accessible(page);
    await screenshot(page, 'offboarding-desktop');
    await page.getByRole('link', { name: 'Clients' }).first().click();
    await page.getByRole('link', { name: 'Harbor Dental Group' }).click();
    await page
      .getByText('4 offboarding hours included · 150 an hour beyond them · Transition fee 750 · Data kept 180 days after the end')
      .waitFor();
    await expect(page.getByText(/hourlyRate|retentionDays/).count()).resolves.toBe(0);
    clean(w);
    await page.context().close();
  }, 180_000);

  it('#1 #2 #11 (technician): checklist ticks are saved one by one, completing with open items asks first, errors stay with their task, guidance is Markdown', async () => {
    const w = await signedIn('tom@acme-it.example');
    const { page } = w;
    await openHarbor(page);
    await openTask(page, 'Inventory every credential we hold');
    // The task has its own address.
    expect(new URL(page.url()).pathname).toMatch(/^\/offboardings\/[^/]+\/tasks\/[^/]+$/);
    const taskUrl = page.url();
    // #11: guidance is paragraphs, not the YAML's line breaks.
    await expect(panel(page).locator('.markdown p').count()).resolves.toBeGreaterThan(0);
    await expect(panel(page).locator('.markdown').innerHTML()).resolves.not.toContain('<br');
    // #1: a tick is saved: a reload keeps it.
    const first = panel(page).getByRole('checkbox', { name: 'Pulled from the documentation system' });
    await first.check();
    await panel(page).getByText('Checklist (1 of 2 done)').waitFor();
    await page.reload();
    await panel(page).getByRole('heading', { name: 'Inventory every credential we hold' }).waitFor();
    await expect(panel(page).getByRole('checkbox', { name: 'Pulled from the documentation system' }).isChecked()).resolves.toBe(true);
    // #2: an error on one task is not shown on the next.
    await page.locator('#note').fill('x'.repeat(10_001));
    await panel(page).getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Complete anyway' }).click();
    await panel(page).getByRole('alert').waitFor();
    await expect(panel(page).getByRole('alert').textContent()).resolves.toMatch(/Note/);
    await page.getByRole('table').first().getByRole('link', { name: 'Acknowledge the termination in writing' }).click();
    await panel(page).getByRole('heading', { name: 'Acknowledge the termination in writing' }).waitFor();
    await expect(panel(page).getByRole('alert').count()).resolves.toBe(0);
    // #1: completing with an open item asks first; going back completes nothing.
    await page.goto(taskUrl);
    await panel(page).getByRole('heading', { name: 'Inventory every credential we hold' }).waitFor();
    await page.locator('#note').fill('');
    await panel(page)
      .getByLabel('Drop files here, or choose them')
      .setInputFiles({
        name: 'credential-inventory.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('system,account,owner\nM365,admin@harbor,client\n'),
      });
    await panel(page).getByRole('link', { name: 'credential-inventory.csv' }).waitFor();
    await accessible(page);
    await screenshot(page, 'task-panel-desktop');
    await panel(page).getByRole('button', { name: 'Complete' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('1 of 2 checklist items are not ticked:').waitFor();
    await confirm.getByText('Confirmed by every technician on the account').waitFor();
    await accessible(page);
    await confirm.getByRole('button', { name: 'Go back to the checklist' }).click();
    await panel(page).getByText('Ready', { exact: true }).waitFor();
    // Clicked, then read back: the count is the saved state, whenever the save lands.
    await panel(page).getByRole('checkbox', { name: 'Confirmed by every technician on the account' }).click();
    await panel(page).getByText('Checklist (2 of 2 done)').waitFor();
    await panel(page).getByRole('button', { name: 'Complete' }).click();
    await panel(page).getByText('Done', { exact: true }).waitFor();
    // Escape closes the panel: the address is the offboarding's again.
    await page.keyboard.press('Escape');
    await expect(page.locator('#task-title').count()).resolves.toBe(0);
    expect(new URL(page.url()).pathname).toMatch(/^\/offboardings\/[^/]+$/);
    clean(w, [/400 POST \/api\/tasks\/[^/]+\/complete/, /status of 400/]);
    await page.context().close();
  });

  it('tells the second of two technicians completing one task that someone else changed it, in place', async () => {
    const [first, second] = [await signedIn('tara@acme-it.example'), await signedIn('tom@acme-it.example')];
    for (const { page } of [first, second]) {
      await openHarbor(page);
      await openTask(page, 'Hand over the credentials the client keeps');
    }
    // The evidence first (attaching it changes nothing the other technician's page holds).
    await panel(first.page)
      .getByLabel('Drop files here, or choose them')
      .setInputFiles({ name: 'login-test.png', mimeType: 'image/png', buffer: Buffer.from('a screenshot of the test login') });
    await panel(first.page).getByRole('link', { name: 'login-test.png' }).waitFor();
    await panel(first.page).getByRole('button', { name: 'Complete' }).click();
    await first.page.getByRole('alertdialog').getByRole('button', { name: 'Complete anyway' }).click();
    await panel(first.page).getByText('Done', { exact: true }).waitFor();
    await panel(second.page).getByRole('button', { name: 'Complete' }).click();
    await second.page.getByRole('alertdialog').getByRole('button', { name: 'Complete anyway' }).click();
    await expect(panel(second.page).getByRole('alert').textContent()).resolves.toMatch(/Someone else changed this task/);
    await panel(second.page).getByText('Done', { exact: true }).waitFor();
    clean(first);
    clean(second, [/409 POST \/api\/tasks\/[^/]+\/complete/, /status of 409/]);
    await first.page.context().close();
    await second.page.context().close();
  });

  it('#3 #4 #13 (auditor): sees no controls it may not use, no refused call, and a refusal in words', async () => {
    const w = await signedIn('audrey@acme-it.example');
    const { page } = w;
    await openHarbor(page);
    await openTask(page, 'Acknowledge the termination in writing');
    await panel(page).getByText('You can read this task; its work is done by others.').waitFor();
    for (const name of ['Start', 'Complete', 'Waive', 'Reopen'])
      await expect(panel(page).getByRole('button', { name }).count()).resolves.toBe(0);
    await expect(panel(page).getByLabel('Drop files here, or choose them').count()).resolves.toBe(0);
    await expect(panel(page).getByRole('checkbox').first().isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: /Change the dates|Cancel the offboarding|Record time/ }).count()).resolves.toBe(0);
    // The signed log and the evidence bundle, which the auditor may read.
    await page.getByText(/^Signed log offboard\//).waitFor();
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
    clean(w);
    // #3: what the server says when asked anyway is in words.
    const refused = await page.request.post(`${server.url}/api/tasks/x/start`, { headers: { origin: server.url } });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      'You cannot work on tasks. Auditors can read everything but change nothing, and never see a secret.',
    );
    await page.context().close();
  });

  it('#4 #13 #14 (technician, manager): a technician is not offered settings; a manager reads them without live forms', async () => {
    const tech = await signedIn('tom@acme-it.example');
    await expect(tech.page.getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
    await openHarbor(tech.page);
    // The technician's offboarding page asks for nothing it is refused (no activity log, no signed log).
    await tech.page.getByText('The activity log is shown to account managers, managers, admins and auditors.').waitFor();
    await tech.page.goto(`${server.url}/settings/email`);
    await tech.page.getByText('Settings are for admins, and managers may read them.').waitFor();
    clean(tech);
    await tech.page.context().close();

    const manager = await signedIn('morgan@acme-it.example');
    await manager.page.getByRole('link', { name: 'Settings' }).click();
    await manager.page.getByRole('heading', { name: 'Settings: People' }).waitFor();
    expect(new URL(manager.page.url()).pathname).toBe('/settings');
    for (const [section, heading] of [
      ['email', 'Email'],
      ['channels', 'Team channels'],
      ['psa', 'PSA connections'],
      ['documentation', 'Documentation platforms'],
      ['calendars', 'Calendars and holidays'],
    ] as const) {
      await manager.page
        .getByRole('navigation', { name: 'Settings sections' })
        .getByRole('link', { name: heading === 'Email' ? 'Email' : heading })
        .click();
      await manager.page.getByRole('heading', { name: `Settings: ${heading}` }).waitFor();
      expect(new URL(manager.page.url()).pathname).toBe(`/settings/${section}`);
      await expect(manager.page.locator('main form button[type=submit]:not([disabled])').count()).resolves.toBe(0);
    }
    await expect(manager.page.getByRole('link', { name: 'API tokens' }).count()).resolves.toBe(0);
    clean(manager);
    await manager.page.context().close();
  });

  it('#14 (admin): settings sections with URLs, secrets with copy buttons, provider-specific PSA fields, password reset, delivery and webhook logs', async () => {
    const w = await signedIn('ada@acme-it.example');
    const { page } = w;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(`${server.url}/settings/people`);
    await page.getByRole('heading', { name: 'Settings: People' }).waitFor();
    await page.locator('#u-name').fill('Nora New');
    await page.locator('#u-email').fill('nora@acme-it.example');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByRole('cell', { name: 'nora@acme-it.example' }).waitFor();
    await page.getByLabel('Manager of Nora New').selectOption({ label: 'Morgan Manager' });
    await page.getByText('Nora New changed.').waitFor();
    // A password reset: the temporary password is shown once, copied, and works.
    await page.getByRole('button', { name: 'Reset password of Nora New' }).click();
    const reset = page.getByRole('dialog', { name: 'Temporary password for Nora New' });
    const temporary = await reset.getByLabel('Temporary password').inputValue();
    expect(temporary).toMatch(/^[a-zA-Z2-9]{16}$/);
    await reset.getByRole('button', { name: 'Copy temporary password' }).click();
    await page.getByText('Copied to the clipboard').waitFor();
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
      ),
    ).toBe(temporary);
    await accessible(page);
    await reset.getByRole('button', { name: 'Done' }).click();
    // (Outside the browser, which stays signed in as the admin.)
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ email: 'nora@acme-it.example', password: temporary }),
      headers: { origin: server.url, 'content-type': 'application/json' },
    });
    expect(signIn.status).toBe(200);
    await screenshot(page, 'settings-desktop');
    // PSA: only the chosen provider's fields; a generated secret shown once with a copy button.
    await page.getByRole('link', { name: 'PSA connections' }).click();
    await page.getByRole('heading', { name: 'Settings: PSA connections' }).waitFor();
    await page.getByLabel('ConnectWise key URL origins (space-separated)').waitFor();
    await expect(page.getByLabel('Autotask secret key').count()).resolves.toBe(0);
    await page.getByLabel('PSA', { exact: true }).selectOption('autotask');
    await page.getByLabel('Autotask secret key').waitFor();
    await expect(page.getByLabel(/ConnectWise key URL origins/).count()).resolves.toBe(0);
    await page.getByLabel('PSA', { exact: true }).selectOption('generic');
    await page.getByLabel(/^Statuses meaning offboarding/).fill('offboarding, cancelled');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByLabel('Signing secret').waitFor();
    await expect(page.getByLabel('Signing secret').inputValue()).resolves.toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy signing secret' }).waitFor();
    await page.getByRole('cell', { name: 'status “offboarding”, status “cancelled”' }).waitFor();
    await accessible(page);
    // A token, shown once with its copy button.
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.locator('#token-name').fill('PSA bridge');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByLabel('API token', { exact: true }).inputValue()).resolves.toMatch(/^obt_/);
    await page.getByRole('button', { name: 'Copy api token' }).waitFor();
    // Calendars: a bad holiday is named by its line, in words.
    await page.getByRole('link', { name: 'Calendars and holidays' }).click();
    await page.getByLabel('Holidays (YYYY-MM-DD, one per line)').fill('2026-12-24\nChristmas');
    await page.getByRole('button', { name: 'Save calendar' }).click();
    await page
      .getByRole('alert')
      .getByText(/^Holidays, line 2: /)
      .waitFor();
    await page.getByLabel('Holidays (YYYY-MM-DD, one per line)').fill('2026-12-24\n2026-12-25');
    await page.getByRole('button', { name: 'Save calendar' }).click();
    await page.getByText(/saved: offboardings planned from now on use it/).waitFor();
    // The delivery and webhook logs have screens.
    await page.getByRole('link', { name: 'Delivery log' }).click();
    await page.getByRole('table', { name: 'Notification deliveries, newest first' }).waitFor();
    await accessible(page);
    await page.getByRole('link', { name: 'Webhook log' }).click();
    await page.getByText('No webhooks received yet.').waitFor();
    // The signed log and a witness (a key that is not one is refused at its field).
    await page.getByRole('link', { name: 'Signed audit log' }).click();
    await page
      .getByText(/^offboard\/[^+]+\+[0-9a-f]{8}\+/)
      .first()
      .waitFor();
    await page.getByRole('link', { name: 'Witnesses' }).click();
    await page.locator('#witness-name').fill("Harbor's witness");
    await page.locator('#witness-url').fill('http://127.0.0.1:9/');
    await page.locator('#witness-key').fill('not a key');
    await page.getByRole('button', { name: 'Add witness' }).click();
    await page.getByText(/must be a witness verifier key/).waitFor();
    await page
      .locator('#witness-key')
      .fill(formatVerifierKey(sha256, 'witness.harbor.example', generateSigningKey().publicKey, KEY_TYPES.cosignature));
    await page.getByRole('button', { name: 'Add witness' }).click();
    await page.getByText("Harbor's witness (http://127.0.0.1:9/): nothing cosigned yet").waitFor();
    await accessible(page);
    clean(w, [/400 (PUT \/api\/calendars|POST \/api\/settings\/witnesses)/, /status of 400/]);
    await page.context().close();
  });

  it('#14 (technician): changes their own password from the profile', async () => {
    const w = await signedIn('tara@acme-it.example');
    const { page } = w;
    await page.getByRole('link', { name: /Tara Tech/ }).click();
    await page.getByRole('heading', { name: 'My profile' }).waitFor();
    await page.getByRole('checkbox', { name: 'Reminders before and on the due date: by email' }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.getByLabel('Current password').fill(DEMO_PASSWORD);
    await page.getByLabel('New password (at least 10 characters)').fill('tara-new-password');
    await page.getByLabel('The new password again').fill('tara-new-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Other browsers signed in as you were signed out.').waitFor();
    await accessible(page);
    await screenshot(page, 'profile-desktop');
    const again = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      body: JSON.stringify({ email: 'tara@acme-it.example', password: 'tara-new-password' }),
      headers: { origin: server.url, 'content-type': 'application/json' },
    });
    expect(again.status).toBe(200);
    clean(w);
    await page.context().close();
  });

  it('#6 (account manager): notifications open their task or offboarding, are marked read, and the badge counts them', async () => {
    const w = await signedIn('amy@acme-it.example');
    const { page } = w;
    // The demo's announcements arrive through the scheduler: wait until the badge counts them.
    const badge = page.getByRole('link', { name: /^Notifications, \d+ unread$/ });
    for (let i = 0; i < 60 && (await badge.count()) === 0; i++) {
      await page.waitForTimeout(2000);
      await page.reload();
      await page.getByRole('heading', { name: 'Offboardings' }).waitFor();
    }
    const unreadBefore = Number(/(\d+) unread/.exec((await badge.getAttribute('aria-label')) ?? '')?.[1]);
    expect(unreadBefore).toBeGreaterThan(0);
    await badge.click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await accessible(page);
    await screenshot(page, 'notifications-desktop');
    const firstUnread = page.locator('li.unread').first();
    await firstUnread.getByRole('button').first().click();
    await page.waitForURL(/\/offboardings\//);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    if (unreadBefore > 1) await page.getByRole('link', { name: `Notifications, ${unreadBefore - 1} unread` }).waitFor();
    else await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    await page.goto(`${server.url}/notifications`);
    if (unreadBefore > 1) {
      await page.getByRole('button', { name: 'Mark all read' }).click();
      await page.getByText('All read.').waitFor();
      await page.getByRole('tab', { name: /^All \(\d+\)$/ }).click();
      await expect(page.locator('li.unread').count()).resolves.toBe(0);
    }
    await page.getByRole('link', { name: 'Notifications', exact: true }).waitFor();
    clean(w);
    await page.context().close();
  });

  it('#7 (account manager): changes the dates after a preview, records time, and closes or cancels from the screen', async () => {
    const w = await signedIn('amy@acme-it.example');
    const { page } = w;
    await page.getByRole('link', { name: 'Clients' }).first().click();
    await page.getByRole('link', { name: 'Cedar & Co Accounting' }).click();
    await fillDate(page, 'Notice date', '2026-12-01');
    await fillDate(page, 'Contract end', '2027-01-29');
    await page.getByRole('button', { name: 'Preview the plan' }).click();
    await page.getByRole('heading', { name: /The plan: \d+ tasks, dates in Europe\/London/ }).waitFor();
    await page.getByRole('button', { name: 'Start this offboarding' }).click();
    await page.getByRole('heading', { name: 'Cedar & Co Accounting: switching to a new provider' }).waitFor();
    const url = page.url();
    // Change the dates: the preview lists what moves first.
    await page.getByRole('button', { name: 'Change the dates…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change the dates' });
    await fillDate(dialog, 'Contract end', '2027-02-26');
    await dialog.getByRole('button', { name: 'Preview the new plan' }).click();
    await dialog.getByRole('table', { name: 'Tasks that move' }).waitFor();
    await accessible(page);
    await dialog.getByRole('button', { name: /^Change the dates \(\d+ tasks move\)$/ }).click();
    await page.getByText('Dates changed and the plan recomputed').waitFor();
    await page.getByText('2027-02-26').first().waitFor();
    // Record time.
    await page.getByRole('button', { name: 'Record time…' }).click();
    const time = page.getByRole('dialog', { name: 'Record time' });
    await time.getByLabel('Hours').fill('1');
    await time.getByLabel('Minutes').fill('15');
    await time.getByRole('button', { name: 'Record time' }).click();
    await page.getByText(/^Time spent: 1\.3 h of 4\.0 h included/).waitFor();
    // Closing is refused in words while tasks are open; cancelling works.
    await page.getByRole('button', { name: 'Close the offboarding…' }).click();
    const closing = page.getByRole('dialog', { name: 'Close the offboarding' });
    await closing.getByLabel('Why the client left (the departure reason)').fill('Moved to an in-house team');
    await closing.getByRole('button', { name: 'Close the offboarding' }).click();
    await closing.getByRole('alert').waitFor();
    await closing.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'Cancel the offboarding…' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel the offboarding' });
    await cancel.getByLabel('Why it is cancelled').fill('The client decided to stay');
    await cancel.getByRole('button', { name: 'Cancel the offboarding' }).click();
    await page.getByText('Cancelled', { exact: true }).first().waitFor();
    expect(page.url()).toBe(url);
    await expect(page.getByRole('button', { name: 'Change the dates…' }).count()).resolves.toBe(0);
    clean(w, [/409 POST \/api\/offboardings\/[^/]+\/close/, /status of 409/]);
    await page.context().close();
  });

  it('starts an offboarding from a client after previewing its plan, with a time zone picked from the list', async () => {
    const w = await signedIn('amy@acme-it.example');
    const { page } = w;
    await page.getByRole('link', { name: 'Clients' }).first().click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await accessible(page);
    await screenshot(page, 'clients-desktop');
    await page.getByText('Add a client').click();
    await page.locator('#c-name').fill('   ');
    await pickTimeZone(page, 'Time zone', 'America/Denver');
    await page.getByRole('checkbox', { name: 'Microsoft 365' }).check();
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('alert').getByText('Name: must not be empty').waitFor();
    await page.locator('#c-name').fill('Fabrikam Dental');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'Fabrikam Dental' }).waitFor();
    await page.getByText('America/Denver').waitFor();
    await page.getByText('Edit client').click();
    await fillDate(page, 'Contract end date', '2026-12-31');
    await page.locator('#e-hours').fill('6');
    await page.locator('#e-contact-name').fill('Fran Fabrikam');
    await page.locator('#e-contact-email').fill('fran@fabrikam.example');
    await page.getByRole('button', { name: 'Save client' }).click();
    await page
      .getByRole('status')
      .getByText(/^Saved\./)
      .waitFor();
    await page.getByText('Fran Fabrikam <fran@fabrikam.example> (authorized signer)').waitFor();
    await page.getByText(/Ends 2026-12-31/).waitFor();
    await accessible(page);
    await page.getByRole('link', { name: 'All clients' }).click();
    await page.getByRole('link', { name: 'Bluebird Logistics' }).click();
    await fillDate(page, 'Notice date', '2026-12-01');
    // Two weeks is short for the default playbook: the preview says which tasks were brought forward, by title.
    await fillDate(page, 'Contract end', '2026-12-15');
    await page.getByLabel('New provider', { exact: true }).fill('Northwind IT');
    await page.getByLabel("New provider's contact email").fill('transition@northwind-it.example');
    await page.getByRole('button', { name: 'Preview the plan' }).click();
    await page.getByRole('heading', { name: /The plan: \d+ tasks, dates in America\/Chicago/ }).waitFor();
    await page.getByText(/short notice: \d+ tasks were brought forward/).waitFor();
    await accessible(page);
    await screenshot(page, 'start-preview-desktop');
    await page.getByRole('button', { name: 'Start this offboarding' }).click();
    await page.getByRole('heading', { name: 'Bluebird Logistics: switching to a new provider' }).waitFor();
    await page.getByRole('link', { name: 'All offboardings' }).click();
    await page.getByRole('row').filter({ hasText: 'Bluebird Logistics' }).waitFor();
    // Dashboard filters live in the address: a reload keeps them.
    await page.getByLabel('Health').selectOption('overdue');
    await page.waitForURL(/\?health=overdue/);
    await page.reload();
    await expect(page.getByLabel('Health').inputValue()).resolves.toBe('overdue');
    clean(w, [/400 POST \/api\/clients/, /status of 400/]);
    await page.context().close();
  });

  it('#12 (technician, on a phone): a menu instead of a three-row header, task lists as cards, nothing wider than the screen', async () => {
    const w = await signedIn('tom@acme-it.example', PHONE);
    const { page } = w;
    const header = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
    expect(header?.height).toBeLessThan(70);
    await screenshot(page, 'dashboard-phone');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'My tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await page
      .getByText(/Harbor Dental Group · due \d{4}-\d{2}-\d{2} \(America\/New_York\)/)
      .first()
      .waitFor();
    await accessible(page);
    await screenshot(page, 'my-tasks-phone');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Offboardings' }).click();
    await openHarbor(page);
    // Rows are cards: each cell shows its column's name.
    const cell = page.locator('tr[data-task="credential-inventory"] td').nth(1);
    await expect(
      cell.evaluate((td) => (globalThis as unknown as { getComputedStyle(e: unknown): { display: string } }).getComputedStyle(td).display),
    ).resolves.toBe('block');
    const width = await page.evaluate(
      () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await accessible(page);
    await screenshot(page, 'offboarding-phone');
    await openTask(page, 'Inventory every credential we hold');
    await screenshot(page, 'task-panel-phone');
    clean(w);
    await page.context().close();
  });

  it('sets up a new MSP from the one-time setup link, in the app, then signs in', async () => {
    const empty = await startServer(['--no-demo']);
    try {
      expect(empty.setupUrl).toMatch(/\/setup\?token=/);
      const w = await watchedPage(browser);
      const { page } = w;
      await page.goto(empty.setupUrl!);
      await page.getByRole('heading', { name: 'Set up offboard' }).waitFor();
      await accessible(page);
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
      clean(w);
      await page.context().close();
    } finally {
      await empty.close();
    }
  });

  it('edits a copy of the playbook, shows a problem at its field, rehearses it and publishes a version (manager)', async () => {
    const w = await signedIn('morgan@acme-it.example');
    const { page } = w;
    await page.getByRole('link', { name: 'Playbooks' }).click();
    await page.getByRole('heading', { name: /tasks$/ }).waitFor();
    await accessible(page);
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
    await accessible(page);
    await screenshot(page, 'playbook-editor-desktop');
    await when.fill('day 1');
    await page.getByRole('textbox', { name: 'Title' }).fill('Acknowledge the notice in writing, the same day');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByText('Valid: 28 tasks.').waitFor();
    await page.getByRole('button', { name: 'Rehearse', exact: true }).click();
    await page.getByRole('heading', { name: /^Rehearsal: \d+ notifications over \d+ days$/ }).waitFor();
    await page.getByRole('button', { name: 'Publish as a new version' }).click();
    await page.getByText(/Published as version 2/).waitFor();
    await page.getByRole('button', { name: /version 2/ }).waitFor();
    clean(w, [/400 POST \/api\/playbooks\/check/, /status of 400/]);
    await page.context().close();
  });

  it('photographs every main screen at 1440x900 and 390x844 (admin)', async () => {
    for (const [viewport, size] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      const w = await signedIn('ada@acme-it.example', viewport);
      const { page } = w;
      for (const [path, name, heading] of [
        ['/', 'dashboard', 'Offboardings'],
        ['/clients', 'clients', 'Clients'],
        ['/playbooks', 'playbooks', 'Playbooks'],
        ['/settings/people', 'settings', 'Settings: People'],
        ['/notifications', 'notifications', 'Notifications'],
        ['/profile', 'profile', 'My profile'],
        ['/my', 'my-tasks', 'My tasks'],
      ] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        await accessible(page);
        await screenshot(page, `${name}-${size}`);
      }
      clean(w);
      await page.context().close();
    }
  });
});
