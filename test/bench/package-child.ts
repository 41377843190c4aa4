/**
 * The package bench's measured process: builds the package for the client (reading every file once
 * to measure the zip) and downloads it to a file (reading every file again), then prints its own
 * figures, peak RSS included, as one JSON line.
 * Usage: node test/bench/package-child.ts <database url> <tenant id> <offboarding id> <out file>
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { buildPackage } from '../../src/app/documentation/build-package.ts';
import { downloadPackage } from '../../src/app/documentation/download-package.ts';
import { secretBoxFromKey } from '../../src/app/secrets.ts';
import { openDatabase } from '../../src/storage/db.ts';

const [url, tenantId, offboardingId, out] = process.argv.slice(2) as [string, string, string, string];
const database = await openDatabase({ url });
const app = { database, clock: () => new Date(), secrets: secretBoxFromKey(randomBytes(32)) };
const actor = { tenantId, kind: 'system' as const, id: 'bench', role: 'admin' as const };
const buildStart = performance.now();
const [built] = await buildPackage(app, actor, offboardingId, { audience: 'client' });
const buildSeconds = (performance.now() - buildStart) / 1000;
if (!built) throw new Error('nothing was built');
const downloadStart = performance.now();
const file = await downloadPackage(app, actor, built.id, { ip: '127.0.0.1', userAgent: 'bench' });
await pipeline(Readable.from(file.pieces), createWriteStream(out));
const downloadSeconds = (performance.now() - downloadStart) / 1000;
await database.close();
console.log(
  JSON.stringify({
    buildSeconds,
    downloadSeconds,
    maxRssKiB: process.resourceUsage().maxRSS,
    files: built.entries.length,
    sha256: built.sha256,
  }),
);
