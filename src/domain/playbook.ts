/**
 * The playbook format: a versioned template of tasks, written in YAML. The zod schema is the
 * single source for validation, the TypeScript types and the JSON Schema editors use.
 */
import { z } from 'zod';
import { isLocalTime } from './calendar.ts';
import { type Issue, PlaybookInvalidError } from './errors.ts';
import { parseYamlDocument, zodIssues } from './parse.ts';
import {
  AUTHORIZATION_SCOPES,
  type AuthorizationScope,
  FIREWALL_OWNERSHIP,
  GATES,
  OFFBOARDING_TYPES,
  SERVICES,
  TASK_ROLES,
  type Gate,
} from './vocabulary.ts';

export type Condition = {
  service?: (typeof SERVICES)[number] | (typeof SERVICES)[number][] | undefined;
  firewall?: (typeof FIREWALL_OWNERSHIP)[number][] | undefined;
  type?: (typeof OFFBOARDING_TYPES)[number][] | undefined;
  newProvider?: boolean | undefined;
  anyOf?: Condition[] | undefined;
  allOf?: Condition[] | undefined;
  not?: Condition | undefined;
};

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(item).min(1));

export const ConditionSchema: z.ZodType<Condition> = z
  .object({
    service: oneOrMany(z.enum(SERVICES)).optional().describe('Holds when the MSP provides every service listed for this client.'),
    firewall: listOf(z.enum(FIREWALL_OWNERSHIP)).optional().describe('Holds when the client firewall ownership is one of these.'),
    type: listOf(z.enum(OFFBOARDING_TYPES)).optional().describe('Holds when the offboarding type is one of these.'),
    newProvider: z.boolean().optional().describe('true: a new provider is named; false: none is.'),
    get anyOf() {
      return z.array(ConditionSchema).min(1).optional().describe('Holds when any of these holds.');
    },
    get allOf() {
      return z.array(ConditionSchema).min(1).optional().describe('Holds when all of these hold.');
    },
    get not() {
      return ConditionSchema.optional().describe('Holds when this does not.');
    },
  })
  .strict()
  .describe('A condition over the service profile, the offboarding type and whether a new provider is set. Every field given must hold.');

export const WHEN_PATTERN = /^(day ([1-9]\d{0,2})|on (revocation|end)|after end\+(\d{1,4})d|retention)$/;
export const LATEST_PATTERN = /^(end(-(\d{1,3}))?|none)$/;
export const KEY_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const Key = z.string().regex(KEY_PATTERN, 'must be lower-case words joined by hyphens, like "dns-transfer"');

const GateSchema = z.enum(GATES);
const GateRequirementSchema = z.union([
  GateSchema,
  z
    .object({
      gate: GateSchema,
      only: ConditionSchema.optional().describe('The gate applies only when this holds.'),
      scope: z
        .enum(AUTHORIZATION_SCOPES)
        .optional()
        .describe(
          'For the authorization gate: what the authorization must cover (the task gives the new provider something of this kind).',
        ),
    })
    .strict()
    .refine((g) => g.scope === undefined || g.gate === 'authorization', {
      message: 'only the authorization gate has a scope',
      path: ['scope'],
    }),
]);

export const TaskSchema = z
  .object({
    key: Key.describe('Stable identifier of the task; other tasks name it in dependsOn.'),
    title: z.string().trim().min(1, 'must not be empty'),
    phase: z.number().int().min(1),
    role: z.enum(TASK_ROLES).describe('Who does it; the offboarding assigns it to the client team member in this role.'),
    when: z
      .string()
      .regex(WHEN_PATTERN, 'must be "day N", "on revocation", "on end", "after end+Nd" or "retention"')
      .describe('The target: "day N" (Nth business day of the offboarding), "on revocation", "on end", "after end+Nd", "retention".'),
    latest: z
      .string()
      .regex(LATEST_PATTERN, 'must be "end", "end-K" or "none"')
      .optional()
      .describe("Due no later than this; defaults to the phase's latest."),
    dependsOn: listOf(Key).optional().describe('Tasks that must be done first; ones excluded from a plan by their condition are dropped.'),
    only: ConditionSchema.optional().describe('The task is in the plan only when this holds.'),
    gates: z.array(GateRequirementSchema).optional().describe('Preconditions proven by an attestation before the task can be done.'),
    provides: z
      .array(GateSchema)
      .optional()
      .describe('Ignored, kept so older playbooks still read: completing a task never opens a gate; only a party’s statement does.'),
    evidence: z.array(z.string().trim().min(1)).optional().describe('What to attach as proof that it was done.'),
    checklist: z.array(z.string().trim().min(1)).optional().describe('Steps to tick off.'),
    guidance: z.string().trim().min(1, 'must not be empty').describe('What to do and check, for the person doing it.'),
  })
  .strict();

export const PhaseSchema = z
  .object({
    number: z.number().int().min(1),
    key: Key,
    title: z.string().trim().min(1, 'must not be empty'),
    days: z
      .tuple([z.number().int().min(1), z.number().int().min(1)])
      .optional()
      .describe('Business days of the offboarding the phase spans, for display.'),
    latest: z
      .string()
      .regex(LATEST_PATTERN, 'must be "end", "end-K" or "none"')
      .optional()
      .describe('Default latest for its tasks: "end" for phases 1-5 and "none" after, unless given.'),
  })
  .strict();

export const PlaybookSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().trim().min(1, 'must not be empty'),
    version: z.number().int().min(1).default(1),
    description: z.string().optional(),
    dueTime: z
      .string()
      .refine(isLocalTime, 'must be a time of day HH:MM')
      .default('17:00')
      .describe('Local time of day at which tasks fall due.'),
    retentionDays: z
      .number()
      .int()
      .min(0)
      .default(180)
      .describe('Days after the end date that "retention" means, unless the offboarding says otherwise.'),
    phases: z.array(PhaseSchema).min(1),
    tasks: z.array(TaskSchema).min(1),
  })
  .strict();

export type PlaybookInput = z.input<typeof PlaybookSchema>;
type ParsedPlaybook = z.output<typeof PlaybookSchema>;
type ParsedTask = z.output<typeof TaskSchema>;

export type When =
  { kind: 'day'; day: number } | { kind: 'on'; anchor: 'revocation' | 'end' } | { kind: 'after-end'; days: number } | { kind: 'retention' };
export type Latest = { kind: 'end'; minus: number } | { kind: 'none' };
export type GateRequirement = { gate: Gate; only?: Condition | undefined; scope?: AuthorizationScope | undefined };

export type PlaybookTask = Omit<ParsedTask, 'when' | 'latest' | 'gates' | 'dependsOn' | 'evidence' | 'checklist' | 'provides'> & {
  when: When;
  whenText: string;
  latest: Latest;
  dependsOn: string[];
  gates: GateRequirement[];
  evidence: string[];
  checklist: string[];
};

export type Phase = ParsedPlaybook['phases'][number];

export type Playbook = Omit<ParsedPlaybook, 'tasks' | '$schema'> & {
  tasks: PlaybookTask[];
  /** Task indexes in an order where every dependency comes before its dependents. */
  order: number[];
};

export function parseWhen(text: string): When {
  const m = WHEN_PATTERN.exec(text);
  if (!m) throw new Error(`not a when: ${text}`);
  if (m[2] !== undefined) return { kind: 'day', day: Number(m[2]) };
  if (m[3] !== undefined) return { kind: 'on', anchor: m[3] as 'revocation' | 'end' };
  if (m[4] !== undefined) return { kind: 'after-end', days: Number(m[4]) };
  return { kind: 'retention' };
}

export function parseLatest(text: string): Latest {
  const m = LATEST_PATTERN.exec(text);
  if (!m) throw new Error(`not a latest: ${text}`);
  if (text === 'none') return { kind: 'none' };
  return { kind: 'end', minus: m[3] === undefined ? 0 : Number(m[3]) };
}

/** Finds one dependency cycle per strongly connected group; each listed as a -> b -> ... -> a. */
export function findCycles(tasks: readonly { key: string; dependsOn: readonly string[] }[]): string[][] {
  const deps = new Map<string, readonly string[]>();
  for (const t of tasks) if (!deps.has(t.key)) deps.set(t.key, t.dependsOn);
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (key: string): void => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      const s = state.get(dep);
      if (s === 'visiting') cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (s === undefined) visit(dep);
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const key of deps.keys()) if (!state.has(key)) visit(key);
  return cycles;
}

type LooseView = {
  phases: { number: unknown }[];
  tasks: ({ key: string; phase: unknown; dependsOn: string[] } | undefined)[];
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Just enough of a playbook's shape for the cross-task checks, even when other fields are wrong. */
function looseView(data: unknown): LooseView {
  const root = isRecord(data) ? data : {};
  const phases = Array.isArray(root.phases) ? root.phases.map((p) => ({ number: isRecord(p) ? p.number : undefined })) : [];
  const tasks = Array.isArray(root.tasks)
    ? root.tasks.map((t) => {
        if (!isRecord(t) || typeof t.key !== 'string') return undefined;
        const deps = typeof t.dependsOn === 'string' ? [t.dependsOn] : Array.isArray(t.dependsOn) ? t.dependsOn : [];
        return { key: t.key, phase: t.phase, dependsOn: deps.filter((d): d is string => typeof d === 'string') };
      })
    : [];
  return { phases, tasks };
}

function semanticIssues(playbook: LooseView): Issue[] {
  const issues: Issue[] = [];
  const phaseNumbers = new Set<number>();
  playbook.phases.forEach((p, i) => {
    if (typeof p.number !== 'number') return;
    if (phaseNumbers.has(p.number)) issues.push({ path: `phases[${i}].number`, message: `duplicate phase number ${p.number}` });
    phaseNumbers.add(p.number);
  });
  const firstIndex = new Map<string, number>();
  playbook.tasks.forEach((t, i) => {
    if (!t) return;
    const seen = firstIndex.get(t.key);
    if (seen !== undefined) issues.push({ path: `tasks[${i}].key`, message: `duplicate task key "${t.key}" (also tasks[${seen}])` });
    else firstIndex.set(t.key, i);
  });
  playbook.tasks.forEach((t, i) => {
    if (!t) return;
    if (typeof t.phase === 'number' && phaseNumbers.size > 0 && !phaseNumbers.has(t.phase)) {
      issues.push({ path: `tasks[${i}].phase`, message: `unknown phase ${t.phase}; the phases are ${[...phaseNumbers].join(', ')}` });
    }
    t.dependsOn.forEach((dep, j) => {
      if (dep === t.key) issues.push({ path: `tasks[${i}].dependsOn[${j}]`, message: `"${t.key}" cannot depend on itself` });
      else if (!firstIndex.has(dep)) issues.push({ path: `tasks[${i}].dependsOn[${j}]`, message: `unknown task "${dep}"` });
    });
  });
  const graph = playbook.tasks.flatMap((t) => (t ? [{ key: t.key, dependsOn: t.dependsOn.filter((d) => d !== t.key) }] : []));
  for (const cycle of findCycles(graph)) {
    const start = cycle[0] as string;
    issues.push({ path: `tasks[${firstIndex.get(start) ?? 0}].dependsOn`, message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
  return issues;
}

function topologicalOrder(tasks: readonly PlaybookTask[]): number[] {
  const indexOf = new Map(tasks.map((t, i) => [t.key, i] as const));
  const order: number[] = [];
  const placed = new Set<number>();
  const place = (i: number): void => {
    if (placed.has(i)) return;
    placed.add(i);
    for (const dep of (tasks[i] as PlaybookTask).dependsOn) {
      const j = indexOf.get(dep);
      if (j !== undefined) place(j);
    }
    order.push(i);
  };
  tasks.forEach((_, i) => place(i));
  return order;
}

function normalize(parsed: ParsedPlaybook): Playbook {
  const latestByPhase = new Map(parsed.phases.map((p) => [p.number, p.latest ?? (p.number <= 5 ? 'end' : 'none')]));
  const tasks: PlaybookTask[] = parsed.tasks.map((t) => ({
    key: t.key,
    title: t.title,
    phase: t.phase,
    role: t.role,
    whenText: t.when,
    when: parseWhen(t.when),
    latest: parseLatest(t.latest ?? latestByPhase.get(t.phase) ?? 'none'),
    dependsOn: [...new Set(t.dependsOn ?? [])],
    only: t.only,
    gates: (t.gates ?? []).map((g) => (typeof g === 'string' ? { gate: g } : g)),
    evidence: t.evidence ?? [],
    checklist: t.checklist ?? [],
    guidance: t.guidance,
  }));
  const { $schema: _ignored, ...rest } = parsed;
  return { ...rest, tasks, order: topologicalOrder(tasks) };
}

/**
 * Validates a playbook given as plain data (parsed YAML or JSON). Reports every problem it
 * finds, each with its path; `locate` may add where in the source text the path is.
 */
export function validatePlaybook(data: unknown, locate?: (path: string) => string | undefined): Playbook {
  const result = PlaybookSchema.safeParse(data, { reportInput: true });
  // Structural problems and cross-task problems are reported together, so one run shows them all.
  const issues: Issue[] = [...(result.success ? [] : zodIssues(result.error)), ...semanticIssues(looseView(data))];
  if (issues.length > 0) {
    throw new PlaybookInvalidError(
      issues.map((i) => {
        const where = locate?.(i.path);
        return where ? { path: i.path, message: `${i.message} (${where})` } : i;
      }),
    );
  }
  if (!result.success) throw new PlaybookInvalidError([{ path: '', message: 'invalid playbook' }]);
  return normalize(result.data);
}

/** Parses and validates a playbook from YAML (or JSON, which is YAML) text. */
export function parsePlaybook(text: string): Playbook {
  const { data, locate } = parseYamlDocument(text, (issues) => new PlaybookInvalidError(issues));
  return validatePlaybook(data, locate);
}

/** The JSON Schema of the playbook format, for editors. */
export function playbookJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlaybookSchema, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'urn:offboard:playbook:v1',
    title: 'offboard playbook',
    description: 'A versioned template of offboarding tasks. See playbooks/default.yaml.',
  };
}
