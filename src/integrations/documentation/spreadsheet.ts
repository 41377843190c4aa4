/**
 * CSV and XLSX files: the first row names the columns, a mapping says which column is the name,
 * the id, the owner and each of the section's fields (the column-mapping step suggests one), and
 * a password column is set aside for the vault. Rows without an id column are keyed by name, so
 * a second import of the same file updates instead of adding.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { readSheet as readXlsxSheet } from 'read-excel-file/node';
import { z } from 'zod';
import { type DocumentationSection, type ItemOwner, SECTION_COLUMNS } from '../../domain/documentation.ts';
import type { FoundCredential, ImportBatch, ImportedItem, RowProblem } from './types.ts';
import { PlatformError } from './types.ts';

export const SHEET_KINDS = ['csv', 'xlsx'] as const;
export type SheetKind = (typeof SHEET_KINDS)[number];

const Column = z.string().trim().min(1).max(200);
export const ColumnMapping = z
  .object({
    name: Column,
    id: Column.optional(),
    owner: Column.optional(),
    password: Column.optional(),
    username: Column.optional(),
    url: Column.optional(),
    /** Credentials: the TOTP seed, the notes, and what kind of account it is. */
    otpSecret: Column.optional(),
    notes: Column.optional(),
    kind: Column.optional(),
    fields: z.record(z.string(), Column).default({}),
  })
  .strict();
export type ColumnMapping = z.output<typeof ColumnMapping>;

const BATCH_ROWS = 500;

type Pieces = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** The file's rows as text cells, header first. */
async function* rowsOf(kind: SheetKind, pieces: Pieces): AsyncIterable<string[]> {
  if (kind === 'csv') {
    const parser = Readable.from(pieces()).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }));
    try {
      for await (const record of parser) yield (record as string[]).map((c) => c.trim());
    } catch (error) {
      throw new PlatformError(`the CSV file cannot be read: ${(error as Error).message}`, 'file');
    }
    return;
  }
  const chunks: Uint8Array[] = [];
  for await (const piece of pieces()) chunks.push(piece);
  let data: unknown[][];
  try {
    data = await readXlsxSheet(Buffer.concat(chunks));
  } catch (error) {
    throw new PlatformError(`the XLSX file cannot be read: ${(error as Error).message}`, 'file');
  }
  for (const row of data)
    yield row.map((c) =>
      c instanceof Date
        ? c.toISOString().slice(0, 10)
        : typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean'
          ? String(c).trim()
          : '',
    );
}

/** The header, how many rows follow, the first rows, and a mapping guessed from the headings. */
export async function inspectSheet(kind: SheetKind, pieces: Pieces, section: DocumentationSection | 'credentials') {
  let headers: string[] | undefined;
  const sample: string[][] = [];
  let rows = 0;
  for await (const row of rowsOf(kind, pieces)) {
    if (!headers) headers = row;
    else {
      rows++;
      if (sample.length < 5) sample.push(row);
    }
  }
  if (!headers) throw new PlatformError('the file is empty: its first row must name the columns', 'file');
  return { headers, rows, sample, suggested: suggestMapping(headers, section) };
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function suggestMapping(headers: string[], section: DocumentationSection | 'credentials'): Partial<ColumnMapping> {
  const find = (...names: string[]) => headers.find((h) => names.map(norm).includes(norm(h)));
  const fields: Record<string, string> = {};
  for (const [key, heading] of section === 'credentials' ? [] : SECTION_COLUMNS[section]) {
    const column = find(key, heading);
    if (column) fields[key] = column;
  }
  const name = find('name', 'hostname', 'device', 'device name', 'title', 'system', 'account');
  const pick = (key: string, ...names: string[]) => {
    const column = find(...names);
    return column ? { [key]: column } : {};
  };
  return {
    ...(name ? { name } : {}),
    ...pick('id', 'id', 'external id', 'asset id'),
    ...pick('owner', 'owner', 'owned by'),
    ...pick('password', 'password', 'secret', 'pass', 'pwd'),
    ...pick('username', 'username', 'user name', 'login'),
    ...pick('url', 'url', 'uri'),
    ...(section === 'credentials'
      ? {
          ...pick('otpSecret', 'otp', 'otp secret', 'totp', 'totp seed', 'mfa seed'),
          ...pick('notes', 'notes', 'description'),
          ...pick('kind', 'kind', 'type', 'category', 'folder'),
        }
      : {}),
    fields,
  };
}

/** Tolerant owner words: "Client", "MSP", "Third party", "vendor". */
export function ownerOf(value: string): ItemOwner | undefined {
  const v = norm(value);
  if (v === 'client' || v === 'customer') return 'client';
  if (v === 'msp' || v === 'us' || v === 'provider') return 'msp';
  if (v === 'thirdparty' || v === 'vendor' || v === '3rdparty') return 'third-party';
  return undefined;
}

/**
 * The file's rows as documentation items of `section` (with passwords set aside), or, for
 * `'credentials'`, as credentials only: then every row needs a password.
 */
export async function* readSheetFile(
  kind: SheetKind,
  pieces: Pieces,
  section: DocumentationSection | 'credentials',
  mapping: ColumnMapping,
): AsyncIterable<ImportBatch> {
  const onlyCredentials = section === 'credentials';
  if (onlyCredentials && !mapping.password) throw new PlatformError('is required: which column holds the password', 'mapping.password');
  let headers: string[] | undefined;
  let index: Record<string, number> = {};
  let batch: ImportBatch = { items: [], credentials: [], problems: [], skipped: 0, stage: 'rows' };
  const seen = new Map<string, number>();
  let line = 1;
  const credentialOf = (externalId: string, name: string, password: string, owner: ItemOwner | undefined): FoundCredential => ({
    externalId,
    name,
    username: cell(mapping.username),
    url: cell(mapping.url),
    password,
    otpSecret: cell(mapping.otpSecret),
    notes: cell(mapping.notes),
    category: cell(mapping.kind),
    ...(owner ? { owner: owner === 'third-party' ? 'vendor' : owner } : {}),
  });
  let row: string[] = [];
  const cell = (column: string | undefined) =>
    column === undefined ? undefined : (row[index[column] as number] ?? '').trim() || undefined;
  for await (row of rowsOf(kind, pieces)) {
    if (!headers) {
      headers = row;
      index = Object.fromEntries(headers.map((h, i) => [h, i]));
      const wanted = [
        mapping.name,
        mapping.id,
        mapping.owner,
        mapping.password,
        mapping.username,
        mapping.url,
        mapping.otpSecret,
        mapping.notes,
        mapping.kind,
        ...Object.values(mapping.fields),
      ];
      const missing = wanted.filter((c): c is string => c !== undefined && index[c] === undefined);
      if (missing.length > 0)
        throw new PlatformError(
          `the file has no column ${missing.map((c) => `"${c}"`).join(', ')} (its columns: ${headers.join(', ')})`,
          'mapping',
        );
      const known = new Set(onlyCredentials ? [] : SECTION_COLUMNS[section].map(([k]) => k));
      const unknown = Object.keys(mapping.fields).filter((f) => !known.has(f));
      if (unknown.length > 0) throw new PlatformError(`${section} have no field ${unknown.join(', ')}`, 'mapping.fields');
      continue;
    }
    line++;
    const where = `row ${line}`;
    const problems: RowProblem[] = [];
    const name = cell(mapping.name);
    if (!name) problems.push({ row: where, field: mapping.name, reason: 'is empty' });
    const key = cell(mapping.id) ?? (name ? `name:${name.toLowerCase()}` : undefined);
    if (key && seen.has(key)) problems.push({ row: where, field: mapping.id ?? mapping.name, reason: `repeats row ${seen.get(key)}` });
    const ownerText = cell(mapping.owner);
    const owner = ownerText === undefined ? undefined : ownerOf(ownerText);
    if (ownerText !== undefined && !owner)
      problems.push({ row: where, field: mapping.owner as string, reason: `"${ownerText}" is not client, msp or third-party` });
    const password = cell(mapping.password);
    if (onlyCredentials && !password) problems.push({ row: where, field: mapping.password as string, reason: 'is empty' });
    if (problems.length > 0 || !name || !key) {
      batch.problems.push(...problems);
    } else if (onlyCredentials) {
      seen.set(key, line);
      batch.credentials.push(credentialOf(`row:${key}`, name, password as string, owner));
    } else {
      seen.set(key, line);
      const fields: Record<string, unknown> = {};
      for (const [field, column] of Object.entries(mapping.fields)) {
        const value = cell(column);
        if (value !== undefined) fields[field] = field === 'quantity' && /^\d+$/.test(value) ? Number(value) : value;
      }
      const item: ImportedItem = { externalId: `row:${key}`, section, name, fields, ...(owner ? { owner } : {}) };
      batch.items.push(item);
      // The password belongs to the vault; the item's owner is not the credential's.
      if (password) batch.credentials.push(credentialOf(`row:${key}`, name, password, undefined));
    }
    if (batch.items.length + batch.credentials.length + batch.problems.length >= BATCH_ROWS) {
      yield batch;
      batch = { items: [], credentials: [], problems: [], skipped: 0, stage: `rows, to row ${line}` };
    }
  }
  if (!headers) throw new PlatformError('the file is empty: its first row must name the columns', 'file');
  yield batch;
}
