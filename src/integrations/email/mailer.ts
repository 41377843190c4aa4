/** Email over SMTP with nodemailer: host, port, TLS and auth from one URL. */
import nodemailer from 'nodemailer';

export type MailConfig = {
  /** smtp://user:pass@host:587 (STARTTLS when offered), smtps://... for TLS from the start. */
  url: string;
  from: string;
};

export type OutgoingMail = { to: string; subject: string; text: string; messageId: string };

export type Mailer = { send: (mail: OutgoingMail) => Promise<void>; close: () => void };

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | undefined {
  if (!env.SMTP_URL) return undefined;
  return { url: env.SMTP_URL, from: env.MAIL_FROM ?? 'offboard <offboard@localhost>' };
}

export function createMailer(config: MailConfig): Mailer {
  const transport = nodemailer.createTransport(config.url);
  return {
    send: async (mail) => {
      // The Message-ID is derived from the delivery, so a resend after a crash is recognisable as the same message.
      await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
    },
    close: () => transport.close(),
  };
}

/** SMTP answers 5xx for what will never succeed (no such mailbox, rejected); everything else may pass on a retry. */
export function isPermanentMailError(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
