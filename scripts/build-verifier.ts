/**
 * Builds the verifiers a client runs without this repository (into dist/verify, served by the
 * server at /verify/): offboard-verify.mjs, one file for Node.js 18 or later with nothing else
 * to install, and index.html, the verify page with its script inlined (usable saved to disk).
 * Both are bundled by esbuild from the same code as `offboard verify`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const out = join(root, 'dist/verify');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(root, 'src/verify/node.ts')],
  outfile: join(out, 'offboard-verify.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  banner: { js: '#!/usr/bin/env node\n// offboard evidence bundle verifier: node offboard-verify.mjs --help' },
  legalComments: 'eof',
  logLevel: 'warning',
});

const page = await build({
  entryPoints: [join(root, 'web/src/verify/main.ts')],
  bundle: true,
  platform: 'browser',
  target: ['chrome120', 'firefox128', 'safari17'],
  format: 'iife',
  minify: true,
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
});
const script = (page.outputFiles[0]?.text ?? '').replace(/<\/script/gi, '<\\/script');
const html = readFileSync(join(root, 'web/src/verify/page.html'), 'utf8').replace('/*VERIFIER*/', () => script);
writeFileSync(join(out, 'index.html'), html);
process.stderr.write('verifiers built (dist/verify: offboard-verify.mjs, index.html)\n');
