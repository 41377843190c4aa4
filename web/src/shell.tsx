/** The signed-in frame: the session (or the sign-in screen), the navigation with its unread badge, and a menu on a phone. */
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Suspense, lazy, useEffect, useState } from 'react';
import { $api, asApiError, client } from './api/client.ts';
import { roleLabel } from './labels.ts';
import { SignIn } from './pages/sign-in.tsx';
import { MeContext, type Me } from './session.tsx';
import { ErrorNote, Spinner } from './ui/page.tsx';

// The menu replaces the links on a narrow screen; its code loads only there.
const PhoneMenu = lazy(() => import('./phone-menu.tsx'));
const NARROW = '(max-width: 48rem)';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const update = () => setNarrow(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return narrow;
}

export type NavItem = { to: '/' | '/my' | '/notifications' | '/clients' | '/playbooks' | '/settings'; label: string };

function navItems(me: Me): NavItem[] {
  return [
    { to: '/', label: 'Offboardings' },
    { to: '/my', label: 'My tasks' },
    { to: '/clients', label: 'Clients' },
    { to: '/playbooks', label: 'Playbooks' },
    ...(me.permissions.includes('settings.read') ? [{ to: '/settings' as const, label: 'Settings' }] : []),
  ];
}

function Navigation({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const inbox = $api.useQuery('get', '/api/my/notifications', {}, { refetchInterval: 60_000 });
  const unread = inbox.data?.unread ?? 0;
  const path = useRouterState({ select: (s) => s.location.pathname });
  const signOut = async () => {
    await client.POST('/api/auth/sign-out');
    queryClient.clear();
    await navigate({ to: '/' });
  };
  const items = navItems(me);
  const phone = useNarrow();
  const badge = unread > 0 ? <span className="badge unread-count">{unread}</span> : null;
  return (
    <nav className="top" aria-label="Main">
      <span className="brand">offboard</span>
      <div className="nav-links">
        {items.map((i) => (
          <Link key={i.to} to={i.to} activeOptions={{ exact: i.to === '/' }}>
            {i.label}
          </Link>
        ))}
      </div>
      <span className="spacer" />
      <Link to="/notifications" className="nav-inbox" aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}>
        <span aria-hidden="true">🔔</span>
        {badge}
      </Link>
      <div className="nav-links">
        <Link to="/profile">
          {me.name} ({roleLabel(me.role)})
        </Link>
        <button type="button" className="quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
      {phone ? (
        <Suspense fallback={null}>
          <PhoneMenu items={items} me={me} path={path} onSignOut={() => void signOut()} />
        </Suspense>
      ) : null}
    </nav>
  );
}

export function Shell() {
  const session = $api.useQuery('get', '/api/auth/session', {}, { staleTime: 60_000 });
  if (session.error) return <ErrorNote error={asApiError(session.error)} />;
  if (!session.data) return <Spinner />;
  const me = session.data.user;
  if (!me) return <SignIn />;
  return (
    <MeContext.Provider value={me}>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <Navigation me={me} />
      <Outlet />
    </MeContext.Provider>
  );
}
