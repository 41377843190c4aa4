/** Workdays and holidays that due dates count in. */
import { useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { $api, client, type Schemas } from '../../api/client.ts';
import { field } from '../../form.ts';
import { useAction } from '../../ui/action.tsx';
import { Loading } from '../../ui/page.tsx';

type Calendar = Schemas['Calendar'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function Calendars({ canEdit }: { canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = $api.useQuery('get', '/api/calendars');
  const { run, feedback } = useAction();
  const save = (c: Calendar, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const holidays = field(f, 'holidays')
      .split(/[\s,]+/)
      .filter(Boolean);
    const workdays = WEEKDAYS.map((_, i) => i + 1).filter((d) => f.get(`day${d}`) === 'on');
    void run(async () => {
      await client.PUT('/api/calendars/{id}', { params: { path: { id: c.id } }, body: { name: c.name, workdays, holidays } });
      await queryClient.invalidateQueries({ queryKey: ['get', '/api/calendars'] });
      return `${c.name} saved: offboardings planned from now on use it.`;
    });
  };
  return (
    <section aria-labelledby="calendars-title">
      <h2 id="calendars-title">Calendars and holidays</h2>
      <Loading query={state}>
        {({ items }) => (
          <>
            {items.map((c) => (
              <form key={c.id} onSubmit={(e) => save(c, e)} className="card" aria-label={`Calendar ${c.name}`}>
                <h3>
                  {c.name} {c.isDefault ? <span className="badge status-done">Default</span> : null}
                </h3>
                <fieldset disabled={!canEdit}>
                  <legend>Workdays</legend>
                  {WEEKDAYS.map((d, i) => (
                    <label key={d} className="check inline">
                      <input type="checkbox" name={`day${i + 1}`} defaultChecked={c.workdays.includes(i + 1)} /> {d}
                    </label>
                  ))}
                </fieldset>
                <label htmlFor={`holidays-${c.id}`}>Holidays (YYYY-MM-DD, one per line)</label>
                <textarea id={`holidays-${c.id}`} name="holidays" rows={4} defaultValue={c.holidays.join('\n')} disabled={!canEdit} />
                {canEdit ? (
                  <div className="actions">
                    <button type="submit">Save calendar</button>
                  </div>
                ) : null}
              </form>
            ))}
          </>
        )}
      </Loading>
      {feedback}
    </section>
  );
}
