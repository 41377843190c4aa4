import { createRoute, z } from '@hono/zod-openapi';
import { AssignTaskInput } from '../../../app/tasks/assign-task.ts';
import { CompleteTaskInput } from '../../../app/tasks/complete-task.ts';
import { ReopenTaskInput } from '../../../app/tasks/reopen-task.ts';
import { WaiveTaskInput } from '../../../app/tasks/waive-task.ts';
import { WaiveEvidenceInput } from '../../../app/tasks/waive-evidence-requirement.ts';
import { TickChecklistInput } from '../../../app/tasks/tick-checklist-item.ts';
import { TASK_ACTIONS } from '../../../domain/policies.ts';
import { TASK_STATUSES } from '../../../domain/vocabulary.ts';
import { IdParam, IfMatchHeader, errorResponses, json } from '../../schemas.ts';

export const Task = z
  .object({
    id: z.string(),
    offboardingId: z.string(),
    key: z.string(),
    title: z.string(),
    phase: z.number().int(),
    role: z.string(),
    assigneeId: z.string().nullable(),
    status: z.enum(TASK_STATUSES),
    due: z.string().openapi({ example: '2026-03-10' }),
    dueAt: z.string().openapi({ example: '2026-03-10T21:00:00Z' }),
    dependsOn: z.array(z.string()),
    gates: z.array(z.string()),
    checklist: z.array(z.object({ item: z.string(), done: z.boolean() })),
    note: z.string().nullable(),
    waiver: z.object({ reason: z.string(), approverId: z.string() }).nullable(),
    authorizationScope: z.string().nullable().openapi({
      description:
        'What the client’s authorization must cover before this task can be done (it gives the new provider something of that kind)',
    }),
    evidenceRequired: z.boolean().openapi({
      description:
        'Whether completing needs an attached file: the playbook lists evidence, no party’s statement backs the task, and no manager waived it',
    }),
    evidenceWaiver: z
      .object({ reason: z.string(), approverId: z.string(), at: z.string() })
      .nullable()
      .openapi({ description: 'A manager let the task be completed without its evidence, with this reason' }),
    readyOn: z.string().nullable(),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi('Task');

export const TaskDetail = Task.extend({
  guidance: z.string().openapi({ description: 'What to do, in Markdown' }),
  evidence: z.array(z.string()),
  when: z.string(),
  allowed: z
    .array(z.enum(TASK_ACTIONS))
    .openapi({ description: 'What the signed-in requester may do with this task now (the role table, the task rule and its status)' }),
}).openapi('TaskDetail');

export const getTask = createRoute({
  method: 'get',
  path: '/api/tasks/{id}',
  tags: ['tasks'],
  summary: 'A task with its guidance (ETag for If-Match)',
  request: { params: IdParam },
  responses: { 200: json(TaskDetail, 'The task'), ...errorResponses },
});

const responses = { 200: json(Task, 'The task after the change'), ...errorResponses };

const action = (name: string, summary: string) =>
  createRoute({
    method: 'post',
    path: `/api/tasks/{id}/${name}`,
    tags: ['tasks'],
    summary,
    request: { params: IdParam, headers: IfMatchHeader },
    responses,
  });

const actionWithBody = <B extends z.ZodType>(name: string, summary: string, body: B) =>
  createRoute({
    method: 'post',
    path: `/api/tasks/{id}/${name}`,
    tags: ['tasks'],
    summary,
    request: { params: IdParam, headers: IfMatchHeader, body: { content: { 'application/json': { schema: body } }, required: true } },
    responses,
  });

export const startTaskRoute = action('start', 'Start working on a ready task');
export const completeTaskRoute = actionWithBody(
  'complete',
  'Complete a task (refused while dependencies or gates are open)',
  CompleteTaskInput,
);
export const waiveTaskRoute = actionWithBody('waive', 'Waive a task with a reason', WaiveTaskInput);
export const waiveEvidenceRoute = actionWithBody(
  'evidence-waiver',
  'Let a task be completed without the evidence its playbook asks for (managers; a reason is required and recorded)',
  WaiveEvidenceInput,
);
export const reopenTaskRoute = actionWithBody('reopen', 'Reopen a done or waived task', ReopenTaskInput);
export const assignTaskRoute = actionWithBody('assign', 'Assign or reassign a task', AssignTaskInput);
export const tickChecklistRoute = actionWithBody(
  'checklist',
  'Tick or untick one checklist item (saved at once, audited)',
  TickChecklistInput,
);

export const MyTask = Task.extend({ client: z.object({ name: z.string(), timezone: z.string() }) }).openapi('MyTask');

export const myTasks = createRoute({
  method: 'get',
  path: '/api/my/tasks',
  tags: ['tasks'],
  summary: "The signed-in user's open tasks, by due date, with the client and its time zone (due dates are the client's local dates)",
  responses: { 200: json(z.object({ items: z.array(MyTask) }), 'Open tasks'), ...errorResponses },
});

export const Evidence = z
  .object({ id: z.string(), sha256: z.string(), size: z.number().int(), filename: z.string(), mediaType: z.string() })
  .openapi('Evidence');

export const attachEvidenceRoute = createRoute({
  method: 'post',
  path: '/api/tasks/{id}/evidence',
  tags: ['tasks'],
  summary: 'Attach a file (screenshot, export, signed PDF) as evidence; stored by SHA-256',
  request: {
    params: IdParam,
    // Documented, not validated by the framework (which would read the whole body into memory): the route streams it.
    body: {
      content: {
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        },
      },
      required: true,
    },
  },
  responses: { 201: json(Evidence, 'Attached'), ...errorResponses },
});

export const listEvidenceRoute = createRoute({
  method: 'get',
  path: '/api/tasks/{id}/evidence',
  tags: ['tasks'],
  summary: "A task's evidence files",
  request: { params: IdParam },
  responses: {
    200: json(z.object({ items: z.array(Evidence.extend({ createdAt: z.string(), createdBy: z.string().nullable() })) }), 'Evidence'),
    ...errorResponses,
  },
});

export const downloadEvidenceRoute = createRoute({
  method: 'get',
  path: '/api/evidence/{id}',
  tags: ['tasks'],
  summary: 'Download an evidence file',
  request: { params: IdParam },
  responses: { 200: { description: 'The file, as uploaded' }, ...errorResponses },
});
