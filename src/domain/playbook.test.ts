import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlaybookData, defaultPlaybook, defaultPlaybookText } from '../../test/factories.ts';
import { PlaybookInvalidError, formatIssues } from './errors.ts';
import { parsePlaybook, playbookJsonSchema, validatePlaybook } from './playbook.ts';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (e) {
    if (e instanceof PlaybookInvalidError) return formatIssues(e.details);
    throw e;
  }
  throw new Error('expected the playbook to be invalid');
};

describe('the default playbook', () => {
  it('is valid and has every task of DESIGN.md section 4, in order', () => {
    expect(defaultPlaybook.tasks.map((t) => t.key)).toEqual([
      'acknowledge-termination',
      'internal-notification',
      'contract-review',
      'client-authorization',
      'preservation-requirements',
      'ownership-register',
      'documentation-package',
      'credential-inventory',
      'credential-transfer',
      'access-revocation',
      'mfa-cleanup',
      'delegated-admin-removal',
      'rmm-agent-removal',
      'security-transition',
      'backup-transition',
      'backup-data-disposition',
      'automation-removal',
      'dns-transfer',
      'm365-transition',
      'network-equipment',
      'cloud-transfer',
      'final-invoice',
      'license-reconciliation',
      'billing-removal',
      'billing-check',
      'completion-report',
      'client-archive',
      'retention-deletion',
    ]);
  });

  it('matches the table: phase, role, when, dependencies', () => {
    const row = (key: string) => {
      const t = defaultPlaybook.tasks.find((x) => x.key === key);
      return t && [t.phase, t.role, t.whenText, t.dependsOn.join(',')];
    };
    expect(row('documentation-package')).toEqual([1, 'documentation', 'day 5', 'ownership-register']);
    expect(row('credential-transfer')).toEqual([2, 'technician', 'day 7', 'credential-inventory,client-authorization']);
    expect(row('access-revocation')).toEqual([2, 'technician', 'on revocation', 'credential-transfer']);
    expect(row('backup-data-disposition')).toEqual([3, 'account-manager', 'day 10', 'contract-review']);
    expect(row('billing-check')).toEqual([6, 'billing', 'after end+30d', 'billing-removal']);
    expect(row('completion-report')).toEqual([
      6,
      'account-manager',
      'on end',
      'access-revocation,mfa-cleanup,rmm-agent-removal,backup-transition,dns-transfer,network-equipment',
    ]);
    expect(row('retention-deletion')).toEqual([6, 'technician', 'retention', 'client-archive']);
    expect(defaultPlaybook.tasks.find((t) => t.key === 'm365-transition')?.latest).toEqual({ kind: 'end', minus: 1 });
    for (const t of defaultPlaybook.tasks) expect(t.latest.kind, t.key).toBe(t.phase <= 5 ? 'end' : 'none');
  });

  it('gives every task guidance and evidence to attach', () => {
    for (const t of defaultPlaybook.tasks) {
      expect(t.guidance.length, t.key).toBeGreaterThan(120);
      expect(t.evidence.length, t.key).toBeGreaterThan(0);
    }
  });

  it('ships the generated JSON Schema for editors, up to date', () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../../playbooks/playbook.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(playbookJsonSchema())));
  });
});

describe('playbook validation', () => {
  it('reports unknown dependencies, duplicate keys, unknown roles, gates and phases, each with its path', () => {
    const data = buildPlaybookData([
      { key: 'a', dependsOn: ['ghost'] },
      { key: 'a' },
      { key: 'b', role: 'wizard' },
      { key: 'c', gates: ['notarized'] },
      { key: 'd', phase: 9 },
    ]);
    const problems = problemsOf(() => validatePlaybook(data));
    expect(problems).toEqual(
      expect.arrayContaining([
        'tasks[0].dependsOn[0]: unknown task "ghost"',
        'tasks[1].key: duplicate task key "a" (also tasks[0])',
        expect.stringMatching(/^tasks\[2\]\.role: must be one of "account-manager", "technician"/),
        expect.stringMatching(/^tasks\[3\]\.gates\[0\]: must be one of "authorization", "backup-handoff", "replacement-coverage"/),
        'tasks[4].phase: unknown phase 9; the phases are 1, 2, 3, 4, 5, 6',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('names the tasks in a dependency cycle', () => {
    const data = buildPlaybookData([
      { key: 'a', dependsOn: ['c'] },
      { key: 'b', dependsOn: ['a'] },
      { key: 'c', dependsOn: ['b'] },
      { key: 'd' },
    ]);
    expect(problemsOf(() => validatePlaybook(data))).toEqual(['tasks[0].dependsOn: dependency cycle: a -> c -> b -> a']);
  });

  it('rejects a task depending on itself, bad `when` and `latest`, and unknown fields', () => {
    const data = buildPlaybookData([{ key: 'a', dependsOn: ['a'], when: 'someday', latest: 'end+2' }]);
    (data.tasks as Record<string, unknown>[])[0]!.colour = 'blue';
    expect(problemsOf(() => validatePlaybook(data))).toEqual(
      expect.arrayContaining([
        'tasks[0].dependsOn[0]: "a" cannot depend on itself',
        'tasks[0].when: must be "day N", "on revocation", "on end", "after end+Nd" or "retention"',
        'tasks[0].latest: must be "end", "end-K" or "none"',
        'tasks[0].colour: unknown field',
      ]),
    );
  });

  it('validates conditions', () => {
    const data = buildPlaybookData([{ key: 'a', only: { service: 'fax', anyOf: [{ newProvider: 'yes' }] } }]);
    expect(problemsOf(() => validatePlaybook(data))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^tasks\[0\]\.only\.service: must be one of "dns"/),
        'tasks[0].only.anyOf[0].newProvider: expected boolean, got string "yes"',
      ]),
    );
  });

  it('says on which line of the YAML each problem is', () => {
    const text = defaultPlaybookText.replace('    dependsOn: [ownership-register]\n', '    dependsOn: [ownership-registry]\n');
    const problems = problemsOf(() => parsePlaybook(text));
    const line = text.split('\n').findIndex((l) => l.includes('ownership-registry')) + 1;
    expect(problems).toEqual([`tasks[6].dependsOn[0]: unknown task "ownership-registry" (line ${line})`]);
  });

  it('reports YAML syntax errors with their position', () => {
    const problems = problemsOf(() => parsePlaybook('name: x\ntasks: [\n'));
    expect(problems[0]).toMatch(/^line \d+, column \d+: /);
  });

  it('rejects any playbook with a cycle, naming every task in it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, coins, x, y) => {
          // A random DAG: task i may depend on any earlier task; then one edge back closes a cycle.
          const it = coins[Symbol.iterator]();
          const keys = Array.from({ length: n }, (_, i) => `task-${i}`);
          const deps = keys.map((_, i) => keys.slice(0, i).filter(() => (it.next().value as number) < 0.3));
          const low = x % (n - 1);
          const high = low + 1 + (y % (n - 1 - low));
          // Ensure a path high -> ... -> low exists, then add low -> high.
          for (let i = low + 1; i <= high; i++) if (!deps[i]!.includes(keys[i - 1]!)) deps[i]!.push(keys[i - 1]!);
          deps[low]!.push(keys[high]!);
          const data = buildPlaybookData(keys.map((key, i) => ({ key, dependsOn: deps[i] })));
          const problems = problemsOf(() => validatePlaybook(data));
          const cycles = problems.filter((p) => p.includes('dependency cycle'));
          expect(cycles.length).toBeGreaterThan(0);
          const named = cycles.flatMap((c) => c.split(': dependency cycle: ')[1]!.split(' -> '));
          for (const c of cycles) {
            const members = c.split(': dependency cycle: ')[1]!.split(' -> ');
            expect(members[0]).toBe(members.at(-1));
            // Each consecutive pair is a real dependency edge.
            for (let i = 0; i + 1 < members.length; i++) expect(deps[keys.indexOf(members[i]!)]).toContain(members[i + 1]);
          }
          expect(named).toContain(keys[low]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
