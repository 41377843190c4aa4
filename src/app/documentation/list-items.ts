/** A client's documentation, a page at a time: by section, owner, MSP-internal flag and words, with the register's counts. */
import { z } from 'zod';
import {
  DOCUMENTATION_SECTIONS,
  type DocumentationSection,
  ITEM_OWNERS,
  registerGap,
  summarizeRegister,
} from '../../domain/documentation.ts';
import { InputError } from '../../domain/errors.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, parseInput } from '../context.ts';
import { assertClient, presentItem } from './items.ts';
import { countedRegister } from './ownership-register.ts';

export const ItemQuery = z
  .object({
    section: z.enum(DOCUMENTATION_SECTIONS).optional(),
    owner: z.enum([...ITEM_OWNERS, 'none']).optional(),
    mspInternal: z.enum(['true', 'false']).optional(),
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    /** The `next` of the previous page. */
    cursor: z.string().max(1000).optional(),
  })
  .strict();

export const cursorOf = (row: { name: string; id: string }) => Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');

export function afterOf(cursor: string | undefined) {
  if (!cursor) return undefined;
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // falls through to the error below
  }
  throw new InputError('invalid query', [{ path: 'cursor', message: 'is not a cursor this server gave out' }]);
}

export async function listDocumentation(app: App, actor: Actor, clientId: string, query: z.input<typeof ItemQuery>) {
  const data = parseInput(ItemQuery, query, 'query');
  const q = app.database.db;
  await assertClient(q, actor, clientId);
  const rows = await documentationRepo.list(
    q,
    actor.tenantId,
    clientId,
    {
      section: data.section,
      owner: data.owner,
      mspInternal: data.mspInternal === undefined ? undefined : data.mspInternal === 'true',
      q: data.q || undefined,
      after: afterOf(data.cursor),
    },
    data.limit + 1,
  );
  const page = rows.slice(0, data.limit);
  const last = page.at(-1);
  return {
    items: page.map(presentItem),
    next: rows.length > data.limit && last ? cursorOf(last) : null,
    register: await registerOf(app, actor, clientId),
  };
}

/** The ownership register's counts: by section and owner, and what is missing. */
export async function registerOf(app: App, actor: Actor, clientId: string) {
  const items = await countedRegister(app.database.db, actor.tenantId, clientId);
  const summary = summarizeRegister(items);
  const sections = Object.fromEntries(
    DOCUMENTATION_SECTIONS.map((s) => [s, items.filter((i) => i.section === s).reduce((n, i) => n + (i.n ?? 1), 0)]),
  ) as Record<DocumentationSection, number>;
  const gap = registerGap(summary) ?? null;
  return { ...summary, sections, complete: gap === null, gap };
}
