/**
 * The `offboard` command line. Exit codes: 0 ok, 1 bad input (a message naming the field),
 * 2 usage error, 3 internal error; `verify`: 0 valid, 1 invalid, 2 malformed input.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_PLAYBOOK_PATH, SAMPLE_CASE_PATH, loadCase, loadPlaybook } from '../app/files.ts';
import { DomainError, InputError, formatIssues } from '../domain/errors.ts';
import { playbookJsonSchema } from '../domain/playbook.ts';
import { calendarOf, plan, planToJson } from '../domain/planner.ts';
import { parseLateOptions, parseSignedOptions, rehearse } from '../domain/rehearsal.ts';
import { formatPlan, formatRehearsal } from './format.ts';
import { ExitWith, addLogCommands } from './log-commands.ts';
import { addDocumentationCommands, addPackageCommands } from './documentation-commands.ts';
import { addCredentialCommands } from './credential-commands.ts';
import type { OffboardingType as StartOffboardingType } from '../domain/vocabulary.ts';

export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

type Io = { out: (text: string) => void; err: (text: string) => void };

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildProgram(io: Io): Command {
  const program = new Command('offboard')
    .description('Plan, rehearse and run the offboarding of a departing MSP client.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('plan')
    .description('Plan an offboarding: every task of the playbook with its due date, by phase, and a timeline.')
    .requiredOption('--case <file>', 'the offboarding case (YAML or JSON): client, type, dates, services')
    .option('--playbook <file>', 'the playbook (YAML)', DEFAULT_PLAYBOOK_PATH)
    .option('--json', 'print the plan as JSON')
    .addHelpText('after', '\nExample:\n  offboard plan --case examples/sample-case.yaml --json')
    .action((opts: { case: string; playbook: string; json?: boolean }) => {
      const playbook = loadPlaybook(opts.playbook);
      const facts = loadCase(opts.case);
      const cal = calendarOf(facts);
      const p = plan(playbook, facts, { calendar: cal });
      io.out(opts.json ? `${JSON.stringify(planToJson(p), null, 2)}\n` : `${formatPlan(playbook, facts, p, cal)}\n`);
    });

  program
    .command('rehearse')
    .description(
      'Mock offboard: walk the plan day by day, completing tasks on their due dates (or late), and show every reminder and escalation.',
    )
    .requiredOption('--case <file>', 'the offboarding case (YAML or JSON)')
    .option('--playbook <file>', 'the playbook (YAML)', DEFAULT_PLAYBOOK_PATH)
    .option('--late <key=days>', 'make a task that many business days late (repeatable)', collect, [] as string[])
    .option(
      '--signed <gate=day>',
      'a party signs on that business day of the plan (or date): authorization, backup or coverage (repeatable; unsigned by default)',
      collect,
      [] as string[],
    )
    .option('--json', 'print the rehearsal as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  offboard rehearse --case examples/sample-case.yaml --signed authorization=3 --signed backup=9 --signed coverage=9 --late dns-transfer=4',
    )
    .action((opts: { case: string; playbook: string; late: string[]; signed: string[]; json?: boolean }) => {
      const playbook = loadPlaybook(opts.playbook);
      const facts = loadCase(opts.case);
      const cal = calendarOf(facts);
      const planned = plan(playbook, facts, { calendar: cal });
      const late = parseLateOptions(opts.late, planned.tasks);
      const signed = parseSignedOptions(opts.signed, planned, cal);
      const r = rehearse(playbook, facts, { late, signed });
      io.out(
        opts.json
          ? `${JSON.stringify({ plan: planToJson(r.plan), days: r.days, summary: r.summary }, null, 2)}\n`
          : `${formatRehearsal(facts, r, late, cal, signed)}\n`,
      );
    });

  const playbookCommand = program.command('playbook').description('Work with playbook files.');
  playbookCommand
    .command('validate')
    .description('Check a playbook file and report every problem with its path and line.')
    .argument('<file>', 'the playbook (YAML)')
    .action((file: string) => {
      const p = loadPlaybook(file, 'file');
      io.out(`${file}: valid playbook "${p.name}" version ${p.version}: ${p.tasks.length} tasks in ${p.phases.length} phases\n`);
    });
  playbookCommand
    .command('schema')
    .description('Print the JSON Schema of the playbook format (for editors).')
    .action(() => {
      io.out(`${JSON.stringify(playbookJsonSchema(), null, 2)}\n`);
    });

  program
    .command('demo')
    .description('Plan and rehearse the sample offboarding (what `npm start` runs until the server exists).')
    .addOption(new Option('--case <file>', 'the offboarding case').default(SAMPLE_CASE_PATH, 'examples/sample-case.yaml'))
    .action((opts: { case: string }) => {
      const playbook = loadPlaybook();
      const facts = loadCase(opts.case);
      const cal = calendarOf(facts);
      const p = plan(playbook, facts, { calendar: cal });
      const late = { 'dns-transfer': 6, 'backup-transition': 3 };
      const signed = parseSignedOptions(['authorization=3', 'backup=9', 'coverage=9'], p, cal);
      io.out(`${formatPlan(playbook, facts, p, cal)}\n\n`);
      io.out(`${formatRehearsal(facts, rehearse(playbook, facts, { late, signed }), late, cal, signed)}\n\n`);
      io.out('Try your own: npx offboard plan --case FILE, npx offboard rehearse --case FILE --late KEY=DAYS (see --help).\n');
    });

  program
    .command('serve')
    .description('Run the server: the API on the embedded database (or PostgreSQL with DATABASE_URL), with a demo MSP on first start.')
    .option('--host <host>', 'address to listen on (HOST)', process.env.HOST ?? '127.0.0.1')
    .option('--port <port>', 'port to listen on (PORT)', process.env.PORT ?? '3000')
    .option('--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data')
    .option('--no-demo', 'start empty and print a one-time link to create the first admin (OFFBOARD_DEMO=0)')
    .option('--no-workers', 'serve HTTP only; run `offboard worker` separately for notifications and the scheduler')
    .action(async (opts: { host: string; port: string; dataDir: string; demo: boolean; workers: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new InputError('invalid option', [{ path: '--port', message: 'must be a port number 0-65535' }]);
      const { configFromEnv, serveFromCli } = await import('../http/server.ts');
      await serveFromCli(
        {
          ...configFromEnv(),
          host: opts.host,
          port,
          dataDir: opts.dataDir,
          demo: opts.demo && process.env.OFFBOARD_DEMO !== '0',
          workers: opts.workers,
        },
        (line) => io.out(`${line}\n`),
      );
    });

  program
    .command('worker')
    .description('Run the workers only (notifications, the scheduler) against PostgreSQL (DATABASE_URL); start as many as you like.')
    .option('--no-scheduler', 'only work the queues; leave the once-a-minute scheduler tick to other processes')
    .action(async (opts: { scheduler: boolean }) => {
      const { configFromEnv, workerFromCli } = await import('../http/server.ts');
      await workerFromCli({ ...configFromEnv(), scheduler: opts.scheduler }, (line) => io.out(`${line}\n`));
    });

  program
    .command('start')
    .description(
      "Open a client's offboarding by hand (as a PSA status change would), on the embedded database or PostgreSQL (DATABASE_URL). Audited as started from the CLI.",
    )
    .requiredOption('--client <id-or-name>', 'the client, by id or exact name')
    .requiredOption('--type <type>', 'provider-switch | business-closure | acquisition | msp-terminated | insourced')
    .requiredOption('--notice <date>', 'notice date, YYYY-MM-DD')
    .requiredOption('--end <date>', 'contract end date, YYYY-MM-DD')
    .option('--revocation <date>', 'access cut-over date (default: the end date)')
    .option('--new-provider <name>', 'the incoming provider')
    .option('--new-provider-contact <email>', "the incoming provider's contact")
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option('--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data')
    .addHelpText(
      'after',
      '\nExample:\n  offboard start --client "Harbor Dental Group" --type provider-switch --notice 2026-03-02 --end 2026-03-31 --new-provider "Northwind IT" --new-provider-contact transition@northwind.example',
    )
    .action(
      async (opts: {
        client: string;
        type: string;
        notice: string;
        end: string;
        revocation?: string;
        newProvider?: string;
        newProviderContact?: string;
        tenant?: string;
        dataDir: string;
      }) => {
        const { withApp } = await import('../app/open-app.ts');
        const { findClient } = await import('../app/clients/find-client.ts');
        const { parseInput } = await import('../app/context.ts');
        const { StartOffboardingInput, startOffboarding } = await import('../app/offboardings/start-offboarding.ts');
        if (opts.newProvider && !opts.newProviderContact)
          throw new InputError('invalid offboarding', [{ path: 'new-provider-contact', message: 'is required with --new-provider' }]);
        const input = {
          type: opts.type as StartOffboardingType,
          noticeDate: opts.notice,
          endDate: opts.end,
          ...(opts.revocation ? { revocationDate: opts.revocation } : {}),
          ...(opts.newProvider && opts.newProviderContact
            ? { newProvider: { name: opts.newProvider, contact: opts.newProviderContact } }
            : {}),
        };
        // Bad input is named before the database is opened.
        parseInput(StartOffboardingInput.omit({ clientId: true }), input, 'offboarding');
        await withApp(
          opts.dataDir,
          async (app) => {
            const target = await findClient(app, opts);
            const started = await startOffboarding(
              app,
              { tenantId: target.tenantId, kind: 'system', id: 'cli', role: 'admin' },
              { clientId: target.clientId, ...input },
              { source: 'cli' },
            );
            io.out(`started the offboarding of ${target.name}: ${started.id}\n`);
            for (const w of started.warnings) io.out(`  warning ${w.code}: ${w.message}\n`);
          },
          { secrets: false },
        );
      },
    );

  program
    .command('migrate')
    .description('Apply database migrations (also done at every start).')
    .option('--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data')
    .action(async (opts: { dataDir: string }) => {
      const { withApp } = await import('../app/open-app.ts');
      const kind = await withApp(opts.dataDir, (app) => Promise.resolve(app.database.kind), { secrets: false });
      io.out(`migrated (${kind})\n`);
    });

  addLogCommands(program, io, collect);
  addDocumentationCommands(program, io, collect);
  addCredentialCommands(program, io, collect);
  addPackageCommands(program, io);

  return program;
}

/** Runs the CLI and returns its exit code; never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof ExitWith) return error.code;
    if (error instanceof DomainError) {
      io.err(
        `offboard: ${error.message}\n${formatIssues(error.details)
          .map((l) => `  ${l}\n`)
          .join('')}`,
      );
      return EXIT.badInput;
    }
    io.err(`offboard: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.internal;
  }
}

/** Runs the CLI for this process: arguments from argv, output to stdout and stderr. */
export async function main(): Promise<void> {
  process.exitCode = await run(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}

// import.meta.main is missing before Node 22.18 / 24.2; there, compare paths.
const isMain =
  (import.meta as { main?: boolean }).main ??
  (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url));
if (isMain) await main();
