/**
 * The ownership register is the client's documentation with an owner on every item. What backs
 * the `ownership-register` task is the register itself: a CSV of every item and its owner,
 * attached as the task's evidence and named by its digest in the completion.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  type DocumentationSection,
  type ItemOwner,
  type RegisterItem,
  type RegisterSummary,
  registerGap,
  summarizeRegister,
} from '../../domain/documentation.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { documentationRepo } from '../../storage/documentation-repository.ts';
import { type TaskRow, evidenceRepo } from '../../storage/repositories.ts';
import { type Actor, newId } from '../context.ts';
import { contentOf, fileAsEvidence } from '../tasks/attach-evidence.ts';

export const OWNERSHIP_REGISTER_TASK = 'ownership-register';

/** The register's items counted alike by the database (section, owner, MSP-internal), for its summary. */
export async function countedRegister(q: Queryable, tenantId: string, clientId: string): Promise<RegisterItem[]> {
  return (await documentationRepo.counts(q, tenantId, clientId)).map((c) => ({
    section: c.section as DocumentationSection,
    owner: c.owner as ItemOwner | null,
    mspInternal: c.mspInternal,
    n: Number(c.n),
  }));
}

export type Register = { summary: RegisterSummary; csv: Uint8Array; sha256: string };

/** The register as it stands: every item with its owner, as CSV, and its digest. */
export async function readRegister(tx: Tx, tenantId: string, clientId: string): Promise<Register> {
  const rows = await documentationRepo.register(tx, tenantId, clientId);
  const summary = summarizeRegister(
    rows.map((r) => ({ section: r.section as DocumentationSection, owner: r.owner as ItemOwner | null, mspInternal: r.mspInternal })),
  );
  const csv = new TextEncoder().encode(
    stringify(
      rows.map((r) => [r.section, r.name, r.owner ?? '', r.mspInternal ? 'yes' : 'no', r.id]),
      { header: true, columns: ['section', 'name', 'owner', 'msp_internal', 'id'] },
    ),
  );
  return { summary, csv, sha256: createHash('sha256').update(csv).digest('hex') };
}

/**
 * What backs an ownership-register completion: with documentation in the product, the register
 * must be complete, and it becomes the task's evidence file. Without any (an MSP that keeps the
 * register elsewhere), the task needs an uploaded file like any other.
 */
export async function registerBacking(tx: Tx, actor: Actor, task: TaskRow, clientId: string, at: string) {
  const register = await readRegister(tx, actor.tenantId, clientId);
  if (register.summary.items === 0) return undefined;
  const gap = registerGap(register.summary);
  if (gap) throw new ConflictError('the ownership register is not complete', [{ path: 'documentation', message: gap }]);
  // The same register attached before (a completion reopened and done again) is not filed twice.
  const attached = await evidenceRepo.ofTask(tx, actor.tenantId, task.id);
  if (!attached.some((e) => e.sha256 === register.sha256)) {
    const file = { filename: `ownership-register-${register.sha256.slice(0, 12)}.csv`, mediaType: 'text/csv' };
    await fileAsEvidence(tx, actor, task, newId(), file, contentOf(register.csv), at);
  }
  const { items, byOwner, mspInternal } = register.summary;
  return { register: { items, ...byOwner, mspInternal, sha256: register.sha256 } };
}
