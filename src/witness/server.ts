/**
 * `offboard witness`: a small server anyone (the client, a peer MSP, an insurer) can run. It
 * follows the logs whose verifier keys it is given, and cosigns a checkpoint (c2sp.org/
 * tlog-cosignature, Ed25519) only if it is consistent with the last one it cosigned for that log.
 * What it cosigned is on disk (one file per log, written atomically and fsynced) before it
 * answers, so a restart or a crash never lets it cosign a fork.
 *
 *   POST /add-checkpoint   body: "old <size>\n" + consistency proof lines + "\n" + checkpoint
 *                          200: the cosignature line; 409: the size it holds (text/x.tlog.size);
 *                          422: not consistent (a fork); 403: not signed by a log it follows
 *   GET  /                 its verifier key and the logs it follows
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ed25519, generateSigningKey, privateKeyFromPkcs8, sha256 } from '../crypto/node.ts';
import { type WitnessedLog, cosign, decideAddCheckpoint, parseAddCheckpoint } from '../domain/cosignature.ts';
import { perKeyInOrder, writeFileDurably } from '../storage/durable-file.ts';
import {
  type VerifierKey,
  FormatError,
  KEY_TYPES,
  decodeBase64,
  encodeBase64,
  formatVerifierKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
} from '../domain/signed-note.ts';

export type WitnessConfig = { dataDir: string; name: string; logs: string[]; host: string; port: number; clock?: () => Date };

export type RunningWitness = { url: string; verifierKey: string; close: () => Promise<void> };

type KeyFile = { name: string; publicKey: string; privateKeyPkcs8: string };

/** The witness's own key: made on first start, kept in the data folder. */
async function loadKey(dataDir: string, name: string): Promise<KeyFile> {
  const file = join(dataDir, 'witness-key.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  const key = generateSigningKey();
  const made: KeyFile = { name, publicKey: encodeBase64(key.publicKey), privateKeyPkcs8: key.privateKeyPkcs8 };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(made), { mode: 0o600, flag: 'wx' });
  return made;
}

export async function startWitness(config: WitnessConfig): Promise<RunningWitness> {
  const key = await loadKey(config.dataDir, config.name);
  const publicKey = decodeBase64(key.publicKey, 'witness key');
  const verifierKey = formatVerifierKey(sha256, key.name, publicKey, KEY_TYPES.cosignature);
  const self = parseVerifierKey(sha256, verifierKey, KEY_TYPES.cosignature);
  const privateKey = privateKeyFromPkcs8(key.privateKeyPkcs8);
  const logKeys: VerifierKey[] = config.logs.map((vkey) => parseVerifierKey(sha256, vkey));
  const clock = config.clock ?? (() => new Date());
  const stateDir = join(config.dataDir, 'logs');
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const stateFile = (origin: string) => join(stateDir, `${createHash('sha256').update(origin).digest('hex').slice(0, 32)}.json`);
  const readState = async (origin: string): Promise<WitnessedLog | undefined> => {
    try {
      const s = JSON.parse(await readFile(stateFile(origin), 'utf8')) as { origin: string; size: number; root: string };
      return { origin: s.origin, size: s.size, root: decodeBase64(s.root, 'witness state') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
  // One request at a time per log, so two checkpoints of one log cannot both pass the check.
  const serially = perKeyInOrder();

  const http = new Hono();
  http.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('the request is too large\n', 413) }));
  http.get('/', (c) => c.json({ verifierKey, follows: config.logs }));
  http.post('/add-checkpoint', async (c) => {
    let request: ReturnType<typeof parseAddCheckpoint>;
    let origin: string;
    try {
      request = parseAddCheckpoint(await c.req.text());
      origin = parseCheckpoint(parseNote(request.checkpoint).text).origin;
    } catch (e) {
      return c.text(`${e instanceof FormatError ? e.message : 'malformed request'}\n`, 400);
    }
    return serially(origin, async () => {
      const known = await readState(origin);
      const decision = decideAddCheckpoint(sha256, ed25519, request, logKeys, known);
      if (!decision.ok) {
        if (decision.status === 409) return c.text(`${decision.size}\n`, 409, { 'content-type': 'text/x.tlog.size' });
        return c.text(`${decision.reason}\n`, decision.status);
      }
      if (!known || decision.next.size > known.size) {
        await writeFileDurably(
          stateFile(origin),
          JSON.stringify({ origin, size: decision.next.size, root: encodeBase64(decision.next.root) }),
        );
      }
      const timestamp = Math.floor(clock().getTime() / 1000);
      return c.text(`${cosign(ed25519, privateKey, self, decision.body, timestamp)}\n`, 200);
    });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: http.fetch, hostname: config.host, port: config.port }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}`,
    verifierKey,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
