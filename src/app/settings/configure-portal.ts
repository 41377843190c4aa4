/** The MSP's portal settings: whether signers also type a one-time code emailed to them (the optional second factor). */
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tenants } from '../../storage/schema.ts';
import { type Actor, type App, now, parseInput, transaction } from '../context.ts';
import { signingCodeRequired } from '../portal/signing-code.ts';
import { audit } from '../tasks/task-changes.ts';

export const PortalSettingsInput = z
  .object({ signingCode: z.boolean().describe('Signers type a one-time code emailed to their address before a statement is signed') })
  .strict();

export async function portalSettingsOf(app: App, actor: Actor): Promise<{ signingCode: boolean }> {
  return { signingCode: await signingCodeRequired(app.database.db, actor.tenantId) };
}

export async function configurePortal(
  app: App,
  actor: Actor,
  input: z.input<typeof PortalSettingsInput>,
): Promise<{ signingCode: boolean }> {
  const data = parseInput(PortalSettingsInput, input, 'portal settings');
  const at = now(app);
  return transaction(app, async (tx) => {
    await tx
      .update(tenants)
      .set({ settings: sql`jsonb_set(${tenants.settings}, '{portal}', ${JSON.stringify({ signingCode: data.signingCode })}::jsonb)` })
      .where(eq(tenants.id, actor.tenantId));
    await audit(tx, actor, at, {
      action: 'settings.portal-changed',
      subject: { type: 'tenant', id: actor.tenantId },
      data: { signingCode: data.signingCode },
    });
    return { signingCode: data.signingCode };
  });
}
