/**
 * A client's documentation: the sections an incoming provider needs (DESIGN.md "documentation"),
 * the fields each section keeps, who owns each item, and the ownership register's rule. Pure:
 * the use cases store what these schemas accept.
 */
import { z } from 'zod';

export {
  DOCUMENTATION_SECTIONS,
  type DocumentationSection,
  ITEM_OWNERS,
  type ItemOwner,
  SECTION_COLUMNS,
} from './documentation-columns.ts';
import type { DocumentationSection, ItemOwner } from './documentation-columns.ts';

/** Where an item came from: typed in, or the platform (or file) it was imported from. */
export const DOCUMENTATION_SOURCES = ['manual', 'itglue', 'hudu', 'itflow', 'csv', 'xlsx'] as const;
export type DocumentationSource = (typeof DOCUMENTATION_SOURCES)[number];

const text = (max = 500) => z.string().trim().max(max);
const optionalText = (max = 500) => text(max).optional();

/** The fields of each section, beside the item's name (every section has one). Unknown fields are refused. */
export const SECTION_FIELDS = {
  devices: z
    .object({
      type: optionalText(100),
      make: optionalText(100),
      model: optionalText(100),
      serial: optionalText(100),
      os: optionalText(200),
      hostname: optionalText(253),
      ip: optionalText(100),
      location: optionalText(200),
    })
    .strict(),
  networks: z
    .object({
      vlan: optionalText(20),
      subnet: optionalText(100),
      gateway: optionalText(100),
      dhcp: optionalText(200),
      site: optionalText(200),
    })
    .strict(),
  domains: z
    .object({
      registrar: optionalText(200),
      dnsHost: optionalText(200),
      expiry: z.iso.date('must be a date like 2027-03-31').optional(),
    })
    .strict(),
  'dns-zones': z
    .object({
      /** The zone's records in master-file form (RFC 1035 section 5). */
      records: optionalText(1_000_000),
    })
    .strict(),
  vendors: z
    .object({
      supportPhone: optionalText(100),
      accountNumber: optionalText(100),
      contact: optionalText(200),
      email: optionalText(254),
      website: optionalText(500),
    })
    .strict(),
  licenses: z
    .object({
      product: optionalText(200),
      quantity: z.number().int().min(0).max(10_000_000).optional(),
      renewal: z.iso.date('must be a date like 2027-03-31').optional(),
      paidBy: optionalText(200),
    })
    .strict(),
  applications: z
    .object({
      vendor: optionalText(200),
      version: optionalText(100),
      notes: optionalText(5_000),
    })
    .strict(),
  runbooks: z
    .object({
      /** Markdown. */
      body: optionalText(1_000_000),
    })
    .strict(),
  files: z
    .object({
      description: optionalText(2_000),
    })
    .strict(),
} as const satisfies Record<DocumentationSection, z.ZodType>;

export type SectionFields = { [S in DocumentationSection]: z.output<(typeof SECTION_FIELDS)[S]> };

/** An item as the rules see it (`n`: this many items alike, when counted by the database). */
export type RegisterItem = { section: DocumentationSection; owner: ItemOwner | null; mspInternal: boolean; n?: number };

export type RegisterSummary = {
  items: number;
  unowned: number;
  byOwner: Record<ItemOwner, number>;
  mspInternal: number;
};

export function summarizeRegister(items: readonly RegisterItem[]): RegisterSummary {
  const byOwner: Record<ItemOwner, number> = { client: 0, msp: 0, 'third-party': 0 };
  let unowned = 0;
  let mspInternal = 0;
  let total = 0;
  for (const item of items) {
    const n = item.n ?? 1;
    total += n;
    if (item.owner === null) unowned += n;
    else byOwner[item.owner] += n;
    if (item.mspInternal) mspInternal += n;
  }
  return { items: total, unowned, byOwner, mspInternal };
}

/**
 * Why the ownership register is not complete, in words, or undefined when it is: complete means
 * the client has documentation and every item of it has an owner (an empty register proves nothing).
 */
export function registerGap(summary: RegisterSummary): string | undefined {
  if (summary.items === 0) return 'the client has no documentation yet: import or add it, then give every item an owner';
  if (summary.unowned > 0)
    return `${summary.unowned} of ${summary.items} documentation item${summary.items === 1 ? ' has' : 's have'} no owner yet`;
  return undefined;
}
