/**
 * The credential hand-over in Chromium (issue 14's proof): staff import a client's passwords from
 * a local server that speaks Hudu's API, decide what happens to each, record the change of one
 * before it goes; the client authorizes the credentials; the new provider downloads the age
 * export, which the test decrypts with the library, acknowledges receipt and confirms the changes;
 * a revocation is recorded with a screenshot; the evidence bundle verifies and says what happened
 * to each credential.
 */
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/cli/log-commands.ts';
import { ed25519, sha256 } from '../../src/crypto/node.ts';
import { verifyBundle } from '../../src/domain/evidence-bundle.ts';
import { parseVerifierKey } from '../../src/domain/signed-note.ts';
import { type PlatformServer, huduServer } from '../platform-servers.ts';
import { startSmtp } from '../smtp-fixture.ts';
import { SCREENSHOTS, type Server, launchBrowser, seriousViolations, startServer } from './browser.ts';
import { PHONE, screenshot, watchedPage } from './browser-helpers.ts';
import { linkIn, mailTo as mailToOf, staff as staffOf, startBluebirdSwitch } from './three-parties.ts';

let server: Server;
let browser: Browser;
let hudu: PlatformServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const KEY = 'e2e-hudu-key-0123456789';
const PW = { firewall: 'Fw-Admin-e2e-4c1d', m365: 'M365-Old-e2e-77aa', m365New: 'M365-New-e2e-90bb', rmm: 'Rmm-Key-e2e-1f2e' };

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  smtp = await startSmtp(() => new Date());
  hudu = await huduServer(KEY, {
    companies: [{ id: 7, name: 'Bluebird Logistics' }],
    asset_passwords: [
      { id: 71, company_id: 7, name: 'Core firewall admin', username: 'admin', password: PW.firewall, password_folder_name: 'Network' },
      {
        id: 72,
        company_id: 7,
        name: 'M365 global admin',
        username: 'admin@bluebird.example',
        password: PW.m365,
        password_folder_name: 'Cloud',
      },
      { id: 73, company_id: 7, name: 'RMM API key', password: PW.rmm, password_folder_name: 'API' },
    ],
  });
  server = await startServer([], {
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Acme IT <offboarding@acme-it.example>',
    OFFBOARD_OUTBOUND_ALLOW: '127.0.0.1',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await hudu?.close();
  await smtp?.close();
});

const mailTo = (address: string, subject: RegExp) => mailToOf(smtp, address, subject);
const staff = (context: BrowserContext, method: 'GET' | 'POST', path: string, data?: unknown) =>
  staffOf(server, context, method, path, data);

async function signIn(page: Page, card: ReturnType<Page['getByRole']>, name: string) {
  await card.getByLabel('Your full name, typed as your signature').fill(name);
  await card.getByRole('button', { name: 'Show me the statement' }).click();
  await card.getByLabel('I intend to sign this statement.').check();
  await card.getByLabel('I agree to sign it electronically.').check();
  await card.getByRole('button', { name: 'Sign' }).click();
  await page.getByText(/^Signed: .* It is on record below/).waitFor();
}

describe('the credential hand-over in Chromium', () => {
  it('imports from Hudu, decides, changes one first; the new provider takes the age export and confirms; revocation recorded; the bundle tells each fate', async () => {
    const staffPage = (await watchedPage(browser)).page;
    const { offboardingId, clientId } = await startBluebirdSwitch(server, staffPage);
    const ctx = staffPage.context();

    // Import the passwords, with the import's own screen.
    await staffPage.goto(`${server.url}/clients/${clientId}/credentials`);
    await staffPage.getByRole('heading', { name: 'Credentials of Bluebird Logistics' }).waitFor();
    await staffPage.getByText('Import passwords').click();
    await staffPage.getByLabel('From').selectOption('hudu');
    await staffPage.getByLabel('API address (blank: the saved connection)').fill(`${hudu.url}/api/v1`);
    await staffPage.getByLabel('API key').fill(KEY);
    await staffPage.getByRole('button', { name: 'Start the import' }).click();
    await staffPage.getByText(/^Created 3, updated 0, unchanged 0, skipped 0/).waitFor({ timeout: 30_000 });
    await staffPage.getByText(/3 credentials: 0 to the client/).waitFor();
    expect(await staffPage.content()).not.toContain(PW.firewall);

    // What happens to each, decided on screen; the inventory completes with the last.
    const decide = async (name: string, choice: string, words: string) => {
      const form = staffPage.getByRole('form', { name: 'What happens to the selected credentials' });
      // The list may still be settling from the last decision (which clears the selection): tick until the form shows.
      for (let attempt = 0; attempt < 5 && !(await form.isVisible()); attempt++) {
        await staffPage.getByLabel(`Select ${name}`).setChecked(true);
        await form.waitFor({ timeout: 2_000 }).catch(() => undefined);
      }
      await form.getByLabel(/selected: what happens to/).selectOption(choice);
      await form.getByRole('button', { name: 'Decide' }).click();
      // Decided, and the list read again: the row says so.
      await staffPage
        .getByRole('row', { name: new RegExp(name) })
        .getByText(words)
        .waitFor();
      await form.waitFor({ state: 'detached' });
    };
    await decide('Core firewall admin', 'hand-over:new-provider', 'hand over to the new provider');
    await decide('M365 global admin', 'rotate-then-hand-over:new-provider', 'change, then hand over to the new provider');
    await decide('RMM API key', 'revoke:', "revoke (the MSP's own access)");
    await staffPage.getByText(/Every credential has a disposition\./).waitFor();

    // A secret on request (recorded), and the change of the one to change first.
    const firewallRow = staffPage.getByRole('row', { name: /Core firewall admin/ });
    await firewallRow.getByRole('button', { name: 'Show secret' }).click();
    await expect(
      staffPage.getByRole('group', { name: 'The secret of Core firewall admin' }).getByLabel('Password').inputValue(),
    ).resolves.toBe(PW.firewall);
    expect(await seriousViolations(staffPage)).toEqual([]);
    await screenshot(staffPage, 'credentials-desktop');
    await staffPage
      .getByRole('row', { name: /M365 global admin/ })
      .getByRole('button', { name: 'Record the change' })
      .click();
    await staffPage.getByLabel('The new secret, as set at M365 global admin').fill(PW.m365New);
    await staffPage.getByRole('button', { name: 'Record', exact: true }).click();
    await staffPage.getByText('Recorded the change of M365 global admin').waitFor();

    // The client authorizes the credentials in the portal; the new provider is let in.
    const invitation = await mailTo('sam@bluebird.example', /the hand-over of Bluebird Logistics/);
    const client = await watchedPage(browser, PHONE);
    await client.page.goto(linkIn(invitation.text));
    const authorize = client.page.getByRole('region', { name: 'Authorize the hand-over to your new provider' });
    await authorize.getByLabel('The passwords and accounts for our systems').check();
    await signIn(client.page, authorize, 'Sam Reed');

    const providerMail = await mailTo('nick@northwind.example', /the hand-over of Bluebird Logistics/);
    const provider = await watchedPage(browser, PHONE);
    await provider.page.goto(linkIn(providerMail.text));
    const card = provider.page.getByRole('region', { name: 'Credentials', exact: true });
    await card.getByText('Core firewall admin').waitFor();
    expect(await card.getByText('RMM API key').count()).toBe(0);
    const identity = await generateIdentity();
    await card.getByLabel('Or your age public key').fill(await identityToRecipient(identity));
    const [download] = await Promise.all([
      provider.page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download encrypted' }).click(),
    ]);
    const encrypted = readFileSync(await download.path());
    for (const secret of Object.values(PW)) expect(encrypted.includes(secret)).toBe(false);
    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const rows = parse<Record<string, string>>(await decrypter.decrypt(new Uint8Array(encrypted), 'text'), { columns: true });
    expect(rows.map((r) => [r.name, r.password])).toEqual([
      ['Core firewall admin', PW.firewall],
      ['M365 global admin', PW.m365New],
    ]);
    expect(await seriousViolations(provider.page)).toEqual([]);
    await card.screenshot({ path: `${SCREENSHOTS}/portal-credentials-phone.png` });

    // Receipt acknowledged in the new provider's words; the changes confirmed.
    const ack = card.getByRole('region', { name: 'Acknowledge receipt of the credentials' });
    await ack.waitFor({ timeout: 10_000 });
    await ack.getByLabel('Your full name, typed as your signature').fill('Nick Northwind');
    await ack.getByRole('button', { name: 'Show me the statement' }).click();
    expect(await ack.getByLabel('The statement').textContent()).toContain('the 2 credentials of Bluebird Logistics handed over to it');
    await ack.getByLabel('I intend to sign this statement.').check();
    await ack.getByLabel('I agree to sign it electronically.').check();
    await ack.getByRole('button', { name: 'Sign' }).click();
    await card.getByText(/Receipt of 2 acknowledged by Nick Northwind/).waitFor();
    await card.getByRole('button', { name: 'All changed' }).click();
    await card
      .getByText(/Changed, confirmed/)
      .first()
      .waitFor();

    // A revocation recorded with its screenshot.
    await staffPage.goto(`${server.url}/offboardings/${offboardingId}`);
    const revocations = staffPage.getByRole('region', { name: 'Revocation' });
    await revocations.getByText('RMM API key').waitFor();
    await revocations.getByRole('button', { name: 'Record the revocation' }).click();
    const now = new Date(Date.now() + 60_000);
    const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await revocations.getByLabel('Attempted at').fill(local);
    await revocations.getByLabel('Screenshot of the failed login').setInputFiles({
      name: 'rmm-key-refused.png',
      mimeType: 'image/png',
      buffer: Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]),
    });
    await revocations.getByRole('button', { name: 'Record', exact: true }).click();
    await revocations.getByText(/verified by a failed login at .* \(screenshot rmm-key-refused\.png/).waitFor();
    expect(await seriousViolations(staffPage)).toEqual([]);

    // The bundle verifies, and says what happened to each credential.
    const bundle = await ctx.request.get(`${server.url}/api/offboardings/${offboardingId}/evidence`);
    expect(bundle.status()).toBe(200);
    const log = (await staff(ctx, 'GET', '/api/log')).body as { verifierKeys: { verifierKey: string }[] };
    const verdict = verifyBundle(readBundle(new Uint8Array(await bundle.body())), {
      keys: log.verifierKeys.map((k) => parseVerifierKey(sha256, k.verifierKey)),
      sha256,
      ed25519,
    });
    expect(verdict.problems).toEqual([]);
    const words = [...verdict.summary, ...verdict.facts].join('\n');
    expect(words).toContain('credential "Core firewall admin": hand over to the new provider');
    expect(words).toContain('credential "M365 global admin": change, then hand over to the new provider');
    expect(words).toContain('credential "M365 global admin" changed at the system before the hand-over');
    expect(words).toContain('credential "RMM API key": revoke (the MSP\'s own access)');
    expect(words).toMatch(/2 credentials exported in the portal to the new provider, encrypted with age for their public key/);
    expect(words).toMatch(/acknowledgement of receipt of the credentials signed by Nick Northwind/);
    expect(words).toMatch(/the new provider confirmed changing "Core firewall admin", "M365 global admin"/);
    expect(words).toMatch(/revocation: RMM API key: revoked on .*, verified by a failed login at .* \(screenshot rmm-key-refused\.png/);
    // And each credential's fate in one line.
    expect(words).toMatch(
      /credential "Core firewall admin": hand over to the new provider; exported, encrypted with age, to the new provider on \d{4}-\d\d-\d\d; confirmed changed by the new provider on \d{4}-\d\d-\d\d/,
    );
    expect(words).toMatch(/credential "RMM API key": revoke \(the MSP's own access\); revoked on .*, verified by a failed login/);
    for (const secret of Object.values(PW)) expect(words).not.toContain(secret);
  });
});
