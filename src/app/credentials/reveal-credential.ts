/**
 * Shows a credential's secret to a member of staff: its own permission (never the auditor's), and
 * an audited event in the same transaction, naming who saw which credential, when and from where.
 * The answer is the only place a secret leaves the vault in plaintext for staff.
 */
import { NotFoundError } from '../../domain/errors.ts';
import { credentialsRepo } from '../../storage/credentials-repository.ts';
import { type Actor, type App, now, transaction } from '../context.ts';
import { auditCredential } from './credentials.ts';
import { existingDataKey, openSecret } from './vault.ts';

export type RevealedSecret = { id: string; name: string; username: string | null; password: string; otpSecret: string | null };

export async function revealCredential(app: App, actor: Actor, id: string, from: { ip: string }): Promise<RevealedSecret> {
  const at = now(app);
  return transaction(app, async (tx) => {
    const row = await credentialsRepo.getSealed(tx, actor.tenantId, id);
    if (!row) throw new NotFoundError('credential', id);
    const secret = openSecret(await existingDataKey(tx, app, actor.tenantId, row.clientId), row.id, row.secretSealed);
    await auditCredential(tx, actor, at, 'credential.revealed', row, { ip: from.ip });
    return { id: row.id, name: row.name, username: row.username, password: secret.password, otpSecret: secret.otpSecret ?? null };
  });
}
