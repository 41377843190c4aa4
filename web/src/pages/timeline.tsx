/**
 * The plan on a time line: one row per task, every phase. An open task's bar runs from when it
 * became workable to its due date; a finished one is drawn up to the day it was finished.
 * Labels wrap rather than being cut.
 */
import { Link } from '@tanstack/react-router';
import type { Schemas } from '../api/client.ts';
import { latenessOf } from '../ui/badges.tsx';

type Detail = Schemas['OffboardingDetail'];
type Task = Detail['tasks'][number];

const day = (d: string) => Date.parse(d.slice(0, 10)) / 86_400_000;

/** Where a task's bar starts and ends, in days. */
function span(t: Task, o: Detail): { from: number; to: number } {
  const from = day(t.readyOn ?? o.noticeDate);
  if (t.completedAt) return { from: Math.min(from, day(t.completedAt)), to: day(t.completedAt) };
  return { from, to: Math.max(from, day(t.due)) };
}

export function Timeline({ o, zone, today }: { o: Detail; zone: string; today: string }) {
  const tasks = [...o.tasks].sort((a, b) => a.phase - b.phase || a.due.localeCompare(b.due));
  const spans = tasks.map((t) => span(t, o));
  const start = Math.min(day(o.noticeDate), ...spans.map((s) => s.from));
  const end = Math.max(day(o.endDate), day(today), ...spans.map((s) => s.to)) + 1;
  const pct = (d: number) => ((d - start) / (end - start)) * 100;
  const line = (d: number) => `calc(var(--label) + (100% - var(--label)) * ${(d - start) / (end - start)})`;
  return (
    <figure className="timeline" aria-label={`Timeline from ${o.noticeDate} to ${o.endDate} (${zone})`}>
      <div className="timeline-body">
        {tasks.map((t, i) => {
          const s = spans[i] as { from: number; to: number };
          const late = latenessOf(t, zone);
          const state = t.status === 'done' || t.status === 'waived' ? t.status : late?.kind === 'overdue' ? 'overdue' : t.status;
          return (
            <div className="timeline-row" key={t.id} data-task={t.key}>
              <span className="timeline-label">
                <Link to="/offboardings/$id/tasks/$taskId" params={{ id: o.id, taskId: t.id }}>
                  {t.title}
                </Link>
              </span>
              <span className="timeline-track">
                <span
                  className={`timeline-bar status-${state}`}
                  style={{ left: `${pct(s.from).toFixed(2)}%`, width: `max(6px, ${(pct(s.to + 1) - pct(s.from)).toFixed(2)}%)` }}
                  title={
                    t.completedAt
                      ? `${t.title}: ${t.status === 'waived' ? 'waived' : 'done'} ${t.completedAt.slice(0, 10)}`
                      : `${t.title}: due ${t.due}`
                  }
                />
              </span>
            </div>
          );
        })}
        <span className="timeline-line end" style={{ left: line(day(o.endDate)) }} title={`Contract end ${o.endDate}`} />
        <span className="timeline-line today" style={{ left: line(day(today)) }} title={`Today ${today}`} />
      </div>
      <figcaption className="muted">
        Open tasks run from when they became workable to their due date; finished ones end on the day they were finished.{' '}
        <span className="key today">Today</span> <span className="key end">Contract end {o.endDate}</span>{' '}
        <span className="key overdue">Overdue</span>
      </figcaption>
    </figure>
  );
}
