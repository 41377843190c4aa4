import { Link } from '@tanstack/react-router';
import { $api, type Schemas } from '../api/client.ts';
import { LatenessBadge, TaskStatusBadge, todayIn } from '../ui/badges.tsx';
import { Loading, Page } from '../ui/page.tsx';

type MyTask = Schemas['MyTask'];

const addDays = (date: string, n: number) => new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);

type When = 'overdue' | 'today' | 'week' | 'later';
function whenOf(t: MyTask): When {
  const today = todayIn(t.client.timezone);
  return t.due < today ? 'overdue' : t.due === today ? 'today' : t.due <= addDays(today, 7) ? 'week' : 'later';
}

function Group({ id, title, tasks }: { id: string; title: string; tasks: MyTask[] }) {
  return (
    <section aria-labelledby={`g-${id}`}>
      <h2 id={`g-${id}`}>
        {title} <span className="count">{tasks.length}</span>
      </h2>
      {tasks.length === 0 ? (
        <p className="muted">Nothing.</p>
      ) : (
        <ul className="cards">
          {tasks.map((t) => (
            <li key={t.id} className="card">
              <Link to="/offboardings/$id/tasks/$taskId" params={{ id: t.offboardingId, taskId: t.id }}>
                {t.title}
              </Link>
              <div className="muted">
                {t.client.name} · due {t.due} <span title="the client's time zone">({t.client.timezone})</span> ·{' '}
                <TaskStatusBadge status={t.status} /> <LatenessBadge task={t} zone={t.client.timezone} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function MyTasks() {
  const tasks = $api.useQuery('get', '/api/my/tasks');
  return (
    <Page title="My tasks" actions={<Link to="/notifications">Notifications</Link>}>
      <Loading query={tasks}>
        {({ items }) => (
          <div className="groups">
            <Group id="overdue" title="Overdue" tasks={items.filter((t) => whenOf(t) === 'overdue')} />
            <Group id="today" title="Due today" tasks={items.filter((t) => whenOf(t) === 'today')} />
            <Group id="week" title="This week" tasks={items.filter((t) => whenOf(t) === 'week')} />
            <Group id="later" title="Later" tasks={items.filter((t) => whenOf(t) === 'later')} />
          </div>
        )}
      </Loading>
    </Page>
  );
}
