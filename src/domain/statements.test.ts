import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION_SCOPES,
  STATEMENT_KINDS,
  type StatementFacts,
  StatementFactsError,
  type StatementKind,
  currentVersion,
  renderStatement,
} from './statements.ts';

const facts = (overrides: Partial<StatementFacts> = {}): StatementFacts => ({
  msp: 'Acme IT',
  client: 'Harbor Dental Group',
  newProvider: 'Northwind IT',
  endDate: '2026-03-31',
  revocationDate: '2026-03-31',
  signer: { name: 'Carla Client', email: 'carla@harbor.example' },
  scopes: ['documentation', 'credentials'],
  cutoverDate: '2026-03-20',
  restore: { date: '2026-03-18', product: 'Veeam' },
  coverage: { product: 'SentinelOne', since: '2026-03-16' },
  attachment: { filename: 'restore-report.pdf', sha256: 'ab'.repeat(32) },
  received: 'the documentation package v2 and 14 credentials',
  package: { version: 3, audience: 'client', files: 42, sha256: 'cd'.repeat(32), manifestSha256: 'ef'.repeat(32) },
  credentials: { count: 7, sha256: '9a'.repeat(32) },
  ...overrides,
});

const KINDS = Object.keys(STATEMENT_KINDS) as StatementKind[];

const fieldOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof StatementFactsError) return e.details[0]?.path;
    throw e;
  }
  return undefined;
};

describe('statements', () => {
  it('renders every kind in its current version, naming the parties and the signer, with nothing left unfilled', () => {
    for (const kind of KINDS) {
      const s = renderStatement(kind, facts());
      expect(s.version).toBe(currentVersion(kind));
      expect(s.text).toContain('Harbor Dental Group');
      expect(s.text).toContain('Carla Client <carla@harbor.example>');
      expect(s.text).toMatch(/intend to sign .* agree to sign it electronically/);
      expect(s.text).not.toMatch(/undefined|null|\[object/);
      expect(s.text.endsWith('\n')).toBe(true);
    }
  });

  it('names the package a receipt acknowledges by version and digests, and who received it', () => {
    const client = renderStatement('package-receipt', facts({ attester: 'client' })).text;
    expect(client).toContain(
      `Harbor Dental Group acknowledges that it received from Acme IT version 3 of the documentation package of Harbor Dental Group, the copy prepared for Harbor Dental Group: a zip file of 42 files with the SHA-256 ${'cd'.repeat(32)}, whose manifest.json has the SHA-256 ${'ef'.repeat(32)}.`,
    );
    const provider = renderStatement(
      'package-receipt',
      facts({
        attester: 'new-provider',
        package: { version: 1, audience: 'new-provider', files: 9, sha256: 'a'.repeat(64), manifestSha256: 'b'.repeat(64) },
      }),
    ).text;
    expect(provider).toContain(
      'Northwind IT acknowledges that it received from Acme IT version 1 of the documentation package of Harbor Dental Group, the copy prepared for Northwind IT',
    );
    expect(() => renderStatement('package-receipt', facts({ package: undefined }))).toThrow('package is required');
  });

  it('names the credentials a receipt acknowledges by count and list digest, and who received them', () => {
    const provider = renderStatement('credentials-receipt', facts({ attester: 'new-provider' })).text;
    expect(provider).toContain(
      `Northwind IT acknowledges that it received from Acme IT, in the portal, the 7 credentials of Harbor Dental Group handed over to it, as listed in the hand-over record with the digest of each secret (list SHA-256 ${'9a'.repeat(32)}).`,
    );
    expect(
      renderStatement('credentials-receipt', facts({ attester: 'client', credentials: { count: 1, sha256: 'b'.repeat(64) } })).text,
    ).toContain('Harbor Dental Group acknowledges that it received from Acme IT, in the portal, the 1 credential of Harbor Dental Group');
    expect(() => renderStatement('credentials-receipt', facts({ credentials: undefined }))).toThrow('credentials is required');
  });

  it('lists the authorization scope in one order, each once, and nothing not ticked', () => {
    const text = renderStatement('authorization', facts({ scopes: ['credentials', 'documentation', 'credentials'] })).text;
    expect(text.indexOf('documentation of our systems')).toBeLessThan(text.indexOf('credentials to our systems'));
    expect(text.match(/credentials to our systems/g)).toHaveLength(1);
    expect(text).not.toContain('Microsoft 365');
    expect(text).toContain('Nothing else is to be given to Northwind IT');
  });

  it('gives the same text for the same facts, whatever order the scope was ticked in (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...AUTHORIZATION_SCOPES], { minLength: 1 }),
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        (scopes, name) => {
          const signer = { name, email: 'x@example.com' };
          const a = renderStatement('authorization', facts({ scopes, signer }));
          const b = renderStatement('authorization', facts({ scopes: [...scopes].reverse(), signer }));
          expect(a.text).toBe(b.text);
          expect(a.text.split('\n').filter((l) => l.startsWith('- ')).length).toBe(scopes.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('names the missing or wrong fact instead of writing an incomplete statement', () => {
    expect(fieldOf(() => renderStatement('authorization', facts({ scopes: [] })))).toBe('scopes');
    expect(fieldOf(() => renderStatement('authorization', facts({ newProvider: undefined })))).toBe('newProvider');
    expect(fieldOf(() => renderStatement('backup-verified', facts({ restore: { date: '', product: 'Veeam' } })))).toBe('restore.date');
    expect(fieldOf(() => renderStatement('replacement-coverage', facts({ coverage: undefined })))).toBe('coverage');
    expect(fieldOf(() => renderStatement('early-cutover', facts({ cutoverDate: '2026-03-31' })))).toBe('cutoverDate');
    expect(fieldOf(() => renderStatement('receipt', facts({ signer: { name: ' ', email: 'a@b.c' } })))).toBe('signer.name');
    expect(fieldOf(() => renderStatement('receipt', facts(), 99))).toBe('version');
  });

  it('says which party signs each kind and which gate it opens', () => {
    expect(STATEMENT_KINDS.authorization).toEqual({ party: 'client', opens: 'authorization' });
    expect(STATEMENT_KINDS['backup-release']).toEqual({ party: 'client', opens: 'backup-handoff' });
    expect(STATEMENT_KINDS['backup-verified']).toEqual({ party: 'new-provider', opens: 'backup-handoff' });
    expect(STATEMENT_KINDS['replacement-coverage']).toEqual({ party: 'new-provider', alsoBy: 'client', opens: 'replacement-coverage' });
  });
});
