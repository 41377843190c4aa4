/**
 * Email over SMTP with nodemailer: host, port, TLS and auth from the server's URL (the operator's)
 * or from the MSP's settings (through the outbound guard).
 */
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import { resolveOutbound } from '../outbound.ts';

export type SmtpSettings = {
  host: string;
  port: number;
  /** tls: TLS from the start (465); starttls: upgrade, and refuse to send without it; none: plain (local relays only). */
  security: 'tls' | 'starttls' | 'none';
  username?: string | undefined;
  password?: string | undefined;
};

export type MailConfig = {
  /** smtp://user:pass@host:587 (STARTTLS when offered), smtps://... for TLS from the start; or explicit settings. */
  url?: string | undefined;
  smtp?: SmtpSettings | undefined;
  from: string;
};

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  attachments?: { filename: string; contentType: string; content: string; encoding?: 'base64' | undefined }[] | undefined;
};

export type Mailer = { send: (mail: OutgoingMail) => Promise<void>; close: () => void };

/** Which mailer sends for a tenant: its own SMTP settings, else the server's. */
export type MailerSource = {
  forTenant: (tenantId: string) => Promise<Mailer | undefined>;
  close: () => void;
};

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | undefined {
  if (!env.SMTP_URL) return undefined;
  return { url: env.SMTP_URL, from: env.MAIL_FROM ?? 'offboard <offboard@localhost>' };
}

export function createMailer(config: MailConfig): Mailer {
  const smtp = config.smtp;
  const transportFor = (host: string, servername?: string) =>
    smtp
      ? nodemailer.createTransport({
          host,
          port: smtp.port,
          secure: smtp.security === 'tls',
          requireTLS: smtp.security === 'starttls',
          ignoreTLS: smtp.security === 'none',
          connectionTimeout: 10_000,
          pool: true,
          ...(servername ? { tls: { servername } } : {}),
          ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
        })
      : nodemailer.createTransport(pooled(config.url ?? ''));
  // An MSP's own SMTP server is reached through the outbound guard: we connect to the address it
  // checked, and TLS still verifies the certificate against the configured name.
  let transport: Promise<ReturnType<typeof transportFor>> | undefined;
  const open = () =>
    (transport ??= smtp
      ? resolveOutbound(smtp.host).then(([first]) => {
          const address = (first as { address: string }).address;
          return transportFor(address, isIP(smtp.host) ? undefined : smtp.host);
        })
      : Promise.resolve(transportFor('')));
  return {
    send: async (mail) => {
      const opened = open();
      opened.catch(() => {
        transport = undefined; // a refused or unresolvable host is looked up again next time
      });
      // The Message-ID is derived from the delivery, so a resend after a crash is recognisable as the same message.
      await (
        await opened
      ).sendMail({
        from: config.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.attachments?.length ? { attachments: mail.attachments } : {}),
      });
    },
    close: () => {
      void transport?.then(
        (t) => t.close(),
        () => undefined,
      );
    },
  };
}

/**
 * Connections are pooled and reused: a busy worker sends over a few open connections instead of
 * one new connection (and TLS handshake) per message. `pool=false` in the URL turns that off.
 */
function pooled(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('pool')) parsed.searchParams.set('pool', 'true');
  return parsed.toString();
}

/** The same mailer for every tenant (or none). */
export function fixedMailer(mailer: Mailer | undefined): MailerSource {
  return { forTenant: () => Promise.resolve(mailer), close: () => mailer?.close() };
}

/** SMTP answers 5xx for what will never succeed (no such mailbox, rejected); everything else may pass on a retry. */
export function isPermanentMailError(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
