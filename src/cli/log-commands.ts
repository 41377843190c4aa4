/**
 * `offboard verify`, `offboard evidence export` and `offboard log check`: the transparency log
 * from the command line. `verify` is fully offline: it reads the bundle, the keys and an optional
 * checkpoint, and nothing else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ed25519, sha256 } from '../crypto/node.ts';
import { type VerifyRun, malformedRun, runVerify } from '../domain/bundle-verifier.ts';
import { parseVerifierKey } from '../domain/signed-note.ts';

class UnreadableFile extends Error {}

/** The app (database, server code) loads only for the commands that use it: `--help` and `verify` stay quick. */
const openApp = () => import('../app/open-app.ts');

type Io = { out: (text: string) => void; err: (text: string) => void };

/** Ends the command with this exit code, after its output is written. */
export class ExitWith extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

export { readBundle } from '../domain/bundle-verifier.ts';

export function addLogCommands(program: Command, io: Io, collect: (value: string, previous: string[]) => string[]): void {
  const dataDirOption = ['--data-dir <dir>', 'PGlite data folder (OFFBOARD_DATA_DIR)', process.env.OFFBOARD_DATA_DIR ?? './data'] as const;

  program
    .command('verify')
    .description(
      'Verify an evidence bundle offline: signatures, inclusion and consistency proofs, the event chain, artifact digests. Exit 0 valid, 1 invalid, 2 malformed input.',
    )
    .argument('<bundle>', 'the evidence bundle (.zip)')
    .requiredOption('--key <vkey>', "the MSP's verifier key (name+keyid+key); repeat for rotated keys", collect, [])
    .option(
      '--known-checkpoint <file>',
      'a signed checkpoint you already hold (e.g. from the closing email); the bundle must agree with it',
    )
    .option(
      '--witness <vkey>',
      "a witness's verifier key: the bundle's final checkpoint must carry its cosignature (repeatable)",
      collect,
      [],
    )
    .option('--json', 'print the verdict as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  offboard verify evidence.zip --key "offboard/3f2a...+1a2b3c4d+AQ..." --known-checkpoint closing.checkpoint',
    )
    .action((path: string, opts: { key: string[]; knownCheckpoint?: string; witness: string[]; json?: boolean }) => {
      const read = (file: string, encoding?: 'utf8') => {
        try {
          return encoding ? readFileSync(file, encoding) : new Uint8Array(readFileSync(file));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new UnreadableFile(
            `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`,
          );
        }
      };
      let run: VerifyRun;
      try {
        run = runVerify(
          {
            bundle: read(path) as Uint8Array,
            keys: opts.key,
            witnesses: opts.witness,
            knownCheckpoint: opts.knownCheckpoint === undefined ? undefined : (read(opts.knownCheckpoint, 'utf8') as string),
            json: opts.json,
          },
          { sha256, ed25519 },
        );
      } catch (e) {
        if (!(e instanceof UnreadableFile)) throw e;
        run = malformedRun(e.message, opts.json);
      }
      if (run.out) io.out(run.out);
      if (run.err) io.err(run.err);
      if (run.exitCode !== 0) throw new ExitWith(run.exitCode);
    });

  program
    .command('evidence')
    .description('Evidence bundles.')
    .command('export')
    .description(
      "Export an offboarding's evidence bundle (zip): events, inclusion proofs, signed checkpoints, consistency proofs, artifact digests.",
    )
    .requiredOption('--offboarding <id>', 'the offboarding')
    .option('--out <file>', 'where to write the zip (default: a name from the client and checkpoint)')
    .option('--include-files', 'include the evidence files and signed statements, not only their digests')
    .option('--tenant <id>', 'the MSP, when the database holds several')
    .option(...dataDirOption)
    .action(async (opts: { offboarding: string; out?: string; includeFiles?: boolean; tenant?: string; dataDir: string }) => {
      const { withApp, tenantOfOffboarding } = await openApp();
      await withApp(opts.dataDir, async (app) => {
        const { exportEvidence } = await import('../app/log/export-evidence.ts');
        const tenantId = await tenantOfOffboarding(app, opts.offboarding, opts.tenant);
        const result = await exportEvidence(app, { tenantId, kind: 'system', id: 'cli', role: 'admin' }, opts.offboarding, {
          includeFiles: opts.includeFiles ?? false,
        });
        const out = opts.out ?? result.filename;
        writeFileSync(out, result.zip);
        io.out(
          `wrote ${out}: ${result.manifest.events} events, checkpoint ${result.manifest.checkpoints.at(-1)}, ${result.manifest.artifacts.length} artifacts; SHA-256 ${result.sha256}\n`,
        );
      });
    });

  program
    .command('witness')
    .description(
      'Run a witness: cosign the checkpoints of the logs you follow, only when each is consistent with the last one you cosigned (c2sp.org/tlog-cosignature). Give the MSP the verifier key it prints.',
    )
    .requiredOption(
      '--log <vkey>',
      "a log's verifier key to follow (from `offboard log status` or the MSP's emails); repeatable",
      collect,
      [],
    )
    .option('--name <name>', "this witness's key name (a URL-like name without scheme)", 'witness.offboard.example')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '3100')
    .option('--data-dir <dir>', 'where the witness keeps its key and what it cosigned', './witness-data')
    .action(async (opts: { log: string[]; name: string; host: string; port: string; dataDir: string }) => {
      const port = Number(opts.port);
      const { InputError } = await import('../domain/errors.ts');
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new InputError('invalid option', [{ path: '--port', message: 'must be a port number 0-65535' }]);
      for (const [i, k] of opts.log.entries()) {
        try {
          parseVerifierKey(sha256, k);
        } catch (e) {
          throw new InputError('invalid option', [{ path: `--log[${i}]`, message: (e as Error).message }]);
        }
      }
      const { startWitness } = await import('../witness/server.ts');
      const running = await startWitness({ dataDir: opts.dataDir, name: opts.name, logs: opts.log, host: opts.host, port });
      io.out(`offboard witness listening at ${running.url}\nwitness key: ${running.verifierKey}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  const log = program.command('log').description("The MSPs' transparency logs.");
  log
    .command('status')
    .description("Each MSP's log: size, root, last signed checkpoint, and the verifier keys to give `offboard verify`.")
    .option('--tenant <id>', 'only this MSP')
    .option(...dataDirOption)
    .action(async (opts: { tenant?: string; dataDir: string }) => {
      const { withApp, tenantIds } = await openApp();
      await withApp(opts.dataDir, async (app) => {
        const { logStatus } = await import('../app/log/transparency-log.ts');
        for (const id of await tenantIds(app, opts.tenant)) {
          const s = await logStatus(app, id);
          io.out(`${s.origin}: ${s.size} events, root ${s.root}\n`);
          io.out(
            s.lastCheckpoint
              ? `  last checkpoint: ${s.lastCheckpoint.size} events, signed ${s.lastCheckpoint.signedAt} (${s.lastCheckpoint.reason})\n`
              : '  no checkpoint signed yet\n',
          );
          for (const k of s.verifierKeys) io.out(`  verifier key${k.active ? '' : ' (retired)'}: ${k.verifierKey}\n`);
        }
      });
    });
  log
    .command('check')
    .description(
      'Recompute every root from the stored events and compare it with the stored tree, every signed checkpoint, and the last checkpoint this server signed (kept outside the database). Exit 0 consistent, 1 not.',
    )
    .option('--tenant <id>', 'only this MSP')
    .option(...dataDirOption)
    .action(async (opts: { tenant?: string; dataDir: string }) => {
      const { withApp, tenantIds } = await openApp();
      const bad = await withApp(opts.dataDir, async (app) => {
        const { checkLog, logOrigin } = await import('../app/log/transparency-log.ts');
        let problems = 0;
        for (const id of await tenantIds(app, opts.tenant)) {
          const check = await checkLog(app.database.db, id, { lastSigned: await app.signedCheckpoints?.last(logOrigin(id)) });
          io.out(
            `${id}: ${check.events} events, ${check.nodes} subtrees, ${check.checkpoints} checkpoints: ${check.problems.length === 0 ? 'consistent' : `${check.problems.length} problems`}\n`,
          );
          for (const p of check.problems.slice(0, 50)) io.out(`  ${p}\n`);
          problems += check.problems.length;
        }
        return problems;
      });
      if (bad > 0) throw new ExitWith(1);
    });
}
