/**
 * IT Glue (JSON:API): the organization's configurations become devices, its passwords are set
 * aside for the vault. Pages of up to 1000 (`page[size]`, `page[number]`), following
 * `meta.next-page` until there is none; ids are strings.
 */
import { getJson } from './http.ts';
import {
  type ClientHint,
  type FoundCredential,
  type ImportBatch,
  type PlatformAccess,
  PlatformError,
  type RowProblem,
  textOf,
} from './types.ts';

type Resource = { id?: unknown; type?: unknown; attributes?: Record<string, unknown> };
type Document = { data?: unknown; meta?: Record<string, unknown> };

const PAGE_SIZE = 1000;
const platform = 'IT Glue';

function page(access: PlatformAccess, path: string, n: number, size: number, query = '') {
  const base = access.baseUrl.replace(/\/+$/, '');
  const url = `${base}${path}?page[size]=${size}&page[number]=${n}${query}`;
  return getJson(url, {
    headers: { 'x-api-key': access.key, 'content-type': 'application/vnd.api+json', accept: 'application/vnd.api+json' },
    shown: `${path} page ${n}`,
    platform,
  }) as Promise<Document>;
}

/** Walks a list's pages; each page's resources with where they came from. */
async function* pages(access: PlatformAccess, path: string, size = PAGE_SIZE, query = '') {
  for (let n = 1; ;) {
    const doc = await page(access, path, n, size, query);
    if (!Array.isArray(doc.data)) throw new PlatformError(`${platform} answered ${path} without a data list`, 'url');
    const meta = doc.meta ?? {};
    const total = typeof meta['total-count'] === 'number' ? meta['total-count'] : undefined;
    const pagesInAll = typeof meta['total-pages'] === 'number' ? meta['total-pages'] : undefined;
    yield { resources: doc.data as Resource[], n, total: n === 1 ? total : undefined, pagesInAll };
    const next = meta['next-page'];
    if (typeof next !== 'number' || next <= n || doc.data.length === 0) return;
    n = next;
  }
}

/** The organization to read: the one given, else the one whose PSA id or name is the client's. */
export async function findOrganization(access: PlatformAccess, client: ClientHint): Promise<string> {
  if (access.organization) return access.organization;
  const psaIds = new Set(Object.values(client.psaIds));
  const name = client.name.trim().toLowerCase();
  const byName: string[] = [];
  for await (const { resources } of pages(access, '/organizations')) {
    for (const r of resources) {
      const a = r.attributes ?? {};
      const id = textOf(r.id);
      if (!id) continue;
      if (textOf(a['psa-id']) && psaIds.has(textOf(a['psa-id']) as string)) return id;
      if (textOf(a.name)?.toLowerCase() === name) byName.push(id);
    }
  }
  if (byName.length === 1) return byName[0] as string;
  throw new PlatformError(
    byName.length === 0
      ? `${platform} has no organization named "${client.name}" or with its PSA id: give the organization's id`
      : `${platform} has ${byName.length} organizations named "${client.name}": give the organization's id`,
    'organization',
  );
}

/** One password with its value: IT Glue's lists may leave values out, its page for one shows it when asked. */
async function passwordShown(access: PlatformAccess, id: string): Promise<Record<string, unknown> | undefined> {
  const base = access.baseUrl.replace(/\/+$/, '');
  const path = `/passwords/${encodeURIComponent(id)}`;
  try {
    const doc = (await getJson(`${base}${path}?show_password=true`, {
      headers: { 'x-api-key': access.key, 'content-type': 'application/vnd.api+json', accept: 'application/vnd.api+json' },
      shown: path,
      platform,
    })) as { data?: Resource };
    return doc.data?.attributes;
  } catch (error) {
    // Deleted since the list was read: a row problem, not the end of the import.
    if (error instanceof PlatformError && error.status === 404) return undefined;
    throw error;
  }
}

export async function* readItGlue(
  access: PlatformAccess,
  client: ClientHint,
  pageSize = PAGE_SIZE,
  only?: 'credentials',
): AsyncIterable<ImportBatch> {
  const org = await findOrganization(access, client);
  const orgPath = `/organizations/${encodeURIComponent(org)}/relationships`;
  if (only !== 'credentials') yield* configurations(access, orgPath, pageSize);
  for await (const { resources, n, total, pagesInAll } of pages(access, `${orgPath}/passwords`, pageSize)) {
    const problems: RowProblem[] = [];
    const credentials: FoundCredential[] = [];
    let skipped = 0;
    for (const r of resources) {
      const id = textOf(r.id);
      if (!id) {
        problems.push({ row: 'password (no id)', field: 'id', reason: 'is missing' });
        continue;
      }
      let a = r.attributes ?? {};
      if (typeof a.password !== 'string') a = { ...a, ...(await passwordShown(access, id)) };
      if (typeof a.password !== 'string' || a.password === '') {
        problems.push({ row: `password ${id}`, field: 'password', reason: 'is empty, even on its own page' });
        continue;
      }
      if (a.archived === true) {
        skipped++;
        continue;
      }
      credentials.push({
        externalId: `password:${id}`,
        name: textOf(a.name) ?? `password ${id}`,
        username: textOf(a.username),
        url: textOf(a.url),
        password: a.password,
        otpSecret: textOf(a['otp-secret']),
        notes: textOf(a.notes),
        category: textOf(a['password-category-name']),
      });
    }
    yield { items: [], credentials, problems, skipped, stage: stageOf('passwords', n, pagesInAll), total };
  }
}

async function* configurations(access: PlatformAccess, orgPath: string, pageSize: number): AsyncIterable<ImportBatch> {
  for await (const { resources, n, total, pagesInAll } of pages(access, `${orgPath}/configurations`, pageSize)) {
    const batch: ImportBatch = {
      items: [],
      credentials: [],
      problems: [],
      skipped: 0,
      stage: stageOf('configurations', n, pagesInAll),
      total,
    };
    for (const r of resources) {
      const a = r.attributes ?? {};
      const id = textOf(r.id);
      const row = `configuration ${id ?? '(no id)'}`;
      if (!id) {
        batch.problems.push({ row, field: 'id', reason: 'is missing' });
        continue;
      }
      if (a.archived === true) {
        batch.skipped = (batch.skipped ?? 0) + 1;
        continue;
      }
      const name = textOf(a.name) ?? textOf(a.hostname);
      if (!name) {
        batch.problems.push({ row, field: 'name', reason: 'is empty' });
        continue;
      }
      batch.items.push({
        externalId: `configuration:${id}`,
        section: 'devices',
        name,
        fields: {
          type: textOf(a['configuration-type-name']),
          hostname: textOf(a.hostname),
          ip: textOf(a['primary-ip']),
          serial: textOf(a['serial-number']),
          os: textOf(a['operating-system-name']),
          make: textOf(a['manufacturer-name']),
          model: textOf(a['model-name']),
          location: textOf(a['location-name']),
        },
      });
    }
    yield batch;
  }
}

const stageOf = (what: string, n: number, of: number | undefined) => `${what}, page ${n}${of ? ` of ${of}` : ''}`;
