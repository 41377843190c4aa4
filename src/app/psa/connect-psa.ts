/**
 * Connects a PSA so its webhooks can open offboardings: the provider, the tenant's status
 * mapping, the offboarding type to open, and the credentials. What the PSA needs to call us
 * (the webhook path, a generated secret or Basic credentials) is answered once and never again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.ts';
import { DEFAULT_MAPPINGS, PSA_PROVIDERS, type PsaMapping, type PsaProvider } from '../../domain/psa-trigger.ts';
import { OFFBOARDING_TYPES, type OffboardingType } from '../../domain/vocabulary.ts';
import { newGenericSecret } from '../../integrations/psa/generic.ts';
import type { PsaCredentials } from '../../integrations/psa/types.ts';
import { psaConnections } from '../../storage/schema.ts';
import { type Actor, type App, newId, now, parseInput, transaction } from '../context.ts';
import { audit } from '../tasks/task-changes.ts';

const Origin = z
  .url({ protocol: /^https?$/, error: 'must be an origin such as https://api-na.myconnectwise.net' })
  .transform((u) => new URL(u).origin);

export const ConnectPsaInput = z
  .object({
    provider: z.enum(PSA_PROVIDERS),
    name: z.string().trim().min(1).max(100).optional(),
    /** Status names or ids that mean "offboarding"; defaults per provider. */
    offboardingStatuses: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    inactiveMeansOffboarding: z.boolean().optional(),
    offboardingType: z.enum(OFFBOARDING_TYPES).default('provider-switch'),
    /** ConnectWise: where the callback signing key may be fetched from. */
    keyUrlOrigins: z.array(Origin).min(1).max(10).optional(),
    /** Autotask: the SecretKey given to the CompanyWebhook; generic: a `whsec_` secret, generated when absent. */
    secret: z.string().min(16, 'must be at least 16 characters').max(500).optional(),
  })
  .strict()
  .superRefine((data, ctx) => {
    if (data.provider === 'connectwise' && !data.keyUrlOrigins)
      ctx.addIssue({
        code: 'custom',
        path: ['keyUrlOrigins'],
        message: 'is required for ConnectWise (the signing key is fetched from there)',
      });
    if (data.provider === 'autotask' && !data.secret)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'is required for Autotask (the SecretKey of the webhook)' });
    if ((data.provider === 'connectwise' || data.provider === 'halopsa') && data.secret)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: `is not used by ${data.provider}` });
  });

export type PsaConnectionSettings = PsaMapping & {
  offboardingType: OffboardingType;
  keyUrlOrigins?: string[] | undefined;
  basicUserSha256?: string | undefined;
  basicPasswordSha256?: string | undefined;
  urlSecretSha256?: string | undefined;
};

export type ConnectedPsa = {
  id: string;
  provider: PsaProvider;
  /** Path of the webhook on this server (prefix the public base URL). */
  webhookPath: string;
  /** Shown once: generic secret, or HaloPSA's Basic credentials. */
  secret?: string | undefined;
  basicAuth?: { username: string; password: string } | undefined;
};

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export async function connectPsa(app: App, actor: Actor, input: z.input<typeof ConnectPsaInput>): Promise<ConnectedPsa> {
  const data = parseInput(ConnectPsaInput, input, 'PSA connection');
  const secrets = app.secrets;
  if (!secrets) throw new ConflictError('this server has no secret key to store PSA secrets with');
  const id = newId();
  const defaults = DEFAULT_MAPPINGS[data.provider];
  const settings: PsaConnectionSettings = {
    statuses: data.offboardingStatuses ?? [...defaults.statuses],
    inactiveMeansOffboarding: data.inactiveMeansOffboarding ?? defaults.inactiveMeansOffboarding,
    offboardingType: data.offboardingType,
    ...(data.keyUrlOrigins ? { keyUrlOrigins: data.keyUrlOrigins } : {}),
  };
  const answer: ConnectedPsa = { id, provider: data.provider, webhookPath: `/webhooks/psa/${id}` };
  let secret: string | undefined;
  switch (data.provider) {
    case 'connectwise':
      break;
    case 'autotask':
      secret = data.secret;
      break;
    case 'generic':
      secret = data.secret ?? newGenericSecret();
      if (!data.secret) answer.secret = secret;
      break;
    case 'halopsa': {
      const urlSecret = randomBytes(24).toString('base64url');
      const basic = { username: `offboard-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url') };
      Object.assign(settings, {
        basicUserSha256: sha256(basic.username),
        basicPasswordSha256: sha256(basic.password),
        urlSecretSha256: sha256(urlSecret),
      });
      answer.webhookPath = `/webhooks/psa/${id}/${urlSecret}`;
      answer.basicAuth = basic;
      break;
    }
  }
  await transaction(app, async (tx) => {
    await tx.insert(psaConnections).values({
      id,
      tenantId: actor.tenantId,
      provider: data.provider,
      name: data.name ?? data.provider,
      settings,
      secretSealed: secret ? secrets.seal(secret) : null,
    });
    await audit(tx, actor, now(app), {
      action: 'psa.connected',
      subject: { type: 'psa-connection', id },
      data: {
        provider: data.provider,
        statuses: settings.statuses,
        inactiveMeansOffboarding: settings.inactiveMeansOffboarding,
        offboardingType: settings.offboardingType,
        keyUrlOrigins: settings.keyUrlOrigins ?? null,
      },
    });
  });
  return answer;
}

export const UpdatePsaMappingInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    offboardingStatuses: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    inactiveMeansOffboarding: z.boolean().optional(),
    offboardingType: z.enum(OFFBOARDING_TYPES).optional(),
    keyUrlOrigins: z.array(Origin).min(1).max(10).optional(),
  })
  .strict();

/** Changes what a connection's events mean (statuses, type, key origins); its credentials stay as they are. */
export async function updatePsaMapping(
  app: App,
  actor: Actor,
  id: string,
  input: z.input<typeof UpdatePsaMappingInput>,
): Promise<PsaConnectionSettings> {
  const data = parseInput(UpdatePsaMappingInput, input, 'PSA mapping');
  const at = now(app);
  return transaction(app, async (tx) => {
    const [row] = await tx
      .select()
      .from(psaConnections)
      .where(and(eq(psaConnections.tenantId, actor.tenantId), eq(psaConnections.id, id), isNull(psaConnections.removedAt)))
      .for('update');
    if (!row) throw new NotFoundError('PSA connection', id);
    if (data.keyUrlOrigins && row.provider !== 'connectwise')
      throw new InputError('invalid PSA mapping', [{ path: 'keyUrlOrigins', message: `is not used by ${row.provider}` }]);
    const before = row.settings as PsaConnectionSettings;
    const settings: PsaConnectionSettings = {
      ...before,
      ...(data.offboardingStatuses ? { statuses: data.offboardingStatuses } : {}),
      ...(data.inactiveMeansOffboarding !== undefined ? { inactiveMeansOffboarding: data.inactiveMeansOffboarding } : {}),
      ...(data.offboardingType ? { offboardingType: data.offboardingType } : {}),
      ...(data.keyUrlOrigins ? { keyUrlOrigins: data.keyUrlOrigins } : {}),
    };
    await tx
      .update(psaConnections)
      .set({ settings, ...(data.name ? { name: data.name } : {}) })
      .where(eq(psaConnections.id, id));
    await audit(tx, actor, at, {
      action: 'psa.mapping-changed',
      subject: { type: 'psa-connection', id },
      data: {
        provider: row.provider,
        statuses: settings.statuses,
        inactiveMeansOffboarding: settings.inactiveMeansOffboarding,
        offboardingType: settings.offboardingType,
        keyUrlOrigins: settings.keyUrlOrigins ?? null,
      },
    });
    return settings;
  });
}

export async function disconnectPsa(app: App, actor: Actor, id: string): Promise<void> {
  const at = now(app);
  await transaction(app, async (tx) => {
    const [row] = await tx
      .update(psaConnections)
      .set({ removedAt: at })
      .where(and(eq(psaConnections.tenantId, actor.tenantId), eq(psaConnections.id, id), isNull(psaConnections.removedAt)))
      .returning({ provider: psaConnections.provider });
    if (!row) throw new NotFoundError('PSA connection', id);
    await audit(tx, actor, at, { action: 'psa.disconnected', subject: { type: 'psa-connection', id }, data: { provider: row.provider } });
  });
}

export type PsaConnectionRow = typeof psaConnections.$inferSelect;

/** The connection's credentials, unsealed, in the shape the adapters check against. */
export function credentialsOf(app: App, connection: PsaConnectionRow): PsaCredentials {
  const settings = connection.settings as PsaConnectionSettings;
  return {
    secret: connection.secretSealed && app.secrets ? app.secrets.open(connection.secretSealed) : undefined,
    keyUrlOrigins: settings.keyUrlOrigins,
    basicUserSha256: settings.basicUserSha256,
    basicPasswordSha256: settings.basicPasswordSha256,
    urlSecretSha256: settings.urlSecretSha256,
  };
}
