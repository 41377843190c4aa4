/**
 * offboard-verify.mjs: the evidence bundle verifier as one file for a client's IT person, with
 * nothing to install but Node.js 18 or later. Built from the same code as `offboard verify`
 * (scripts/build-verifier.ts); same options, words and exit codes: 0 valid, 1 invalid, 2 malformed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ed25519, sha256 } from '../crypto/node.ts';
import { type VerifyRun, malformedRun, runVerify } from '../domain/bundle-verifier.ts';

const USAGE = `Usage: node offboard-verify.mjs BUNDLE.zip --key VERIFIER-KEY [--key ...] [--known-checkpoint FILE] [--witness WITNESS-KEY ...] [--json]

Verifies an offboard evidence bundle offline: the log's signatures, every inclusion and
consistency proof, the offboarding's chain of events and its signed head, artifact digests,
and, with --known-checkpoint, agreement with the checkpoint you received (the attachment of the
closing email, or its text pasted into a file). Exit 0 valid, 1 invalid, 2 malformed input.
`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        key: { type: 'string', multiple: true },
        witness: { type: 'string', multiple: true },
        'known-checkpoint': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.key?.length) {
    process.stderr.write(USAGE);
    return 2;
  }
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : 'cannot be read'}`, {
        cause: e,
      });
    }
  };
  let run: VerifyRun;
  try {
    const bundle = new Uint8Array(read(positionals[0] as string));
    const known = values['known-checkpoint'] === undefined ? undefined : read(values['known-checkpoint']).toString('utf8');
    run = runVerify(
      { bundle, keys: values.key, witnesses: values.witness ?? [], knownCheckpoint: known, json: values.json },
      { sha256, ed25519 },
    );
  } catch (e) {
    run = malformedRun((e as Error).message, values.json);
  }
  process.stdout.write(run.out);
  process.stderr.write(run.err);
  return run.exitCode;
}

process.exitCode = main(process.argv.slice(2));
