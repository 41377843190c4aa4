import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildCaseInput, defaultPlaybookText } from '../../test/factories.ts';
import { playbookJsonSchema } from '../domain/playbook.ts';
import { run } from './main.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = join(root, 'examples/sample-case.yaml');
const dir = mkdtempSync(join(tmpdir(), 'offboard-cli-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

/** A PGlite data folder with one MSP and its client Harbor Dental Group, closed again for the CLI to open. */
async function seededDataDir(name: string, msp: string, adminEmail: string): Promise<string> {
  const { openDatabase } = await import('../storage/db.ts');
  const { createTenant } = await import('../app/accounts/create-tenant.ts');
  const { createClient } = await import('../app/clients/create-client.ts');
  const { testDataDir } = await import('../../test/db.ts');
  const dataDir = join(dir, name);
  await testDataDir(dataDir);
  const database = await openDatabase({ dataDir });
  const app = { database, clock: () => new Date('2026-03-02T15:00:00Z') };
  const { tenantId, adminId } = await createTenant(app, {
    name: msp,
    admin: { email: adminEmail, name: 'Admin', password: 'correct horse battery' },
  });
  await createClient(
    app,
    { tenantId, kind: 'user', id: adminId as string, role: 'admin' },
    { name: 'Harbor Dental Group', timezone: 'America/New_York' },
  );
  await database.close();
  return dataDir;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The real executable, as a user runs it after `npm ci`. */
function offboard(...argv: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/offboard.js'), ...argv], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without blocking: for running several at once. */
function offboardAsync(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/offboard.js'), ...argv], { encoding: 'utf8', cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

describe('offboard plan', () => {
  it('prints the plan as JSON in the documented shape', async () => {
    const r = await cli('plan', '--case', sample, '--json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { tasks: Record<string, unknown>[]; warnings: unknown[] };
    expect(Object.keys(parsed)).toEqual(['tasks', 'warnings']);
    for (const t of parsed.tasks) expect(Object.keys(t)).toEqual(['key', 'title', 'phase', 'role', 'due', 'dueAt', 'dependsOn', 'gates']);
    expect(parsed.tasks.find((t) => t.key === 'credential-transfer')).toMatchObject({
      phase: 2,
      role: 'technician',
      due: '2026-03-10',
      dueAt: '2026-03-10T21:00:00Z',
      gates: ['authorization'],
    });
  });

  it('prints tasks by phase and a timeline for people', async () => {
    const r = await cli('plan', '--case', sample);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Phase 1  Notification and documentation');
    expect(r.out).toContain('Phase 6  Closeout');
    expect(r.out).toMatch(/Tue 2026-03-10 {2}credential-transfer/);
    expect(r.out).toContain('Timeline');
    expect(r.out).toMatch(/dns-transfer +[ ░·]*█/);
    expect(r.out).toContain('retention-deletion');
    expect(r.out).toContain('→ 2026-09-');
  });

  it('reads YAML or JSON cases and a custom playbook', async () => {
    const json = file('case.json', JSON.stringify(buildCaseInput()));
    const playbook = file('playbook.yaml', defaultPlaybookText.replace('dueTime: "17:00"', 'dueTime: "12:00"'));
    const r = await cli('plan', '--case', json, '--playbook', playbook, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { tasks: { dueAt: string }[] }).tasks[0]?.dueAt).toBe('2026-03-02T17:00:00Z');
  });

  it('exits 1 naming the field for bad input, with no stack trace', async () => {
    const bad = file(
      'bad.yaml',
      stringify({ ...buildCaseInput(), client: { ...buildCaseInput().client, timezone: 'Mars/Base' }, endDate: '2026-01-01' }),
    );
    const r = await cli('plan', '--case', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('client.timezone: unknown time zone "Mars/Base"');
    expect(r.err).toContain('endDate: must be on or after noticeDate (2026-03-02)');
    expect(r.err).toMatch(/\(line \d+\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.out).toBe('');
  });

  it('exits 1 when the case file is missing', async () => {
    const r = await cli('plan', '--case', join(dir, 'missing.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('--case: ');
    expect(r.err).toContain('no such file');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('plan')).code).toBe(2);
    expect((await cli('plan', '--case', sample, '--frobnicate')).code).toBe(2);
    expect((await cli('teleport')).code).toBe(2);
  });
});

/** Every party signs in time: the authorization on day 3, the backup and the coverage on day 9. */
const SIGNED_IN_TIME = ['--signed', 'authorization=3', '--signed', 'backup=9', '--signed', 'coverage=9'];

describe('offboard rehearse', () => {
  it('walks the plan and shows reminders and escalations for late tasks', async () => {
    const r = await cli('rehearse', '--case', sample, ...SIGNED_IN_TIME, '--late', 'dns-transfer=6');
    expect(r.code).toBe(0);
    expect(r.out).toContain("escalation to technician's manager");
    expect(r.out).toContain('escalation to leadership');
    expect(r.out).toContain('✓ dns-transfer done by technician, 6 business days late');
    expect(r.out).toMatch(/Summary\n {2}\d+ tasks: \d+ on time, 1 late \(dns-transfer \+6\)/);
  });

  it('prints JSON with the plan, the days and a summary', async () => {
    const r = await cli('rehearse', '--case', sample, ...SIGNED_IN_TIME, '--late', 'dns-transfer=3', '--json');
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.out) as { summary: { late: unknown[]; escalations: unknown[] }; days: unknown[] };
    expect(parsed.summary.late).toEqual([{ task: 'dns-transfer', businessDays: 3 }]);
    expect(parsed.summary.escalations).toHaveLength(1);
  });

  it('signs nothing unless told, and says what never happens for want of a statement', async () => {
    const r = await cli('rehearse', '--case', sample);
    expect(r.code).toBe(0);
    expect(r.out).toContain('The authorization statement is never signed (give --signed authorization=DAY).');
    expect(r.out).not.toContain('✎');
    expect(r.out).toMatch(/never done, for want of a statement: client-authorization \(authorization\)/);
    const signed = await cli('rehearse', '--case', sample, '--signed', 'authorization=3');
    expect(signed.out).toContain('The authorization statement is signed on Wed 2026-03-04.');
    expect(signed.out).toContain('✎ the client signs the authorization (the authorization gate opens)');
    expect(signed.out).toMatch(/never done, for want of a statement: security-transition \(replacement-coverage\)/);
    const wrong = await cli('rehearse', '--case', sample, '--signed', 'backup=soon');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('signed[0]: "backup=soon" must be GATE=DAY or GATE=YYYY-MM-DD');
  });

  it('exits 1 for a --late naming no task in the plan', async () => {
    const r = await cli('rehearse', '--case', sample, '--late', 'cloud-transfer=2');
    expect(r.code).toBe(1);
    expect(r.err).toContain('late[0]: "cloud-transfer" is not a task in this plan');
  });
});

describe('offboard playbook', () => {
  it('validates the default playbook', async () => {
    const r = await cli('playbook', 'validate', join(root, 'playbooks/default.yaml'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('valid playbook');
  });

  it('reports every problem of a bad playbook with path and line, exit 1', async () => {
    const text = defaultPlaybookText
      .replace('role: billing\n', 'role: bookkeeper\n')
      .replace('dependsOn: [completion-report]', 'dependsOn: [retention-deletion]');
    const r = await cli('playbook', 'validate', file('bad-playbook.yaml', text));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tasks\[\d+\]\.role: must be one of .* \(line \d+\)/);
    expect(r.err).toContain('dependency cycle: client-archive -> retention-deletion -> client-archive');
  });

  it('prints the JSON Schema', async () => {
    const r = await cli('playbook', 'schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(playbookJsonSchema())));
  });
});

describe('the offboard executable', () => {
  // Ten processes: started together, so a busy machine does not make the test time out.
  it('has --help on every command', { timeout: 90_000 }, async () => {
    const commands = [
      [],
      ['plan'],
      ['rehearse'],
      ['playbook'],
      ['playbook', 'validate'],
      ['playbook', 'schema'],
      ['demo'],
      ['serve'],
      ['worker'],
      ['migrate'],
    ];
    const results = await Promise.all(commands.map((argv) => offboardAsync(...argv, '--help')));
    results.forEach((r, i) => {
      const argv = (commands[i] ?? []).join(' ');
      expect(r.code, argv).toBe(0);
      expect(r.out, argv).toContain('Usage: offboard');
    });
  });

  it('exits 0, 1 and 2 as documented', () => {
    expect(offboard('plan', '--case', sample, '--json').code).toBe(0);
    const bad = offboard('plan', '--case', join(dir, 'missing.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.err).not.toMatch(/\n\s+at /);
    expect(offboard('plan', '--nope').code).toBe(2);
  });

  it('runs the demo', () => {
    const r = offboard('demo');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Rehearsal of Harbor Dental Group');
  });
});

describe('offboard start', () => {
  // Two processes each start PGlite (WebAssembly): seconds apiece on a busy 2-core machine.
  // In this process (the executable's own start-up and exit codes are tested above).
  it("opens a client's offboarding from the command line, audited as started from the CLI", { timeout: 180_000 }, async () => {
    const { openDatabase } = await import('../storage/db.ts');
    const dataDir = await seededDataDir('start-db', 'CLI MSP', 'admin@cli.example');

    // Bad input is refused before the database is opened; an unknown client after.
    const bad = await cli(
      'start',
      '--data-dir',
      dataDir,
      '--client',
      'Harbor Dental Group',
      '--type',
      'bogus',
      '--notice',
      '2026-03-02',
      '--end',
      '2026-02-01',
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('type: ');
    const unknown = await cli(
      'start',
      '--data-dir',
      dataDir,
      '--client',
      'Nobody Inc',
      '--type',
      'insourced',
      '--notice',
      '2026-03-02',
      '--end',
      '2026-03-31',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('client Nobody Inc not found');

    const r = await cli(
      'start',
      '--data-dir',
      dataDir,
      '--client',
      'Harbor Dental Group',
      '--type',
      'provider-switch',
      '--notice',
      '2026-03-02',
      '--end',
      '2026-03-31',
      '--new-provider',
      'Northwind IT',
      '--new-provider-contact',
      'transition@northwind.example',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const id = /started the offboarding of Harbor Dental Group: (\S+)/.exec(r.out)?.[1];
    expect(id).toBeDefined();
    const database = await openDatabase({ dataDir });
    const [event] = await database.query<{ actor: string; canonical: string }>(
      "select actor, canonical from audit_events where action = 'offboarding.started' and offboarding_id = $1",
      [id],
    );
    expect(event?.actor).toBe('system:cli');
    expect(JSON.parse(event?.canonical ?? '{}')).toMatchObject({ data: { trigger: { source: 'cli' }, newProvider: 'Northwind IT' } });
    // The client is offboarding now: a second start is refused.
    await database.close();
    const again = await cli(
      'start',
      '--data-dir',
      dataDir,
      '--client',
      'Harbor Dental Group',
      '--type',
      'provider-switch',
      '--notice',
      '2026-03-02',
      '--end',
      '2026-03-31',
    );
    expect(again.code).toBe(1);
    expect(again.err).toContain('the client is offboarding, not active');

    // The executable on the same folder: a command that opens the database and ends (short-lived
    // commands restart themselves with V8 flags of their own).
    const migrated = offboard('migrate', '--data-dir', dataDir);
    expect(migrated.err).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.out).toBe('migrated (pglite)\n');
  });
});

describe('offboard documentation import', () => {
  it(
    'imports a CSV with the suggested mapping and --map, dry run first; a refused key exits 1 naming the key',
    { timeout: 180_000 },
    async () => {
      const { openDatabase } = await import('../storage/db.ts');
      const { itGlueServer } = await import('../../test/platform-servers.ts');
      const dataDir = await seededDataDir('documentation-db', 'Docs MSP', 'admin@docs.example');
      const csv = file('devices.csv', 'Name,Serial #,IP\nFW-1,S1,10.0.0.1\nSW-1,S2,10.0.0.2\n');
      const args = [
        'documentation',
        'import',
        '--data-dir',
        dataDir,
        '--client',
        'Harbor Dental Group',
        '--from',
        'csv',
        '--file',
        csv,
        '--map',
        'serial=Serial #',
      ];
      const dry = await cli(...args, '--dry-run');
      expect(dry.err).toBe('');
      expect(dry.out).toContain('dry run of Harbor Dental Group from csv: would create 2, updated 0');
      const real = await cli(...args, '--json');
      expect(real.code).toBe(0);
      expect(JSON.parse(real.out)).toMatchObject({
        status: 'done',
        summary: { created: 2 },
        options: { mapping: { name: 'Name', fields: { serial: 'Serial #', ip: 'IP' } } },
      });
      expect((await cli(...args)).out).toContain('created 0, updated 0, unchanged 2');
      const database = await openDatabase({ dataDir });
      expect(await database.query('select name, fields from documentation_items order by name')).toEqual([
        { name: 'FW-1', fields: { ip: '10.0.0.1', serial: 'S1' } },
        { name: 'SW-1', fields: { ip: '10.0.0.2', serial: 'S2' } },
      ]);
      await database.close();
      const server = await itGlueServer('right-key-123456', {});
      try {
        const refused = await cli(
          'documentation',
          'import',
          '--data-dir',
          dataDir,
          '--client',
          'Harbor Dental Group',
          '--from',
          'itglue',
          '--url',
          server.url,
          '--key',
          'wrong-key-123456',
        );
        expect(refused.code).toBe(1);
        expect(refused.err).toContain('key: IT Glue refused the API key (401)');
        expect(refused.out + refused.err).not.toContain('wrong-key-123456');
      } finally {
        await server.close();
      }
      expect(
        (await cli('documentation', 'import', '--data-dir', dataDir, '--client', 'Harbor Dental Group', '--from', 'nowhere')).code,
      ).toBe(1);
    },
  );
});

describe('offboard credentials', () => {
  it(
    'imports passwords from Hudu and a CSV, lists them without a secret, and rotates the server key without touching one',
    { timeout: 180_000 },
    async () => {
      const { openDatabase } = await import('../storage/db.ts');
      const { huduServer } = await import('../../test/platform-servers.ts');
      const { readFileSync } = await import('node:fs');
      const dataDir = await seededDataDir('credentials-db', 'Vault MSP', 'admin@vault.example');
      const secrets = ['Cli-Hudu-Pw-1f9a', 'Cli-Csv-Pw-77c2'];
      const server = await huduServer('hudu-cli-key-123456', {
        companies: [{ id: 3, name: 'Harbor Dental Group' }],
        asset_passwords: [{ id: 8, company_id: 3, name: 'Firewall admin', username: 'admin', password: secrets[0] }],
      });
      const where = ['--data-dir', dataDir, '--client', 'Harbor Dental Group'];
      try {
        const url = `${server.url}/api/v1`;
        const dry = await cli(
          'credentials',
          'import',
          ...where,
          '--from',
          'hudu',
          '--url',
          url,
          '--key',
          'hudu-cli-key-123456',
          '--dry-run',
        );
        expect(dry.err).toBe('');
        expect(dry.out).toContain('dry run of the credentials of Harbor Dental Group from hudu: would add 1');
        const real = await cli('credentials', 'import', ...where, '--from', 'hudu', '--url', url, '--key', 'hudu-cli-key-123456');
        expect(real.code, real.err).toBe(0);
        expect(real.out).toContain('added 1, updated 0, unchanged 0');
      } finally {
        await server.close();
      }
      const csv = file('passwords.csv', `System,Login,Secret\nNAS,root,${secrets[1]}\n`);
      const fromCsv = await cli('credentials', 'import', ...where, '--from', 'csv', '--file', csv, '--map', 'username=Login');
      expect(fromCsv.code, fromCsv.err).toBe(0);
      expect(fromCsv.out).toContain('added 1');
      const listed = await cli('credentials', 'list', ...where);
      expect(listed.out).toContain('Harbor Dental Group: 2 credentials; 2 of 2 credentials have no disposition yet');
      expect(listed.out).toContain('  Firewall admin (admin) [network-device]: no disposition yet');
      expect(listed.out).toContain('  NAS (root) [other]: no disposition yet');
      const json = await cli('credentials', 'list', ...where, '--json');
      for (const s of secrets) {
        expect(listed.out + json.out).not.toContain(s);
      }
      const database = await openDatabase({ dataDir });
      const before = await database.query('select id, secret_sealed from credentials order by id');
      await database.close();
      const rotated = await cli('secret-key', 'rotate', '--data-dir', dataDir);
      expect(rotated.code, rotated.err).toBe(0);
      expect(rotated.out).toMatch(/^the current key is now [0-9a-f]{16}\nre-wrapped 1 client data key with [0-9a-f]{16}\n$/);
      expect(readFileSync(join(dataDir, 'secret.key'), 'utf8').trim().split('\n')).toHaveLength(2);
      const after = await openDatabase({ dataDir });
      expect(await after.query('select id, secret_sealed from credentials order by id')).toEqual(before);
      await after.close();
      expect((await cli('credentials', 'list', ...where)).code).toBe(0);
      expect((await cli('credentials', 'import', ...where, '--from', 'csv')).code).toBe(1);
    },
  );
});

describe('offboard package build', () => {
  it(
    'builds a version and writes its zip; refused with exit 1 naming the field while the register is incomplete',
    { timeout: 120_000 },
    async () => {
      const { openDatabase } = await import('../storage/db.ts');
      const { startOffboarding } = await import('../app/offboardings/start-offboarding.ts');
      const { createDocumentationItem } = await import('../app/documentation/create-item.ts');
      const { unzipSync } = await import('fflate');
      const { createHash } = await import('node:crypto');
      const { readFileSync } = await import('node:fs');
      const dataDir = await seededDataDir('package-db', 'Package MSP', 'admin@package.example');
      let database = await openDatabase({ dataDir });
      const app = { database, clock: () => new Date('2026-03-02T15:00:00Z') };
      const [tenant] = await database.query<{ tenant_id: string; id: string }>('select tenant_id, id from clients');
      const actor = { tenantId: tenant?.tenant_id as string, kind: 'system' as const, id: 'cli', role: 'admin' as const };
      const o = await startOffboarding(app, actor, {
        clientId: tenant?.id as string,
        type: 'provider-switch',
        noticeDate: '2026-03-02',
        endDate: '2026-03-31',
      });
      await createDocumentationItem(app, actor, tenant?.id as string, { section: 'devices', name: 'FW-1', owner: 'client' });
      const unowned = await createDocumentationItem(app, actor, tenant?.id as string, { section: 'devices', name: 'SW-1' });
      await database.close();
      const out = join(dir, 'package.zip');
      const args = ['package', 'build', '--data-dir', dataDir, '--offboarding', o.id, '--audience', 'client', '--out', out];
      const refused = await cli(...args);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('documentation: 1 of 2 documentation items have no owner yet');
      database = await openDatabase({ dataDir });
      await database.query("update documentation_items set owner = 'msp' where id = $1", [unowned.id]);
      await database.close();
      const built = await cli(...args);
      expect(built.err).toBe('');
      expect(built.code).toBe(0);
      const zip = readFileSync(out);
      expect(built.out).toContain(`zip SHA-256 ${createHash('sha256').update(zip).digest('hex')}`);
      expect(Object.keys(unzipSync(new Uint8Array(zip))).sort()).toEqual([
        'client-owned/devices.csv',
        'client-owned/devices.json',
        'documentation.pdf',
        'manifest.json',
        'msp-owned/devices.csv',
        'msp-owned/devices.json',
      ]);
      database = await openDatabase({ dataDir });
      expect(await database.query('select actor, ip from package_downloads')).toEqual([{ actor: 'system:cli', ip: 'command line' }]);
      await database.close();
      expect(
        (await cli('package', 'build', '--data-dir', dataDir, '--offboarding', o.id, '--audience', 'everyone', '--out', out)).code,
      ).toBe(1);
    },
  );
});
