/** Shared parsing for inputs given as text: YAML (a superset of JSON) and zod issues as `path: message`. */
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Issue, type InputError, pathToString } from './errors.ts';

export function zodIssues(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  const add = (issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...issue.path];
    // A union whose members all failed: report the member that got furthest, not "invalid input".
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      if (deepest(best) > 0 || best.length === 1) {
        for (const inner of best) add(inner, path);
        return;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: pathToString([...path, key]), message: 'unknown field' });
      return;
    }
    out.push({ path: pathToString(path), message: messageOf(issue) });
  };
  for (const issue of error.issues) add(issue, []);
  return out;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input !== undefined) return `expected ${issue.expected}, got ${describe(issue.input)}`;
      // Without reportInput the value is not at hand, but zod's message still says what it received.
      const received = /received (\w+)$/.exec(issue.message)?.[1];
      return received && received !== 'undefined' ? `expected ${issue.expected}, got ${received}` : 'is required';
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** `tasks[3].dependsOn[0]` -> ['tasks', 3, 'dependsOn', 0]. */
function pathParts(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] as string));
  return parts;
}

/**
 * Parses YAML or JSON text. Syntax errors become an InputError built by `makeError`, with
 * their line and column; `locate` says on which line a path's value stands.
 */
export function parseYamlDocument(
  text: string,
  makeError: (issues: Issue[]) => InputError,
): { data: unknown; locate: (path: string) => string | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw makeError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : '';
        const message = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: where, message };
      }),
    );
  }
  const locate = (path: string): string | undefined => {
    const parts = pathParts(path);
    while (parts.length > 0) {
      const node: unknown = doc.getIn(parts, true);
      if (isNode(node) && node.range) return `line ${lineCounter.linePos(node.range[0]).line}`;
      parts.pop();
    }
    return undefined;
  };
  return { data: doc.toJS({ maxAliasCount: 100 }), locate };
}
