/** The signed-in frame: the session (or the sign-in screen), the navigation with its unread badge, and a menu on a phone. */
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { Button, Menu, MenuItem, MenuTrigger, Popover, Separator } from 'react-aria-components';
import { $api, asApiError, client } from './api/client.ts';
import { roleLabel } from './labels.ts';
import { SignIn } from './pages/sign-in.tsx';
import { MeContext, type Me } from './session.tsx';
import { ErrorNote, Spinner } from './ui/page.tsx';

type NavItem = { to: '/' | '/my' | '/notifications' | '/clients' | '/playbooks' | '/settings'; label: string };

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
      <MenuTrigger>
        <Button className="nav-menu quiet" aria-label="Menu">
          ☰ Menu
        </Button>
        <Popover className="popover" placement="bottom end">
          <Menu
            className="menu"
            aria-label="Main menu"
            onAction={(key) => {
              if (key === 'sign-out') void signOut();
            }}
          >
            {items.map((i) => (
              <MenuItem key={i.to} id={i.to} href={i.to} className={path === i.to ? 'menu-item current' : 'menu-item'}>
                {i.label}
              </MenuItem>
            ))}
            <Separator />
            <MenuItem id="/profile" href="/profile" className="menu-item">
              My profile ({roleLabel(me.role)})
            </MenuItem>
            <MenuItem id="sign-out" className="menu-item">
              Sign out
            </MenuItem>
          </Menu>
        </Popover>
      </MenuTrigger>
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
