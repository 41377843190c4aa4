/**
 * Runs offboard: opens the database (PGlite folder or PostgreSQL), migrates, seeds the demo MSP
 * on an empty database (or prints a one-time setup link), and serves the API. Ctrl-C shuts down
 * cleanly.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadSecretBox } from '../app/secrets.ts';
import { moveIntakeToVault } from '../app/credentials/move-intake.ts';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pino, { type Logger } from 'pino';
import type { App } from '../app/context.ts';
import { DEMO_PASSWORD, type DemoLogin, seedDemo } from '../app/demo-data.ts';
import { type Database, migrateDatabase, openDatabase } from '../storage/db.ts';
import { checkpointStoreFor } from '../storage/signed-checkpoints.ts';
import { startWorkers } from '../worker/workers.ts';
import { tenantMailers } from '../app/settings/configure-email.ts';
import { createMailer, mailConfigFromEnv } from '../integrations/email/mailer.ts';
import { InputError } from '../domain/errors.ts';
import { createHttpApp, hasTenants } from './app.ts';

export type ServerConfig = {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string | undefined;
  demo: boolean;
  /** Run the workers (notifications, the scheduler) in this process too. */
  workers?: boolean | undefined;
  logger?: Logger | undefined;
};

export type RunningServer = {
  url: string;
  app: App;
  database: Database;
  demo?: DemoLogin[] | undefined;
  setupUrl?: string | undefined;
  close: () => Promise<void>;
};

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.HOST ?? '127.0.0.1',
    port: env.PORT ? Number(env.PORT) : 3000,
    dataDir: env.OFFBOARD_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    demo: env.OFFBOARD_DEMO !== '0',
  };
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  // Structured logs go to stderr, so stdout stays what a person reads.
  const logger = config.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  const app: App = {
    database,
    clock: () => new Date(),
    secrets: loadSecretBox(join(config.dataDir, 'secret.key')),
    signedCheckpoints: checkpointStoreFor(config.dataDir),
  };
  // Passwords set aside by imports before the vault existed go into it now.
  await moveIntakeToVault(app);
  let demo: DemoLogin[] | undefined;
  let setupToken: string | undefined;
  if (!(await hasTenants(app))) {
    if (config.demo) demo = (await seedDemo(app)).logins;
    else setupToken = randomBytes(24).toString('base64url');
  }
  const mail = mailConfigFromEnv();
  app.mailers = tenantMailers(app, mail ? createMailer(mail) : undefined);
  const workers = config.workers === false ? undefined : await startWorkers(app, logger, app.mailers);
  const http = createHttpApp(app, { logger, setupToken });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: http.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  // Links emailed to people outside the MSP: the address they reach this server at.
  app.publicUrl = process.env.OFFBOARD_PUBLIC_URL || url;
  app.jobs = workers?.boss;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await workers?.stop();
    await database.close();
  };
  return { url, app, database, demo, setupUrl: setupToken ? `${url}/setup?token=${setupToken}` : undefined, close };
}

/** `offboard serve` / `npm start`: start, print where to go, and stop cleanly on Ctrl-C. */
export async function serveFromCli(config: ServerConfig, print: (line: string) => void): Promise<void> {
  const started = performance.now();
  const running = await startServer(config);
  print(
    `offboard is running at ${running.url} (${running.database.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}), ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  print(`API reference: ${running.url}/api/docs`);
  if (running.demo) {
    print(`Demo MSP created. Sign in as any of these (password "${DEMO_PASSWORD}"):`);
    for (const l of running.demo) print(`  ${l.email.padEnd(28)} ${l.role.padEnd(16)} ${l.name}`);
  }
  if (running.setupUrl) print(`Create the first administrator (this link works once): ${running.setupUrl}`);
  const stop = (signal: string) => {
    print(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** `offboard worker`: only the workers, no HTTP; stops cleanly on Ctrl-C. */
export async function workerFromCli(
  config: Pick<ServerConfig, 'dataDir' | 'databaseUrl'> & { scheduler?: boolean },
  print: (line: string) => void,
): Promise<void> {
  if (!config.databaseUrl) {
    // Two processes on one PGlite folder would corrupt it: there, `npm start` runs the workers itself.
    throw new InputError('offboard worker needs PostgreSQL', [
      {
        path: 'DATABASE_URL',
        message: 'is required: the embedded database can be opened by one process only, and `npm start` already runs the workers',
      },
    ]);
  }
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
  const database = await openDatabase({ url: config.databaseUrl });
  await migrateDatabase(database);
  const mail = mailConfigFromEnv();
  const dataDir = process.env.OFFBOARD_DATA_DIR ?? './data';
  const app: App = {
    database,
    clock: () => new Date(),
    secrets: loadSecretBox(join(dataDir, 'secret.key')),
    signedCheckpoints: checkpointStoreFor(dataDir),
  };
  const workers = await startWorkers(app, logger, tenantMailers(app, mail ? createMailer(mail) : undefined), {
    scheduler: config.scheduler ?? true,
  });
  print('offboard worker running on PostgreSQL');
  const stop = (signal: string) => {
    print(`${signal}: stopping`);
    workers
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
