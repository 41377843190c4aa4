/**
 * A package's zip, written as it is read: each entry's bytes come from its blob piece by piece and
 * leave as zip bytes before the next piece is read, so neither building nor downloading a package
 * ever holds it whole. The bytes are a function of the entries and the build date alone (files
 * stored, not compressed: they are mostly PDFs, images and archives already), so the digest
 * measured at build time is the digest of every later download.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Zip, ZipPassThrough } from 'fflate';
import { ConflictError } from '../../domain/errors.ts';
import { ZIP32_LIMIT, zipSize } from '../../domain/documentation-package.ts';
import type { PackageEntry } from '../../storage/schema.ts';

/** Reads the stored files' bytes in order, each piece with the index of its file (storage's blobsInOrder). */
export type ReadBlobs = (files: readonly { sha256: string; size: number }[]) => AsyncIterable<{ file: number; bytes: Uint8Array }>;

/** A stored (not compressed) entry whose CRC-32 is Node's zlib's (native, ten times fflate's JavaScript one). */
class StoredEntry extends ZipPassThrough {
  private sum = 0;
  override push(chunk: Uint8Array<ArrayBuffer>, final = false): void {
    this.sum = crc32(chunk, this.sum);
    this.size += chunk.length;
    if (final) this.crc = this.sum;
    this.process(chunk, final);
  }
}

/**
 * The timestamp every entry carries. fflate writes it in the process's local time, so it is built
 * from the build date's calendar fields at noon (noon exists on every day in every zone).
 */
function entryTime(builtAt: string): Date {
  const [y, m, d] = builtAt.slice(0, 10).split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12, 0, 0);
}

/** Refuses a package a plain zip cannot hold, before anything is written. */
export function assertZipFits(entries: readonly Pick<PackageEntry, 'path' | 'size'>[]): number {
  const size = zipSize(entries);
  if (size > ZIP32_LIMIT)
    throw new ConflictError(
      `the package would be ${(size / 2 ** 30).toFixed(2)} GiB; a zip holds at most 4 GiB: mark some files MSP-internal or split them out`,
      [{ path: 'documentation', message: 'is too large for one package (4 GiB at most)' }],
    );
  return size;
}

export async function* packageZip(entries: readonly PackageEntry[], builtAt: string, read: ReadBlobs): AsyncIterable<Uint8Array> {
  assertZipFits(entries);
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  const mtime = entryTime(builtAt);
  function* drain(): Iterable<Uint8Array> {
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift() as Uint8Array;
  }
  let current = -1;
  let file: StoredEntry | undefined;
  let seen = 0;
  const finish = () => {
    const entry = entries[current];
    if (!file || !entry) return;
    if (seen !== entry.size) throw new Error(`${entry.path}: stored file ${entry.sha256} has ${seen} bytes, not ${entry.size}`);
    file.push(new Uint8Array(0), true);
  };
  /** Starts the entries up to `index` (those between it and the last started are empty). */
  const startUpTo = (index: number) => {
    while (current < index) {
      finish();
      current++;
      const entry = entries[current] as PackageEntry;
      file = new StoredEntry(entry.path);
      file.mtime = mtime;
      zip.add(file);
      seen = 0;
    }
  };
  for await (const piece of read(entries)) {
    startUpTo(piece.file);
    seen += piece.bytes.length;
    (file as StoredEntry).push(piece.bytes as Uint8Array<ArrayBuffer>, false);
    yield* drain();
  }
  startUpTo(entries.length - 1);
  finish();
  yield* drain();
  zip.end();
  yield* drain();
}

/** Reads a package's zip through once: its SHA-256 and size, as a download will see them. */
export async function measureZip(zip: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of zip) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
