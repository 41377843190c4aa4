import { OpenAPIHono } from '@hono/zod-openapi';
import { changeOffboardingDates, previewDateChange } from '../../../app/offboardings/change-offboarding-dates.ts';
import { cancelOffboarding, closeOffboarding } from '../../../app/offboardings/end-offboarding.ts';
import { isoInstant } from '../../../app/present.ts';
import { recordAttestation } from '../../../app/offboardings/record-attestation.ts';
import { recordTime } from '../../../app/offboardings/record-time.ts';
import { proposeEarlyCutover } from '../../../app/offboardings/propose-early-cutover.ts';
import { startOffboarding } from '../../../app/offboardings/start-offboarding.ts';
import { previewOffboarding } from '../../../app/offboardings/preview-offboarding.ts';
import { getOffboardingDetail, offboardingTag } from '../../../app/offboardings/get-offboarding.ts';
import { listEvents } from '../../../app/offboardings/list-events.ts';
import { listOffboardings as readOffboardings } from '../../../app/offboardings/list-offboardings.ts';
import { listTimeEntries } from '../../../app/offboardings/list-time-entries.ts';
import { withPolicy } from '../../authorize.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';
import { type HttpEnv, actorOf, appOf, etag, ifMatchVersion, preRenderedJson } from '../../context.ts';
import { presentOffboarding } from '../../present.ts';
import { validationHook } from '../../validation.ts';
import {
  cancelRoute,
  changeDatesRoute,
  previewDatesRoute,
  closeRoute,
  type OffboardingDetail,
  getOffboarding,
  listEventsRoute,
  listOffboardings,
  listTimeRoute,
  recordAttestationRoute,
  proposeEarlyCutoverRoute,
  recordTimeRoute,
  startOffboardingRoute,
  previewOffboardingRoute,
} from './offboardings.schema.ts';

export const offboardingRoutes = new OpenAPIHono<HttpEnv>({ defaultHook: validationHook });

/**
 * The offboarding with its tasks (see app/offboardings/get-offboarding.ts): `If-None-Match` with
 * its ETag gets a 304.
 */
async function detail<S extends 200 | 201>(c: Context<HttpEnv>, id: string, status: S) {
  const tag = await offboardingTag(appOf(c), actorOf(c), id);
  if (!tag) throw new NotFoundError('offboarding', id);
  // 304 carries no body, which the route's typed JSON answer cannot express.
  if (status === 200 && c.req.header('if-none-match') === tag) return c.body(null, 304, { etag: tag }) as never;
  const entry = await getOffboardingDetail(appOf(c), actorOf(c), id, tag);
  return preRenderedJson<z.infer<typeof OffboardingDetail>, S>(c, entry.json, status, { etag: entry.tag });
}

offboardingRoutes.openapi(withPolicy(listOffboardings, 'offboardings.read'), async (c) => {
  const { limit, offset } = c.req.valid('query');
  const { items: rows, nextOffset } = await readOffboardings(appOf(c), actorOf(c), { limit, offset });
  const items = rows.map((r) => ({
    ...presentOffboarding(r.offboarding),
    clientName: r.clientName,
    timezone: r.timezone,
    progress: { done: r.done, total: r.total, overdue: r.overdue, waitingGates: r.waitingGates },
  }));
  return c.json({ items, nextOffset }, 200);
});

offboardingRoutes.openapi(withPolicy(getOffboarding, 'offboardings.read'), (c) => detail(c, c.req.valid('param').id, 200));

offboardingRoutes.openapi(withPolicy(previewOffboardingRoute, 'offboardings.start'), async (c) =>
  c.json(await previewOffboarding(appOf(c), actorOf(c), c.req.valid('json')), 200),
);

offboardingRoutes.openapi(withPolicy(startOffboardingRoute, 'offboardings.start'), async (c) => {
  const { id } = await startOffboarding(appOf(c), actorOf(c), c.req.valid('json'));
  c.header('Location', `/api/offboardings/${id}`);
  return detail(c, id, 201);
});

offboardingRoutes.openapi(withPolicy(previewDatesRoute, 'offboardings.change-dates'), async (c) =>
  c.json(await previewDateChange(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

offboardingRoutes.openapi(withPolicy(changeDatesRoute, 'offboardings.change-dates'), async (c) => {
  const result = await changeOffboardingDates(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  return c.json(result, 200);
});

offboardingRoutes.openapi(withPolicy(cancelRoute, 'offboardings.cancel'), async (c) => {
  const row = await cancelOffboarding(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(row.version));
  return c.json(presentOffboarding(row), 200);
});

offboardingRoutes.openapi(withPolicy(closeRoute, 'offboardings.close'), async (c) => {
  const row = await closeOffboarding(appOf(c), actorOf(c), c.req.valid('param').id, ifMatchVersion(c), c.req.valid('json'));
  c.header('ETag', etag(row.version));
  return c.json(presentOffboarding(row), 200);
});

offboardingRoutes.openapi(withPolicy(listTimeRoute, 'time.read'), async (c) => {
  const { entries, summary } = await listTimeEntries(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.json(
    {
      items: entries.map((e) => ({ id: e.id, taskId: e.taskId, userId: e.userId, minutes: e.minutes, workDate: e.workDate, note: e.note })),
      summary,
    },
    200,
  );
});

offboardingRoutes.openapi(withPolicy(recordTimeRoute, 'time.record'), async (c) => {
  const result = await recordTime(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
  return c.json(result, 201);
});

offboardingRoutes.openapi(withPolicy(recordAttestationRoute, 'offboardings.record-attestation'), async (c) => {
  const result = await recordAttestation(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
  return c.json(result, 201);
});

offboardingRoutes.openapi(withPolicy(proposeEarlyCutoverRoute, 'offboardings.change-dates'), async (c) =>
  c.json(await proposeEarlyCutover(appOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
);

offboardingRoutes.openapi(withPolicy(listEventsRoute, 'audit.read'), async (c) => {
  const { events: rows, signedThrough } = await listEvents(appOf(c), actorOf(c), c.req.valid('param').id);
  return c.json(
    {
      items: rows.map((r) => ({
        seq: r.seq,
        at: isoInstant(r.occurredAt),
        actor: r.actor,
        actorName: r.actorInWords.name,
        actorRole: r.actorInWords.role,
        recipient: r.recipient,
        action: r.action,
        subject: { type: r.subjectType, id: r.subjectId },
        data: r.data,
      })),
      signedThrough,
    },
    200,
  );
});
