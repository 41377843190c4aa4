/**
 * Hudu (`/api/v1`, header x-api-key): the company's assets become devices, networks, domains,
 * vendors, licenses or applications by their layout's name; its articles become runbooks; its
 * asset passwords are set aside. Lists are wrapped (`{"assets":[...]}`), pages are `page` and
 * `page_size` with no total: a short page is the last.
 */
import type { DocumentationSection } from '../../domain/documentation.ts';
import { getJson } from './http.ts';
import { type ClientHint, type ImportBatch, type ImportedItem, type PlatformAccess, PlatformError, textOf } from './types.ts';

const PAGE_SIZE = 100;
const platform = 'Hudu';

type Row = Record<string, unknown>;

async function* pages(access: PlatformAccess, list: string, query: string, pageSize: number) {
  const base = access.baseUrl.replace(/\/+$/, '');
  for (let n = 1; ; n++) {
    const body = (await getJson(`${base}/${list}?page=${n}&page_size=${pageSize}${query}`, {
      headers: { 'x-api-key': access.key },
      shown: `/${list} page ${n}`,
      platform,
    })) as Record<string, unknown>;
    const rows = body[list];
    if (!Array.isArray(rows)) throw new PlatformError(`${platform} answered /${list} without an "${list}" list`, 'url');
    yield { rows: rows as Row[], n };
    if (rows.length < pageSize) return;
  }
}

export async function findCompany(access: PlatformAccess, client: ClientHint, pageSize = PAGE_SIZE): Promise<string> {
  if (access.organization) return access.organization;
  const name = client.name.trim().toLowerCase();
  const found: string[] = [];
  for await (const { rows } of pages(access, 'companies', `&name=${encodeURIComponent(client.name)}`, pageSize))
    for (const r of rows) if (textOf(r.name)?.toLowerCase() === name && textOf(r.id)) found.push(textOf(r.id) as string);
  if (found.length === 1) return found[0] as string;
  throw new PlatformError(
    found.length === 0
      ? `${platform} has no company named "${client.name}": give the company's id`
      : `${platform} has ${found.length} companies named "${client.name}": give the company's id`,
    'organization',
  );
}

/** Which section an asset layout's name means; devices when none fits. */
export function sectionOfLayout(type: string | undefined): DocumentationSection {
  const t = (type ?? '').toLowerCase();
  if (/network|vlan|subnet|lan\b|wan\b/.test(t)) return 'networks';
  if (/domain|dns/.test(t)) return 'domains';
  if (/vendor|contact|supplier/.test(t)) return 'vendors';
  if (/licen[cs]e|subscription/.test(t)) return 'licenses';
  if (/application|software|line of business/.test(t)) return 'applications';
  return 'devices';
}

/** Custom fields by label, into the section's fields (the label words an MSP would use). */
const LABELS: Record<DocumentationSection, [RegExp, string][]> = {
  devices: [
    [/ip( address)?$/i, 'ip'],
    [/host ?name/i, 'hostname'],
    [/operating system|^os$/i, 'os'],
    [/serial/i, 'serial'],
    [/manufacturer|make/i, 'make'],
    [/model/i, 'model'],
    [/location|site/i, 'location'],
    [/type/i, 'type'],
  ],
  networks: [
    [/vlan/i, 'vlan'],
    [/subnet|network|cidr/i, 'subnet'],
    [/gateway/i, 'gateway'],
    [/dhcp/i, 'dhcp'],
    [/site|location/i, 'site'],
  ],
  domains: [
    [/registrar/i, 'registrar'],
    [/dns/i, 'dnsHost'],
    [/expir/i, 'expiry'],
  ],
  'dns-zones': [],
  vendors: [
    [/phone/i, 'supportPhone'],
    [/account/i, 'accountNumber'],
    [/e-?mail/i, 'email'],
    [/web|url/i, 'website'],
    [/contact/i, 'contact'],
  ],
  licenses: [
    [/product/i, 'product'],
    [/quantity|seats|count/i, 'quantity'],
    [/renew|expir/i, 'renewal'],
    [/paid|payer|billed/i, 'paidBy'],
  ],
  applications: [
    [/vendor|publisher/i, 'vendor'],
    [/version/i, 'version'],
    [/notes?/i, 'notes'],
  ],
  runbooks: [],
  files: [],
};

export function assetItem(r: Row): ImportedItem | { problem: { field: string; reason: string } } {
  const section = sectionOfLayout(textOf(r.asset_type));
  const name = textOf(r.name);
  if (!name) return { problem: { field: 'name', reason: 'is empty' } };
  const fields: Record<string, unknown> = {};
  if (section === 'devices') {
    fields.type = textOf(r.asset_type);
    fields.serial = textOf(r.primary_serial);
    fields.model = textOf(r.primary_model);
    fields.make = textOf(r.primary_manufacturer);
  }
  const custom = Array.isArray(r.fields) ? (r.fields as Row[]) : [];
  for (const f of custom) {
    const label = textOf(f.label);
    const value = textOf(f.value);
    if (!label || value === undefined) continue;
    const field = LABELS[section].find(([pattern]) => pattern.test(label))?.[1];
    if (field && fields[field] === undefined) fields[field] = field === 'quantity' && /^\d+$/.test(value) ? Number(value) : value;
  }
  return { externalId: `asset:${textOf(r.id) ?? ''}`, section, name, fields };
}

export async function* readHudu(
  access: PlatformAccess,
  client: ClientHint,
  pageSize = PAGE_SIZE,
  only?: 'credentials',
): AsyncIterable<ImportBatch> {
  const company = await findCompany(access, client, pageSize);
  const query = `&company_id=${encodeURIComponent(company)}`;
  if (only !== 'credentials') yield* documentation(access, company, query, pageSize);
  yield* assetPasswords(access, query, pageSize);
}

async function* documentation(access: PlatformAccess, company: string, query: string, pageSize: number): AsyncIterable<ImportBatch> {
  for await (const { rows, n } of pages(access, 'assets', query, pageSize)) {
    const batch: ImportBatch = { items: [], credentials: [], problems: [], skipped: 0, stage: `assets, page ${n}` };
    for (const r of rows) {
      const row = `asset ${textOf(r.id) ?? '(no id)'}`;
      if (!textOf(r.id)) batch.problems.push({ row, field: 'id', reason: 'is missing' });
      else if (textOf(r.company_id) !== undefined && textOf(r.company_id) !== company) batch.skipped = (batch.skipped ?? 0) + 1;
      else if (r.archived === true) batch.skipped = (batch.skipped ?? 0) + 1;
      else {
        const item = assetItem(r);
        if ('problem' in item) batch.problems.push({ row, ...item.problem });
        else batch.items.push(item);
      }
    }
    yield batch;
  }
  for await (const { rows, n } of pages(access, 'articles', query, pageSize)) {
    const batch: ImportBatch = { items: [], credentials: [], problems: [], skipped: 0, stage: `articles, page ${n}` };
    for (const r of rows) {
      const id = textOf(r.id);
      const name = textOf(r.name);
      if (!id || !name) batch.problems.push({ row: `article ${id ?? '(no id)'}`, field: id ? 'name' : 'id', reason: 'is empty' });
      else if (r.draft === true) batch.skipped = (batch.skipped ?? 0) + 1;
      else batch.items.push({ externalId: `article:${id}`, section: 'runbooks', name, fields: { body: textOf(r.content) } });
    }
    yield batch;
  }
}

async function* assetPasswords(access: PlatformAccess, query: string, pageSize: number): AsyncIterable<ImportBatch> {
  for await (const { rows, n } of pages(access, 'asset_passwords', query, pageSize)) {
    const batch: ImportBatch = { items: [], credentials: [], problems: [], stage: `asset passwords, page ${n}` };
    for (const r of rows) {
      const id = textOf(r.id);
      if (!id || typeof r.password !== 'string' || r.password === '') {
        batch.problems.push({ row: `asset password ${id ?? '(no id)'}`, field: id ? 'password' : 'id', reason: 'is empty' });
        continue;
      }
      batch.credentials.push({
        externalId: `asset_password:${id}`,
        name: textOf(r.name) ?? `password ${id}`,
        username: textOf(r.username),
        url: textOf(r.url),
        password: r.password,
        otpSecret: textOf(r.otp_secret),
        notes: textOf(r.description),
        category: textOf(r.password_folder_name),
      });
    }
    yield batch;
  }
}
