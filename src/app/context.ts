/** What every use case gets: the database and a clock (injectable, so tests can travel in time). */
import type { PgBoss } from 'pg-boss';
import type { z } from 'zod';
import { InputError } from '../domain/errors.ts';
import { zodIssues } from '../domain/parse.ts';
import type { StaffRole } from '../domain/vocabulary.ts';
import type { Database, Tx } from '../storage/db.ts';
import type { SecretBox } from './secrets.ts';
import type { MailerSource } from '../integrations/email/mailer.ts';
import type { SignedCheckpointStore } from '../storage/signed-checkpoints.ts';

export type Clock = () => Date;

export type App = {
  database: Database;
  clock: Clock;
  /** Seals secrets stored in the database (webhook URLs); absent where no secret is handled. */
  secrets?: SecretBox | undefined;
  /** Who sends a tenant's email (its own SMTP settings, else the server's); absent where nothing sends email. */
  mailers?: MailerSource | undefined;
  /** The last checkpoint signed per log, outside the database; the server always has it, some tests do not. */
  signedCheckpoints?: SignedCheckpointStore | undefined;
  /** The job queue, where this process has one: emails a person waits for (a portal link) go at once instead of at the next tick. */
  jobs?: PgBoss | undefined;
  /** The address people outside the MSP open (OFFBOARD_PUBLIC_URL, else where the server listens): portal links start with it. */
  publicUrl?: string | undefined;
};

/** Who is acting: a signed-in user, an API token, or the system itself. */
export type Actor = { tenantId: string; kind: 'user' | 'token' | 'system'; id: string; role: StaffRole };

export const actorRef = (actor: Actor): string => `${actor.kind}:${actor.id}`;

export const now = (app: App): string => app.clock().toISOString();

const afterCommitWork = new WeakMap<Tx, (() => Promise<void>)[]>();

/**
 * Runs `work` in one transaction: every state change, its audit event and its jobs commit
 * together or not at all. Work registered with `afterCommit` runs once the commit succeeded.
 */
export async function transaction<T>(app: App, work: (tx: Tx) => Promise<T>): Promise<T> {
  const after: (() => Promise<void>)[] = [];
  const result = await app.database.db.transaction((tx) => {
    afterCommitWork.set(tx, after);
    return work(tx);
  });
  // Committed is committed: a step after it that fails is reported, never turned into a failed request.
  for (const step of after) {
    try {
      await step();
    } catch (error) {
      process.emitWarning(`after a commit: ${error instanceof Error ? error.message : String(error)}`, 'OffboardAfterCommit');
    }
  }
  return result;
}

/** Something to do only if, and once, the transaction commits (a file outside the database). */
export function afterCommit(tx: Tx, step: () => Promise<void>): void {
  const list = afterCommitWork.get(tx);
  if (!list) throw new Error('afterCommit needs a transaction opened by transaction()');
  list.push(step);
}

/** Validates use-case input; every problem is reported as `path: message`. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, what = 'input'): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (!result.success) throw new InputError(`invalid ${what}`, zodIssues(result.error));
  return result.data;
}

export const newId = (): string => crypto.randomUUID();
