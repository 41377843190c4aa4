/**
 * The verify page: checks an evidence bundle entirely in the browser (nothing is uploaded),
 * with the same code and words as `offboard verify`. SHA-256 by a JavaScript hash (the verifier
 * needs it synchronously), Ed25519 signatures by WebCrypto.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { runVerifyWithAsyncSignatures } from '../../../src/domain/bundle-verifier.ts';
import type { Sha256 } from '../../../src/domain/merkle.ts';

const sha256: Sha256 = (...parts) => {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
};

async function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey('raw', publicKey as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature as BufferSource, message as BufferSource);
  } catch {
    return false;
  }
}

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

async function verify(): Promise<void> {
  const output = byId<HTMLPreElement>('output');
  const status = byId<HTMLParagraphElement>('status');
  const file = byId<HTMLInputElement>('bundle').files?.[0];
  if (!file) {
    status.textContent = 'Choose the evidence bundle (.zip) first.';
    return;
  }
  status.textContent = 'Verifying…';
  output.textContent = '';
  const knownFile = byId<HTMLInputElement>('known-file').files?.[0];
  const knownText = byId<HTMLTextAreaElement>('known').value;
  const known = knownFile ? await knownFile.text() : knownText.trim() ? knownText : undefined;
  const run = await runVerifyWithAsyncSignatures(
    {
      bundle: new Uint8Array(await file.arrayBuffer()),
      keys: lines(byId<HTMLTextAreaElement>('keys').value),
      witnesses: lines(byId<HTMLTextAreaElement>('witnesses').value),
      knownCheckpoint: known,
    },
    sha256,
    ed25519Verify,
  );
  output.textContent = run.out + run.err;
  const verdict = run.exitCode === 0 ? 'VALID' : run.exitCode === 1 ? 'INVALID' : 'MALFORMED';
  status.textContent = `${verdict} (the command line would exit ${run.exitCode})`;
  document.body.dataset.verdict = verdict.toLowerCase();
  document.body.dataset.exit = String(run.exitCode);
}

byId<HTMLFormElement>('verify').addEventListener('submit', (e) => {
  e.preventDefault();
  verify().catch((error: unknown) => {
    byId<HTMLParagraphElement>('status').textContent = `Could not verify: ${String(error)}`;
  });
});
const drop = byId<HTMLElement>('drop');
drop.addEventListener('dragover', (e) => e.preventDefault());
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  const files = e.dataTransfer?.files;
  if (files?.length) byId<HTMLInputElement>('bundle').files = files;
});
