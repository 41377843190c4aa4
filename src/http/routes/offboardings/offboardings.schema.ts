import { createRoute, z } from '@hono/zod-openapi';
import { ChangeDatesInput } from '../../../app/offboardings/change-offboarding-dates.ts';
import { CancelOffboardingInput, CloseOffboardingInput } from '../../../app/offboardings/end-offboarding.ts';
import { RecordAttestationInput } from '../../../app/offboardings/record-attestation.ts';
import { ProposeEarlyCutoverInput } from '../../../app/offboardings/propose-early-cutover.ts';
import { RecordTimeInput } from '../../../app/offboardings/record-time.ts';
import { StartOffboardingInput } from '../../../app/offboardings/start-offboarding.ts';
import { IdParam, Pagination, errorResponses, json, page, jsonBody } from '../../schemas.ts';
import { Task } from '../tasks/tasks.schema.ts';

/** A task whose due date a change of dates moves. */
const MovedTask = z.object({ key: z.string(), from: z.string(), to: z.string() });
const PlanWarning = z.object({ code: z.string(), message: z.string(), tasks: z.array(z.string()) });

export const Offboarding = z
  .object({
    id: z.string(),
    clientId: z.string(),
    type: z.string(),
    status: z.string(),
    noticeDate: z.string(),
    endDate: z.string(),
    revocationDate: z.string().nullable(),
    retentionDays: z.number().int().nullable(),
    newProvider: z.object({ name: z.string(), contact: z.string() }).nullable(),
    playbookDigest: z.string(),
    warnings: z.array(PlanWarning),
    cancelReason: z.string().nullable(),
    departureReason: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Offboarding');

export const OffboardingSummary = Offboarding.extend({
  clientName: z.string(),
  timezone: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int(), overdue: z.number().int(), waitingGates: z.number().int() }),
}).openapi('OffboardingSummary');

export const OffboardingDetail = Offboarding.extend({ tasks: z.array(Task) }).openapi('OffboardingDetail');

const TimeEntry = z.object({
  id: z.string(),
  taskId: z.string().nullable(),
  userId: z.string(),
  minutes: z.number().int(),
  workDate: z.string(),
  note: z.string().nullable(),
});
const TimeSummary = z.object({ minutes: z.number().int(), includedMinutes: z.number().int().nullable(), overIncluded: z.boolean() });

const tags = ['offboardings'];

export const listOffboardings = createRoute({
  method: 'get',
  path: '/api/offboardings',
  tags,
  summary: 'Offboardings with progress and health',
  request: { query: Pagination },
  responses: { 200: json(page(OffboardingSummary), 'A page of offboardings'), ...errorResponses },
});
export const getOffboarding = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}',
  tags,
  summary: 'An offboarding with its tasks; the ETag changes with any change to either',
  request: { params: IdParam },
  responses: {
    200: json(OffboardingDetail, 'The offboarding'),
    304: { description: 'Not modified since the ETag sent in If-None-Match' },
    ...errorResponses,
  },
});
export const startOffboardingRoute = createRoute({
  method: 'post',
  path: '/api/offboardings',
  tags,
  summary: 'Start offboarding a client: plans, creates and assigns every task',
  request: { body: jsonBody(StartOffboardingInput) },
  responses: { 201: json(OffboardingDetail, 'The new offboarding'), ...errorResponses },
});
export const previewOffboardingRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/preview',
  tags,
  summary: 'The plan a start would make (due dates, warnings such as infeasible), without starting anything',
  request: { body: jsonBody(StartOffboardingInput) },
  responses: {
    200: json(
      z
        .object({
          timezone: z.string(),
          revocationDate: z.string(),
          tasks: z.array(
            z.object({
              key: z.string(),
              title: z.string(),
              phase: z.number().int(),
              role: z.string(),
              due: z.string(),
              dueAt: z.string(),
              dependsOn: z.array(z.string()),
              gates: z.array(z.string()),
            }),
          ),
          warnings: z.array(PlanWarning),
        })
        .openapi('OffboardingPreview'),
      'The plan',
    ),
    ...errorResponses,
  },
});
export const changeDatesRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/dates',
  tags,
  summary: 'Change the dates and replan (open tasks move; the answer lists them)',
  request: { params: IdParam, body: jsonBody(ChangeDatesInput) },
  responses: {
    200: json(z.object({ moved: z.array(MovedTask) }), 'What moved'),
    ...errorResponses,
  },
});
export const previewDatesRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/dates/preview',
  tags,
  summary: 'What a change of dates would move, and the warnings of the new plan, without changing anything',
  request: { params: IdParam, body: jsonBody(ChangeDatesInput) },
  responses: {
    200: json(z.object({ moved: z.array(MovedTask), warnings: z.array(PlanWarning) }), 'What would move'),
    ...errorResponses,
  },
});
export const cancelRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/cancel',
  tags,
  summary: 'Cancel: the client stays',
  request: { params: IdParam, body: jsonBody(CancelOffboardingInput) },
  responses: { 200: json(Offboarding, 'Cancelled'), ...errorResponses },
});
export const closeRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/close',
  tags,
  summary: 'Close: the client is former',
  request: { params: IdParam, body: jsonBody(CloseOffboardingInput) },
  responses: { 200: json(Offboarding, 'Closed'), ...errorResponses },
});
export const listTimeRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/time',
  tags,
  summary: 'Time spent, against the included hours',
  request: { params: IdParam },
  responses: { 200: json(z.object({ items: z.array(TimeEntry), summary: TimeSummary }), 'Time entries'), ...errorResponses },
});
export const recordTimeRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/time',
  tags,
  summary: 'Record time spent',
  request: { params: IdParam, body: jsonBody(RecordTimeInput) },
  responses: { 201: json(z.object({ id: z.string(), summary: TimeSummary }), 'Recorded'), ...errorResponses },
});
export const recordAttestationRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/attestations',
  tags,
  summary: 'Record a statement a party signed on paper, from its scan (attached as evidence first)',
  request: { params: IdParam, body: jsonBody(RecordAttestationInput) },
  responses: { 201: json(z.object({ id: z.string(), statementSha256: z.string() }), 'Recorded'), ...errorResponses },
});
export const proposeEarlyCutoverRoute = createRoute({
  method: 'post',
  path: '/api/offboardings/{id}/early-cutover',
  tags,
  summary: 'Propose ending access before the agreed revocation date (holds once the client agrees in the portal)',
  request: { params: IdParam, body: jsonBody(ProposeEarlyCutoverInput) },
  responses: { 200: json(z.object({ proposedCutover: z.string() }), 'Proposed'), ...errorResponses },
});
export const listEventsRoute = createRoute({
  method: 'get',
  path: '/api/offboardings/{id}/events',
  tags,
  summary: 'The audit events of an offboarding, oldest first',
  request: { params: IdParam },
  responses: {
    200: json(
      z.object({
        items: z.array(
          z.object({
            seq: z.number().int(),
            at: z.string(),
            actor: z.string(),
            actorName: z.string().describe('Who the actor is: a person, an API token by its name, the PSA, or offboard'),
            actorRole: z.string().nullable().describe('The role they held when the event happened'),
            recipient: z.string().nullable().describe("Whom a notification went to: a person's name, or the address"),
            action: z.string(),
            subject: z.object({ type: z.string(), id: z.string() }),
            data: z.unknown(),
          }),
        ),
        signedThrough: z.number().int().describe('Events up to this sequence number are covered by a signed checkpoint'),
      }),
      'Events',
    ),
    ...errorResponses,
  },
});
