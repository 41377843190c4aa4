/**
 * Before the vault, documentation imports set the passwords they found aside in
 * `credential_intake`, sealed with the server's key. At start-up they move into the vault
 * (sealed with each client's data key, as an import of their source would) and leave the intake,
 * a batch per transaction, so a crash half-way loses nothing and repeats nothing.
 */
import type { FoundCredential } from '../../integrations/documentation/types.ts';
import { credentialIntakeRepo } from '../../storage/documentation-repository.ts';
import { type App, now, transaction } from '../context.ts';
import { storeFoundCredentials } from './store-found-credentials.ts';

const BATCH = 500;

export async function moveIntakeToVault(app: App): Promise<number> {
  const box = app.secrets;
  if (!box) return 0;
  let moved = 0;
  for (;;) {
    const rows = await credentialIntakeRepo.batch(app.database.db, BATCH);
    if (rows.length === 0) return moved;
    await transaction(app, async (tx) => {
      const groups = new Map<string, { tenantId: string; clientId: string; source: string; found: FoundCredential[] }>();
      for (const r of rows) {
        const secret = JSON.parse(box.open(r.secretSealed)) as { password: string; otpSecret?: string };
        const key = `${r.tenantId}\n${r.clientId}\n${r.source}`;
        const group = groups.get(key) ?? { tenantId: r.tenantId, clientId: r.clientId, source: r.source, found: [] };
        group.found.push({
          externalId: r.externalId,
          name: r.name,
          username: r.username ?? undefined,
          url: r.url ?? undefined,
          password: secret.password,
          otpSecret: secret.otpSecret,
        });
        groups.set(key, group);
      }
      for (const g of groups.values())
        await storeFoundCredentials(
          tx,
          app,
          { tenantId: g.tenantId, clientId: g.clientId, source: g.source, by: 'system:vault' },
          g.found,
          now(app),
          false,
        );
      await credentialIntakeRepo.remove(
        tx,
        rows.map((r) => r.id),
      );
    });
    moved += rows.length;
  }
}
