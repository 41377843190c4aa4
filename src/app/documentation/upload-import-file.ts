/**
 * The first step of importing a CSV or XLSX file: the file is stored, and the answer shows its
 * columns, a few rows and the mapping offboard guesses, for the person to confirm or change.
 */
import { z } from 'zod';
import { DOCUMENTATION_SECTIONS } from '../../domain/documentation.ts';
import { InputError } from '../../domain/errors.ts';
import { PlatformError } from '../../integrations/documentation/types.ts';
import { SHEET_KINDS, inspectSheet } from '../../integrations/documentation/spreadsheet.ts';
import { type Actor, type App, parseInput, transaction } from '../context.ts';
import { type EvidenceContent, checkedContent, storeContent } from '../tasks/attach-evidence.ts';
import { assertClient } from './items.ts';

export const ImportFileInput = z
  .object({
    kind: z.enum(SHEET_KINDS),
    /** The section the rows are, or `credentials` for a file of passwords to import into the vault. */
    section: z.enum([...DOCUMENTATION_SECTIONS.filter((s) => s !== 'files'), 'credentials']),
  })
  .strict();

export async function uploadImportFile(
  app: App,
  actor: Actor,
  clientId: string,
  input: z.input<typeof ImportFileInput>,
  file: Uint8Array | EvidenceContent,
) {
  const data = parseInput(ImportFileInput, input, 'import file');
  const content = checkedContent(file);
  await assertClient(app.database.db, actor, clientId);
  let inspected: Awaited<ReturnType<typeof inspectSheet>>;
  try {
    inspected = await inspectSheet(data.kind, content.pieces, data.section);
  } catch (error) {
    if (error instanceof PlatformError) throw new InputError('invalid import file', [{ path: 'file', message: error.message }]);
    throw error;
  }
  await transaction(app, async (tx) => {
    await storeContent(tx, actor.tenantId, content);
  });
  return { file: content.sha256, size: content.size, kind: data.kind, section: data.section, ...inspected };
}
