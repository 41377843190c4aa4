/** An import's record: how far it got, and what it did or would do. Never the key. */
import { NotFoundError } from '../../domain/errors.ts';
import { type DocumentationImportRow, documentationImportsRepo } from '../../storage/documentation-repository.ts';
import type { Actor, App } from '../context.ts';
import { isoInstant } from '../present.ts';
import { assertClient } from './items.ts';

export function presentImport(row: DocumentationImportRow) {
  const { url, organization, section, mapping } = row.options;
  return {
    id: row.id,
    clientId: row.clientId,
    source: row.source,
    target: row.target as 'documentation' | 'credentials',
    dryRun: row.dryRun,
    status: row.status as 'queued' | 'running' | 'done' | 'failed',
    options: { url: url ?? null, organization: organization ?? null, section: section ?? null, mapping: mapping ?? null },
    progress: row.progress,
    summary: row.summary ?? null,
    problems: row.problems,
    preview: row.preview ?? null,
    error: row.error,
    createdAt: isoInstant(row.createdAt),
    finishedAt: row.finishedAt ? isoInstant(row.finishedAt) : null,
  };
}
export type PresentedImport = ReturnType<typeof presentImport>;

export async function getDocumentationImport(app: App, actor: Actor, id: string) {
  const row = await documentationImportsRepo.get(app.database.db, actor.tenantId, id);
  if (!row) throw new NotFoundError('import', id);
  return presentImport(row);
}

export async function listDocumentationImports(app: App, actor: Actor, clientId: string) {
  await assertClient(app.database.db, actor, clientId);
  return { items: (await documentationImportsRepo.ofClient(app.database.db, actor.tenantId, clientId, 20)).map(presentImport) };
}
