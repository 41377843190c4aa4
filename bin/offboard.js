#!/usr/bin/env node
// The CLI is TypeScript run by Node's type stripping (on by default from Node 22.18 and 24).
// On an older 22.x that has it behind a flag, run it again with the flag.
import { spawnSync } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// V8's compiled code for our modules, kept between runs (in the system's temporary folder):
// every later start of the CLI, the server or a worker skips recompiling them.
module.enableCompileCache?.();

const entry = new URL('../src/cli/main.ts', import.meta.url);

// Commands that open the database and end: V8 compiles the embedded database's WebAssembly a
// second time, optimized, in the background, and a process that ends waits two seconds for it.
// These run with the baseline compiler only (the server and the worker, which live long, do not).
const command = process.argv[2];
const shortLived = ['start', 'migrate', 'evidence', 'log'].includes(command ?? '') && !process.argv.includes('--help');
if (shortLived && !process.execArgv.includes('--liftoff-only')) {
  const args = ['--liftoff-only', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
} else if (process.features.typescript) {
  const { main } = await import(entry.href);
  await main();
} else {
  const args = ['--experimental-strip-types', '--no-warnings', fileURLToPath(entry), ...process.argv.slice(2)];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
