/**
 * `offboard documentation import`: a client's documentation from IT Glue, Hudu, ITFlow, or a
 * CSV or XLSX file, run here with a progress line on a terminal. Exit codes as the other
 * commands: 0 imported, 1 bad input or an import the platform refused (the message names the
 * field), 3 internal error.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../domain/errors.ts';
import type { Actor, App } from '../app/context.ts';
import { ExitWith } from './log-commands.ts';

type Io = { out: (text: string) => void; err: (text: string) => void };

const SOURCES = ['itglue', 'hudu', 'itflow', 'csv', 'xlsx'] as const;

export function addDocumentationCommands(program: Command, io: Io, collect: (value: string, previous: string[]) => string[]): void {
  const documentation = program.command('documentation').description("Work with a client's documentation.");
  documentation
    .command('import')
    .description("Import a client's documentation (items keep the platform's id: importing again updates, never duplicates)")
    .requiredOption('--client <id-or-name>', 'the client, by id or exact name')
    .requiredOption('--from <source>', SOURCES.join(' | '))
    .option('--url <url>', "the platform's API address (else the saved connection)")
    .option('--key <key>', 'the API key (or OFFBOARD_IMPORT_KEY)')
    .option('--organization <id>', "the platform's id of the client (else found by name or PSA id)")
    .option('--file <file>', 'a CSV or XLSX file')
    .option(
      '--section <section>',
      'what the rows of a file are (devices, networks, domains, vendors, licenses, applications, runbooks)',
      'devices',
    )
    .option('--map <field=Column>', 'a file column for a field (name, id, owner, password, or a section field); repeatable', collect, [])
    .option('--dry-run', 'say what would be created, updated and skipped; change nothing')
    .option('--json', 'print the import record as JSON')
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option('--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data')
    .addHelpText(
      'after',
      '\nExamples:\n  offboard documentation import --client "Harbor Dental Group" --from itglue --url https://api.itglue.com --key $KEY --dry-run\n  offboard documentation import --client "Harbor Dental Group" --from csv --file devices.csv --map name="Device Name" --map serial="Serial #"',
    )
    .action(
      async (opts: {
        client: string;
        from: string;
        url?: string;
        key?: string;
        organization?: string;
        file?: string;
        section: string;
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
        const { startDocumentationImport } = await import('../app/documentation/start-import.ts');
        const { uploadImportFile } = await import('../app/documentation/upload-import-file.ts');
        const failed = await withApp(opts.dataDir, async (app) => {
          const target = await findClient(app, opts);
          const actor = { tenantId: target.tenantId, kind: 'system' as const, id: 'cli', role: 'admin' as const };
          let fileInput = {};
          if (sheet && bytes) {
            const section = opts.section as 'devices';
            const uploaded = await uploadImportFile(app, actor, target.clientId, { kind: opts.from as 'csv', section }, bytes);
            const { id, name, owner, password, username, url, ...fields } = map;
            const mapping = {
              ...uploaded.suggested,
              ...Object.fromEntries(Object.entries({ id, name, owner, password, username, url }).filter(([, v]) => v !== undefined)),
              fields: { ...uploaded.suggested.fields, ...fields },
            };
            fileInput = { file: uploaded.file, section, mapping };
          }
          const started = await startDocumentationImport(app, actor, target.clientId, {
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
            const verb = done.dryRun ? 'would create' : 'created';
            io.out(
              `${done.status === 'done' ? (done.dryRun ? 'dry run of' : 'imported') : 'import failed:'} ${target.name} from ${done.source}: ${verb} ${s.created ?? 0}, updated ${s.updated ?? 0}, unchanged ${s.unchanged ?? 0}, skipped ${s.skipped ?? 0}, problems ${s.problems ?? 0}, passwords set aside for the vault ${s.passwordsSetAside ?? 0}\n`,
            );
            for (const p of done.problems.slice(0, 50)) io.out(`  ${p.row}: ${p.field}: ${p.reason}\n`);
            if (done.error) io.err(`offboard: ${done.error}\n`);
          }
          return done.status === 'failed';
        });
        if (failed) throw new ExitWith(1);
      },
    );
}

/** `--map field=Column` options as a record. */
export function mapOf(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((m, i) => {
      const at = m.indexOf('=');
      if (at < 1) throw new InputError('invalid import', [{ path: `map[${i}]`, message: 'must be field=Column' }]);
      return [m.slice(0, at), m.slice(at + 1)];
    }),
  );
}

/** Runs a queued import in this process, with a progress line on a terminal; answers its record. */
export async function runHere(app: App, actor: Actor, importId: string, json: boolean) {
  const { runDocumentationImport } = await import('../app/documentation/run-import.ts');
  const { getDocumentationImport } = await import('../app/documentation/get-import.ts');
  const tty = process.stderr.isTTY && !json;
  await runDocumentationImport(app, actor.tenantId, importId, (p) => {
    if (tty) process.stderr.write(`\r${p.stage}: ${p.done}${p.total ? ` of ${p.total}` : ''} rows`.padEnd(60));
  });
  if (tty) process.stderr.write('\n');
  return getDocumentationImport(app, actor, importId);
}

export function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}`, [
      { path: 'file', message: `${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}` },
    ]);
  }
}

/**
 * `offboard package build`: a new version of an offboarding's documentation package, written to a
 * file as it is read from the database (never whole in memory). Writing it counts as a download
 * and is recorded as one, by the command line.
 */
export function addPackageCommands(program: Command, io: Io): void {
  const pkg = program.command('package').description("An offboarding's documentation package.");
  pkg
    .command('build')
    .description(
      'Build a new version of the documentation package for an audience and write the zip (for the new provider, the client’s copy is built too)',
    )
    .requiredOption('--offboarding <id>', 'the offboarding')
    .requiredOption('--audience <audience>', 'client | new-provider')
    .requiredOption('--out <file>', 'where to write the zip')
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option('--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data')
    .action(async (opts: { offboarding: string; audience: string; out: string; tenant?: string; dataDir: string }) => {
      const { withApp, tenantOfOffboarding } = await import('../app/open-app.ts');
      const { buildPackage } = await import('../app/documentation/build-package.ts');
      const { downloadPackage } = await import('../app/documentation/download-package.ts');
      const { createWriteStream } = await import('node:fs');
      const { pipeline } = await import('node:stream/promises');
      const { Readable } = await import('node:stream');
      await withApp(opts.dataDir, async (app) => {
        const tenantId = await tenantOfOffboarding(app, opts.offboarding, opts.tenant);
        const actor = { tenantId, kind: 'system' as const, id: 'cli', role: 'admin' as const };
        const built = await buildPackage(app, actor, opts.offboarding, { audience: opts.audience });
        for (const p of built)
          io.out(
            `built the ${p.audience} package v${p.version}: ${p.entries.length} files, ${p.size} bytes; zip SHA-256 ${p.sha256}, manifest SHA-256 ${p.manifestSha256}\n`,
          );
        const wanted = built[0];
        if (!wanted) return;
        const file = await downloadPackage(app, actor, wanted.id, { ip: 'command line', userAgent: 'offboard package build' });
        await pipeline(Readable.from(file.pieces), createWriteStream(opts.out));
        io.out(`wrote ${opts.out}\n`);
      });
    });
}
