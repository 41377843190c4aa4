/**
 * Asks for an import of a client's documentation: from IT Glue, Hudu or ITFlow (a saved
 * connection, or a URL and key for this import only, sealed until it ends), or from a CSV or
 * XLSX file uploaded before with its column mapping. The import runs as a job; its record says
 * how far it got and, at the end, what it did. A dry run changes nothing and says what would.
 */
import { z } from 'zod';
import { DOCUMENTATION_SECTIONS } from '../../domain/documentation.ts';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { ColumnMapping, SHEET_KINDS } from '../../integrations/documentation/spreadsheet.ts';
import { DOCUMENTATION_PLATFORMS } from '../../integrations/documentation/types.ts';
import { documentationConnectionsRepo, documentationImportsRepo } from '../../storage/documentation-repository.ts';
import { blobsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { QUEUES, jobIdFor, jobsIn } from '../jobs.ts';
import { ApiKey, PlatformUrl } from './documentation-connections.ts';
import { presentImport } from './get-import.ts';
import { assertClient } from './items.ts';

export const IMPORT_SOURCES = [...DOCUMENTATION_PLATFORMS, ...SHEET_KINDS] as const;

const ImportFields = {
  source: z.enum(IMPORT_SOURCES),
  dryRun: z.boolean().default(false),
  /** A platform: for this import only (else the saved connection is used). */
  url: PlatformUrl.optional(),
  key: ApiKey.optional(),
  /** The platform's id of the client's organization (company, client); found by name or PSA id when absent. */
  organization: z.string().trim().min(1).max(100).optional(),
  /** A file: the `file` the upload answered, and the mapping of its columns. */
  file: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the file digest the upload answered')
    .optional(),
  mapping: ColumnMapping.optional(),
};

type ImportFieldsData = z.output<z.ZodObject<typeof ImportFields>> & { section?: string | undefined };

/** What a file import needs and a platform import must not have, and the other way round. */
function importRules(d: ImportFieldsData, ctx: z.RefinementCtx, sectionNeeded: boolean) {
  const sheet = d.source === 'csv' || d.source === 'xlsx';
  const need = (key: 'file' | 'section' | 'mapping', why: string) => {
    if (d[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
  };
  if (sheet) {
    need('file', 'for a file import: upload the file first');
    if (sectionNeeded) need('section', 'for a file import');
    need('mapping', 'for a file import: which column is the name and each field');
    for (const key of ['url', 'key', 'organization'] as const)
      if (d[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is for platforms, not files' });
  } else {
    for (const key of ['file', 'section', 'mapping'] as const)
      if (d[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'is for file imports' });
    if ((d.url === undefined) !== (d.key === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [d.url === undefined ? 'url' : 'key'],
        message: 'is required with the other: give both url and key, or neither',
      });
  }
}

export const StartImportInput = z
  .object({ ...ImportFields, section: z.enum(DOCUMENTATION_SECTIONS).exclude(['files']).optional() })
  .strict()
  .superRefine((d, ctx) => importRules(d, ctx, true));

/** A credentials import: the passwords only, into the vault; a file's mapping needs its password column. */
export const StartCredentialImportInput = z
  .object(ImportFields)
  .strict()
  .superRefine((d, ctx) => {
    importRules(d, ctx, false);
    if (d.mapping && !d.mapping.password)
      ctx.addIssue({ code: 'custom', path: ['mapping', 'password'], message: 'is required: which column holds the password' });
  });

export type DocumentationImportJob = { tenantId: string; importId: string };

export async function startDocumentationImport(app: App, actor: Actor, clientId: string, input: z.input<typeof StartImportInput>) {
  return queueImport(app, actor, clientId, 'documentation', parseInput(StartImportInput, input, 'import'));
}

export async function startCredentialImport(app: App, actor: Actor, clientId: string, input: z.input<typeof StartCredentialImportInput>) {
  const data = parseInput(StartCredentialImportInput, input, 'import');
  return queueImport(app, actor, clientId, 'credentials', { ...data, ...(data.file ? { section: 'credentials' } : {}) });
}

async function queueImport(app: App, actor: Actor, clientId: string, target: 'documentation' | 'credentials', data: ImportFieldsData) {
  const id = newId();
  const at = now(app);
  const row = await transaction(app, async (tx) => {
    await assertClient(tx, actor, clientId);
    let keySealed: string | null = null;
    if (data.source === 'csv' || data.source === 'xlsx') {
      if (!(await blobsRepo.get(tx, actor.tenantId, data.file as string)))
        throw new InputError('invalid import', [{ path: 'file', message: 'no such uploaded file: upload it first' }]);
    } else if (data.key !== undefined) {
      if (!app.secrets) throw new ConflictError('this server has no secret key to hold an API key with');
      keySealed = app.secrets.seal(data.key);
    } else if (!(await documentationConnectionsRepo.get(tx, actor.tenantId, data.source))) {
      throw new InputError('invalid import', [
        {
          path: 'url',
          message: `is required: no ${data.source} connection is saved (give url and key, or save a connection in the settings)`,
        },
      ]);
    }
    const options = {
      ...(data.url ? { url: data.url } : {}),
      ...(data.organization ? { organization: data.organization } : {}),
      ...(data.section ? { section: data.section } : {}),
      ...(data.mapping ? { mapping: data.mapping } : {}),
    };
    await documentationImportsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      clientId,
      source: data.source,
      target,
      dryRun: data.dryRun,
      status: 'queued',
      options,
      keySealed,
      fileSha256: data.file ?? null,
      progress: { done: 0, total: null, stage: 'waiting to start' },
      createdBy: `${actor.kind}:${actor.id}`,
      createdAt: at,
    });
    if (app.jobs) {
      const job: DocumentationImportJob = { tenantId: actor.tenantId, importId: id };
      await app.jobs.send(QUEUES.documentationImport, job, { db: jobsIn(tx), id: jobIdFor(`import:${id}`) });
    }
    return documentationImportsRepo.get(tx, actor.tenantId, id);
  });
  return presentImport(row as NonNullable<typeof row>);
}
