/**
 * The documentation hand-over in Chromium (issue 13's proof): staff import a client's
 * documentation from a local server that speaks IT Glue's API, with the progress shown; fill the
 * ownership register in one bulk change; build the package; the client downloads it in the portal
 * (the bytes are the digest shown) and signs the acknowledgement of receipt, which completes the
 * package task; the new provider gets nothing before the client's authorization, and after it only
 * its own copy, without the MSP's items.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlatformServer, itGlueServer } from '../platform-servers.ts';
import { startSmtp } from '../smtp-fixture.ts';
import { SCREENSHOTS, type Server, launchBrowser, seriousViolations, startServer } from './browser.ts';
import { PHONE, screenshot, watchedPage } from './browser-helpers.ts';
import { linkIn, mailTo as mailToOf, staff as staffOf, startBluebirdSwitch } from './three-parties.ts';
import type { Browser } from 'playwright-core';

let server: Server;
let browser: Browser;
let itGlue: PlatformServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const KEY = 'e2e-itglue-key-0123456789';

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  smtp = await startSmtp(() => new Date());
  itGlue = await itGlueServer(
    KEY,
    {
      '/organizations': [{ id: '41', attributes: { name: 'Bluebird Logistics', 'psa-id': null } }],
      '/organizations/41/relationships/configurations': Array.from({ length: 30 }, (_, i) => ({
        id: String(900 + i),
        attributes: {
          name: `BLUEBIRD-${String(i).padStart(2, '0')}`,
          'primary-ip': `10.20.0.${i + 10}`,
          'configuration-type-name': i === 0 ? 'Firewall' : 'Workstation',
          archived: false,
        },
      })),
      '/organizations/41/relationships/passwords': [],
    },
    10,
  );
  server = await startServer([], {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Acme IT <offboarding@acme-it.example>',
    // The documentation platform is this machine's local server.
    OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await itGlue?.close();
  await smtp?.close();
});

const mailTo = (address: string, subject: RegExp) => mailToOf(smtp, address, subject);
const staff = (context: BrowserContext, method: 'GET' | 'POST', path: string, data?: unknown) =>
  staffOf(server, context, method, path, data);

/** Downloads what a link serves, through the page, and reads the file. */
async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFileSync(await file.path());
}

describe('the documentation hand-over in Chromium', () => {
  it('imports from IT Glue, fills the register, builds the package; the client downloads and acknowledges; the new provider gets only its copy, after the authorization', async () => {
    const staffPage = (await watchedPage(browser)).page;
    const { offboardingId, clientId } = await startBluebirdSwitch(server, staffPage);
    const ctx = staffPage.context();

    // The platform saved once in the settings, its key never shown again.
    await staffPage.goto(`${server.url}/settings/documentation`);
    const platform = staffPage.getByRole('region', { name: 'IT Glue' });
    await platform.getByLabel('API address').fill(itGlue.url);
    await platform.getByLabel('API key').fill(KEY);
    await platform.getByRole('button', { name: 'Connect' }).click();
    await platform.getByText('IT Glue saved. Its key is sealed and will not be shown again.').waitFor();
    await platform.getByText(`Connected to ${itGlue.url}.`).waitFor();
    expect(await staffPage.content()).not.toContain(KEY);

    // Import, with its progress, then the summary.
    await staffPage.goto(`${server.url}/clients/${clientId}/documentation`);
    await staffPage.getByRole('heading', { name: 'Documentation of Bluebird Logistics' }).waitFor();
    await staffPage.getByText('Import documentation').click();
    await staffPage.getByLabel('From').selectOption('itglue');
    await staffPage.getByRole('button', { name: 'Start the import' }).click();
    await staffPage.getByText(/^Created 30, updated 0, unchanged 0, skipped 0/).waitFor({ timeout: 30_000 });
    expect(itGlue.requests.filter((r) => r.includes('configurations')).length).toBe(3);

    // The ownership register in one bulk change; one item is the MSP's and stays internal.
    await staffPage.getByText(/30 items: the client 0/).waitFor();
    await staffPage.getByLabel('Select every item shown').check();
    await staffPage.getByRole('region', { name: 'Change the selected items' }).getByRole('button', { name: 'The client' }).click();
    await staffPage.getByText(/The ownership register is complete\./).waitFor();
    await staffPage.getByRole('button', { name: 'BLUEBIRD-29' }).click();
    const edit = staffPage.getByRole('form', { name: 'Edit BLUEBIRD-29' });
    await edit.getByLabel('Owner').selectOption('msp');
    await edit.getByLabel('MSP-internal: never handed over').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await staffPage.getByText(/1 MSP-internal \(never handed over\)/).waitFor();
    expect(await seriousViolations(staffPage)).toEqual([]);
    await screenshot(staffPage, 'documentation-desktop');

    // Nothing goes to the new provider before the client authorizes it.
    const refused = await staff(ctx, 'POST', `/api/offboardings/${offboardingId}/packages`, { audience: 'new-provider' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('no authorization covering documentation is on file');
    expect(smtp.received.some((m) => m.to.includes('northwind'))).toBe(false);

    await staffPage.goto(`${server.url}/offboardings/${offboardingId}`);
    await staffPage.getByRole('button', { name: 'Build for the client' }).click();
    const versions = staffPage.getByRole('table', { name: 'Versions, newest first' });
    await versions.getByText('v1').waitFor();
    expect(await seriousViolations(staffPage)).toEqual([]);

    await mailTo('sam@bluebird.example', /the documentation package of Bluebird Logistics is ready \(version 1\)/);
    // The client downloads in the portal: the bytes are the digest the page shows.
    const invitation = await mailTo('sam@bluebird.example', /the hand-over of Bluebird Logistics/);
    const client = await watchedPage(browser, PHONE);
    await client.page.goto(linkIn(invitation.text));
    const card = client.page.getByRole('region', { name: 'Documentation package' });
    await card.getByText('Your copy, version 1').waitFor();
    const shown = (await card.locator('code').first().textContent()) ?? '';
    const zip = await download(client.page, card.getByRole('link', { name: 'Download (zip)' }));
    expect(createHash('sha256').update(zip).digest('hex')).toBe(shown);
    const files = unzipSync(new Uint8Array(zip));
    expect(new TextDecoder().decode(files['client-owned/devices.csv'])).toContain('BLUEBIRD-00');
    expect(Buffer.from(zip).toString('latin1')).not.toContain('BLUEBIRD-29');

    // Then acknowledges receipt, which completes the package task once the gates allow.
    const ack = card.getByRole('region', { name: 'Acknowledge receipt of the documentation package' });
    await ack.waitFor({ timeout: 10_000 });
    await ack.getByLabel('Your full name, typed as your signature').fill('Sam Reed');
    await ack.getByRole('button', { name: 'Show me the statement' }).click();
    expect(await ack.getByLabel('The statement').textContent()).toContain(
      `a zip file of ${Object.keys(files).length} files with the SHA-256 ${shown}`,
    );
    await ack.getByLabel('I intend to sign this statement.').check();
    await ack.getByLabel('I agree to sign it electronically.').check();
    expect(await seriousViolations(client.page)).toEqual([]);
    await ack.getByRole('button', { name: 'Sign' }).click();
    await card.getByText(/Receipt acknowledged by Sam Reed/).waitFor();
    await card.screenshot({ path: join(SCREENSHOTS, 'portal-package-phone.png') });

    // The client authorizes the documentation; the new provider is let in and gets only its copy.
    const sign = client.page.getByRole('region', { name: 'Authorize the hand-over to your new provider' });
    await sign.getByLabel('The documentation of our systems', { exact: false }).check();
    await sign.getByLabel('Your full name, typed as your signature').fill('Sam Reed');
    await sign.getByRole('button', { name: 'Show me the statement' }).click();
    await sign.getByLabel('I intend to sign this statement.').check();
    await sign.getByLabel('I agree to sign it electronically.').check();
    await sign.getByRole('button', { name: 'Sign' }).click();
    await client.page.getByText(/^Signed: .* It is on record below/).waitFor();
    const built = await staff(ctx, 'POST', `/api/offboardings/${offboardingId}/packages`, { audience: 'new-provider' });
    expect(built.status, JSON.stringify(built.body)).toBe(201);
    const providerMail = await mailTo('nick@northwind.example', /the hand-over of Bluebird Logistics/);
    const provider = await watchedPage(browser, PHONE);
    await provider.page.goto(linkIn(providerMail.text));
    const theirs = provider.page.getByRole('region', { name: 'Documentation package' });
    await theirs.getByText('Your copy, version 1').waitFor();
    expect(await theirs.getByText(/version 2/).count()).toBe(0);
    const providerZip = unzipSync(new Uint8Array(await download(provider.page, theirs.getByRole('link', { name: 'Download (zip)' }))));
    expect(Object.keys(providerZip).some((p) => p.startsWith('msp-owned/'))).toBe(false);
    expect(new TextDecoder().decode(providerZip['client-owned/devices.csv'])).toContain('BLUEBIRD-00');
    // The client sees the new provider's copy too, and its own new version.
    await client.page.reload();
    await card.getByText('The copy for Northwind IT, version 1').waitFor();
    await card.getByText('Your copy, version 2').waitFor();

    // The package task: completed on the client's acknowledgement once the authorization covered the documentation.
    const detail = await staff(ctx, 'GET', `/api/offboardings/${offboardingId}`);
    const task = (detail.body.tasks as { key: string; status: string }[]).find((t) => t.key === 'documentation-package');
    expect(task?.status).toBe('done');
  });
});
