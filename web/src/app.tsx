/** The shell: who is signed in, the navigation, and which screen the path asks for. */
import { type MeData, api, get } from './api.ts';
import { ClientPage, Clients } from './pages/clients.tsx';
import { Dashboard } from './pages/dashboard.tsx';
import { Playbooks } from './pages/playbooks.tsx';
import { Profile } from './pages/profile.tsx';
import { Settings } from './pages/settings.tsx';
import { MyTasks } from './pages/my-tasks.tsx';
import { OffboardingPage } from './pages/offboarding.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Setup } from './pages/setup.tsx';
import { Link, navigate, usePath } from './router.tsx';
import { ErrorNote, Page } from './ui.tsx';
import { useLoad } from './use-load.ts';

export function App() {
  const me = useLoad(() => get<MeData>('/api/me'), []);
  const path = usePath();
  if (path === '/setup')
    return (
      <Setup
        onDone={() => {
          navigate('/');
          me.reload();
        }}
      />
    );
  if (me.loading && !me.data && !me.error)
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (me.error?.status === 401 || !me.data) {
    if (me.error && me.error.status !== 401) return <ErrorNote error={me.error} />;
    return <SignIn onSignedIn={me.reload} />;
  }
  const user = me.data;
  const signOut = async () => {
    await api('POST', '/api/auth/sign-out');
    navigate('/');
    me.reload();
  };
  const offboarding = /^\/offboardings\/([^/]+)$/.exec(path)?.[1];
  const client = /^\/clients\/([^/]+)$/.exec(path)?.[1];
  return (
    <>
      <a href="#page-title" className="skip">
        Skip to content
      </a>
      <nav className="top" aria-label="Main">
        <span className="brand">offboard</span>
        <Link to="/">Offboardings</Link>
        <Link to="/my">My tasks</Link>
        <Link to="/clients">Clients</Link>
        <Link to="/playbooks">Playbooks</Link>
        {user.role === 'admin' || user.role === 'manager' ? <Link to="/settings">Settings</Link> : null}
        <span className="spacer" />
        <Link to="/profile">
          {user.name} ({user.role})
        </Link>
        <button type="button" className="quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </nav>
      {path === '/' ? (
        <Dashboard />
      ) : path === '/my' ? (
        <MyTasks />
      ) : path === '/playbooks' ? (
        <Playbooks canPublish={user.role === 'admin' || user.role === 'manager'} />
      ) : path === '/settings' ? (
        <Settings isAdmin={user.role === 'admin'} />
      ) : path === '/profile' ? (
        <Profile me={user} />
      ) : path === '/clients' ? (
        <Clients />
      ) : client ? (
        <ClientPage id={client} />
      ) : offboarding ? (
        <OffboardingPage id={offboarding} />
      ) : (
        <Page title="Not found">
          <p>
            There is nothing at {path}. <Link to="/">Go to the offboardings.</Link>
          </p>
        </Page>
      )}
    </>
  );
}
