import { type MyTaskData, get } from '../api.ts';
import { Link } from '../router.tsx';
import { Loading, Page, StatusBadge } from '../ui.tsx';
import { useLoad } from '../use-load.ts';

type Notification = { id: string; offboardingId: string | null; kind: string; subject: string; body: string; at: string; read: boolean };

const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);

/** Today's date where the client is: due dates are the client's local dates. */
const todayIn = (zone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

type When = 'overdue' | 'today' | 'week' | 'later';
function whenOf(t: MyTaskData): When {
  const today = todayIn(t.client.timezone);
  return t.due < today ? 'overdue' : t.due === today ? 'today' : t.due <= addDays(today, 7) ? 'week' : 'later';
}

function Group({ title, tasks }: { title: string; tasks: MyTaskData[] }) {
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
                {t.client.name} · due {t.due} <span title="the client's time zone">({t.client.timezone})</span> ·{' '}
                <StatusBadge status={t.status} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MyTasks() {
  const tasks = useLoad(() => get<{ items: MyTaskData[] }>('/api/my/tasks'), []);
  const inbox = useLoad(() => get<{ items: Notification[]; unread: number }>('/api/my/notifications'), []);
  return (
    <Page title="My tasks">
      <Loading state={tasks}>
        {({ items }) => (
          <div className="groups">
            <Group title="Overdue" tasks={items.filter((t) => whenOf(t) === 'overdue')} />
            <Group title="Due today" tasks={items.filter((t) => whenOf(t) === 'today')} />
            <Group title="This week" tasks={items.filter((t) => whenOf(t) === 'week')} />
            <Group title="Later" tasks={items.filter((t) => whenOf(t) === 'later')} />
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
