/** What staff do to an offboarding as a whole: change its dates (after a preview), record time, cancel or close it. */
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type ApiError, asApiError, client, type Schemas } from '../api/client.ts';
import { refreshOffboardingViews } from '../api/refresh.ts';
import { field } from '../form.ts';
import { useCan } from '../session.tsx';
import { DateField } from '../ui/fields.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { ErrorNote, Table } from '../ui/page.tsx';
import { toast } from '../ui/toast.tsx';

type Detail = Schemas['OffboardingDetail'];
type Which = 'dates' | 'time' | 'cancel' | 'close';

/** Everything the offboarding page shows is refetched after a change. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => refreshOffboardingViews(queryClient);
}

function useSubmit(work: (f: FormData) => Promise<void>) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(undefined);
    work(f)
      .catch((err: unknown) => setError(asApiError(err)))
      .finally(() => setBusy(false));
  };
  return { error, busy, onSubmit };
}

function ChangeDates({ o, titles, onDone }: { o: Detail; titles: Map<string, string>; onDone: () => void }) {
  const refresh = useRefresh();
  const [preview, setPreview] = useState<{ body: Record<string, string | null>; moved: { key: string; from: string; to: string }[] }>();
  const read = (f: FormData) => ({
    noticeDate: field(f, 'noticeDate'),
    endDate: field(f, 'endDate'),
    revocationDate: field(f, 'revocationDate') || null,
  });
  const { error, busy, onSubmit } = useSubmit(async (f) => {
    const body = read(f);
    if (!preview) {
      const { data } = await client.POST('/api/offboardings/{id}/dates/preview', { params: { path: { id: o.id } }, body });
      setPreview({ body, moved: data?.moved ?? [] });
      return;
    }
    await client.POST('/api/offboardings/{id}/dates', { params: { path: { id: o.id } }, body: preview.body });
    await refresh();
    toast('Dates changed and the plan recomputed');
    onDone();
  });
  return (
    <form onSubmit={onSubmit} onChange={() => setPreview(undefined)} className="form-stack">
      <DateField name="noticeDate" label="Notice date" defaultValue={o.noticeDate} isRequired onChange={() => setPreview(undefined)} />
      <DateField name="endDate" label="Contract end" defaultValue={o.endDate} isRequired onChange={() => setPreview(undefined)} />
      <DateField
        name="revocationDate"
        label="Access revocation (empty: the contract end)"
        defaultValue={o.revocationDate ?? undefined}
        onChange={() => setPreview(undefined)}
      />
      {preview ? (
        <div aria-live="polite">
          {preview.moved.length === 0 ? (
            <p>No open task moves.</p>
          ) : (
            <Table
              caption="Tasks that move"
              rows={preview.moved}
              rowKey={(m) => m.key}
              columns={[
                { header: 'Task', cell: (m) => titles.get(m.key) ?? m.key },
                { header: 'Due now', cell: (m) => m.from },
                { header: 'Due after the change', cell: (m) => m.to },
              ]}
            />
          )}
        </div>
      ) : null}
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {preview ? `Change the dates${preview.moved.length ? ` (${preview.moved.length} tasks move)` : ''}` : 'Preview the new plan'}
        </button>
      </div>
    </form>
  );
}

function RecordTime({ o, onDone }: { o: Detail; onDone: () => void }) {
  const refresh = useRefresh();
  const { error, busy, onSubmit } = useSubmit(async (f) => {
    const hours = Number(field(f, 'hours') || '0');
    const minutes = Number(field(f, 'minutes') || '0');
    const taskId = field(f, 'taskId');
    const note = field(f, 'note');
    await client.POST('/api/offboardings/{id}/time', {
      params: { path: { id: o.id } },
      body: {
        minutes: Math.round(hours * 60 + minutes),
        workDate: field(f, 'workDate'),
        ...(taskId ? { taskId } : {}),
        ...(note ? { note } : {}),
      },
    });
    await refresh();
    toast('Time recorded');
    onDone();
  });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form onSubmit={onSubmit} className="form-stack">
      <div className="row">
        <label>
          Hours <input name="hours" type="number" min="0" max="24" step="1" defaultValue="0" />
        </label>
        <label>
          Minutes <input name="minutes" type="number" min="0" max="59" step="5" defaultValue="30" />
        </label>
      </div>
      <DateField name="workDate" label="Day of the work" defaultValue={today} isRequired />
      <label htmlFor="time-task">Task (optional)</label>
      <select id="time-task" name="taskId" defaultValue="">
        <option value="">The offboarding as a whole</option>
        {o.tasks.map((t) => (
          <option key={t.id} value={t.id}>
            {t.title}
          </option>
        ))}
      </select>
      <label htmlFor="time-note">What was done (optional)</label>
      <textarea id="time-note" name="note" rows={2} />
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Record time
        </button>
      </div>
    </form>
  );
}

function End({ o, kind, onDone }: { o: Detail; kind: 'cancel' | 'close'; onDone: () => void }) {
  const refresh = useRefresh();
  const { error, busy, onSubmit } = useSubmit(async (f) => {
    if (kind === 'cancel')
      await client.POST('/api/offboardings/{id}/cancel', { params: { path: { id: o.id } }, body: { reason: field(f, 'reason') } });
    else
      await client.POST('/api/offboardings/{id}/close', {
        params: { path: { id: o.id } },
        body: { departureReason: field(f, 'reason') },
      });
    await refresh();
    toast(kind === 'cancel' ? 'Offboarding cancelled' : 'Offboarding closed');
    onDone();
  });
  return (
    <form onSubmit={onSubmit} className="form-stack">
      <p>
        {kind === 'cancel'
          ? 'The client stays a client: open tasks stop and no more reminders are sent.'
          : 'The client becomes a former client. Closing needs every task due by the end date to be finished.'}
      </p>
      <label htmlFor="end-reason">{kind === 'cancel' ? 'Why it is cancelled' : 'Why the client left (the departure reason)'}</label>
      <textarea id="end-reason" name="reason" rows={3} required />
      <ErrorNote error={error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>
          {kind === 'cancel' ? 'Cancel the offboarding' : 'Close the offboarding'}
        </button>
      </div>
    </form>
  );
}

const TITLES: Record<Which, string> = {
  dates: 'Change the dates',
  time: 'Record time',
  cancel: 'Cancel the offboarding',
  close: 'Close the offboarding',
};

export function OffboardingActions({ o, titles }: { o: Detail; titles: Map<string, string> }) {
  const can = useCan();
  const [open, setOpen] = useState<Which>();
  const live = o.status === 'active' || o.status === 'closing';
  const offered: Which[] = [
    ...(live && can('offboardings.change-dates') ? (['dates'] as const) : []),
    ...(o.status !== 'cancelled' && can('time.record') ? (['time'] as const) : []),
    ...(live && can('offboardings.close') ? (['close'] as const) : []),
    ...(live && can('offboardings.cancel') ? (['cancel'] as const) : []),
  ];
  if (offered.length === 0) return null;
  const close = () => setOpen(undefined);
  return (
    <>
      <div className="actions" role="group" aria-label="Offboarding actions">
        {offered.map((w) => (
          <button key={w} type="button" className={w === 'cancel' || w === 'close' ? 'danger-outline' : ''} onClick={() => setOpen(w)}>
            {TITLES[w]}…
          </button>
        ))}
      </div>
      <Dialog title={open ? TITLES[open] : ''} open={open !== undefined} onClose={close}>
        {open === 'dates' ? <ChangeDates o={o} titles={titles} onDone={close} /> : null}
        {open === 'time' ? <RecordTime o={o} onDone={close} /> : null}
        {open === 'cancel' || open === 'close' ? <End o={o} kind={open} onDone={close} /> : null}
        <div className="actions">
          <button type="button" className="quiet" onClick={close}>
            Back
          </button>
        </div>
      </Dialog>
    </>
  );
}
