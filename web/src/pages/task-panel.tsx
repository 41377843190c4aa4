/**
 * One task, at its own URL: what to do (Markdown guidance, a checklist saved tick by tick), its
 * evidence, and only the actions this person may take now (served by the API from the same
 * table the routes check). Every change sends the version it was shown; if someone else changed
 * the task first, the panel says so in place and shows the task as it is now.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { $api, type ApiError, asApiError, client, ifMatch, type Schemas } from '../api/client.ts';
import { refreshOffboardingViews } from '../api/refresh.ts';
import { gateLabel, roleLabel } from '../labels.ts';
import { LatenessBadge, TaskStatusBadge } from '../ui/badges.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Markdown } from '../ui/markdown.tsx';
import { ErrorNote, Loading } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';
import { useCan } from '../session.tsx';

type TaskDetail = Schemas['TaskDetail'];

const CONFLICT = 'Someone else changed this task while you had it open. It is shown as it is now: check it, then try again.';

export function TaskPanel({ offboardingId, taskId }: { offboardingId: string; taskId: string }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const taskKey = ['get', '/api/tasks/{id}', { params: { path: { id: taskId } } }] as const;
  const task = $api.useQuery('get', '/api/tasks/{id}', { params: { path: { id: taskId } } });
  const evidence = $api.useQuery('get', '/api/tasks/{id}/evidence', { params: { path: { id: taskId } } });
  const users = $api.useQuery('get', '/api/users');
  const can = useCan();
  // Each gate's state, for a task that waits on one: on whom, since when, how often reminded.
  const parties = $api.useQuery(
    'get',
    '/api/offboardings/{id}/parties',
    { params: { path: { id: offboardingId } } },
    { enabled: can('parties.read') && (task.data?.gates.length ?? 0) > 0 },
  );
  const offboarding = queryClient.getQueryData<Schemas['OffboardingDetail']>([
    'get',
    '/api/offboardings/{id}',
    { params: { path: { id: offboardingId } } },
  ]);
  const clientData = queryClient.getQueryData<Schemas['Client']>([
    'get',
    '/api/clients/{id}',
    { params: { path: { id: offboarding?.clientId ?? '' } } },
  ]);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [dragging, setDragging] = useState(false);
  const panel = useRef<HTMLElement>(null);
  const close = () => void navigate({ to: '/offboardings/$id', params: { id: offboardingId } });

  // Keyboard users land in the panel when it opens and leave it with Escape.
  useEffect(() => {
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('.overlay')) close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
    // Once per task: the route remounts the panel for each task.
  }, []);

  const refreshAround = () => refreshOffboardingViews(queryClient);

  /** Runs a change; the task as the server now has it replaces what is shown. */
  const change = async (work: (t: TaskDetail) => Promise<{ data?: Schemas['Task'] | undefined }>, done?: string) => {
    const current = task.data;
    if (!current) return;
    setError(undefined);
    setNotice(undefined);
    try {
      const { data } = await work(current);
      if (data) queryClient.setQueryData(taskKey, { ...current, ...data });
      await queryClient.invalidateQueries({ queryKey: taskKey });
      await refreshAround();
      if (done) toast(done);
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 409 && e.message.includes('changed by someone else')) {
        setNotice(CONFLICT);
        await queryClient.invalidateQueries({ queryKey: taskKey });
        await refreshAround();
      } else setError(e);
    }
  };
  const path = { params: { path: { id: taskId } } };
  // The task as it was shown: a change someone else made first answers 409.
  const versioned = (t: TaskDetail) => ({ params: { path: { id: taskId }, header: ifMatch(t.version) } });
  const act = (action: 'start' | 'complete' | 'waive' | 'waive-evidence' | 'reopen', t: TaskDetail) => {
    switch (action) {
      case 'start':
        return change(() => client.POST('/api/tasks/{id}/start', versioned(t)), 'Task started');
      case 'complete':
        return change(
          () => client.POST('/api/tasks/{id}/complete', { ...versioned(t), body: note.trim() ? { note: note.trim() } : {} }),
          'Task completed',
        );
      case 'waive':
        return change(() => client.POST('/api/tasks/{id}/waive', { ...versioned(t), body: { reason } }), 'Task waived');
      case 'waive-evidence':
        return change(
          () => client.POST('/api/tasks/{id}/evidence-waiver', { ...versioned(t), body: { reason } }),
          'The task may be completed without evidence',
        );
      case 'reopen':
        return change(() => client.POST('/api/tasks/{id}/reopen', { ...versioned(t), body: { reason } }), 'Task reopened');
    }
  };
  // A tick shows at once and is saved at once. It changes one item of the task as the server has
  // it (no If-Match): ticks by two people on one checklist both stand.
  const tick = (t: TaskDetail, item: string, done: boolean) => {
    queryClient.setQueryData(taskKey, { ...t, checklist: t.checklist.map((c) => (c.item === item ? { ...c, done } : c)) });
    // A refetch already on its way would land the task as it was before this tick and untick it.
    void queryClient.cancelQueries({ queryKey: taskKey }, { revert: false });
    return change(() => client.POST('/api/tasks/{id}/checklist', { ...path, body: { item, done } }));
  };
  const assign = (t: TaskDetail, assigneeId: string) =>
    change(() => client.POST('/api/tasks/{id}/assign', { ...versioned(t), body: { assigneeId } }), 'Assigned');

  const upload = async (files: FileList | File[]) => {
    setError(undefined);
    for (const file of Array.from(files)) {
      const form = new FormData();
      form.append('file', file, file.name);
      try {
        await client.POST('/api/tasks/{id}/evidence', { ...path, body: form as never, bodySerializer: (b: unknown) => b as FormData });
        toast(`${file.name} attached`);
      } catch (err) {
        setError(asApiError(err));
      }
    }
    await queryClient.invalidateQueries({ queryKey: ['get', '/api/tasks/{id}/evidence', path] });
    await refreshAround();
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    void upload(e.dataTransfer.files);
  };

  return (
    <aside className="panel" role="dialog" aria-modal="false" aria-labelledby="task-title" tabIndex={-1} ref={panel}>
      <Loading query={task}>
        {(t) => {
          const may = new Set(t.allowed);
          const open = t.checklist.filter((c) => !c.done);
          return (
            <>
              <header className="panel-head">
                <h2 id="task-title">{t.title}</h2>
                <button type="button" className="quiet" onClick={close} aria-label="Close the task">
                  ×
                </button>
              </header>
              <p>
                <TaskStatusBadge status={t.status} /> <LatenessBadge task={t} zone={clientData?.timezone} /> due {t.due} ·{' '}
                {roleLabel(t.role)}
                {t.gates.length > 0 ? ` · waits on: ${t.gates.map(gateLabel).join(', ')}` : ''}
              </p>
              {t.gates.length > 0 && parties.data ? (
                <ul className="gate-states">
                  {t.gates.map((g) => {
                    const w = parties.data.gates.waiting.find((x) => x.gate === g && x.tasks.includes(t.key));
                    const lastOpened = parties.data.parties
                      .filter((p) => p.side === (w?.waitingOn ?? 'client') && p.lastOpenedAt)
                      .map((p) => p.lastOpenedAt as string)
                      .sort()
                      .at(-1);
                    return (
                      <li key={g}>
                        {gateLabel(g)}:{' '}
                        {w
                          ? `waiting on ${w.waitingOn === 'client' ? 'the client' : 'the new provider'} since ${w.since}, ${w.remindersSent} reminder${w.remindersSent === 1 ? '' : 's'} sent; portal last opened ${lastOpened ? new Date(lastOpened).toLocaleString() : 'never'}`
                          : 'on file'}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
              {notice ? (
                <p className="note warn" role="alert">
                  {notice}
                </p>
              ) : null}
              <ErrorNote error={error} />
              <h3>What to do</h3>
              <Markdown text={t.guidance} />
              {t.checklist.length > 0 ? (
                <fieldset>
                  <legend>
                    Checklist ({t.checklist.length - open.length} of {t.checklist.length} done)
                  </legend>
                  {t.checklist.map((c) => (
                    <label key={c.item} className="check">
                      <input
                        type="checkbox"
                        checked={c.done}
                        disabled={!may.has('tick')}
                        onChange={(e) => void tick(t, c.item, e.target.checked)}
                      />{' '}
                      {c.item}
                    </label>
                  ))}
                </fieldset>
              ) : null}
              <h3>Evidence</h3>
              <p className="muted">{t.evidence.join('; ')}</p>
              {may.has('attach-evidence') ? (
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
              ) : null}
              {t.evidenceWaiver ? (
                <p className="note warn">
                  {users.data?.items.find((u) => u.id === t.evidenceWaiver?.approverId)?.name ?? 'A manager'} let this task be completed
                  without evidence: {t.evidenceWaiver.reason}
                </p>
              ) : null}
              <Loading query={evidence}>
                {(data) =>
                  data.items.length === 0 ? (
                    <p className="muted">
                      No files yet.
                      {t.evidenceRequired && t.status !== 'done' && t.status !== 'waived'
                        ? ' Attach at least one before completing, or ask a manager to waive the requirement.'
                        : ''}
                    </p>
                  ) : (
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
                  )
                }
              </Loading>
              {may.has('complete') ? (
                <>
                  <label htmlFor="note">Note (kept with the task when you complete it)</label>
                  <textarea id="note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
                </>
              ) : null}
              {t.note ? (
                <div className="muted">
                  Note: <Markdown text={t.note} />
                </div>
              ) : null}
              {may.has('start') || may.has('complete') ? (
                <div className="actions">
                  {may.has('start') ? (
                    <button type="button" onClick={() => void act('start', t)}>
                      Start
                    </button>
                  ) : null}
                  {may.has('complete') ? (
                    <button
                      type="button"
                      className="primary"
                      onClick={() => (open.length > 0 ? setConfirming(true) : void act('complete', t))}
                    >
                      Complete
                    </button>
                  ) : null}
                </div>
              ) : null}
              {may.has('assign') ? (
                <>
                  <label htmlFor="assignee">Assigned to</label>
                  <select id="assignee" value={t.assigneeId ?? ''} onChange={(e) => e.target.value && void assign(t, e.target.value)}>
                    <option value="">Nobody yet</option>
                    {(users.data?.items ?? [])
                      .filter((u) => (u.role === t.role || u.id === t.assigneeId) && !u.disabled)
                      .map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                  </select>
                </>
              ) : t.assigneeId ? (
                <p className="muted">Assigned to {users.data?.items.find((u) => u.id === t.assigneeId)?.name ?? 'someone'}</p>
              ) : null}
              {may.has('waive') || may.has('reopen') ? (
                <>
                  <label htmlFor="reason">Reason (to {may.has('waive') ? 'waive' : 'reopen'})</label>
                  <input id="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
                  <div className="actions">
                    {may.has('waive') ? (
                      <button type="button" onClick={() => void act('waive', t)}>
                        Waive
                      </button>
                    ) : null}
                    {may.has('waive-evidence') ? (
                      <button type="button" onClick={() => void act('waive-evidence', t)}>
                        Waive the evidence requirement
                      </button>
                    ) : null}
                    {may.has('reopen') ? (
                      <button type="button" onClick={() => void act('reopen', t)}>
                        Reopen
                      </button>
                    ) : null}
                  </div>
                </>
              ) : null}
              {t.allowed.length === 0 ? <p className="muted">You can read this task; its work is done by others.</p> : null}
              <Dialog title="Complete with open checklist items?" open={confirming} onClose={() => setConfirming(false)} role="alertdialog">
                <p>
                  {open.length} of {t.checklist.length} checklist items are not ticked:
                </p>
                <ul>
                  {open.map((c) => (
                    <li key={c.item}>{c.item}</li>
                  ))}
                </ul>
                <div className="actions">
                  <button
                    type="button"
                    className="primary"
                    onClick={() => {
                      setConfirming(false);
                      void act('complete', t);
                    }}
                  >
                    Complete anyway
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    Go back to the checklist
                  </button>
                </div>
              </Dialog>
            </>
          );
        }}
      </Loading>
    </aside>
  );
}
