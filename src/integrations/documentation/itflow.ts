/**
 * ITFlow (`/api/v1/<list>/read.php?api_key=K&limit=&offset=`): assets, networks and domains
 * become documentation, credentials are set aside. Answers are `{"success":"True","count":n,
 * "data":[...]}`; an empty list is 200 with `"success":"False"`. The key rides in the URL, so
 * no message shows the URL's query.
 */
import { getJson } from './http.ts';
import { type ClientHint, type ImportBatch, type ImportedItem, type PlatformAccess, PlatformError, textOf } from './types.ts';

const PAGE_SIZE = 50;
const platform = 'ITFlow';
type Row = Record<string, unknown>;

async function* pages(access: PlatformAccess, list: string, clientId: string | undefined, pageSize: number) {
  const base = access.baseUrl.replace(/\/+$/, '');
  for (let offset = 0; ; offset += pageSize) {
    const query = new URLSearchParams({ api_key: access.key, limit: String(pageSize), offset: String(offset) });
    if (clientId) query.set('client_id', clientId);
    const body = (await getJson(`${base}/api/v1/${list}/read.php?${query.toString()}`, {
      shown: `/api/v1/${list}/read.php (offset ${offset})`,
      platform,
    })) as Row;
    if (String(body.success) !== 'True') {
      // "No resource found" is how ITFlow says a list is empty; a refused key says so in the message.
      const message = textOf(body.message) ?? '';
      if (/key|auth|permission/i.test(message)) throw new PlatformError(`${platform} refused the API key: ${message}`, 'key');
      return;
    }
    const rows = Array.isArray(body.data) ? (body.data as Row[]) : [];
    yield { rows, offset };
    if (rows.length < pageSize) return;
  }
}

async function findClient(access: PlatformAccess, client: ClientHint, pageSize: number): Promise<string> {
  if (access.organization) return access.organization;
  const name = client.name.trim().toLowerCase();
  const found: string[] = [];
  for await (const { rows } of pages(access, 'clients', undefined, pageSize))
    for (const r of rows)
      if (textOf(r.client_name)?.toLowerCase() === name && textOf(r.client_id)) found.push(textOf(r.client_id) as string);
  if (found.length === 1) return found[0] as string;
  throw new PlatformError(
    found.length === 0
      ? `${platform} has no client named "${client.name}": give the client's id`
      : `${platform} has ${found.length} clients named "${client.name}": give the client's id`,
    'organization',
  );
}

type Mapper = (r: Row) => Omit<ImportedItem, 'externalId'> | undefined;

const LISTS: { list: string; prefix: string; idColumn: string; clientColumn: string; map: Mapper }[] = [
  {
    list: 'assets',
    prefix: 'asset',
    idColumn: 'asset_id',
    clientColumn: 'asset_client_id',
    map: (r) => {
      const name = textOf(r.asset_name);
      return name
        ? {
            section: 'devices',
            name,
            fields: {
              type: textOf(r.asset_type),
              make: textOf(r.asset_make),
              model: textOf(r.asset_model),
              serial: textOf(r.asset_serial),
              os: textOf(r.asset_os),
              ip: textOf(r.asset_ip),
            },
          }
        : undefined;
    },
  },
  {
    list: 'networks',
    prefix: 'network',
    idColumn: 'network_id',
    clientColumn: 'network_client_id',
    map: (r) => {
      const name = textOf(r.network_name);
      return name
        ? {
            section: 'networks',
            name,
            fields: {
              vlan: textOf(r.network_vlan),
              subnet: textOf(r.network) ?? textOf(r.network_subnet),
              gateway: textOf(r.network_gateway),
              dhcp: textOf(r.network_dhcp_range),
            },
          }
        : undefined;
    },
  },
  {
    list: 'domains',
    prefix: 'domain',
    idColumn: 'domain_id',
    clientColumn: 'domain_client_id',
    map: (r) => {
      const name = textOf(r.domain_name);
      return name
        ? {
            section: 'domains',
            name,
            fields: {
              registrar: textOf(r.domain_registrar),
              dnsHost: textOf(r.domain_dnshost),
              expiry: textOf(r.domain_expire)?.slice(0, 10),
            },
          }
        : undefined;
    },
  },
];

export async function* readItFlow(
  access: PlatformAccess,
  client: ClientHint,
  pageSize = PAGE_SIZE,
  only?: 'credentials',
): AsyncIterable<ImportBatch> {
  const clientId = await findClient(access, client, pageSize);
  const ours = (r: Row, column: string) => textOf(r[column]) === undefined || textOf(r[column]) === clientId;
  for (const { list, prefix, idColumn, clientColumn, map } of only === 'credentials' ? [] : LISTS) {
    for await (const { rows, offset } of pages(access, list, clientId, pageSize)) {
      const batch: ImportBatch = { items: [], credentials: [], problems: [], skipped: 0, stage: `${list}, from row ${offset + 1}` };
      for (const r of rows) {
        const id = textOf(r[idColumn]);
        if (!id) batch.problems.push({ row: `${prefix} (no id)`, field: idColumn, reason: 'is missing' });
        else if (!ours(r, clientColumn)) batch.skipped = (batch.skipped ?? 0) + 1;
        else {
          const item = map(r);
          if (item) batch.items.push({ externalId: `${prefix}:${id}`, ...item });
          else batch.problems.push({ row: `${prefix} ${id}`, field: `${prefix}_name`, reason: 'is empty' });
        }
      }
      yield batch;
    }
  }
  for await (const { rows, offset } of pages(access, 'credentials', clientId, pageSize)) {
    const batch: ImportBatch = { items: [], credentials: [], problems: [], skipped: 0, stage: `credentials, from row ${offset + 1}` };
    for (const r of rows) {
      const id = textOf(r.credential_id);
      const password = typeof r.credential_password === 'string' ? r.credential_password : '';
      if (!id || !password)
        batch.problems.push({
          row: `credential ${id ?? '(no id)'}`,
          field: id ? 'credential_password' : 'credential_id',
          reason: 'is empty',
        });
      else if (!ours(r, 'credential_client_id')) batch.skipped = (batch.skipped ?? 0) + 1;
      else
        batch.credentials.push({
          externalId: `credential:${id}`,
          name: textOf(r.credential_name) ?? `credential ${id}`,
          username: textOf(r.credential_username),
          url: textOf(r.credential_uri),
          password,
        });
    }
    yield batch;
  }
}
