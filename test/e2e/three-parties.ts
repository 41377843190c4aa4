/**
 * What the three-party browser tests share: mail as it arrives at the SMTP capture, the portal
 * link in it, staff API calls through a signed-in browser context, and the demo's Bluebird
 * Logistics offboarding with Northwind IT as the new provider.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { startSmtp } from '../smtp-fixture.ts';
import { DEMO_PASSWORD, type Server } from './browser.ts';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** The first mail to an address whose subject matches, waiting for it to arrive. */
export async function mailTo(smtp: Smtp, address: string, subject: RegExp, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const mail = smtp.received.find((m) => m.to.includes(address) && subject.test(m.subject));
    if (mail) return mail;
    if (Date.now() > until)
      throw new Error(`no mail to ${address} matching ${subject}; got: ${smtp.received.map((m) => `${m.to} ${m.subject}`).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const linkIn = (text: string): string => {
  const m = /(http:\/\/\S+\/portal\/open#[\w-]+)/.exec(text);
  if (!m?.[1]) throw new Error(`no portal link in: ${text}`);
  return m[1];
};

/** Staff calls through the signed-in browser context (its cookie), from the app's own origin. */
export async function staff(server: Server, context: BrowserContext, method: 'GET' | 'POST', path: string, data?: unknown) {
  const r = await context.request.fetch(`${server.url}${path}`, {
    method,
    headers: { origin: server.url, 'content-type': 'application/json' },
    ...(data === undefined ? {} : { data: JSON.stringify(data) }),
  });
  const body = r.headers()['content-type']?.includes('json') ? ((await r.json()) as Record<string, unknown>) : {};
  return { status: r.status(), body, raw: r };
}

/**
 * Signs in as the demo admin and starts Bluebird Logistics' switch to Northwind IT, today to a
 * month from now, with Sam Reed as the client's signer: the offboarding's id.
 */
export async function startBluebirdSwitch(server: Server, staffPage: Page): Promise<{ offboardingId: string; clientId: string }> {
  await staffPage.goto(server.url);
  await staffPage.getByLabel('Email').fill('ada@acme-it.example');
  await staffPage.getByLabel('Password').fill(DEMO_PASSWORD);
  await staffPage.getByRole('button', { name: 'Sign in' }).click();
  await staffPage.getByRole('heading', { name: 'Offboardings' }).waitFor();
  const ctx = staffPage.context();
  const clients = (await staff(server, ctx, 'GET', '/api/clients')).body.items as { id: string; name: string }[];
  const bluebird = clients.find((c) => c.name === 'Bluebird Logistics') as { id: string };
  const today = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const started = await staff(server, ctx, 'POST', '/api/offboardings', {
    clientId: bluebird.id,
    type: 'provider-switch',
    noticeDate: today,
    endDate: end,
    newProvider: { name: 'Northwind IT', contact: 'nick@northwind.example' },
  });
  if (started.status !== 201) throw new Error(`the offboarding did not start: ${JSON.stringify(started.body)}`);
  const offboardingId = started.body.id as string;
  const invited = await staff(server, ctx, 'POST', `/api/offboardings/${offboardingId}/parties`, {
    side: 'client',
    name: 'Sam Reed',
    email: 'sam@bluebird.example',
    canSign: true,
  });
  if (invited.status !== 201) throw new Error(`Sam Reed was not invited: ${JSON.stringify(invited.body)}`);
  return { offboardingId, clientId: bluebird.id };
}
