/**
 * Every screen has a URL (TanStack Router): a task panel is /offboardings/:id/tasks/:taskId, so
 * "My tasks", notifications and email links open the task itself; filters live in the query string.
 */
import type { QueryClient } from '@tanstack/react-query';
import { Link, Outlet, createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, useRouter } from '@tanstack/react-router';
import { RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { Dashboard, type DashboardSearch, dashboardSearch } from './pages/dashboard.tsx';
import { SETTINGS_SECTIONS, type SettingsSection } from './pages/settings/sections.ts';
import { Shell } from './shell.tsx';

// The dashboard comes with the first load; every other screen is fetched when first opened.
const Clients = lazyRouteComponent(() => import('./pages/clients.tsx'), 'Clients');
const ClientPage = lazyRouteComponent(() => import('./pages/clients.tsx'), 'ClientPage');
const DocumentationPage = lazyRouteComponent(() => import('./pages/documentation.tsx'), 'DocumentationPage');
const CredentialsPage = lazyRouteComponent(() => import('./pages/credentials.tsx'), 'CredentialsPage');
const MyTasks = lazyRouteComponent(() => import('./pages/my-tasks.tsx'), 'MyTasks');
const Notifications = lazyRouteComponent(() => import('./pages/notifications.tsx'), 'Notifications');
const OffboardingPage = lazyRouteComponent(() => import('./pages/offboarding.tsx'), 'OffboardingPage');
const Playbooks = lazyRouteComponent(() => import('./pages/playbooks.tsx'), 'Playbooks');
const Profile = lazyRouteComponent(() => import('./pages/profile.tsx'), 'Profile');
const Settings = lazyRouteComponent(() => import('./pages/settings/index.tsx'), 'Settings');
const Setup = lazyRouteComponent(() => import('./pages/setup.tsx'), 'Setup');
const TaskPanel = lazyRouteComponent(() => import('./pages/task-panel.tsx'), 'TaskPanel');
// The portal for the client and the new provider: its own screens and session, outside the staff frame.
const PortalSignIn = lazyRouteComponent(() => import('./pages/portal.tsx'), 'PortalSignIn');
const PortalOpen = lazyRouteComponent(() => import('./pages/portal.tsx'), 'PortalOpen');
const PortalHome = lazyRouteComponent(() => import('./pages/portal.tsx'), 'PortalHome');
import { Page } from './ui/page.tsx';
import { Suspense, lazy } from 'react';
import { $api } from './api/client.ts';

function Root() {
  const router = useRouter();
  return (
    <AriaRouterProvider navigate={(to) => void router.navigate({ to })} useHref={(to) => router.buildLocation({ to }).href}>
      <Outlet />
      <Suspense fallback={null}>
        <Toasts />
      </Suspense>
    </AriaRouterProvider>
  );
}

function NotFound() {
  return (
    <Page title="Not found">
      <p>
        There is nothing at this address. <Link to="/">Go to the offboardings.</Link>
      </p>
    </Page>
  );
}

// Toasts come with the screens that raise them: the region's code loads after the first screen.
const Toasts = lazy(() => import('./ui/toast.tsx').then((m) => ({ default: m.Toasts })));

const root = createRootRouteWithContext<{ queryClient: QueryClient }>()({ component: Root, notFoundComponent: NotFound });
const setup = createRoute({ getParentRoute: () => root, path: '/setup', component: Setup });
const app = createRoute({ getParentRoute: () => root, id: 'app', component: Shell });
const portal = createRoute({ getParentRoute: () => root, path: '/portal', component: PortalSignIn });
const portalOpen = createRoute({ getParentRoute: () => root, path: '/portal/open', component: PortalOpen });
const portalHome = createRoute({ getParentRoute: () => root, path: '/portal/home', component: PortalHome });

const dashboard = createRoute({
  getParentRoute: () => app,
  path: '/',
  // The list is asked for as soon as the session is known, not after the frame has rendered.
  loader: async ({ context }) => {
    try {
      const session = await context.queryClient.ensureQueryData($api.queryOptions('get', '/api/auth/session', {}));
      if (session.user)
        void context.queryClient.prefetchQuery($api.queryOptions('get', '/api/offboardings', { params: { query: { limit: 200 } } }));
    } catch {
      // The screens say what went wrong when they ask again.
    }
  },
  validateSearch: (search: Record<string, unknown>): DashboardSearch => dashboardSearch(search),
  component: function DashboardRoute() {
    return <Dashboard search={dashboard.useSearch()} />;
  },
});
const my = createRoute({ getParentRoute: () => app, path: '/my', component: MyTasks });
const notifications = createRoute({ getParentRoute: () => app, path: '/notifications', component: Notifications });
const offboarding = createRoute({
  getParentRoute: () => app,
  path: '/offboardings/$id',
  component: function OffboardingRoute() {
    return <OffboardingPage id={offboarding.useParams().id} />;
  },
});
const task = createRoute({
  getParentRoute: () => offboarding,
  path: '/tasks/$taskId',
  component: function TaskRoute() {
    const { id, taskId } = task.useParams();
    return <TaskPanel key={taskId} offboardingId={id} taskId={taskId} />;
  },
});
const clients = createRoute({ getParentRoute: () => app, path: '/clients', component: Clients });
const client = createRoute({
  getParentRoute: () => app,
  path: '/clients/$id',
  component: function ClientRoute() {
    return <ClientPage id={client.useParams().id} />;
  },
});
const documentation = createRoute({
  getParentRoute: () => app,
  path: '/clients/$id/documentation',
  component: function DocumentationRoute() {
    return <DocumentationPage clientId={documentation.useParams().id} />;
  },
});
const credentials = createRoute({
  getParentRoute: () => app,
  path: '/clients/$id/credentials',
  component: function CredentialsRoute() {
    return <CredentialsPage clientId={credentials.useParams().id} />;
  },
});
const playbooks = createRoute({ getParentRoute: () => app, path: '/playbooks', component: Playbooks });
const settings = createRoute({
  getParentRoute: () => app,
  path: '/settings',
  component: function SettingsIndex() {
    return <Settings section={undefined} />;
  },
});
const settingsSection = createRoute({
  getParentRoute: () => app,
  path: '/settings/$section',
  component: function SettingsRoute() {
    const { section } = settingsSection.useParams();
    return <Settings section={(SETTINGS_SECTIONS as readonly string[]).includes(section) ? (section as SettingsSection) : 'unknown'} />;
  },
});
const profile = createRoute({ getParentRoute: () => app, path: '/profile', component: Profile });

const routeTree = root.addChildren([
  setup,
  portal,
  portalOpen,
  portalHome,
  app.addChildren([
    dashboard,
    my,
    notifications,
    offboarding.addChildren([task]),
    clients,
    client,
    documentation,
    credentials,
    playbooks,
    settings,
    settingsSection,
    profile,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: false, scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
