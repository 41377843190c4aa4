/**
 * `offboard credentials import | list` and `offboard secret-key rotate`. A listing never prints a
 * secret: the command line has no reveal (a reveal is a person's audited act in the app). Exit
 * codes as the other commands: 0 done, 1 bad input or an import the platform refused, 3 internal.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../domain/errors.ts';
import { mapOf, readFile, runHere } from './documentation-commands.ts';
import { ExitWith } from './log-commands.ts';

type Io = { out: (text: string) => void; err: (text: string) => void };

const SOURCES = ['itglue', 'hudu', 'itflow', 'csv', 'xlsx'] as const;
const cliActor = (tenantId: string) => ({ tenantId, kind: 'system' as const, id: 'cli', role: 'admin' as const });
const dataDirOption = ['--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data'] as const;

export function addCredentialCommands(program: Command, io: Io, collect: (value: string, previous: string[]) => string[]): void {
  const credentials = program.command('credentials').description("Work with a client's credential vault.");
  credentials
    .command('import')
    .description("Import a client's passwords into the vault (they keep the platform's id: importing again updates, never duplicates)")
    .requiredOption('--client <id-or-name>', 'the client, by id or exact name')
    .requiredOption('--from <source>', SOURCES.join(' | '))
    .option('--url <url>', "the platform's API address (else the saved connection)")
    .option('--key <key>', 'the API key (or OFFBOARD_IMPORT_KEY)')
    .option('--organization <id>', "the platform's id of the client (else found by name or PSA id)")
    .option('--file <file>', 'a CSV or XLSX file')
    .option(
      '--map <field=Column>',
      'a file column for name, id, username, password, url, otpSecret, notes, kind or owner; repeatable',
      collect,
      [],
    )
    .option('--dry-run', 'say what would be created, updated and skipped; change nothing')
    .option('--json', 'print the import record as JSON')
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option(...dataDirOption)
    .addHelpText(
      'after',
      '\nExamples:\n  offboard credentials import --client "Harbor Dental Group" --from hudu --url https://hudu.example/api/v1 --key $KEY --dry-run\n  offboard credentials import --client "Harbor Dental Group" --from csv --file passwords.csv --map password="Secret"',
    )
    .action(
      async (opts: {
        client: string;
        from: string;
        url?: string;
        key?: string;
        organization?: string;
        file?: string;
        map: string[];
        dryRun?: boolean;
        json?: boolean;
        tenant?: string;
        dataDir: string;
      }) => {
        if (!(SOURCES as readonly string[]).includes(opts.from))
          throw new InputError('invalid import', [{ path: 'from', message: `must be one of ${SOURCES.join(', ')}` }]);
        const sheet = opts.from === 'csv' || opts.from === 'xlsx';
        if (sheet && !opts.file)
          throw new InputError('invalid import', [{ path: 'file', message: `is required with --from ${opts.from}` }]);
        const map = mapOf(opts.map);
        const bytes = opts.file ? readFile(opts.file) : undefined;
        const key = opts.key ?? process.env.OFFBOARD_IMPORT_KEY;
        const { withApp } = await import('../app/open-app.ts');
        const { findClient } = await import('../app/clients/find-client.ts');
        const { startCredentialImport } = await import('../app/documentation/start-import.ts');
        const { uploadImportFile } = await import('../app/documentation/upload-import-file.ts');
        const failed = await withApp(opts.dataDir, async (app) => {
          const target = await findClient(app, opts);
          const actor = cliActor(target.tenantId);
          let fileInput = {};
          if (sheet && bytes) {
            const uploaded = await uploadImportFile(
              app,
              actor,
              target.clientId,
              { kind: opts.from as 'csv', section: 'credentials' },
              bytes,
            );
            fileInput = { file: uploaded.file, mapping: { ...uploaded.suggested, fields: {}, ...map } };
          }
          const started = await startCredentialImport(app, actor, target.clientId, {
            source: opts.from as 'itglue',
            dryRun: opts.dryRun === true,
            ...(opts.url ? { url: opts.url } : {}),
            ...(key && !sheet ? { key } : {}),
            ...(opts.organization ? { organization: opts.organization } : {}),
            ...fileInput,
          });
          const done = await runHere(app, actor, started.id, opts.json === true);
          if (opts.json) io.out(`${JSON.stringify(done, null, 2)}\n`);
          else {
            const s = done.summary ?? {};
            const verb = done.dryRun ? 'would add' : 'added';
            io.out(
              `${done.status === 'done' ? (done.dryRun ? 'dry run of' : 'imported') : 'import failed:'} the credentials of ${target.name} from ${done.source}: ${verb} ${s.created ?? 0}, updated ${s.updated ?? 0}, unchanged ${s.unchanged ?? 0}, skipped ${s.skipped ?? 0}, problems ${s.problems ?? 0}\n`,
            );
            for (const p of done.problems.slice(0, 50)) io.out(`  ${p.row}: ${p.field}: ${p.reason}\n`);
            if (done.error) io.err(`offboard: ${done.error}\n`);
          }
          return done.status === 'failed';
        });
        if (failed) throw new ExitWith(1);
      },
    );

  credentials
    .command('list')
    .description("A client's credentials: what each is and what happens to it. Never a secret.")
    .requiredOption('--client <id-or-name>', 'the client, by id or exact name')
    .option('--json', 'print them as JSON')
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option(...dataDirOption)
    .action(async (opts: { client: string; json?: boolean; tenant?: string; dataDir: string }) => {
      const { withApp } = await import('../app/open-app.ts');
      const { findClient } = await import('../app/clients/find-client.ts');
      const { listCredentials } = await import('../app/credentials/list-credentials.ts');
      await withApp(opts.dataDir, async (app) => {
        const target = await findClient(app, opts);
        const actor = cliActor(target.tenantId);
        const items = [];
        let page = await listCredentials(app, actor, target.clientId, { limit: 500 });
        items.push(...page.items);
        while (page.next) {
          page = await listCredentials(app, actor, target.clientId, { limit: 500, cursor: page.next });
          items.push(...page.items);
        }
        if (opts.json) {
          io.out(`${JSON.stringify({ items, inventory: page.inventory }, null, 2)}\n`);
          return;
        }
        const { credentials: n, gap } = page.inventory;
        io.out(`${target.name}: ${n} credential${n === 1 ? '' : 's'}${gap ? `; ${gap}` : '; every one has a disposition'}\n`);
        for (const c of items)
          io.out(
            `  ${c.name}${c.username ? ` (${c.username})` : ''} [${c.kind}${c.owner ? `, ${c.owner}'s` : ''}]: ${c.dispositionInWords ?? 'no disposition yet'}${c.rotatedAt ? `; changed before the hand-over on ${c.rotatedAt.slice(0, 10)}` : ''}\n`,
          );
      });
    });

  program
    .command('secret-key')
    .description("The server's secret key, which seals every client's data key and the other secrets at rest.")
    .command('rotate')
    .description(
      "Make a new key current (the old ones stay in the key file, below it, to open what they sealed) and re-wrap every client's data key with it; secrets are not touched",
    )
    .option(...dataDirOption)
    .action(async (opts: { dataDir: string }) => {
      // A key given in the environment is rotated where it is set (the old one into OFFBOARD_PREVIOUS_SECRET_KEYS): then this only re-wraps.
      if (process.env.OFFBOARD_SECRET_KEY) {
        io.out('OFFBOARD_SECRET_KEY is set: its key is the current one, the key file is left alone\n');
        await rewrap(opts.dataDir, io);
        return;
      }
      const { addKeyToFile } = await import('../app/secrets.ts');
      const keyId = addKeyToFile(join(opts.dataDir, 'secret.key'));
      io.out(`the current key is now ${keyId}\n`);
      await rewrap(opts.dataDir, io);
    });
}

async function rewrap(dataDir: string, io: Io): Promise<void> {
  const { withApp } = await import('../app/open-app.ts');
  const { rewrapDataKeys } = await import('../app/credentials/rewrap-data-keys.ts');
  await withApp(dataDir, async (app) => {
    const { rewrapped, keyId } = await rewrapDataKeys(app);
    io.out(`re-wrapped ${rewrapped} client data key${rewrapped === 1 ? '' : 's'} with ${keyId}\n`);
  });
}
