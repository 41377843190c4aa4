/** Slack and Teams channels the team hears from, with a test message. */
import { useQueryClient } from '@tanstack/react-query';
import { $api, client } from '../../api/client.ts';
import { field, submitted } from '../../form.ts';
import { channelLabel } from '../../labels.ts';
import { useAction } from '../../ui/action.tsx';
import { Loading } from '../../ui/page.tsx';
import { said } from './email.tsx';

export function Channels({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/settings/channels');
  const { run, feedback } = useAction();
  const save = submitted((f) => {
    void run(async () => {
      await client.PUT('/api/settings/channels/{kind}', {
        params: { path: { kind: field(f, 'kind') as never } },
        body: { webhookUrl: field(f, 'webhookUrl') },
      });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/settings/channels'] });
      return 'Saved.';
    });
  });
  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Team channels</h2>
      <Loading query={state}>
        {({ items }) => (
          <ul>
            {items.length === 0 ? <li className="muted">None connected.</li> : null}
            {items.map((c) => (
              <li key={c.kind}>
                {channelLabel(c.kind)} ({c.host}){' '}
                {canEdit ? (
                  <button
                    type="button"
                    onClick={() =>
                      void run(async () =>
                        said(
                          (await client.POST('/api/settings/channels/{kind}/test', { params: { path: { kind: c.kind as never } } })).data,
                          `Test message to ${channelLabel(c.kind)}`,
                        ),
                      )
                    }
                  >
                    Send test
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Loading>
      {canEdit ? (
        <form onSubmit={save} className="form-grid">
          <label htmlFor="kind">Channel</label>
          <select id="kind" name="kind">
            <option value="slack">Slack (incoming webhook)</option>
            <option value="teams">Microsoft Teams (Workflows webhook)</option>
          </select>
          <label htmlFor="webhookUrl">Webhook URL</label>
          <input id="webhookUrl" name="webhookUrl" type="url" required />
          <div className="actions">
            <button type="submit">Connect</button>
          </div>
        </form>
      ) : null}
      {feedback}
    </section>
  );
}
