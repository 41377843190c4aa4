/** The staff with their roles and manager chain; admins add people, change them in place, and reset passwords. */
import { Options } from '../../ui/options.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { $api, client, type Schemas } from '../../api/client.ts';
import { field } from '../../form.ts';
import { STAFF_ROLES, roleLabel } from '../../labels.ts';
import { useCan, useMe } from '../../session.tsx';
import { useAction } from '../../ui/action.tsx';
import { Secret } from '../../ui/copy.tsx';
import { Dialog } from '../../ui/dialog.tsx';
import { Loading } from '../../ui/page.tsx';

type User = Schemas['User'];

function useUsersRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['get', '/api/users'] });
}

function PeopleTable({ users, isAdmin }: { users: User[]; isAdmin: boolean }) {
  const me = useMe();
  const refresh = useUsersRefresh();
  const { run, feedback } = useAction();
  const [reset, setReset] = useState<{ name: string; password: string }>();
  const change = (u: User, body: { role?: User['role']; managerId?: string | null; disabled?: boolean }) =>
    void run(async () => {
      await client.PATCH('/api/users/{id}', { params: { path: { id: u.id } }, body: body as never });
      await refresh();
      return `${u.name} changed.`;
    });
  const resetPassword = (u: User) =>
    void run(async () => {
      const { data } = await client.POST('/api/users/{id}/password', { params: { path: { id: u.id } } });
      if (data) setReset({ name: u.name, password: data.temporaryPassword });
      return `${u.name}'s password was reset; their sessions ended.`;
    });
  const names = new Map(users.map((u) => [u.id, u.name] as const));
  return (
    <>
      <table className="table stack">
        <caption className="visually-hidden">People of this MSP</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Manager</th>
            {isAdmin ? <th scope="col">Access</th> : null}
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : ''}>
              <td data-label="Name">
                {u.name}
                {u.disabled ? ' (disabled)' : ''}
              </td>
              <td data-label="Email">{u.email}</td>
              <td data-label="Role">
                {isAdmin ? (
                  <select aria-label={`Role of ${u.name}`} value={u.role} onChange={(e) => change(u, { role: e.target.value })}>
                    <Options values={STAFF_ROLES} label={roleLabel} />
                  </select>
                ) : (
                  roleLabel(u.role)
                )}
              </td>
              <td data-label="Manager">
                {isAdmin ? (
                  <select
                    aria-label={`Manager of ${u.name}`}
                    value={u.managerId ?? ''}
                    onChange={(e) => change(u, { managerId: e.target.value || null })}
                  >
                    <option value="">Nobody</option>
                    {users
                      .filter((m) => m.id !== u.id && (m.role === 'manager' || m.role === 'admin'))
                      .map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name}
                        </option>
                      ))}
                  </select>
                ) : u.managerId ? (
                  names.get(u.managerId)
                ) : (
                  ''
                )}
              </td>
              {isAdmin ? (
                <td data-label="Access">
                  {u.id !== me.id ? (
                    <button type="button" onClick={() => change(u, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  ) : null}{' '}
                  {!u.disabled && u.id !== me.id ? (
                    <button type="button" onClick={() => resetPassword(u)}>
                      Reset password<span className="visually-hidden"> of {u.name}</span>
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {feedback}
      <Dialog title={`Temporary password for ${reset?.name ?? ''}`} open={reset !== undefined} onClose={() => setReset(undefined)}>
        <p>Give it to them by a channel you trust. It is shown this once; they change it from their profile after signing in.</p>
        {reset ? <Secret value={reset.password} label="Temporary password" /> : null}
        <div className="actions">
          <button type="button" onClick={() => setReset(undefined)}>
            Done
          </button>
        </div>
      </Dialog>
    </>
  );
}

function AddUser({ users }: { users: User[] }) {
  const refresh = useUsersRefresh();
  const { run, feedback } = useAction();
  const add = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const form = e.currentTarget;
    void run(async () => {
      await client.POST('/api/users', {
        body: {
          name: field(f, 'name'),
          email: field(f, 'email'),
          role: field(f, 'role') as never,
          ...(field(f, 'managerId') ? { managerId: field(f, 'managerId') } : {}),
          ...(field(f, 'password') ? { password: field(f, 'password') } : {}),
        },
      });
      form.reset();
      await refresh();
      return 'Added.';
    });
  };
  return (
    <form onSubmit={add} className="form-grid card" aria-label="Add a person">
      <h3 className="span">Add a person</h3>
      <label htmlFor="u-name">Name</label>
      <input id="u-name" name="name" required />
      <label htmlFor="u-email">Email</label>
      <input id="u-email" name="email" type="email" required />
      <label htmlFor="u-role">Role</label>
      <select id="u-role" name="role" defaultValue="technician">
        <Options values={STAFF_ROLES} label={roleLabel} />
      </select>
      <label htmlFor="u-manager">Manager</label>
      <select id="u-manager" name="managerId" defaultValue="">
        <option value="">Nobody (the top of the chain)</option>
        {users
          .filter((u) => u.role === 'manager' || u.role === 'admin')
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </select>
      <label htmlFor="u-password">Password (at least 10 characters)</label>
      <input id="u-password" name="password" type="password" autoComplete="new-password" />
      <div className="actions">
        <button type="submit">Add person</button>
      </div>
      <div className="span">{feedback}</div>
    </form>
  );
}

export function People() {
  const can = useCan();
  const users = $api.useQuery('get', '/api/users');
  const isAdmin = can('users.update');
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">People</h2>
      <Loading query={users}>
        {({ items }) => (
          <>
            <PeopleTable users={items} isAdmin={isAdmin} />
            {can('users.create') ? <AddUser users={items} /> : null}
          </>
        )}
      </Loading>
    </section>
  );
}
