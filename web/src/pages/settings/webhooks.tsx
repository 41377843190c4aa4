/** Every PSA webhook received: processed (and what it did), a duplicate, or rejected with the reason. */
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client.ts';
import { Loading, Table } from '../../ui/page.tsx';

const OUTCOMES = { processed: 'Processed', duplicate: 'Duplicate (already handled)', rejected: 'Rejected' } as const;
type Outcome = keyof typeof OUTCOMES;

export function WebhookLog() {
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const deliveries = $api.useQuery('get', '/api/webhook-deliveries', {
    params: { query: { limit: 200, ...(outcome ? { outcome } : {}) } },
  });
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhook log</h2>
      <label>
        Show{' '}
        <select value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | '')}>
          <option value="">Everything</option>
          {(Object.keys(OUTCOMES) as Outcome[]).map((o) => (
            <option key={o} value={o}>
              {OUTCOMES[o]}
            </option>
          ))}
        </select>
      </label>
      <Loading query={deliveries}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">No webhooks received yet.</p>
          ) : (
            <Table
              caption="PSA webhooks received, newest first"
              rows={items}
              rowKey={(d) => d.id}
              columns={[
                { header: 'Received', cell: (d) => <time dateTime={d.receivedAt}>{d.receivedAt.slice(0, 16).replace('T', ' ')} UTC</time> },
                { header: 'Outcome', cell: (d) => <span className={`badge webhook-${d.outcome}`}>{OUTCOMES[d.outcome]}</span> },
                {
                  header: 'What it did',
                  cell: (d) => (
                    <>
                      {d.result ?? d.reason ?? ''}
                      {d.offboardingId ? (
                        <>
                          {' '}
                          <Link to="/offboardings/$id" params={{ id: d.offboardingId }}>
                            Open the offboarding
                          </Link>
                        </>
                      ) : d.clientId ? (
                        <>
                          {' '}
                          <Link to="/clients/$id" params={{ id: d.clientId }}>
                            Open the client
                          </Link>
                        </>
                      ) : null}
                    </>
                  ),
                },
                { header: 'From', cell: (d) => d.remoteIp ?? '' },
                { header: 'Body SHA-256', cell: (d) => <code title={d.bodySha256}>{d.bodySha256.slice(0, 12)}…</code> },
              ]}
            />
          )
        }
      </Loading>
    </section>
  );
}
