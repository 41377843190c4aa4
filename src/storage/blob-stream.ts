/**
 * Many stored files' bytes in order, as fast as the database can send them. On PostgreSQL one
 * `COPY ... TO STDOUT (FORMAT binary)` streams every piece of every file, in order, with the
 * socket's back-pressure: bytes arrive as they are, not as bytea's text form, at several times
 * the rate of one query a piece. On PGlite (in this process) pieces are read a few at a time.
 *
 * The binary COPY format (PostgreSQL documentation, "COPY", "Binary Format"): an 11-byte
 * signature, a 32-bit flags field, a 32-bit header-extension length and the extension; then per
 * row a 16-bit field count and, per field, a 32-bit length and the bytes; a field count of -1 ends it.
 */
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from './db.ts';
import { blobsInOrder } from './repositories.ts';

export type StoredFileRef = { sha256: string; size: number };
export type FilePiece = { file: number; bytes: Uint8Array };

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * The bytes of the binary COPY stream's rows (one bytea field each), passed on in the pieces they
 * arrive in: a row is never joined into one buffer, so memory holds only the socket's reads.
 */
async function* copyRows(stream: AsyncIterable<Buffer>): AsyncIterable<Uint8Array> {
  let parts: Buffer[] = [];
  let available = 0;
  /** The next n bytes of a header or row prefix (a few bytes: joining them costs nothing). */
  const take = (n: number): Buffer => {
    let head = parts[0] as Buffer;
    if (head.length < n) {
      head = Buffer.concat(parts);
      parts = [head];
    }
    const out = head.subarray(0, n);
    if (head.length === n) parts.shift();
    else parts[0] = head.subarray(n);
    available -= n;
    return out;
  };
  // What comes next, and how many bytes it takes (for a row: how many are left to pass on).
  type Step = 'signature' | 'extension' | 'fields' | 'length' | 'row' | 'end';
  let step = 'signature' as Step;
  let need = 19;
  for await (const chunk of stream) {
    parts.push(chunk);
    available += chunk.length;
    for (;;) {
      if (step === 'row') {
        if (need === 0) [step, need] = ['fields', 2];
        else if (available === 0) break;
        else {
          const head = parts[0] as Buffer;
          const n = Math.min(need, head.length);
          yield new Uint8Array(head.buffer, head.byteOffset, n);
          if (n === head.length) parts.shift();
          else parts[0] = head.subarray(n);
          available -= n;
          need -= n;
          continue;
        }
      }
      if ((step as Step) === 'end' || available < need) break;
      const bytes = take(need);
      switch (step as Step) {
        case 'signature':
          if (!bytes.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
          [step, need] = ['extension', bytes.readUInt32BE(15)];
          break;
        case 'extension':
          [step, need] = ['fields', 2];
          break;
        case 'fields': {
          const fields = bytes.readInt16BE(0);
          if (fields === -1) [step, need] = ['end', 0];
          else if (fields !== 1) throw new Error(`a binary COPY row of ${fields} fields, not 1`);
          else [step, need] = ['length', 4];
          break;
        }
        case 'length': {
          const length = bytes.readInt32BE(0);
          if (length < 0) throw new Error('a stored piece is null');
          [step, need] = ['row', length];
          break;
        }
        case 'row':
        case 'end':
          break;
      }
    }
  }
  if (step !== 'end' || available > 0) throw new Error('the binary COPY stream ended early');
}

/** Puts each piece with the file it belongs to: pieces come in file order, each file's adding up to its size. */
async function* assign(files: readonly StoredFileRef[], pieces: AsyncIterable<Uint8Array>): AsyncIterable<FilePiece> {
  let file = 0;
  let seen = 0;
  const skipComplete = () => {
    while (file < files.length && seen === (files[file] as StoredFileRef).size) {
      file++;
      seen = 0;
    }
  };
  skipComplete();
  for await (const bytes of pieces) {
    if (file >= files.length) throw new Error('more stored bytes than the files hold');
    seen += bytes.length;
    const f = files[file] as StoredFileRef;
    if (seen > f.size) throw new Error(`file ${f.sha256} has more bytes stored than its size, ${f.size}`);
    yield { file, bytes };
    skipComplete();
  }
  if (file < files.length) throw new Error(`file ${(files[file] as StoredFileRef).sha256} is missing pieces`);
}

export async function* storedFilesInOrder(database: Database, tenantId: string, files: readonly StoredFileRef[]): AsyncIterable<FilePiece> {
  const pool = database.pool;
  // Files stored before uploads were streamed have no pieces in blob_chunks: those go the slow way.
  const legacy =
    pool && files.length > 0
      ? await database.query<{ n: number }>(
          'select count(*)::int as n from blobs where tenant_id = $1 and sha256 = any($2) and content is not null',
          [tenantId, files.map((f) => f.sha256)],
        )
      : [{ n: 1 }];
  if (!pool || (legacy[0]?.n ?? 0) > 0) {
    yield* blobsInOrder(database.db, tenantId, files);
    return;
  }
  for (const f of files) if (!/^[0-9a-f]{64}$/.test(f.sha256)) throw new Error(`not a stored file's digest: ${f.sha256}`);
  // COPY takes no parameters: the digests are checked hex above, the tenant is quoted as a literal.
  const list = files.map((f) => `'${f.sha256}'`).join(',');
  const client = await pool.connect();
  const sql = `COPY (SELECT c.bytes FROM unnest(ARRAY[${list}]::text[]) WITH ORDINALITY AS f(sha256, i) JOIN blob_chunks c ON c.tenant_id = ${client.escapeLiteral(tenantId)} AND c.sha256 = f.sha256 ORDER BY f.i, c.n) TO STDOUT (FORMAT binary)`;
  let failed = false;
  try {
    const stream = client.query(copyTo(sql));
    try {
      yield* assign(files, copyRows(stream));
    } finally {
      // A reader that stops early (a download cut off) ends the COPY; the connection is then not reused.
      if (!stream.readableEnded) {
        failed = true;
        stream.destroy();
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}
