import { type TaskData, get } from '../api.ts';
import { Link } from '../router.tsx';
import { Loading, Page, StatusBadge } from '../ui.tsx';
import { useLoad } from '../use-load.ts';

type Notification = { id: string; offboardingId: string | null; kind: string; subject: string; body: string; at: string; read: boolean };

const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);

function Group({ title, tasks }: { title: string; tasks: TaskData[] }) {
  return (
    <section aria-labelledby={`g-${title}`}>
      <h2 id={`g-${title}`}>
        {title} <span className="count">{tasks.length}</span>
      </h2>
      {tasks.length === 0 ? (
        <p className="muted">Nothing.</p>
      ) : (
        <ul className="cards">
          {tasks.map((t) => (
            <li key={t.id} className="card">
              <Link to={`/offboardings/${t.offboardingId}`}>{t.title}</Link>
              <div className="muted">
                due {t.due} · <StatusBadge status={t.status} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MyTasks() {
  const tasks = useLoad(() => get<{ items: TaskData[] }>('/api/my/tasks'), []);
  const inbox = useLoad(() => get<{ items: Notification[]; unread: number }>('/api/my/notifications'), []);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Page title="My tasks">
      <Loading state={tasks}>
        {({ items }) => (
          <div className="groups">
            <Group title="Overdue" tasks={items.filter((t) => t.due < today)} />
            <Group title="Due today" tasks={items.filter((t) => t.due === today)} />
            <Group title="This week" tasks={items.filter((t) => t.due > today && t.due <= addDays(today, 7))} />
            <Group title="Later" tasks={items.filter((t) => t.due > addDays(today, 7))} />
          </div>
        )}
      </Loading>
      <section aria-labelledby="inbox">
        <h2 id="inbox">Notifications</h2>
        <Loading state={inbox}>
          {({ items, unread }) => (
            <>
              <p className="muted">{unread} unread</p>
              <ul className="inbox">
                {items.slice(0, 30).map((n) => (
                  <li key={n.id} className={n.read ? '' : 'unread'}>
                    <strong>{n.subject}</strong>
                    <div className="muted">{n.at.slice(0, 10)}</div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Loading>
      </section>
    </Page>
  );
}
