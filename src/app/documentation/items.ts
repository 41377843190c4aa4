/** What the documentation use cases share: the item's input rules, the client guard, and how an item is shown. */
import { z } from 'zod';
import { DOCUMENTATION_SECTIONS, type DocumentationSection, ITEM_OWNERS, SECTION_FIELDS } from '../../domain/documentation.ts';
import { type Issue, InputError, NotFoundError } from '../../domain/errors.ts';
import { zodIssues } from '../../domain/parse.ts';
import type { Queryable } from '../../storage/db.ts';
import type { DocumentationItemRow } from '../../storage/documentation-repository.ts';
import { clientsRepo } from '../../storage/repositories.ts';
import type { Actor } from '../context.ts';
import { isoInstant } from '../present.ts';

export const ItemName = z.string().trim().min(1, 'must not be empty').max(300);

/** The problems of a section's fields, each path under `prefix` (`fields.ip`). */
export function fieldIssues(section: DocumentationSection, fields: unknown, prefix = 'fields'): Issue[] {
  const result = SECTION_FIELDS[section].safeParse(fields ?? {}, { reportInput: true });
  if (result.success) return [];
  return zodIssues(result.error).map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
}

/** A section's fields as stored: only what the section's schema keeps, empty values dropped. */
export function sectionFields(section: DocumentationSection, fields: unknown): Record<string, unknown> {
  const parsed = SECTION_FIELDS[section].parse(fields ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined && v !== ''));
}

export const NewItemInput = z
  .object({
    section: z.enum(DOCUMENTATION_SECTIONS),
    name: ItemName,
    fields: z.record(z.string(), z.unknown()).optional(),
    owner: z.enum(ITEM_OWNERS).nullable().optional(),
    mspInternal: z.boolean().optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    if (data.section === 'files')
      ctx.addIssue({
        code: 'custom',
        path: ['section'],
        message: 'files are uploaded: POST the file to /api/clients/{id}/documentation/files',
      });
    for (const issue of fieldIssues(data.section, data.fields))
      ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  });

export const ItemChanges = z
  .object({
    name: ItemName.optional(),
    fields: z.record(z.string(), z.unknown()).optional(),
    owner: z.enum(ITEM_OWNERS).nullable().optional(),
    mspInternal: z.boolean().optional(),
  })
  .strict()
  .refine((d) => Object.keys(d).length > 0, { message: 'must change something: name, fields, owner or mspInternal' });

/** The client, in the actor's tenant, or not found. */
export async function assertClient(q: Queryable, actor: Actor, clientId: string) {
  const client = await clientsRepo.get(q, actor.tenantId, clientId);
  if (!client) throw new NotFoundError('client', clientId);
  return client;
}

/** Refuses fields the item's section does not keep, naming each. */
export function assertFields(section: DocumentationSection, fields: unknown): Record<string, unknown> {
  const issues = fieldIssues(section, fields);
  if (issues.length > 0) throw new InputError('invalid documentation item', issues);
  return sectionFields(section, fields);
}

export function presentItem(row: DocumentationItemRow) {
  return {
    id: row.id,
    clientId: row.clientId,
    section: row.section as DocumentationSection,
    name: row.name,
    fields: row.fields,
    owner: row.owner as (typeof ITEM_OWNERS)[number] | null,
    mspInternal: row.mspInternal,
    source: row.source,
    externalId: row.externalId,
    file: row.fileSha256
      ? { sha256: row.fileSha256, filename: row.fileName ?? '', mediaType: row.mediaType ?? '', size: row.fileSize ?? 0 }
      : null,
    version: row.version,
    updatedAt: isoInstant(row.updatedAt),
  };
}
export type PresentedItem = ReturnType<typeof presentItem>;
