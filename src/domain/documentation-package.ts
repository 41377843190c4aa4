/**
 * What goes into a documentation package, and where: the audience rule (the client gets every
 * item it may have, the new provider only what the client's authorization lets it have, so the
 * client always receives everything the new provider receives), the folders that keep
 * client-owned, MSP-owned and third-party items apart, and safe, unique paths. Pure.
 */
import type { DocumentationSection, ItemOwner } from './documentation.ts';

export const PACKAGE_AUDIENCES = ['client', 'new-provider'] as const;
export type PackageAudience = (typeof PACKAGE_AUDIENCES)[number];

/** The folder of each owner's items in the zip. */
export const OWNER_FOLDERS: Record<ItemOwner, string> = {
  client: 'client-owned',
  msp: 'msp-owned',
  'third-party': 'third-party-owned',
};

export const OWNER_WORDS: Record<ItemOwner, string> = { client: 'the client', msp: 'the MSP', 'third-party': 'third parties' };

export const SECTION_TITLES: Record<DocumentationSection, string> = {
  devices: 'Devices and assets',
  networks: 'Networks',
  domains: 'Domains',
  'dns-zones': 'DNS zones',
  vendors: 'Vendors and contacts',
  licenses: 'Licenses and subscriptions',
  applications: 'Applications',
  runbooks: 'Runbooks and articles',
  files: 'Files',
};

export const AUDIENCE_WORDS: Record<PackageAudience, string> = { client: 'the client', 'new-provider': 'the new provider' };

/**
 * Whether an item goes into a package for this audience. MSP-internal items and items nobody owns
 * yet never leave; the new provider gets the client's and third parties' items (the client's to
 * hand over), never the MSP's own, and only when the client's authorization covers the documentation.
 */
export function itemGoesTo(
  item: { owner: ItemOwner | null; mspInternal: boolean },
  audience: PackageAudience,
  documentationAuthorized: boolean,
): boolean {
  if (item.mspInternal || item.owner === null) return false;
  if (audience === 'client') return true;
  return documentationAuthorized && item.owner !== 'msp';
}

/** A name safe as one path segment in any unzip tool: no separators, controls, dots-only or reserved characters. */
export function safeSegment(name: string, fallback = 'item'): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '_')
    .slice(0, 120)
    .trim();
  return cleaned === '' ? fallback : cleaned;
}

/** Gives each path once: a second "diagram.pdf" in the same folder becomes "diagram (2).pdf". */
export function uniquePaths(): (path: string) => string {
  const taken = new Set<string>();
  return (path) => {
    let candidate = path;
    const dot = path.lastIndexOf('.');
    const slash = path.lastIndexOf('/');
    const [stem, ext] = dot > slash + 1 ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}

/**
 * A zip without ZIP64 addresses at most 4 GiB: the bytes of the files plus, per file, a local
 * header (30 bytes + name), a data descriptor (16) and a central directory entry (46 + name), and
 * the end record (22).
 */
export const ZIP32_LIMIT = 0xffff_ffff;

const utf8 = new TextEncoder();

export function zipSize(entries: readonly { path: string; size: number }[]): number {
  let total = 22;
  for (const e of entries) {
    const name = utf8.encode(e.path).length;
    total += e.size + 30 + name + 16 + 46 + name;
  }
  return total;
}
