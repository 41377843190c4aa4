/** Every notification delivery: what went to whom, when, by which channel, and what came of it. Failures first to hand. */
import { Options } from '../../ui/options.tsx';
import { useState } from 'react';
import { $api } from '../../api/client.ts';
import { channelLabel, notificationKindLabel } from '../../labels.ts';
import { Loading, Table } from '../../ui/page.tsx';

const STATUSES = ['delivered', 'pending', 'sent', 'failed', 'held', 'digested'] as const;
const STATUS_WORDS: Record<(typeof STATUSES)[number], string> = {
  delivered: 'Delivered',
  pending: 'Waiting to be sent',
  sent: 'Accepted by the mail server',
  failed: 'Failed',
  held: 'Held (quiet hours or preferences)',
  digested: 'Gathered into a digest',
};

export function Deliveries() {
  const [status, setStatus] = useState<(typeof STATUSES)[number] | ''>('');
  const deliveries = $api.useQuery('get', '/api/deliveries', { params: { query: { limit: 200, ...(status ? { status } : {}) } } });
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <label>
        Show{' '}
        <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">Everything</option>
          <Options values={STATUSES} label={(s) => STATUS_WORDS[s]} />
        </select>
      </label>
      <Loading query={deliveries}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">Nothing to show.</p>
          ) : (
            <Table
              caption="Notification deliveries, newest first"
              rows={items}
              rowKey={(d) => d.id}
              columns={[
                { header: 'When', cell: (d) => <time dateTime={d.at}>{d.at.slice(0, 16).replace('T', ' ')} UTC</time> },
                { header: 'What', cell: (d) => `${notificationKindLabel(d.kind)}: ${d.subject}` },
                { header: 'To', cell: (d) => `${d.recipient} (${channelLabel(d.channel).toLowerCase()})` },
                {
                  header: 'Result',
                  cell: (d) => (
                    <>
                      <span className={`badge delivery-${d.status}`}>{STATUS_WORDS[d.status]}</span>
                      {d.attempts > 1 ? ` after ${d.attempts} attempts` : ''}
                      {d.error ? <div className="field-error">{d.error}</div> : null}
                    </>
                  ),
                },
              ]}
            />
          )
        }
      </Loading>
    </section>
  );
}
