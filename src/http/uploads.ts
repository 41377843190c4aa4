/**
 * Evidence uploads, streamed: the multipart body is parsed as it arrives (busboy), the file part
 * goes to a temporary file on disk while its SHA-256 and size are measured, and a file over the
 * maximum is refused with 413 as soon as it passes it. Nothing holds the whole file in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { EvidenceContent } from '../app/tasks/attach-evidence.ts';
import { InputError } from '../domain/errors.ts';
import { malformedText } from './guards.ts';

/** Where uploads wait while they are stored: one folder per process. */
export const UPLOAD_DIR = join(tmpdir(), `offboard-uploads-${process.pid}`);

export type ReceivedFile = { filename: string; mediaType: string; content: EvidenceContent; discard: () => Promise<void> };

/** Receives the multipart field `file` of the request; the caller stores it, then calls `discard`. */
export async function receiveFile(c: Context, maxBytes: number): Promise<ReceivedFile> {
  const type = c.req.header('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type))
    throw new InputError('invalid evidence', [
      { path: 'Content-Type', message: 'must be multipart/form-data with the file in the field "file"' },
    ]);
  const body = c.req.raw.body;
  if (!body)
    throw new InputError('invalid evidence', [{ path: 'file', message: 'is required: send the file as multipart/form-data field "file"' }]);
  await mkdir(UPLOAD_DIR, { recursive: true, mode: 0o700 });
  const path = join(UPLOAD_DIR, randomBytes(12).toString('hex'));
  const discard = () => rm(path, { force: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': type },
      limits: { files: 1, fileSize: maxBytes, fields: 20, parts: 25, fieldSize: 64 * 1024 },
    });
  } catch (e) {
    throw new InputError('invalid evidence', [{ path: 'Content-Type', message: (e as Error).message }]);
  }
  let received: (Omit<ReceivedFile, 'discard' | 'content'> & { size: number; sha256: string }) | undefined;
  let tooLarge = false;
  const files: Promise<void>[] = [];
  parser.on('file', (field, stream, info) => {
    if (field !== 'file' || received) {
      stream.resume();
      return;
    }
    const digest = createHash('sha256');
    let size = 0;
    stream.on('limit', () => {
      tooLarge = true;
    });
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        digest.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    received = { filename: info.filename || 'file', mediaType: info.mimeType || 'application/octet-stream', size: 0, sha256: '' };
    const entry = received;
    files.push(
      pipeline(stream, measure, createWriteStream(path, { mode: 0o600 })).then(() => {
        entry.size = size;
        entry.sha256 = digest.digest('hex');
      }),
    );
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), parser);
    await Promise.all(files);
  } catch (error) {
    await discard();
    // The body limit's own error passes through: it answers 413.
    if (error instanceof HTTPException || (error as Error).name === 'BodyLimitError') throw error;
    throw new InputError('invalid evidence', [
      { path: 'body', message: `is not readable multipart/form-data: ${(error as Error).message}` },
    ]);
  }
  if (tooLarge) {
    await discard();
    throw new HTTPException(413, { message: `the file is larger than ${maxBytes} bytes` });
  }
  if (!received)
    throw new InputError('invalid evidence', [{ path: 'file', message: 'is required: send the file as multipart/form-data field "file"' }]);
  const bad = malformedText(received.filename) ?? malformedText(received.mediaType);
  if (bad) {
    await discard();
    throw new InputError('invalid evidence', [{ path: 'file', message: `its name or type ${bad.replace(/^must/, 'must')}` }]);
  }
  const { size, sha256 } = received;
  return {
    filename: received.filename,
    mediaType: received.mediaType,
    content: { size, sha256, pieces: () => createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array> },
    discard,
  };
}
