/**
 * Builds the web app (web/ -> web/dist) and the client's verifiers (dist/verify) when they are
 * missing or older than their sources: run before `npm start` and the browser tests, so a fresh
 * clone needs nothing by hand.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const built = join(root, 'web/dist/index.html');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = Math.max(newest(join(root, 'web/src')), newest(join(root, 'web/index.html')), newest(join(root, 'vite.config.ts')));
if (!existsSync(built) || statSync(built).mtimeMs < sources || process.argv.includes('--force')) {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), root: join(root, 'web'), logLevel: 'warn' });
  process.stderr.write('web app built (web/dist)\n');
}

// The client's verifiers (dist/verify), from the domain code they share with `offboard verify`.
const verifier = join(root, 'dist/verify/index.html');
const verifierSources = Math.max(
  newest(join(root, 'src/domain')),
  newest(join(root, 'src/verify')),
  newest(join(root, 'web/src/verify')),
  newest(join(root, 'src/crypto')),
);
if (!existsSync(verifier) || statSync(verifier).mtimeMs < verifierSources || process.argv.includes('--force')) {
  await import('./build-verifier.ts');
}
