/** What the vault's use cases share: the input rules, sealing a new secret, and how a credential is shown (never its secret). */
import { z } from 'zod';
import {
  CREDENTIAL_KINDS,
  CREDENTIAL_OWNERS,
  CREDENTIAL_RECIPIENTS,
  type CredentialKind,
  type CredentialOwner,
  type CredentialRecipient,
  DISPOSITIONS,
  type Disposition,
  dispositionInWords,
} from '../../domain/credentials.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { Queryable, Tx } from '../../storage/db.ts';
import { type ListedCredential, credentialsRepo } from '../../storage/credentials-repository.ts';
import { offboardingsRepo } from '../../storage/repositories.ts';
import type { Actor, App } from '../context.ts';
import { isoInstant } from '../present.ts';
import { audit } from '../tasks/task-changes.ts';
import { type SecretPayload, dataKeyFor, sealSecret, secretDigest } from './vault.ts';

const noNul = (s: string) => !s.includes('\u0000');
const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max).refine(noNul, 'must not contain a NUL character');

export const CredentialName = Text(300);
/** A secret as typed: kept exactly (spaces count), never trimmed. */
export const Password = z.string().min(1, 'must not be empty').max(10_000).refine(noNul, 'must not contain a NUL character');
/** A TOTP seed: base32 as authenticator apps show it (spaces and case ignored), or an otpauth:// URI. */
export const OtpSecret = z
  .string()
  .trim()
  .max(2000)
  .transform((s) => (s.startsWith('otpauth://') ? s : s.replace(/\s+/g, '').toUpperCase()))
  .refine((s) => s.startsWith('otpauth://') || /^[A-Z2-7]+=*$/.test(s), 'must be a base32 seed or an otpauth:// URI');

export const CredentialFields = {
  name: CredentialName,
  url: Text(2000).nullable().optional(),
  username: Text(500).nullable().optional(),
  kind: z.enum(CREDENTIAL_KINDS),
  owner: z.enum(CREDENTIAL_OWNERS).nullable().optional(),
  notes: z.string().max(20_000).refine(noNul, 'must not contain a NUL character').nullable().optional(),
};

export const NewCredentialInput = z
  .object({ ...CredentialFields, kind: CredentialFields.kind.default('other'), password: Password, otpSecret: OtpSecret.optional() })
  .strict();

export const DispositionInput = z
  .object({
    disposition: z.enum(DISPOSITIONS),
    recipient: z.enum(CREDENTIAL_RECIPIENTS).nullable().optional(),
  })
  .strict();

export async function assertCredential(q: Queryable, actor: Actor, id: string): Promise<ListedCredential> {
  const row = await credentialsRepo.get(q, actor.tenantId, id);
  if (!row) throw new NotFoundError('credential', id);
  return row;
}

/** A secret sealed for its row, with its digest: what a new or changed secret is stored as. */
export async function sealedFor(tx: Tx, app: App, tenantId: string, clientId: string, credentialId: string, payload: SecretPayload) {
  const key = await dataKeyFor(tx, app, tenantId, clientId);
  return {
    secretSealed: sealSecret(key, credentialId, payload),
    secretDigest: secretDigest(key, payload),
    hasOtp: Boolean(payload.otpSecret),
  };
}

/** What the record keeps of a credential: never the secret, its keyed digest at most. */
export const credentialFacts = (c: ListedCredential) => ({
  clientId: c.clientId,
  name: c.name,
  kind: c.kind,
  ...(c.username ? { username: c.username } : {}),
  ...(c.owner ? { owner: c.owner } : {}),
  secretDigest: c.secretDigest,
});

/** A credential's event; on the client's running offboarding too, when it has one, so its bundle tells each credential's fate. */
export async function auditCredential(
  tx: Tx,
  actor: Actor,
  at: string,
  action: string,
  c: ListedCredential,
  data: Record<string, unknown> = {},
) {
  const running = (await offboardingsRepo.runningOfClient(tx, actor.tenantId, c.clientId))[0];
  await audit(tx, actor, at, {
    action,
    subject: { type: 'credential', id: c.id },
    ...(running ? { offboardingId: running.id } : {}),
    data: { ...credentialFacts(c), ...data },
  });
}

export function presentCredential(row: ListedCredential) {
  const disposition = row.disposition as Disposition | null;
  const recipient = row.recipient as CredentialRecipient | null;
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    url: row.url,
    username: row.username,
    kind: row.kind as CredentialKind,
    owner: row.owner as CredentialOwner | null,
    notes: row.notes,
    source: row.source,
    externalId: row.externalId,
    hasOtp: row.hasOtp,
    disposition,
    recipient,
    dispositionInWords: disposition ? dispositionInWords(disposition, recipient) : null,
    dispositionBy: row.dispositionBy,
    dispositionAt: row.dispositionAt ? isoInstant(row.dispositionAt) : null,
    secretChangedAt: isoInstant(row.secretChangedAt),
    rotatedAt: row.rotatedAt ? isoInstant(row.rotatedAt) : null,
    version: row.version,
    updatedAt: isoInstant(row.updatedAt),
  };
}
export type PresentedCredential = ReturnType<typeof presentCredential>;
