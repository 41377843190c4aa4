/** Who is signed in, and what their role may do: the server's permission table, served with the session. */
import { createContext, useContext } from 'react';
import type { Schemas } from './api/client.ts';

export type Me = Schemas['Me'];
export type Permission = Me['permissions'][number];

export const MeContext = createContext<Me | undefined>(undefined);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in app');
  return me;
}

/** Whether the signed-in person's role may take an action (the same table the routes check). */
export function useCan(): (action: Permission) => boolean {
  const me = useMe();
  return (action) => me.permissions.includes(action);
}
