/** What a documentation platform's reader yields: items, credentials to set aside, and rows it could not use. */
import type { DocumentationSection, ItemOwner } from '../../domain/documentation.ts';

export const DOCUMENTATION_PLATFORMS = ['itglue', 'hudu', 'itflow'] as const;
export type DocumentationPlatform = (typeof DOCUMENTATION_PLATFORMS)[number];

export type ImportedItem = {
  /** The platform's id (or the file's), prefixed by its kind so ids of different lists never meet. */
  externalId: string;
  section: DocumentationSection;
  name: string;
  /** Raw field values; the import checks them against the section's schema. */
  fields: Record<string, unknown>;
  /** Only files say who owns their rows; platforms leave it to the register. */
  owner?: ItemOwner | undefined;
};

/** A password found by an import: handed to the credential vault, never kept with the documentation. */
export type FoundCredential = {
  externalId: string;
  name: string;
  username?: string | undefined;
  url?: string | undefined;
  password: string;
  otpSecret?: string | undefined;
  notes?: string | undefined;
  /** The platform's words for what it is (a category, a folder): the vault guesses the kind from them. */
  category?: string | undefined;
  /** Only files say whose it is. */
  owner?: 'client' | 'msp' | 'vendor' | undefined;
};

/** A row the import could not use: where it was, which field, and why. */
export type RowProblem = { row: string; field: string; reason: string };

export type ImportBatch = {
  items: ImportedItem[];
  credentials: FoundCredential[];
  problems: RowProblem[];
  /** Rows deliberately left out (archived, drafts), counted. */
  skipped?: number;
  /** What is being read, for the progress line: "configurations, page 3 of 12". */
  stage: string;
  /** Rows this list has in all, when the platform says: on a list's first batch only, so the totals add up. */
  total?: number | undefined;
};

export type PlatformAccess = { baseUrl: string; key: string; organization?: string | undefined };

/** The client as the platform may know it: by name or by its id in a PSA the platform syncs with. */
export type ClientHint = { name: string; psaIds: Record<string, string> };

/** The platform (or file) said no, or said something unusable; `field` is the input to fix (url, key, organization, file). */
export class PlatformError extends Error {
  readonly field: string;
  /** The platform's HTTP status, when it answered with one. */
  readonly status: number | undefined;
  constructor(message: string, field: string, status?: number) {
    super(message);
    this.name = 'PlatformError';
    this.field = field;
    this.status = status;
  }
}

/** Text of a value a platform sent, or undefined when empty; numbers become text. */
export function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
