/**
 * The Node flags the server runs with: those `npm start` gives (package.json), so that the bench
 * measures the process a user runs. `--max-semi-space-size=2` keeps V8's young generation small:
 * garbage and the buffers it holds are collected sooner, which bounds a package download's memory.
 */
import { readFileSync } from 'node:fs';

const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts
  .start;

export const SERVER_FLAGS: string[] = start.split(/\s+/).filter((word) => word.startsWith('--'));
