/** The in-app inbox: each notification opens its task (and is read then), one by one or all at once. */
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { $api, type ApiError, asApiError, client, type Schemas } from '../api/client.ts';
import { notificationKindLabel } from '../labels.ts';
import { ErrorNote, Loading, Page } from '../ui/page.tsx';

type Item = Schemas['InboxItem'];

export function Notifications() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const inbox = $api.useQuery('get', '/api/my/notifications');
  const [error, setError] = useState<ApiError>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['get', '/api/my/notifications'] });
  const markRead = async (n: Item) => {
    if (n.read) return;
    await client.POST('/api/my/notifications/{id}/read', { params: { path: { id: n.id } } });
    await refresh();
  };
  const open = async (n: Item) => {
    setError(undefined);
    try {
      await markRead(n);
      if (n.offboardingId && n.taskId)
        await navigate({ to: '/offboardings/$id/tasks/$taskId', params: { id: n.offboardingId, taskId: n.taskId } });
      else if (n.offboardingId) await navigate({ to: '/offboardings/$id', params: { id: n.offboardingId } });
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const markAll = async () => {
    setError(undefined);
    try {
      await client.POST('/api/my/notifications/read');
      await refresh();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <Page
      title="Notifications"
      actions={
        inbox.data && inbox.data.unread > 0 ? (
          <button type="button" onClick={() => void markAll()}>
            Mark all read
          </button>
        ) : null
      }
    >
      <ErrorNote error={error} />
      <Loading query={inbox}>
        {({ items, unread }) => (
          <>
            <p className="muted" role="status">
              {unread === 0 ? 'All read.' : unread === 1 ? '1 unread' : `${unread} unread`}
            </p>
            <Tabs className="tabs" defaultSelectedKey={unread > 0 ? 'unread' : 'all'}>
              <TabList aria-label="Which notifications" className="tab-list">
                <Tab id="unread" className="tab">
                  Unread ({unread})
                </Tab>
                <Tab id="all" className="tab">
                  All ({items.length})
                </Tab>
              </TabList>
              {(['unread', 'all'] as const).map((which) => {
                const shown = which === 'unread' ? items.filter((n) => !n.read) : items;
                return (
                  <TabPanel key={which} id={which} className="tab-panel">
                    {shown.length === 0 ? (
                      <p className="muted">{which === 'unread' ? 'Nothing unread.' : 'No notifications yet.'}</p>
                    ) : null}
                    <ul className="inbox">
                      {shown.map((n) => (
                        <li key={n.id} className={n.read ? 'read' : 'unread'} data-notification={n.id}>
                          <button type="button" className="link inbox-open" onClick={() => void open(n)}>
                            <span className="visually-hidden">{n.read ? '' : 'Unread: '}</span>
                            <strong>{n.subject}</strong>
                          </button>
                          <div className="muted">
                            {notificationKindLabel(n.kind)} · <time dateTime={n.at}>{n.at.slice(0, 16).replace('T', ' ')} UTC</time>
                          </div>
                          {!n.read ? (
                            <button
                              type="button"
                              className="quiet small"
                              onClick={() => void markRead(n).catch((e: unknown) => setError(asApiError(e)))}
                            >
                              Mark read
                            </button>
                          ) : null}
                        </li>
                      ))}
                    </ul>
                  </TabPanel>
                );
              })}
            </Tabs>
          </>
        )}
      </Loading>
    </Page>
  );
}
