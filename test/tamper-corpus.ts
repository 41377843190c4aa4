/**
 * A corpus of evidence bundles to run every verifier on: a real closed offboarding's bundle as
 * exported, with the client's copy of the closing checkpoint (also as pasted from a mail
 * client), and tampered copies: a byte changed in each kind of file, events dropped (one, or the
 * tail), reordered or repeated, the head or a checkpoint removed, a damaged zip, a wrong key.
 */
import { zipSync } from 'fflate';
import { exportEvidence } from '../src/app/log/export-evidence.ts';
import { logStatus } from '../src/app/log/transparency-log.ts';
import { readBundle } from '../src/domain/bundle-verifier.ts';
import { seedMsp, testApp } from './app-fixture.ts';
import { closedOffboarding, dropLastEvents, withEvents } from './log-fixture.ts';

export type CorpusCase = { name: string; zip: Uint8Array; keys: string[]; knownCheckpoint?: string | undefined };

const utf8 = new TextEncoder();
const zip = (files: ReadonlyMap<string, Uint8Array>) => zipSync(Object.fromEntries(files));

export async function tamperCorpus(): Promise<CorpusCase[]> {
  const { app, database, clock } = await testApp();
  try {
    const msp = await seedMsp(app);
    const offboardingId = await closedOffboarding(app, msp, clock);
    const exported = await exportEvidence(app, msp.admin, offboardingId, { includeFiles: true });
    const files = readBundle(exported.zip);
    const keys = (await logStatus(app, msp.tenantId)).verifierKeys.map((k) => k.verifierKey);
    const [row] = await database.query<{ attachments: { content: string }[] }>(
      "select attachments from notifications where tenant_id = $1 and kind = 'client-checkpoint'",
      [msp.tenantId],
    );
    const clientCopy = row?.attachments[0]?.content ?? '';
    const pasted = `\r\n${clientCopy.replace(/\n/g, '  \r\n')}\r\n`;
    const other = await seedMsp(app, 'Another MSP');
    const otherKey = (await logStatus(app, other.tenantId)).verifierKeys[0]?.verifierKey ?? '';

    const cases: CorpusCase[] = [
      { name: 'as exported', zip: exported.zip, keys },
      { name: "with the client's copy", zip: exported.zip, keys, knownCheckpoint: clientCopy },
      { name: "with the client's copy as pasted", zip: exported.zip, keys, knownCheckpoint: pasted },
      { name: "with another MSP's key", zip: exported.zip, keys: [otherKey] },
      { name: 'a key that is not a key', zip: exported.zip, keys: ['offboard/x+00000000+AAAA'] },
      { name: 'not a zip', zip: utf8.encode('this is not a bundle'), keys },
      { name: 'a truncated zip', zip: exported.zip.slice(0, exported.zip.length - 100), keys },
    ];
    // One changed byte in each kind of file (the middle of the first file of each kind).
    const kinds = new Map<string, string>();
    for (const name of files.keys())
      if (name !== 'README.txt')
        kinds.set(name.includes('/') ? (name.split('/')[0] as string) : name, kinds.get(name.split('/')[0] as string) ?? name);
    for (const name of kinds.values()) {
      const bytes = new Uint8Array(files.get(name) as Uint8Array);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] as number) ^ 0x01;
      cases.push({ name: `a byte changed in ${name}`, zip: zip(new Map([...files, [name, bytes]])), keys, knownCheckpoint: clientCopy });
    }
    const lines = new TextDecoder().decode(files.get('events.jsonl')).split('\n').filter(Boolean);
    const closedAt = lines.findIndex((l) => l.includes('"action":"offboarding.closed"'));
    cases.push(
      {
        name: 'an event dropped',
        zip: zip(
          withEvents(
            files,
            lines.filter((_, i) => i !== 3),
          ),
        ),
        keys,
      },
      {
        name: 'two events swapped',
        zip: zip(withEvents(files, [...lines.slice(0, 4), lines[5] as string, lines[4] as string, ...lines.slice(6)])),
        keys,
      },
      { name: 'an event repeated', zip: zip(withEvents(files, [...lines.slice(0, 6), lines[5] as string, ...lines.slice(6)])), keys },
      { name: 'the tail dropped', zip: zip(dropLastEvents(files, lines.length - closedAt)), keys },
      {
        name: "the tail dropped, with the client's copy",
        zip: zip(dropLastEvents(files, lines.length - closedAt)),
        keys,
        knownCheckpoint: clientCopy,
      },
      { name: 'the head removed', zip: zip(new Map([...files].filter(([n]) => n !== 'head.checkpoint'))), keys },
      { name: 'a file added', zip: zip(new Map([...files, ['extra.txt', utf8.encode('hello')]])), keys },
    );
    return cases;
  } finally {
    await database.close();
  }
}
