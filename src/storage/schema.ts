/**
 * The database schema: one set of tables and migrations for PGlite and PostgreSQL. Every row
 * belongs to a tenant; repositories always filter by it.
 */
import { sql } from 'drizzle-orm';
import type { PlanWarning } from '../domain/planner.ts';

/** `content` is text, or base64 when `encoding` says so (a PDF). */
export type MailAttachment = { filename: string; contentType: string; content: string; encoding?: 'base64' | undefined };
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  smallint,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();
const localDate = (name: string) => date(name, { mode: 'string' });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Last audit sequence number handed out; bumped in the transaction that writes the event. */
  auditSeq: bigint('audit_seq', { mode: 'number' }).notNull().default(0),
  /** Leaves in the tenant's transparency log; behind audit_seq only for events written before the log existed. */
  logSize: bigint('log_size', { mode: 'number' }).notNull().default(0),
  /** The log's compact range: the hashes of the perfect subtrees its size decomposes into, 32 bytes each. */
  logRange: bytea('log_range')
    .notNull()
    .default(sql`'\\x'::bytea`),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    managerId: text('manager_id'),
    passwordHash: text('password_hash'),
    /** How this person wants to hear about each kind of notification (see domain/notification-preferences). */
    preferences: jsonb('preferences').$type<Record<string, unknown>>().notNull().default({}),
    disabledAt: instant('disabled_at'),
    createdAt: createdAt(),
  },
  // Unique per MSP, not across MSPs: one MSP must neither learn nor block another's addresses.
  (t) => [
    uniqueIndex('users_tenant_email_key').on(t.tenantId, sql`lower(${t.email})`),
    index('users_email_idx').on(sql`lower(${t.email})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session token; the token itself only ever lives in the cookie. */
    tokenHash: text('token_hash').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').references(() => users.id),
    createdAt: createdAt(),
    lastUsedAt: instant('last_used_at'),
    revokedAt: instant('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_tenant_idx').on(t.tenantId)],
);

export const loginAttempts = pgTable('login_attempts', {
  key: text('key').primaryKey(),
  windowStart: instant('window_start').notNull(),
  failures: integer('failures').notNull().default(0),
});

export const calendars = pgTable(
  'calendars',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    workdays: jsonb('workdays').$type<number[]>().notNull(),
    holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index('calendars_tenant_idx').on(t.tenantId)],
);

export type Contact = { name: string; email: string; phone?: string | undefined; role?: string | undefined; authorizedSigner: boolean };
export type Contract = {
  start?: string | undefined;
  end?: string | undefined;
  noticePeriodDays?: number | undefined;
  retentionDays?: number | undefined;
  includedOffboardingHours?: number | undefined;
  hourlyRate?: number | undefined;
  transitionFee?: number | undefined;
  returningClientFee?: number | undefined;
};

export type PendingTrigger = {
  connectionId: string;
  provider: string;
  deliveryId: string;
  eventId: string;
  occurredAt: string;
  offboardingType: string;
};

export const clients = pgTable(
  'clients',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    status: text('status').notNull().default('active'),
    timezone: text('timezone').notNull(),
    calendarId: text('calendar_id').references(() => calendars.id),
    psaIds: jsonb('psa_ids').$type<Record<string, string>>().notNull().default({}),
    contacts: jsonb('contacts').$type<Contact[]>().notNull().default([]),
    services: jsonb('services').$type<Record<string, unknown>>().notNull(),
    contract: jsonb('contract').$type<Contract>().notNull().default({}),
    /** Role -> user id: who on the MSP's side works this client. */
    team: jsonb('team').$type<Record<string, string>>().notNull().default({}),
    departureReason: text('departure_reason'),
    /**
     * Set when a PSA event named a company nobody had mapped to a client: the client was created
     * from it and waits for someone to confirm it (and its time zone and services) before the
     * offboarding the event asked for is opened.
     */
    pendingTrigger: jsonb('pending_trigger').$type<PendingTrigger>(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('clients_tenant_idx').on(t.tenantId, t.name)],
);

export const playbooks = pgTable(
  'playbooks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    /** SHA-256 of `source`, hex. */
    digest: text('digest').notNull(),
    source: text('source').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('playbooks_version_key').on(t.tenantId, t.name, t.version)],
);

export const offboardings = pgTable(
  'offboardings',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    type: text('type').notNull(),
    status: text('status').notNull(),
    noticeDate: localDate('notice_date').notNull(),
    endDate: localDate('end_date').notNull(),
    revocationDate: localDate('revocation_date'),
    retentionDays: integer('retention_days'),
    newProvider: jsonb('new_provider').$type<{ name: string; contact: string }>(),
    /** The facts the plan was computed from (client time zone, services, calendar), as planned. */
    facts: jsonb('facts').$type<Record<string, unknown>>().notNull(),
    playbookId: text('playbook_id').references(() => playbooks.id),
    playbookSnapshot: text('playbook_snapshot').notNull(),
    playbookDigest: text('playbook_digest').notNull(),
    warnings: jsonb('warnings').$type<PlanWarning[]>().notNull().default([]),
    cancelReason: text('cancel_reason'),
    departureReason: text('departure_reason'),
    /** When the start messages (acknowledgement to the client, notice to the team) were handed out; null until then. */
    announcedAt: instant('announced_at'),
    /** A date the MSP proposed to end its access before the agreed revocation date; it holds once the client agrees in the portal. */
    proposedCutover: localDate('proposed_cutover'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('offboardings_tenant_idx').on(t.tenantId, t.status),
    index('offboardings_client_idx').on(t.clientId),
    // The scheduler finds offboardings still to announce without scanning the others.
    index('offboardings_unannounced_idx')
      .on(t.createdAt)
      .where(sql`${t.announcedAt} is null`),
  ],
);

export type ChecklistItem = { item: string; done: boolean };

export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    key: text('key').notNull(),
    title: text('title').notNull(),
    phase: integer('phase').notNull(),
    role: text('role').notNull(),
    assigneeId: text('assignee_id').references(() => users.id),
    status: text('status').notNull(),
    due: localDate('due').notNull(),
    dueAt: instant('due_at').notNull(),
    dependsOn: jsonb('depends_on').$type<string[]>().notNull().default([]),
    gates: jsonb('gates').$type<string[]>().notNull().default([]),
    /** What the authorization gate must cover for this task (it gives the new provider something of that kind). */
    authorizationScope: text('authorization_scope'),
    /** The playbook's evidence list: completing needs an attached file, a statement, or a manager's waiver of it. */
    evidence: jsonb('evidence').$type<string[]>().notNull().default([]),
    evidenceWaiver: jsonb('evidence_waiver').$type<{ reason: string; approverId: string; at: string }>(),
    checklist: jsonb('checklist').$type<ChecklistItem[]>().notNull().default([]),
    note: text('note'),
    waiver: jsonb('waiver').$type<{ reason: string; approverId: string }>(),
    readyOn: localDate('ready_on'),
    completedAt: instant('completed_at'),
    completedBy: text('completed_by'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tasks_offboarding_key').on(t.offboardingId, t.key),
    index('tasks_tenant_due_idx').on(t.tenantId, t.dueAt),
    // The scheduler's sweep reads open tasks by due instant across tenants.
    index('tasks_open_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} in ('pending', 'ready', 'in-progress')`),
    index('tasks_assignee_idx').on(t.assigneeId, t.status),
  ],
);

export const blobs = pgTable(
  'blobs',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    /** Files stored before uploads were streamed; newer ones are in blob_chunks. */
    content: bytea('content'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256] })],
);

/** A file's bytes in pieces of BLOB_CHUNK_BYTES, so no upload or download holds a whole file in memory. */
export const blobChunks = pgTable(
  'blob_chunks',
  {
    tenantId: text('tenant_id').notNull(),
    sha256: text('sha256').notNull(),
    n: integer('n').notNull(),
    bytes: bytea('bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256, t.n] })],
);

export const evidence = pgTable(
  'evidence',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    taskId: text('task_id').references(() => tasks.id),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [index('evidence_task_idx').on(t.taskId)],
);

export const timeEntries = pgTable(
  'time_entries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    taskId: text('task_id').references(() => tasks.id),
    userId: text('user_id').notNull(),
    minutes: integer('minutes').notNull(),
    workDate: localDate('work_date').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [index('time_entries_offboarding_idx').on(t.offboardingId)],
);

/**
 * Statements on file for an offboarding: signed by a party in the portal (`method` 'signed'), or
 * recorded by staff from a document the party signed on paper ('recorded-from-document', with the
 * scan's digest). Rows are never updated: a withdrawal is a statement of its own.
 */
export const attestations = pgTable(
  'attestations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    /** The gate this statement opens; null for statements that open none (withdrawal, early cut-over, receipt). */
    gate: text('gate'),
    party: text('party').notNull(),
    signerName: text('signer_name').notNull(),
    signerEmail: text('signer_email').notNull(),
    signedAt: instant('signed_at').notNull(),
    ip: text('ip'),
    /** The exact text the signer saw, and its SHA-256. */
    statement: text('statement').notNull(),
    statementSha256: text('statement_sha256').notNull(),
    /** The template it was rendered from (src/domain/statements.ts); null for rows made before templates. */
    kind: text('kind'),
    templateVersion: integer('template_version'),
    method: text('method').notNull().default('recorded-by-staff'),
    partyId: text('party_id').references(() => parties.id),
    userAgent: text('user_agent'),
    /** SHA-256 of the portal session and of the emailed link it came through (never the tokens). */
    portalSessionHash: text('portal_session_hash'),
    portalLinkHash: text('portal_link_hash'),
    /** What the signer filled in: the authorization's scopes, a restore date and product, a cut-over date. */
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    /** recorded-from-document: the staff member, and the signed scan's digest (stored as evidence). */
    recordedBy: text('recorded_by'),
    documentSha256: text('document_sha256'),
    /** An uploaded artifact the statement relies on (the new provider's restore report). */
    artifactSha256: text('artifact_sha256'),
    /** The signing certificate PDF's digest (the PDF is a blob). */
    certificateSha256: text('certificate_sha256'),
    createdAt: createdAt(),
  },
  (t) => [index('attestations_offboarding_idx').on(t.offboardingId, t.gate)],
);

/** People outside the MSP who act in one offboarding through the portal: the client's contacts and the new provider's. */
export const parties = pgTable(
  'parties',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    /** 'client' | 'new-provider' */
    side: text('side').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** A client contact who may sign for the client; the others only view. New providers sign their own attestations. */
    canSign: boolean('can_sign').notNull().default(false),
    invitedAt: instant('invited_at'),
    lastOpenedAt: instant('last_opened_at'),
    accessRevokedAt: instant('access_revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('parties_once').on(t.offboardingId, t.side, sql`lower(${t.email})`),
    index('parties_email_idx').on(sql`lower(${t.email})`),
  ],
);

/**
 * The conversation of one offboarding between the MSP and the new provider, the client always in
 * it: every message reaches every party. Immutable once written.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    /** 'msp' | 'client' | 'new-provider' */
    side: text('side').notNull(),
    /** `user:<id>`, `token:<id>` or `party:<id>`, as the audit log names the actor. */
    author: text('author').notNull(),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    /** The order they were written in, also within one instant. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    createdAt: createdAt(),
  },
  (t) => [index('messages_offboarding_idx').on(t.offboardingId, t.seq)],
);

/** Emailed sign-in links: single use, expiring, stored as the SHA-256 of the token only. */
export const portalLinks = pgTable(
  'portal_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [index('portal_links_party_idx').on(t.partyId)],
);

/** A portal session: one party of one offboarding, never a staff session. */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    partyId: text('party_id')
      .notNull()
      .references(() => parties.id),
    linkHash: text('link_hash').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    /** The one-time signing code emailed to this session's address (when the MSP asks for one): its SHA-256 with the session, only. */
    codeHash: text('code_hash'),
    codeSentAt: instant('code_sent_at'),
    codeExpiresAt: instant('code_expires_at'),
    codeAttempts: integer('code_attempts').notNull().default(0),
  },
  (t) => [index('portal_sessions_party_idx').on(t.partyId)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    occurredAt: instant('occurred_at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    offboardingId: text('offboarding_id'),
    /** The event's number within its offboarding (1, 2, ...), also in the hashed bytes with the previous one's seq. */
    offboardingN: integer('offboarding_n'),
    /** Canonical JSON (sorted keys, no spaces) of the whole event, stored exactly as it will be hashed. */
    canonical: text('canonical').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] }), index('audit_offboarding_idx').on(t.tenantId, t.offboardingId, t.seq)],
);

/** Completed perfect subtrees of each tenant's Merkle tree: leaves [idx * 2^level, (idx + 1) * 2^level). */
export const logNodes = pgTable(
  'log_nodes',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    level: smallint('level').notNull(),
    idx: bigint('idx', { mode: 'number' }).notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.level, t.idx] })],
);

/** Each tenant's checkpoint signing keys (Ed25519); retired keys stay for verification. */
export const logKeys = pgTable(
  'log_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    keyId: bigint('key_id', { mode: 'number' }).notNull(),
    name: text('name').notNull(),
    publicKey: bytea('public_key').notNull(),
    /** The PKCS #8 private key, sealed with the server's secret key. */
    sealedPrivateKey: text('sealed_private_key').notNull(),
    createdAt: createdAt(),
    retiredAt: instant('retired_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.keyId] })],
);

/** Signed checkpoints (C2SP signed notes), one per tree size. */
export const checkpoints = pgTable(
  'checkpoints',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    size: bigint('size', { mode: 'number' }).notNull(),
    root: bytea('root').notNull(),
    note: text('note').notNull(),
    reason: text('reason').notNull(),
    signedAt: instant('signed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.size] })],
);

/** Witnesses an MSP sends its checkpoints to (c2sp.org/tlog-cosignature); removed ones are kept for their cosignatures. */
export const witnesses = pgTable(
  'witnesses',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    url: text('url').notNull(),
    /** The witness's cosignature verifier key (type 0x04). */
    verifierKey: text('verifier_key').notNull(),
    /** The largest checkpoint it cosigned for us: the size the next request extends. */
    cosignedSize: bigint('cosigned_size', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
    lastAttemptAt: instant('last_attempt_at'),
    createdAt: createdAt(),
    removedAt: instant('removed_at'),
  },
  (t) => [index('witnesses_tenant_idx').on(t.tenantId)],
);

/** A witness's cosignature line on one of our checkpoints. */
export const cosignatures = pgTable(
  'cosignatures',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    size: bigint('size', { mode: 'number' }).notNull(),
    witnessId: text('witness_id')
      .notNull()
      .references(() => witnesses.id),
    line: text('line').notNull(),
    cosignedAt: instant('cosigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.size, t.witnessId] })],
);

/**
 * Every notification delivered, one row per recipient and channel: the in-app inbox, and the
 * record that a notification key was already sent (the unique index makes a resend a no-op).
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    /** The policy's deterministic key: offboarding, task, kind, level, date. */
    key: text('key').notNull(),
    /** Null only for a daily digest, which gathers several offboardings. */
    offboardingId: text('offboarding_id').references(() => offboardings.id),
    taskId: text('task_id').references(() => tasks.id),
    kind: text('kind').notNull(),
    level: integer('level').notNull(),
    channel: text('channel').notNull(),
    /** A user id for staff, an email address for the client's contact or the new provider. */
    recipient: text('recipient').notNull(),
    recipientUserId: text('recipient_user_id').references(() => users.id),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** Text files sent with an email (the client's signed checkpoint, exactly as signed). */
    attachments: jsonb('attachments').$type<MailAttachment[]>(),
    /** A portal link's token, sealed with the server's key, put in place of {portal-link} when sent and erased then. */
    sealedLink: text('sealed_link'),
    fireAt: instant('fire_at').notNull(),
    /** in-app: delivered at once; email: pending -> sent | failed (with the reason), or held -> digested into a digest. */
    status: text('status').notNull().default('delivered'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    deliveredAt: instant('delivered_at'),
    createdAt: createdAt(),
    readAt: instant('read_at'),
  },
  (t) => [
    uniqueIndex('notifications_once').on(t.tenantId, t.key, t.channel, t.recipient),
    index('notifications_inbox_idx').on(t.recipientUserId, t.createdAt),
    index('notifications_held_idx')
      .on(t.recipientUserId)
      .where(sql`${t.status} = 'held'`),
    // Emails written by use cases and not yet sent (the client's checkpoint at close, portal links), for the tick.
    index('notifications_written_idx')
      .on(t.tenantId)
      .where(
        sql`${t.status} = 'pending' and ${t.kind} in ('client-checkpoint', 'portal-link', 'portal-link-copy', 'signing-certificate', 'conversation-message', 'cutover-proposal', 'signing-code', 'package-ready')`,
      ),
  ],
);

/** When the scheduler last looked for due notifications. */
export const schedulerState = pgTable('scheduler_state', {
  name: text('name').primaryKey(),
  lastTickAt: instant('last_tick_at').notNull(),
});

/** A tenant's team channels (Slack incoming webhook, Teams Workflows webhook); the URL is a secret, sealed. */
export const channels = pgTable(
  'channels',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    kind: text('kind').notNull(),
    urlSealed: text('url_sealed').notNull(),
    /** Only the host, for showing which webhook is configured without revealing it. */
    urlHost: text('url_host').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('channels_tenant_kind').on(t.tenantId, t.kind)],
);

/** A PSA that may open offboardings by webhook: its kind, the tenant's mapping, and its credentials (sealed or hashed). */
export const psaConnections = pgTable(
  'psa_connections',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    provider: text('provider').notNull(),
    name: text('name').notNull(),
    /** Which statuses mean offboarding, the offboarding type to open, ConnectWise's key URL allowlist. */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    /** Autotask's SecretKey or the generic webhook's secret, sealed; HaloPSA keeps only hashes in `settings`. */
    secretSealed: text('secret_sealed'),
    createdAt: createdAt(),
    /** Removed connections stay, so their delivery log keeps its reference; their webhooks are refused. */
    removedAt: instant('removed_at'),
  },
  (t) => [index('psa_connections_tenant_idx').on(t.tenantId)],
);

/**
 * Every webhook delivery received: processed (with what it did), a duplicate of one processed
 * before, or rejected (bad signature, stale, replayed, malformed) with the reason. A rejected
 * delivery stores this row and nothing else.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    connectionId: text('connection_id')
      .notNull()
      .references(() => psaConnections.id),
    receivedAt: instant('received_at').notNull(),
    outcome: text('outcome').notNull(),
    /** What a processed event did: started, awaiting-confirmation, ignored (with the reason). */
    result: text('result'),
    reason: text('reason'),
    eventId: text('event_id'),
    replayKey: text('replay_key'),
    bodySha256: text('body_sha256').notNull(),
    remoteIp: text('remote_ip'),
    psaCompanyId: text('psa_company_id'),
    clientId: text('client_id'),
    offboardingId: text('offboarding_id'),
  },
  (t) => [
    // The same event twice is processed once: the second insert of a processed row conflicts.
    uniqueIndex('webhook_deliveries_event_once')
      .on(t.connectionId, t.eventId)
      .where(sql`${t.outcome} = 'processed'`),
    index('webhook_deliveries_replay_idx').on(t.connectionId, t.replayKey),
    index('webhook_deliveries_tenant_idx').on(t.tenantId, t.receivedAt),
  ],
);

/**
 * A client's documentation, one row per item of any section (DESIGN.md "documentation"): the
 * section's fields as JSON, who owns it, and, when it was imported, the platform's id, so a
 * second import updates the item instead of adding another.
 */
export const documentationItems = pgTable(
  'documentation_items',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    section: text('section').notNull(),
    name: text('name').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    /** 'client' | 'msp' | 'third-party'; null until someone fills the ownership register. */
    owner: text('owner'),
    /** The MSP's own notes about this client: never leaves in a package. */
    mspInternal: boolean('msp_internal').notNull().default(false),
    source: text('source').notNull().default('manual'),
    externalId: text('external_id'),
    /** A file of the files section: its bytes are a blob. */
    fileSha256: text('file_sha256'),
    fileName: text('file_name'),
    mediaType: text('media_type'),
    fileSize: bigint('file_size', { mode: 'number' }),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('documentation_items_external_once')
      .on(t.tenantId, t.clientId, t.source, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('documentation_items_client_idx').on(t.tenantId, t.clientId, t.section, t.name),
  ],
);

/** Where an MSP keeps its documentation (IT Glue, Hudu, ITFlow): the base URL and the API key, sealed. */
export const documentationConnections = pgTable(
  'documentation_connections',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    platform: text('platform').notNull(),
    baseUrl: text('base_url').notNull(),
    keySealed: text('key_sealed').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('documentation_connections_once').on(t.tenantId, t.platform)],
);

/** One import of a client's documentation: what was asked, how far it got, and what it did. */
export const documentationImports = pgTable(
  'documentation_imports',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    source: text('source').notNull(),
    /** What is imported: 'documentation' (passwords found go to the vault) or 'credentials' (only the passwords). */
    target: text('target').notNull().default('documentation'),
    dryRun: boolean('dry_run').notNull(),
    /** 'queued' | 'running' | 'done' | 'failed' */
    status: text('status').notNull(),
    /** The platform's organization, the file's column mapping and section: never the key. */
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** A key given for this import only (not a saved connection), sealed; erased when the import ends. */
    keySealed: text('key_sealed'),
    /** An uploaded CSV or XLSX file: a blob. */
    fileSha256: text('file_sha256'),
    progress: jsonb('progress').$type<{ done: number; total: number | null; stage: string }>().notNull(),
    summary: jsonb('summary').$type<Record<string, number>>(),
    problems: jsonb('problems').$type<{ row: string; field: string; reason: string }[]>().notNull().default([]),
    /** What would change, on a dry run: the first rows of each kind. */
    preview: jsonb('preview').$type<Record<string, unknown>>(),
    error: text('error'),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    finishedAt: instant('finished_at'),
  },
  (t) => [index('documentation_imports_client_idx').on(t.tenantId, t.clientId, t.createdAt)],
);

/**
 * Passwords an import found, set aside for the credential vault: the secret sealed with the
 * server's key and kept apart from the documentation, which never holds one.
 */
export const credentialIntake = pgTable(
  'credential_intake',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    username: text('username'),
    url: text('url'),
    /** JSON of { password, otpSecret? }, sealed. */
    secretSealed: text('secret_sealed').notNull(),
    importId: text('import_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('credential_intake_once').on(t.tenantId, t.clientId, t.source, t.externalId)],
);

/** One file of a documentation package: where it sits in the zip and the blob that holds its bytes. */
export type PackageEntry = { path: string; sha256: string; size: number; section: string | null; owner: string | null };

/**
 * One version of an offboarding's documentation package for one audience. The zip is never
 * stored: it is a deterministic function of these entries (in order) and `builtAt`, streamed from
 * the blobs on each download; `sha256` and `size` are those of that zip, measured when it was built.
 */
export const documentationPackages = pgTable(
  'documentation_packages',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    /** 'client' | 'new-provider' */
    audience: text('audience').notNull(),
    version: integer('version').notNull(),
    entries: jsonb('entries').$type<PackageEntry[]>().notNull(),
    manifestSha256: text('manifest_sha256').notNull(),
    sha256: text('sha256').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    /** Items by owner and section, as the manifest counts them. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    builtBy: text('built_by').notNull(),
    builtAt: instant('built_at').notNull(),
  },
  (t) => [uniqueIndex('documentation_packages_version_once').on(t.offboardingId, t.audience, t.version)],
);

/** Every download of a package: who (a party, or staff), when, from where, and which bytes. */
export const packageDownloads = pgTable(
  'package_downloads',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    packageId: text('package_id')
      .notNull()
      .references(() => documentationPackages.id),
    offboardingId: text('offboarding_id').notNull(),
    /** `party:<id>` or `user:<id>` */
    actor: text('actor').notNull(),
    partyId: text('party_id'),
    ip: text('ip').notNull(),
    userAgent: text('user_agent'),
    at: instant('at').notNull(),
  },
  (t) => [index('package_downloads_package_idx').on(t.tenantId, t.packageId, t.at)],
);

/**
 * Each client's data key for the credential vault, sealed with the server's key (envelope
 * encryption). Destroying it (`wrapped_key` null) makes every copy of the client's secrets
 * unreadable, wherever a backup or dump keeps them.
 */
export const clientDataKeys = pgTable(
  'client_data_keys',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    /** The 32-byte key, base64, sealed with the server's key; null once destroyed. */
    wrappedKey: text('wrapped_key'),
    /** Which server key sealed it (its id, never the key): rotation re-wraps the others. */
    wrappedBy: text('wrapped_by'),
    createdAt: createdAt(),
    rewrappedAt: instant('rewrapped_at'),
    destroyedAt: instant('destroyed_at'),
    destroyedBy: text('destroyed_by'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.clientId] })],
);

/**
 * A secret the MSP holds for a client. The secret (password and TOTP seed) is sealed with the
 * client's data key and bound to this row; everything else is what people read in listings.
 * `secret_digest` is an HMAC under a key derived from the data key: audit events name a secret
 * by it, and it cannot be checked against a guessed password without the key.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    clientId: text('client_id')
      .notNull()
      .references(() => clients.id),
    name: text('name').notNull(),
    url: text('url'),
    username: text('username'),
    kind: text('kind').notNull(),
    /** 'client' | 'msp' | 'vendor', or null until someone says. */
    owner: text('owner'),
    notes: text('notes'),
    /** 'manual', or where an import found it: 'itglue' | 'hudu' | 'itflow' | 'csv'. */
    source: text('source').notNull(),
    externalId: text('external_id'),
    secretSealed: text('secret_sealed').notNull(),
    secretDigest: text('secret_digest').notNull(),
    hasOtp: boolean('has_otp').notNull().default(false),
    /** 'hand-over' | 'rotate-then-hand-over' | 'revoke', or null until decided. */
    disposition: text('disposition'),
    /** 'client' | 'new-provider' for a hand-over; null for a revocation. */
    recipient: text('recipient'),
    dispositionBy: text('disposition_by'),
    dispositionAt: instant('disposition_at'),
    /** When the secret last changed in the vault. */
    secretChangedAt: instant('secret_changed_at').notNull(),
    /** When the MSP recorded changing it at the system itself, before the transfer ("rotate then hand over"). */
    rotatedAt: instant('rotated_at'),
    rotatedBy: text('rotated_by'),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('credentials_client_idx').on(t.tenantId, t.clientId, t.name),
    uniqueIndex('credentials_imported_once').on(t.tenantId, t.clientId, t.source, t.externalId),
  ],
);

/**
 * What reached a party of the offboarding, credential by credential: a secret shown once in the
 * portal (a reveal), a secret inside an encrypted export, or the party's confirmation that it
 * changed the credential since. Each with the secret's digest as it was, the time and the address.
 */
export const credentialHandovers = pgTable(
  'credential_handovers',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    credentialId: text('credential_id').notNull(),
    partyId: text('party_id').notNull(),
    /** 'client' | 'new-provider' */
    side: text('side').notNull(),
    /** 'reveal' | 'export' | 'changed' */
    kind: text('kind').notNull(),
    secretDigest: text('secret_digest').notNull(),
    at: instant('at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [
    index('credential_handovers_offboarding_idx').on(t.tenantId, t.offboardingId, t.at),
    // A secret is shown to a person once: a second reveal of the same secret collides here.
    uniqueIndex('credential_handovers_reveal_once')
      .on(t.tenantId, t.credentialId, t.partyId, t.secretDigest)
      .where(sql`kind = 'reveal'`),
  ],
);

/**
 * Everything the MSP holds or set up for a client that must end at the cut-over (its accounts,
 * admin and VPN access, MFA registrations, API keys, delegated admin), per offboarding: when it
 * was revoked, how that was checked, or a manager's accounting for it.
 */
export const revocations = pgTable(
  'revocations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    offboardingId: text('offboarding_id')
      .notNull()
      .references(() => offboardings.id),
    /** The vault credential this is, when it is one (its disposition is revoke). */
    credentialId: text('credential_id'),
    what: text('what').notNull(),
    kind: text('kind').notNull(),
    revokedAt: instant('revoked_at'),
    revokedBy: text('revoked_by'),
    /** How the revocation was checked (RevocationCheck). */
    verification: jsonb('verification').$type<Record<string, unknown>>(),
    verifiedBy: text('verified_by'),
    /** A manager's accounting: { by, reason, at }. */
    accounted: jsonb('accounted').$type<{ by: string; byName: string; reason: string; at: string }>(),
    version: integer('version').notNull().default(1),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('revocations_offboarding_idx').on(t.tenantId, t.offboardingId, t.createdAt),
    uniqueIndex('revocations_credential_once')
      .on(t.tenantId, t.offboardingId, t.credentialId)
      .where(sql`credential_id is not null`),
  ],
);
