/** A real SMTP server on 127.0.0.1 (the smtp-server package) that keeps what it receives; `nobody@` addresses are refused with 550. */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  date: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

export type ReceivedMailWithFrom = ReceivedMail & { from: string };

/** With `auth`, the server accepts only those credentials (over plain SMTP, as a local relay would). */
export async function startSmtp(
  now: () => Date,
  options: { auth?: { user: string; pass: string } } = {},
): Promise<{ url: string; port: number; received: ReceivedMailWithFrom[]; close: () => Promise<void> }> {
  const received: ReceivedMailWithFrom[] = [];
  const smtp = new SMTPServer({
    authOptional: !options.auth,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass)
        return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('5.1.1 No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            date: now().toISOString().slice(0, 10),
            to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId ?? '',
            from: mail.from?.text ?? '',
            attachments: mail.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
          });
          callback();
        })
        .catch(callback);
    },
  });
  // A sender that dies mid-message (the crash tests SIGKILL workers) resets its connection; smtp-server
  // reports that as an 'error' event, which would be an uncaught exception without a listener.
  smtp.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    port: (smtp.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
