/**
 * One task: what to do (guidance, checklist), its evidence (drop files or pick them), and what
 * can be done with it. Every change sends the ETag it was shown; if someone else changed the
 * task first, the panel says so and shows the task as it is now.
 */
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { type ApiError, type TaskData, api, asApiError } from '../api.ts';
import { ErrorNote, Loading, StatusBadge } from '../ui.tsx';
import { useLoad } from '../use-load.ts';

type TaskDetail = TaskData & { guidance: string; evidence: string[]; when: string };
type Evidence = { id: string; filename: string; size: number; sha256: string };

export function TaskPanel({ taskId, onClose, onChanged }: { taskId: string; onClose: () => void; onChanged: () => void }) {
  const task = useLoad(() => api<TaskDetail>('GET', `/api/tasks/${taskId}`), [taskId]);
  const evidence = useLoad(() => api<{ items: Evidence[] }>('GET', `/api/tasks/${taskId}/evidence`), [taskId]);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const users = useLoad(() => api<{ items: { id: string; name: string; role: string }[] }>('GET', '/api/users'), []);
  const [dragging, setDragging] = useState(false);
  const panel = useRef<HTMLElement>(null);
  // Keyboard users land in the panel when it opens, leave it with Escape, and return where they were.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [taskId, onClose]);

  const act = async (action: string, body: unknown) => {
    setError(undefined);
    setNotice(undefined);
    try {
      await api('POST', `/api/tasks/${taskId}/${action}`, body, task.data?.etag ? { 'if-match': task.data.etag } : {});
      onChanged();
      task.reload();
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 409 && e.message.includes('changed by someone else')) {
        setNotice('Someone else changed this task while you had it open. It is shown as it is now: check it, then try again.');
        task.reload();
        onChanged();
      } else setError(e);
    }
  };

  const upload = async (files: FileList | File[]) => {
    setError(undefined);
    for (const file of Array.from(files)) {
      const form = new FormData();
      form.append('file', file, file.name);
      try {
        await api('POST', `/api/tasks/${taskId}/evidence`, form);
      } catch (err) {
        setError(asApiError(err));
      }
    }
    evidence.reload();
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void upload(e.dataTransfer.files);
  };

  return (
    <aside className="panel" role="dialog" aria-modal="false" aria-labelledby="task-title" tabIndex={-1} ref={panel}>
      <Loading state={task}>
        {({ data: t }) => (
          <>
            <header className="panel-head">
              <h2 id="task-title">{t.title}</h2>
              <button type="button" className="quiet" onClick={onClose} aria-label="Close the task">
                ×
              </button>
            </header>
            <p>
              <StatusBadge status={t.status} /> due {t.due} · {t.role}
              {t.gates.length > 0 ? ` · gate: ${t.gates.join(', ')}` : ''}
            </p>
            {notice ? (
              <p className="note warn" role="alert">
                {notice}
              </p>
            ) : null}
            {error ? <ErrorNote error={error} /> : null}
            <h3>What to do</h3>
            <p className="guidance">{t.guidance}</p>
            {t.checklist.length > 0 ? (
              <fieldset>
                <legend>Checklist</legend>
                {t.checklist.map((c) => (
                  <label key={c.item} className="check">
                    <input
                      type="checkbox"
                      checked={c.done || checked.has(c.item)}
                      disabled={c.done}
                      onChange={(e) =>
                        setChecked((s) => (e.target.checked ? new Set([...s, c.item]) : new Set([...s].filter((x) => x !== c.item))))
                      }
                    />{' '}
                    {c.item}
                  </label>
                ))}
              </fieldset>
            ) : null}
            <h3>Evidence</h3>
            <p className="muted">{t.evidence.join('; ')}</p>
            <div
              className={`drop ${dragging ? 'over' : ''}`}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              <label htmlFor="evidence-file">Drop files here, or choose them</label>
              <input id="evidence-file" type="file" multiple onChange={(e) => e.target.files && void upload(e.target.files)} />
            </div>
            <Loading state={evidence}>
              {({ data }) => (
                <ul className="files">
                  {data.items.map((f) => (
                    <li key={f.id}>
                      <a href={`/api/evidence/${f.id}`}>{f.filename}</a>{' '}
                      <span className="muted">
                        ({f.size} bytes, SHA-256 {f.sha256.slice(0, 12)}…)
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Loading>
            <div className="actions">
              {t.status === 'ready' ? (
                <button type="button" onClick={() => void act('start', undefined)}>
                  Start
                </button>
              ) : null}
              {t.status === 'ready' || t.status === 'in-progress' ? (
                <button
                  type="button"
                  className="primary"
                  onClick={() => void act('complete', { checked: [...checked], ...(note.trim() ? { note: note.trim() } : {}) })}
                >
                  Complete
                </button>
              ) : null}
            </div>
            <label htmlFor="note">Note (kept with the task when you complete it)</label>
            <textarea id="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
            {t.note ? <p className="muted">Note: {t.note}</p> : null}
            <label htmlFor="assignee">Assigned to</label>
            <select
              id="assignee"
              value={t.assigneeId ?? ''}
              onChange={(e) => e.target.value && void act('assign', { assigneeId: e.target.value })}
            >
              <option value="">nobody</option>
              {(users.data?.data.items ?? [])
                .filter((u) => u.role === t.role || u.id === t.assigneeId)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
            <label htmlFor="reason">Reason (to waive or reopen)</label>
            <input id="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            <div className="actions">
              {t.status !== 'done' && t.status !== 'waived' ? (
                <button type="button" onClick={() => void act('waive', { reason })}>
                  Waive
                </button>
              ) : (
                <button type="button" onClick={() => void act('reopen', { reason })}>
                  Reopen
                </button>
              )}
            </div>
          </>
        )}
      </Loading>
    </aside>
  );
}
