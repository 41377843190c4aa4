/** Where the MSP keeps its documentation: a platform's base URL and API key (sealed), one per platform. */
import { z } from 'zod';
import { ConflictError } from '../../domain/errors.ts';
import { DOCUMENTATION_PLATFORMS, type DocumentationPlatform } from '../../integrations/documentation/types.ts';
import { documentationConnectionsRepo } from '../../storage/documentation-repository.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { isoInstant } from '../present.ts';
import { audit } from '../tasks/task-changes.ts';

export const PlatformUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) address such as https://api.itglue.com' }).max(500);
export const ApiKey = z.string().trim().min(8, 'must be at least 8 characters').max(500);

export const DocumentationConnectionInput = z.object({ url: PlatformUrl, key: ApiKey }).strict();

export async function saveDocumentationConnection(
  app: App,
  actor: Actor,
  platform: DocumentationPlatform,
  input: z.input<typeof DocumentationConnectionInput>,
) {
  const data = parseInput(DocumentationConnectionInput, input, 'connection');
  const secrets = app.secrets;
  if (!secrets) throw new ConflictError('this server has no secret key to store API keys with');
  const at = now(app);
  await transaction(app, async (tx) => {
    await documentationConnectionsRepo.upsert(tx, {
      id: newId(),
      tenantId: actor.tenantId,
      platform,
      baseUrl: data.url,
      keySealed: secrets.seal(data.key),
      createdAt: at,
      updatedAt: at,
    });
    await audit(tx, actor, at, {
      action: 'documentation.connection-saved',
      subject: { type: 'documentation-connection', id: platform },
      data: { platform, url: data.url },
    });
  });
  return { platform, url: data.url, updatedAt: at };
}

export async function listDocumentationConnections(app: App, actor: Actor) {
  const rows = await documentationConnectionsRepo.list(app.database.db, actor.tenantId);
  return {
    items: DOCUMENTATION_PLATFORMS.map((platform) => {
      const row = rows.find((r) => r.platform === platform);
      return { platform, url: row?.baseUrl ?? null, updatedAt: row ? isoInstant(row.updatedAt) : null };
    }),
  };
}
