/** Task routes: thin. Authorize (policy), validate (schema), call the use case, present. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { assignTask } from '../../../app/tasks/assign-task.ts';
import { completeTask } from '../../../app/tasks/complete-task.ts';
import { reopenTask } from '../../../app/tasks/reopen-task.ts';
import { startTask } from '../../../app/tasks/start-task.ts';
import { waiveTask } from '../../../app/tasks/waive-task.ts';
import { waiveEvidenceRequirement } from '../../../app/tasks/waive-evidence-requirement.ts';
import { tickChecklistItem } from '../../../app/tasks/tick-checklist-item.ts';
import { taskActionsFor } from '../../../domain/policies.ts';
import { getEvidenceFile } from '../../../app/tasks/get-evidence-file.ts';
import { getTask as readTask } from '../../../app/tasks/get-task.ts';
import { listEvidence as readEvidence } from '../../../app/tasks/list-evidence.ts';
import { myOpenTasks } from '../../../app/tasks/my-tasks.ts';
import { receiveFile } from '../../uploads.ts';
import { attachEvidence } from '../../../app/tasks/attach-evidence.ts';
import { isoInstant } from '../../../app/present.ts';
import { withPolicy } from '../../authorize.ts';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion } from '../../context.ts';
import { guidanceOf, presentTask, streamedFile } from '../../present.ts';
import { validationHook } from '../../validation.ts';
import {
  attachEvidenceRoute,
  downloadEvidenceRoute,
  listEvidenceRoute,
  assignTaskRoute,
  completeTaskRoute,
  getTask,
  myTasks,
  reopenTaskRoute,
  startTaskRoute,
  tickChecklistRoute,
  waiveEvidenceRoute,
  waiveTaskRoute,
} from './tasks.schema.ts';

export const taskRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

taskRoutes.openapi(withPolicy(getTask, 'tasks.read'), async (c) => {
  const { task, offboarding } = await readTask(appOf(c), actorOf(c), c.req.valid('param').id);
  c.header('ETag', etag(task.version));
  return c.json({ ...presentTask(task), ...guidanceOf(offboarding, task.key), allowed: taskActionsFor(actorOf(c), task) }, 200);
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

taskRoutes.openapi(withPolicy(waiveEvidenceRoute, 'tasks.waive'), async (c) => {
  const task = await waiveEvidenceRequirement(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(reopenTaskRoute, 'tasks.reopen'), async (c) => {
  const task = await reopenTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(tickChecklistRoute, 'tasks.work'), async (c) => {
  const task = await tickChecklistItem(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(assignTaskRoute, 'tasks.assign'), async (c) => {
  const task = await assignTask(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(task.version));
  return c.json(presentTask(task), 200);
});

taskRoutes.openapi(withPolicy(myTasks, 'tasks.read'), async (c) => {
  const rows = await myOpenTasks(appOf(c), actorOf(c));
  return c.json({ items: rows.map((r) => ({ ...presentTask(r.tasks), client: clientOf(r.offboardings.facts) })) }, 200);
});

taskRoutes.openapi(withPolicy(attachEvidenceRoute, 'tasks.work'), async (c) => {
  const file = await receiveFile(c, c.get('maxUploadBytes'));
  try {
    return c.json(
      await attachEvidence(
        appOf(c),
        actorOf(c),
        c.req.valid('param').id,
        { filename: file.filename, mediaType: file.mediaType },
        file.content,
      ),
      201,
    );
  } finally {
    await file.discard();
  }
});

taskRoutes.openapi(withPolicy(listEvidenceRoute, 'tasks.read'), async (c) => {
  const rows = await readEvidence(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.json(
    {
      items: rows.map((e) => ({
        id: e.id,
        sha256: e.sha256,
        size: e.size,
        filename: e.filename,
        mediaType: e.mediaType,
        createdAt: isoInstant(e.createdAt),
        createdBy: e.createdBy,
      })),
    },
    200,
  );
});

taskRoutes.openapi(withPolicy(downloadEvidenceRoute, 'tasks.read'), async (c) => {
  const { evidence: row, size, pieces } = await getEvidenceFile(appOf(c), actorOf(c), c.req.valid('param').id);
  return streamedFile(c, { pieces, size, mediaType: row.mediaType, filename: row.filename, sha256: row.sha256 });
});

function clientOf(facts: unknown): { name: string; timezone: string } {
  const client = (facts as { client?: { name?: string; timezone?: string } }).client;
  return { name: client?.name ?? '', timezone: client?.timezone ?? 'UTC' };
}
