/**
 * Runs one import (the job's work, or the command line's): reads the platform or file batch by
 * batch, and writes each batch in one transaction with the import's progress. Items keep the
 * platform's id, so running it again (a retry after a crash, a second import) updates and never
 * duplicates. Passwords go to the credential vault, sealed with the client's data key; never into
 * the documentation. A credentials import reads only the passwords.
 * A dry run reads everything, writes nothing but its own record, and says what it would do.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { DocumentationSection } from '../../domain/documentation.ts';
import { readHudu } from '../../integrations/documentation/hudu.ts';
import { readItFlow } from '../../integrations/documentation/itflow.ts';
import { readItGlue } from '../../integrations/documentation/itglue.ts';
import { type ColumnMapping, readSheetFile } from '../../integrations/documentation/spreadsheet.ts';
import {
  type ClientHint,
  type ImportBatch,
  type ImportedItem,
  PlatformError,
  type RowProblem,
} from '../../integrations/documentation/types.ts';
import type { Tx } from '../../storage/db.ts';
import {
  type DocumentationImportRow,
  documentationConnectionsRepo,
  documentationImportsRepo,
  documentationRepo,
} from '../../storage/documentation-repository.ts';
import { blobPieces, clientsRepo } from '../../storage/repositories.ts';
import { storeFoundCredentials } from '../credentials/store-found-credentials.ts';
import { type Actor, type App, newId, now, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';
import { fieldIssues, sectionFields } from './items.ts';
import { settleOwnershipRegister } from './settle-ownership-register.ts';

/** The most problems an import keeps to show (it counts them all). */
const MAX_PROBLEMS = 1000;
const PREVIEW_ROWS = 20;

export type ImportSummary = {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  problems: number;
  passwordsSetAside: number;
};

type Progress = { done: number; total: number | null; stage: string };

const sameContent = (a: { name: string; fields: unknown }, b: { name: string; fields: unknown }) =>
  a.name === b.name && canonicalize(a.fields) === canonicalize(b.fields);

/** True the first time a key is met (and remembers it). */
function firstTime(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

const hasNul = (value: unknown): boolean => (typeof value === 'string' ? value.includes('\u0000') : false);

/** An item as it will be stored, or the problems that keep it out; a bad field is dropped and reported, the row kept. */
function cleanItem(item: ImportedItem, problems: RowProblem[]): ImportedItem | undefined {
  const row = item.externalId;
  if (hasNul(item.name)) {
    problems.push({ row, field: 'name', reason: 'contains a NUL character' });
    return undefined;
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item.fields)) {
    if (value === undefined) continue;
    if (hasNul(value)) problems.push({ row, field: key, reason: 'contains a NUL character; imported without it' });
    else fields[key] = value;
  }
  const issues = fieldIssues(item.section, fields, '');
  for (const issue of issues) {
    const key = issue.path.replace(/^\./, '').split('.')[0] as string;
    problems.push({ row, field: key, reason: `${issue.message}; imported without it` });
    delete fields[key];
  }
  return { ...item, name: item.name.slice(0, 300), fields: sectionFields(item.section, fields) };
}

async function readerFor(app: App, row: DocumentationImportRow, client: ClientHint): Promise<AsyncIterable<ImportBatch>> {
  const options = row.options as {
    url?: string;
    organization?: string;
    section?: DocumentationSection | 'credentials';
    mapping?: ColumnMapping;
  };
  const only = row.target === 'credentials' ? 'credentials' : undefined;
  if (row.source === 'csv' || row.source === 'xlsx') {
    const stored = await blobPieces(app.database.db, row.tenantId, row.fileSha256 as string);
    if (!stored) throw new PlatformError('the uploaded file is gone: upload it again', 'file');
    const section = only ?? (options.section as DocumentationSection);
    return readSheetFile(row.source, () => stored.pieces, section, options.mapping as ColumnMapping);
  }
  if (!app.secrets) throw new PlatformError('this server has no secret key to open the API key with', 'key');
  let access: { baseUrl: string; key: string; organization?: string | undefined };
  if (row.keySealed) access = { baseUrl: options.url as string, key: app.secrets.open(row.keySealed), organization: options.organization };
  else {
    const connection = await documentationConnectionsRepo.get(app.database.db, row.tenantId, row.source);
    if (!connection) throw new PlatformError(`no ${row.source} connection is saved`, 'url');
    access = { baseUrl: connection.baseUrl, key: app.secrets.open(connection.keySealed), organization: options.organization };
  }
  switch (row.source) {
    case 'itglue':
      return readItGlue(access, client, undefined, only);
    case 'hudu':
      return readHudu(access, client, undefined, only);
    case 'itflow':
      return readItFlow(access, client, undefined, only);
    default:
      throw new PlatformError(`${row.source} is not a source offboard imports from`, 'source');
  }
}

/**
 * Runs the import (again, if a worker died in it). `onProgress` hears each batch (the command
 * line's progress line). Answers the import's final record.
 */
export async function runDocumentationImport(
  app: App,
  tenantId: string,
  importId: string,
  onProgress?: (progress: Progress) => void,
): Promise<DocumentationImportRow | undefined> {
  const db = app.database.db;
  const row = await documentationImportsRepo.get(db, tenantId, importId);
  if (!row || row.status === 'done' || row.status === 'failed') return row;
  const client = await clientsRepo.get(db, tenantId, row.clientId);
  if (!client) return row;
  // The import is audited in the name of whoever asked for it (a person, a token, the command line).
  const [kind, ...rest] = (row.createdBy ?? 'system:import').split(':');
  const actor: Actor = {
    tenantId,
    kind: kind === 'user' || kind === 'token' ? kind : 'system',
    id: rest.join(':') || 'import',
    role: 'documentation',
  };
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0, skipped: 0, problems: 0, passwordsSetAside: 0 };
  const problems: RowProblem[] = [];
  const preview: { create: string[]; update: { name: string; was: string }[] } = { create: [], update: [] };
  const seenItems = new Set<string>();
  const seenCredentials = new Set<string>();
  const progress: Progress = { done: 0, total: null, stage: 'starting' };
  const digest = createHash('sha256');
  await documentationImportsRepo.update(db, tenantId, importId, { status: 'running', progress, problems: [], summary: null });
  const note = (found: RowProblem[]) => {
    summary.problems += found.length;
    problems.push(...found.slice(0, Math.max(0, MAX_PROBLEMS - problems.length)));
  };
  try {
    const reader = await readerFor(app, row, { name: client.name, psaIds: client.psaIds });
    for await (const batch of reader) {
      const found: RowProblem[] = [...batch.problems];
      const items: ImportedItem[] = [];
      for (const raw of batch.items) {
        if (!firstTime(seenItems, raw.externalId)) {
          found.push({ row: raw.externalId, field: 'id', reason: 'appears twice in this import; the first was kept' });
          continue;
        }
        const item = cleanItem(raw, found);
        if (item) items.push(item);
      }
      const credentials = batch.credentials.filter((c) => firstTime(seenCredentials, c.externalId));
      summary.skipped += batch.skipped ?? 0;
      note(found);
      const at = now(app);
      const write = async (tx: Tx) => {
        const existing = new Map(
          (
            await documentationRepo.imported(
              tx,
              tenantId,
              row.clientId,
              row.source,
              items.map((i) => i.externalId),
            )
          ).map((e) => [e.externalId as string, e]),
        );
        const fresh = [];
        for (const item of items) {
          digest.update(`${item.externalId}\n`);
          const before = existing.get(item.externalId);
          if (!before) {
            summary.created++;
            if (preview.create.length < PREVIEW_ROWS) preview.create.push(`${item.section}: ${item.name}`);
            fresh.push({
              id: newId(),
              tenantId,
              clientId: row.clientId,
              section: item.section,
              name: item.name,
              fields: item.fields,
              owner: item.owner ?? null,
              source: row.source,
              externalId: item.externalId,
              createdBy: row.createdBy,
              updatedBy: row.createdBy,
              createdAt: at,
              updatedAt: at,
            });
          } else if (
            sameContent(before, item) &&
            (item.owner === undefined || item.owner === before.owner) &&
            before.section === item.section
          ) {
            summary.unchanged++;
          } else {
            const changes = {
              section: item.section,
              name: item.name,
              fields: item.fields,
              ...(item.owner ? { owner: item.owner } : {}),
              updatedBy: row.createdBy,
            };
            // Someone editing the item while the import runs wins; the import says it left it.
            if (!row.dryRun && !(await documentationRepo.update(tx, tenantId, before.id, before.version, changes, at))) {
              note([{ row: item.externalId, field: 'version', reason: 'changed by someone during the import; left as they made it' }]);
              continue;
            }
            summary.updated++;
            if (preview.update.length < PREVIEW_ROWS) preview.update.push({ name: item.name, was: before.name });
          }
        }
        if (!row.dryRun && fresh.length > 0) await documentationRepo.insertMany(tx, fresh);
        const where = { tenantId, clientId: row.clientId, source: row.source, by: row.createdBy };
        const stored = await storeFoundCredentials(tx, app, where, credentials, at, row.dryRun);
        for (const line of stored.digests) digest.update(`${line}\n`);
        note(
          stored.changedByOthers.map((id) => ({
            row: id,
            field: 'version',
            reason: 'changed by someone during the import; left as they made it',
          })),
        );
        if (row.target === 'credentials') {
          summary.created += stored.created;
          summary.updated += stored.updated;
          summary.unchanged += stored.unchanged;
          for (const name of stored.createdNames) if (preview.create.length < PREVIEW_ROWS) preview.create.push(`credential: ${name}`);
          for (const name of stored.updatedNames) if (preview.update.length < PREVIEW_ROWS) preview.update.push({ name, was: name });
        } else summary.passwordsSetAside += credentials.length;
        progress.done += batch.items.length + batch.credentials.length + batch.problems.length + (batch.skipped ?? 0);
        if (batch.total !== undefined) progress.total = (progress.total ?? 0) + batch.total;
        progress.stage = batch.stage;
        await documentationImportsRepo.update(tx, tenantId, importId, { progress: { ...progress } });
      };
      await transaction(app, write);
      onProgress?.({ ...progress });
    }
    return await finish(app, actor, row, 'done', { summary, problems, preview, progress, digest: digest.digest('hex') });
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    return finish(app, actor, row, 'failed', { summary, problems, preview, progress, digest: digest.digest('hex'), error });
  }
}

async function finish(
  app: App,
  actor: Actor,
  row: DocumentationImportRow,
  status: 'done' | 'failed',
  result: {
    summary: ImportSummary;
    problems: RowProblem[];
    preview: unknown;
    progress: Progress;
    digest: string;
    error?: PlatformError | undefined;
  },
) {
  const at = now(app);
  await transaction(app, async (tx) => {
    await documentationImportsRepo.update(tx, row.tenantId, row.id, {
      status,
      summary: result.summary,
      problems: result.problems,
      preview: row.dryRun ? (result.preview as Record<string, unknown>) : null,
      progress: { ...result.progress, stage: status === 'done' ? 'finished' : 'stopped' },
      error: result.error ? `${result.error.field}: ${result.error.message}` : null,
      keySealed: null,
      finishedAt: at,
    });
    if (row.dryRun) return;
    await audit(tx, actor, at, {
      action: `${row.target === 'credentials' ? 'credentials' : 'documentation'}.${status === 'done' ? 'imported' : 'import-failed'}`,
      subject: { type: 'client', id: row.clientId },
      data: {
        importId: row.id,
        source: row.source,
        ...result.summary,
        // Which platform ids (and, for passwords, which secrets by their keyed digests) this import brought in, as one digest.
        itemsSha256: result.digest,
        ...(result.error ? { error: result.error.message } : {}),
      },
    });
    if (row.target !== 'credentials') await settleOwnershipRegister(tx, app, actor, row.clientId, at);
  });
  return documentationImportsRepo.get(app.database.db, row.tenantId, row.id);
}
