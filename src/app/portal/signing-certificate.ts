/**
 * The signing certificate: a PDF (pdf-lib) that says what was signed, by whom, how the signer was
 * identified and when each step happened, with the digests that tie it to the record. Built from
 * the statement's row alone, with fixed dates, so the same signature always gives the same bytes:
 * the digest in the audit event can be checked by building it again. Stored content-addressed
 * beside the evidence, emailed to the signer, and carried in the evidence bundle.
 */
import { pdfWriter } from '../pdf-writer.ts';
import { BLOB_CHUNK_BYTES, blobsRepo } from '../../storage/repositories.ts';
import type { Tx } from '../../storage/db.ts';
import { sha256Hex } from '../digest.ts';

export type CertificateFacts = {
  title: string;
  statement: string;
  statementSha256: string;
  kind: string;
  templateVersion: number;
  msp: string;
  client: string;
  signer: { name: string; email: string; side: 'client' | 'new-provider' };
  signedAt: string;
  ip: string;
  userAgent: string | null;
  linkSha256: string;
  sessionSha256: string;
  timeline: { at: string; what: string }[];
  /** The signer also typed a one-time code emailed to the same address. */
  emailedCode?: boolean | undefined;
};

export async function certificatePdf(f: CertificateFacts): Promise<Uint8Array> {
  const { write, space, save, bold, regular, mono } = await pdfWriter({
    title: `Signing certificate: ${f.title}`,
    author: f.msp,
    subject: `statement SHA-256 ${f.statementSha256}`,
    at: new Date(f.signedAt),
  });
  write('Signing certificate', bold, 18, 8);
  write(`${f.title}`, bold, 12);
  write(`${f.client}, IT hand-over from ${f.msp}`);
  space();
  write('Signer', bold, 11);
  write(`${f.signer.name} <${f.signer.email}>, for ${f.signer.side === 'client' ? f.client : 'the new provider'}`);
  write(
    `Identified by a single-use link sent to this email address${f.emailedCode ? ', and a one-time code sent to the same address when signing' : ''}; the name above was typed by the signer, who confirmed the intent to sign and consent to sign electronically.`,
  );
  write(`Signed at ${f.signedAt} (UTC) from ${f.ip}`);
  write(`Browser: ${f.userAgent ?? 'not given'}`);
  space();
  write('Timeline', bold, 11);
  for (const step of f.timeline) write(`${step.at}  ${step.what}`);
  space();
  write('Digests (SHA-256)', bold, 11);
  write(`Statement (the exact text below): ${f.statementSha256}`, mono, 8);
  write(`Sign-in link: ${f.linkSha256}`, mono, 8);
  write(`Portal session: ${f.sessionSha256}`, mono, 8);
  write(`Template: ${f.kind}, version ${f.templateVersion}`, mono, 8);
  space();
  write('The statement as signed', bold, 11);
  write(f.statement, regular, 10, 3);
  space();
  write(
    'This certificate is recorded by its SHA-256 in the MSP’s signed, append-only log, with the statement’s. Characters the PDF font cannot show are printed as "?"; the statement digest is of the exact text, which the evidence bundle carries.',
    regular,
    8,
  );
  return save();
}

/** Stores bytes content-addressed for a tenant (once), as evidence files are. */
export async function storeBlob(tx: Tx, tenantId: string, bytes: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(bytes);
  if (await blobsRepo.insert(tx, { tenantId, sha256, size: bytes.length })) {
    for (let n = 0; n * BLOB_CHUNK_BYTES < bytes.length; n++)
      await blobsRepo.insertChunk(tx, { tenantId, sha256, n, bytes: bytes.subarray(n * BLOB_CHUNK_BYTES, (n + 1) * BLOB_CHUNK_BYTES) });
  }
  return sha256;
}
