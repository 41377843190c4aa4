/** Reading the inputs the CLI is given: playbooks and offboarding cases from files. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../domain/errors.ts';
import { type OffboardingFacts, parseCase } from '../domain/offboarding-case.ts';
import { type Playbook, parsePlaybook } from '../domain/playbook.ts';

export const DEFAULT_PLAYBOOK_PATH = fileURLToPath(new URL('../../playbooks/default.yaml', import.meta.url));
export const SAMPLE_CASE_PATH = fileURLToPath(new URL('../../examples/sample-case.yaml', import.meta.url));

/** Reads a text file; a missing or unreadable file is bad input naming the option it came from. */
export function readInputFile(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : 'cannot be read';
    throw new InputError(`cannot read ${path}`, [{ path: field, message: `${path}: ${why}` }]);
  }
}

/** Wraps a parse so its issues say which file they are about. */
function inFile<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError) {
      const wrapped = new InputError(`${path}: ${error.message}`, error.details, error.code);
      throw wrapped;
    }
    throw error;
  }
}

export function loadPlaybook(path: string = DEFAULT_PLAYBOOK_PATH, field = '--playbook'): Playbook {
  const text = readInputFile(path, field);
  return inFile(path, () => parsePlaybook(text));
}

export function loadCase(path: string, field = '--case'): OffboardingFacts {
  const text = readInputFile(path, field);
  return inFile(path, () => parseCase(text));
}
