/** Test data builders: sensible defaults, overridden per test. */
import { readFileSync } from 'node:fs';
import { DEFAULT_PLAYBOOK_PATH } from '../src/app/files.ts';
import { type OffboardingCaseInput, type OffboardingFacts, validateCase } from '../src/domain/offboarding-case.ts';
import { type Playbook, parsePlaybook, validatePlaybook } from '../src/domain/playbook.ts';

export const defaultPlaybookText = readFileSync(DEFAULT_PLAYBOOK_PATH, 'utf8');
export const defaultPlaybook: Playbook = parsePlaybook(defaultPlaybookText);

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** A provider switch: notice Monday 2026-03-02, end Tuesday 2026-03-31, New York, every service. */
export function buildCaseInput(overrides: DeepPartial<OffboardingCaseInput> = {}): OffboardingCaseInput {
  const base: OffboardingCaseInput = {
    client: {
      name: 'Harbor Dental Group',
      timezone: 'America/New_York',
      services: { dns: true, m365: true, backup: true, edr: true, rmm: true, cloud: true, firewall: 'client-owned' },
    },
    type: 'provider-switch',
    noticeDate: '2026-03-02',
    endDate: '2026-03-31',
    newProvider: { name: 'Northwind IT', contact: 'transition@northwind.example' },
  };
  const { client, ...rest } = overrides;
  return {
    ...base,
    ...rest,
    client: { ...base.client, ...client, services: { ...base.client.services, ...client?.services } },
  };
}

export function buildCase(overrides: DeepPartial<OffboardingCaseInput> = {}): OffboardingFacts {
  return validateCase(buildCaseInput(overrides));
}

export type TaskData = {
  key: string;
  phase?: number;
  role?: string;
  when?: string;
  latest?: string;
  dependsOn?: string[];
  only?: unknown;
  gates?: unknown[];
  title?: string;
  guidance?: string;
};

export function buildPlaybookData(tasks: TaskData[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test playbook',
    phases: [1, 2, 3, 4, 5, 6].map((n) => ({ number: n, key: `phase-${n}`, title: `Phase ${n}` })),
    tasks: tasks.map((t) => ({ phase: 1, role: 'technician', when: 'day 1', title: `Do ${t.key}`, guidance: `How to do ${t.key}.`, ...t })),
    ...extra,
  };
}

export function buildPlaybook(tasks: TaskData[], extra: Record<string, unknown> = {}): Playbook {
  return validatePlaybook(buildPlaybookData(tasks, extra));
}
