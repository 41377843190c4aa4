/**
 * The three parties in Chromium, with a real SMTP capture (issue 12's proof): staff invite the
 * client's signer; the client opens the emailed link on a phone, reads and signs the
 * authorization; only then does the new provider's invitation go out, with the client copied;
 * the new provider attests a verified backup; the gated task completes; the evidence bundle
 * verifies and names both signatures as signed in the portal.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, sha256 } from '../../src/crypto/node.ts';
import { verifyBundle } from '../../src/domain/evidence-bundle.ts';
import { parseVerifierKey } from '../../src/domain/signed-note.ts';
import { readBundle } from '../../src/cli/log-commands.ts';
import { startSmtp } from '../smtp-fixture.ts';
import { SCREENSHOTS, type Server, launchBrowser, seriousViolations, startServer } from './browser.ts';
import { PHONE, screenshot, watchedPage } from './browser-helpers.ts';
import { linkIn, mailTo as mailToOf, staff as staffOf, startBluebirdSwitch } from './three-parties.ts';

let server: Server;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  smtp = await startSmtp(() => new Date());
  server = await startServer([], { SMTP_URL: smtp.url, MAIL_FROM: 'Acme IT <offboarding@acme-it.example>' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.close();
});

const mailTo = (address: string, subject: RegExp) => mailToOf(smtp, address, subject);
const staff = (context: BrowserContext, method: 'GET' | 'POST', path: string, data?: unknown) =>
  staffOf(server, context, method, path, data);

async function phone(): Promise<{ page: Page; problems: string[] }> {
  return watchedPage(browser, PHONE);
}

describe('the portal in Chromium', () => {
  it('client signs on a phone, then the new provider is let in with the client copied, attests a backup, and the record says so', async () => {
    const staffPage = (await watchedPage(browser)).page;
    const { offboardingId } = await startBluebirdSwitch(server, staffPage);
    const ctx = staffPage.context();
    const today = new Date().toISOString().slice(0, 10);
    expect(smtp.received.some((m) => m.to.includes('northwind'))).toBe(false);

    // The client, on a phone: the emailed link, the plain-words view, the statement, the signature.
    const invitation = await mailTo('sam@bluebird.example', /the hand-over of Bluebird Logistics/);
    const client = await phone();
    await client.page.goto(linkIn(invitation.text));
    await client.page.getByRole('heading', { name: /Bluebird Logistics: IT hand-over from Acme IT Services/ }).waitFor();
    expect(client.page.url()).toBe(`${server.url}/portal/home`);
    await client.page.getByRole('heading', { name: 'Waiting on you' }).waitFor();
    expect(await seriousViolations(client.page)).toEqual([]);
    await screenshot(client.page, 'portal-client-phone');
    const sign = client.page.getByRole('region', { name: 'Authorize the hand-over to your new provider' });
    await sign.getByLabel('The documentation of our systems', { exact: false }).check();
    await sign.getByLabel('The passwords and accounts for our systems').check();
    await sign.getByLabel('Your full name, typed as your signature').fill('Sam Reed');
    await sign.getByRole('button', { name: 'Show me the statement' }).click();
    const statement = await sign.getByLabel('The statement').textContent();
    expect(statement).toContain('Bluebird Logistics authorizes Acme IT Services to hand the following to Northwind IT');
    expect(statement).toContain('Signed electronically by Sam Reed <sam@bluebird.example>');
    await sign.getByLabel('I intend to sign this statement.').check();
    await sign.getByLabel('I agree to sign it electronically.').check();
    expect(await seriousViolations(client.page)).toEqual([]);
    await screenshot(client.page, 'portal-sign-phone');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await client.page.getByText(/^Signed: .* It is on record below/).waitFor();

    // Only now does the new provider hear from us, and the client receives a copy.
    const providerMail = await mailTo('nick@northwind.example', /the hand-over of Bluebird Logistics/);
    await mailTo('sam@bluebird.example', /^Copy: Northwind IT was invited/);
    const certificate = await mailTo('sam@bluebird.example', /^Your signed statement: Authorization to hand over/);
    expect(certificate.attachments.map((a) => `${a.filename} ${a.contentType}`)).toEqual([
      'signing-certificate-authorization.pdf application/pdf',
    ]);
    const provider = await phone();
    await provider.page.goto(linkIn(providerMail.text));
    await provider.page.getByRole('heading', { name: /Bluebird Logistics: IT hand-over/ }).waitFor();
    const backup = provider.page.getByRole('region', { name: 'Confirm a verified backup' });
    await backup.getByLabel('Backup product').fill('Veeam Data Platform');
    await backup.getByLabel('Date of the successful test restore').fill(today);
    await backup.getByLabel('The report of the test restore', { exact: false }).setInputFiles({
      name: 'restore-report.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 test restore of FS01: 1,204 files, checksums match'),
    });
    await backup.getByLabel('Your full name, typed as your signature').fill('Nick North');
    await backup.getByRole('button', { name: 'Show me the statement' }).click();
    // The statement names the report by its digest: what was signed is tied to those bytes.
    const reportDigest = createHash('sha256').update('%PDF-1.4 test restore of FS01: 1,204 files, checksums match').digest('hex');
    expect(await backup.getByLabel('The statement').textContent()).toContain(
      `The report of that restore is the file restore-report.pdf, SHA-256 ${reportDigest}.`,
    );
    await backup.getByLabel('I intend to sign this statement.').check();
    await backup.getByLabel('I agree to sign it electronically.').check();
    await backup.getByRole('button', { name: 'Sign' }).click();
    await provider.page.getByText(/^Signed: .* It is on record below/).waitFor();
    expect(await seriousViolations(provider.page)).toEqual([]);
    await screenshot(provider.page, 'portal-new-provider-phone');

    // The new provider writes in the conversation; the client receives it, word for word.
    const conversation = provider.page.getByRole('region', { name: 'Conversation with the new provider' });
    await conversation.getByLabel('Your message').fill('Backup verified. Could we get the firewall admin account on Friday?');
    await conversation.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText('Sent to everyone in the conversation.').waitFor();
    await conversation.getByText('Could we get the firewall admin account on Friday?').waitFor();
    const copy = await mailTo('sam@bluebird.example', /hand-over: message from .*Northwind IT/);
    expect(copy.text).toContain('Backup verified. Could we get the firewall admin account on Friday?');
    expect(await seriousViolations(provider.page)).toEqual([]);

    // The gated task now completes; the bundle verifies and names both signatures by what backs them.
    const detail = await staff(ctx, 'GET', `/api/offboardings/${offboardingId}`);
    const backupTask = (detail.body.tasks as { id: string; key: string }[]).find((t) => t.key === 'backup-transition') as { id: string };
    const done = await staff(ctx, 'POST', `/api/tasks/${backupTask.id}/complete`, {});
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const status = await staff(ctx, 'GET', '/api/log');
    const bundle = await staff(ctx, 'GET', `/api/offboardings/${offboardingId}/evidence?includeFiles=true`);
    expect(bundle.status).toBe(200);
    const keys = (status.body.verifierKeys as { verifierKey: string }[]).map((k) => parseVerifierKey(sha256, k.verifierKey));
    const verdict = verifyBundle(readBundle(Buffer.from(await bundle.raw.body())), { keys, sha256, ed25519 });
    expect(verdict.problems).toEqual([]);
    const facts = verdict.facts.join('\n');
    expect(facts).toMatch(/authorization to hand over to the new provider signed by Sam Reed <sam@bluebird.example> in the portal/);
    expect(facts).toMatch(/attestation of a verified backup signed by Nick North <nick@northwind.example> in the portal/);
    expect(facts).not.toMatch(/recorded from a signed document/);
    expect(facts).toMatch(
      /marked done with 1 evidence file; backup-handoff: attestation of a verified backup signed by Nick North in the portal \[backup-transition\]/,
    );
    // That file is the new provider's restore report, filed on the task in their name.
    expect(facts).toMatch(/evidence "restore-report.pdf" attached to backup-transition/);

    // Staff see both signatures on the offboarding, with their certificates.
    await staffPage.goto(`${server.url}/offboardings/${offboardingId}`);
    const parties = staffPage.getByRole('region', { name: 'Client and new provider' });
    await parties.getByText(/authorization: signed in the portal by Sam Reed/).waitFor();
    await parties.getByText(/backup-verified: signed in the portal by Nick North/).waitFor();
    expect(await parties.getByText(/Client’s written authorization: on file/).count()).toBe(1);
    // The activity says what backs each step, in the signer's name.
    await staffPage
      .getByText(/Sam Reed <sam@bluebird.example> \(Client\) signed “Authorization to hand over to the new provider” in the portal/)
      .waitFor();
    expect(await seriousViolations(staffPage)).toEqual([]);
    await screenshot(staffPage, 'offboarding-parties-desktop');
    const href = (await parties.getByRole('link', { name: 'signing certificate (PDF)' }).first().getAttribute('href')) as string;
    const pdf = await ctx.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(
      createHash('sha256')
        .update(await pdf.body())
        .digest('hex'),
    ).toBe(pdf.headers()['x-content-sha256']);
  });
});
