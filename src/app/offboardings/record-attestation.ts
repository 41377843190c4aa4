/**
 * Records a signed attestation that satisfies a gate: who signed (typed name, email), when,
 * from where, and the SHA-256 of the exact text they saw.
 */
import { z } from 'zod';
import { ConflictError, InputError } from '../../domain/errors.ts';
import { GATES } from '../../domain/vocabulary.ts';
import { attestationsRepo } from '../../storage/repositories.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { sha256Hex } from '../digest.ts';
import { loadOffboarding } from './offboarding-facts.ts';
import { audit } from '../tasks/task-changes.ts';

export const RecordAttestationInput = z
  .object({
    gate: z.enum(GATES),
    party: z.enum(['client', 'new-provider']),
    signerName: z.string().trim().min(1, 'must not be empty').max(200),
    signerEmail: z.email(),
    statement: z.string().trim().min(20, 'must be the full text the signer saw').max(20_000),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .strict();

export async function recordAttestation(
  app: App,
  actor: Actor,
  offboardingId: string,
  input: z.input<typeof RecordAttestationInput>,
): Promise<{ id: string; statementSha256: string }> {
  const data = parseInput(RecordAttestationInput, input, 'attestation');
  const at = now(app);
  return transaction(app, async (tx) => {
    const { offboarding } = await loadOffboarding(tx, actor.tenantId, offboardingId);
    if (offboarding.status !== 'active' && offboarding.status !== 'closing')
      throw new ConflictError(`the offboarding is ${offboarding.status}`);
    if (data.gate === 'authorization') {
      // The client's written authorization must come from the client and name the new provider.
      const provider = offboarding.newProvider?.name;
      const issues = [];
      if (data.party !== 'client') issues.push({ path: 'party', message: 'the authorization must be signed by the client' });
      if (!provider) issues.push({ path: 'gate', message: 'this offboarding names no new provider to authorize' });
      else if (!data.statement.toLowerCase().includes(provider.toLowerCase()))
        issues.push({ path: 'statement', message: `must name the new provider "${provider}"` });
      if (issues.length > 0) throw new InputError('invalid attestation', issues);
    }
    const id = newId();
    const statementSha256 = sha256Hex(data.statement);
    await attestationsRepo.insert(tx, {
      id,
      tenantId: actor.tenantId,
      offboardingId,
      gate: data.gate,
      party: data.party,
      signerName: data.signerName,
      signerEmail: data.signerEmail,
      signedAt: at,
      ip: data.ip ?? null,
      statement: data.statement,
      statementSha256,
    });
    await audit(tx, actor, at, {
      action: 'attestation.recorded',
      subject: { type: 'attestation', id },
      offboardingId,
      data: {
        gate: data.gate,
        party: data.party,
        signerName: data.signerName,
        signerEmail: data.signerEmail,
        ip: data.ip ?? null,
        statementSha256,
      },
    });
    return { id, statementSha256 };
  });
}
