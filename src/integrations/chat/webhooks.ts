/**
 * Team chat webhooks: Slack incoming webhooks (text + blocks, answers 200 "ok") and Microsoft
 * Teams Workflows webhooks (Adaptive Cards only). Errors: 4xx will not succeed on a retry
 * (Slack's 404 no_service, 410 channel_is_archived, ...); 5xx and network errors may.
 */
import { guardedFetch } from '../outbound.ts';

export type ChatKind = 'slack' | 'teams';

export type ChatMessage = { title: string; text: string; facts: { title: string; value: string }[] };

export function chatPayload(kind: ChatKind, m: ChatMessage): unknown {
  switch (kind) {
    case 'slack': {
      const facts = m.facts.map((f) => `*${f.title}:* ${f.value}`).join('\n');
      return {
        text: `${m.title}\n${m.text}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*${m.title}*\n${m.text}` } },
          { type: 'section', text: { type: 'mrkdwn', text: facts } },
        ],
      };
    }
    case 'teams':
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: m.title, weight: 'Bolder', wrap: true },
                { type: 'TextBlock', text: m.text, wrap: true },
                { type: 'FactSet', facts: m.facts },
              ],
            },
          },
        ],
      };
  }
}

export type PostResult = { ok: true } | { ok: false; permanent: boolean; reason: string };

export async function postWebhook(url: string, payload: unknown, timeoutMs = 10_000): Promise<PostResult> {
  let res: Awaited<ReturnType<typeof guardedFetch>>;
  try {
    res = await guardedFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, permanent: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const body = (await res.text()).slice(0, 300);
  if (res.ok) return { ok: true };
  return { ok: false, permanent: res.status >= 400 && res.status < 500 && res.status !== 429, reason: `${res.status} ${body}`.trim() };
}
