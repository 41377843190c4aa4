import type { QueryClient } from '@tanstack/react-query';

/** After a change to an offboarding or one of its tasks: everything that shows offboardings, tasks, their time and activity is fetched again. */
export const refreshOffboardingViews = (queryClient: QueryClient) =>
  Promise.all(
    ['/api/offboardings/{id}', '/api/offboardings/{id}/events', '/api/offboardings/{id}/time', '/api/offboardings', '/api/my/tasks'].map(
      (path) => queryClient.invalidateQueries({ queryKey: ['get', path] }),
    ),
  );
