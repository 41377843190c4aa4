import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { type CertificateFacts, certificatePdf } from './signing-certificate.ts';

const facts = (over: Partial<CertificateFacts> = {}): CertificateFacts => ({
  title: 'Authorization to hand over to the new provider',
  statement:
    'Harbor Dental Group authorizes Acme MSP to hand the following to Northwind IT:\n- the documentation\n\nSigned electronically by Carla.\n',
  statementSha256: 'a'.repeat(64),
  kind: 'authorization',
  templateVersion: 1,
  msp: 'Acme MSP',
  client: 'Harbor Dental Group',
  signer: { name: 'Carla Client', email: 'carla@harbor.example', side: 'client' },
  signedAt: '2026-03-04T15:00:00.000Z',
  ip: '203.0.113.7',
  userAgent:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
  linkSha256: 'b'.repeat(64),
  sessionSha256: 'c'.repeat(64),
  timeline: [
    { at: '2026-03-03T14:00:00.000Z', what: 'sign-in link sent to carla@harbor.example' },
    { at: '2026-03-04T14:58:00.000Z', what: 'link opened; portal session started' },
  ],
  ...over,
});

describe('the signing certificate', () => {
  it('is the same bytes for the same signature, so its digest can be checked by building it again', async () => {
    const [a, b] = [await certificatePdf(facts()), await certificatePdf(facts())];
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(await certificatePdf(facts({ ip: '203.0.113.8' }))).equals(Buffer.from(a))).toBe(false);
  });

  it('is a readable PDF whatever the signer typed, and runs to more pages when the statement is long', async () => {
    const odd = await certificatePdf(
      facts({
        signer: { name: 'Zoë Ñandú 李小龍 “Ops” — ✓', email: 'z@example.com', side: 'new-provider' },
        statement: `${'word '.repeat(3000)}\n`,
      }),
    );
    const doc = await PDFDocument.load(odd);
    expect(doc.getPageCount()).toBeGreaterThan(1);
    expect(doc.getTitle()).toBe('Signing certificate: Authorization to hand over to the new provider');
    expect(doc.getSubject()).toBe(`statement SHA-256 ${'a'.repeat(64)}`);
  });
});
