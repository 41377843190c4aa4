/** Task routes: thin. Authorize (policy), validate (schema), call the use case, present. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { assignTask } from '../../app/assign-task.ts';
import { completeTask } from '../../app/complete-task.ts';
import { reopenTask } from '../../app/reopen-task.ts';
import { startTask } from '../../app/start-task.ts';
import { waiveTask } from '../../app/waive-task.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { offboardingsRepo, tasksRepo } from '../../storage/repositories.ts';
import { withPolicy } from '../authorize.ts';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion } from '../context.ts';
import { guidanceOf, presentTask } from '../present.ts';
import { validationHook } from '../validation.ts';
import { assignTaskRoute, completeTaskRoute, getTask, myTasks, reopenTaskRoute, startTaskRoute, waiveTaskRoute } from './tasks.schema.ts';

export const taskRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

taskRoutes.openapi(withPolicy(getTask, 'tasks.read'), async (c) => {
  const actor = actorOf(c);
  const { id } = c.req.valid('param');
  const db = appOf(c).database.db;
  const task = await tasksRepo.get(db, actor.tenantId, id);
  if (!task) throw new NotFoundError('task', id);
  const offboarding = await offboardingsRepo.get(db, actor.tenantId, task.offboardingId);
  if (!offboarding) throw new NotFoundError('task', id);
  c.header('ETag', etag(task.version));
  return c.json({ ...presentTask(task), ...guidanceOf(offboarding, task.key) }, 200);
});

taskRoutes.openapi(withPolicy(startTaskRoute, 'tasks.work'), async (c) => {
  const task = await startTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(completeTaskRoute, 'tasks.work'), async (c) => {
  const { task } = await completeTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(waiveTaskRoute, 'tasks.waive'), async (c) => {
  const { task } = await waiveTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(reopenTaskRoute, 'tasks.reopen'), async (c) => {
  const task = await reopenTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(assignTaskRoute, 'tasks.assign'), async (c) => {
  const task = await assignTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(myTasks, 'tasks.read'), async (c) => {
  const actor = actorOf(c);
  const rows = await tasksRepo.openForAssignee(appOf(c).database.db, actor.tenantId, actor.id);
  return c.json({ items: rows.map((r) => presentTask(r.tasks)) }, 200);
});
