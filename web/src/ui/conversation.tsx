/**
 * The conversation between the MSP and the new provider, the client in it: the same list and form
 * on the staff offboarding page and in the portal. Everyone in it receives every message by email.
 */
import { type FormEvent, useState } from 'react';
import { type ApiError, asApiError } from '../api/client.ts';
import { ErrorNote } from './page.tsx';

export type ConversationMessage = {
  id: string;
  side: 'msp' | 'client' | 'new-provider';
  authorName: string;
  body: string;
  createdAt: string;
};

const SIDE: Record<ConversationMessage['side'], string> = { msp: 'MSP', client: 'client', 'new-provider': 'new provider' };

export function Conversation({
  messages,
  send,
  open,
  who,
  closed,
}: {
  messages: readonly ConversationMessage[];
  send: (body: string) => Promise<unknown>;
  /** Whether messages can be written now (the client's authorization is on file). */
  open: boolean;
  /** Who receives what is written here, in words. */
  who: string;
  /** Why nothing can be written now. */
  closed: string;
}) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const value = new FormData(form).get('body');
    const body = typeof value === 'string' ? value : '';
    setError(undefined);
    setSent(false);
    setBusy(true);
    try {
      await send(body);
      form.reset();
      setSent(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="conversation-title" className="conversation">
      <h2 id="conversation-title">Conversation with the new provider</h2>
      <p className="muted">{who}</p>
      {messages.length === 0 ? <p className="muted">No messages yet.</p> : null}
      <ol className="messages">
        {messages.map((m) => (
          <li key={m.id} className={`message ${m.side}`}>
            <p className="message-head">
              <strong>{m.authorName}</strong> ({SIDE[m.side]}),{' '}
              <time dateTime={m.createdAt}>
                {new Date(m.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
              </time>
            </p>
            <p className="message-body">{m.body}</p>
          </li>
        ))}
      </ol>
      {open ? (
        <form onSubmit={(e) => void submit(e)}>
          <label htmlFor="message-body">Your message</label>
          <textarea id="message-body" name="body" rows={3} required maxLength={10_000} />
          <ErrorNote error={error} />
          {sent ? (
            <p className="note" role="status">
              Sent to everyone in the conversation.
            </p>
          ) : null}
          <button type="submit" disabled={busy}>
            {busy ? 'Sending…' : 'Send'}
          </button>
        </form>
      ) : (
        <p className="muted">{closed}</p>
      )}
    </section>
  );
}
