/**
 * What a documentation package holds, file by file: the PDF a person reads first (cover letter,
 * contents, a summary of each section, the network and IP tables), each owner's sections as CSV
 * and JSON, runbooks as Markdown, DNS zones as zone files, the stored files, and `manifest.json`
 * listing every other file with its SHA-256, size, section and owner. Generated files are small
 * (tables of text); the stored files are only referenced by digest here and read when zipped.
 */
import { stringify } from 'csv-stringify/sync';
import {
  DOCUMENTATION_SECTIONS,
  type DocumentationSection,
  ITEM_OWNERS,
  type ItemOwner,
  SECTION_COLUMNS,
} from '../../domain/documentation.ts';
import {
  AUDIENCE_WORDS,
  OWNER_FOLDERS,
  OWNER_WORDS,
  type PackageAudience,
  SECTION_TITLES,
  safeSegment,
  uniquePaths,
} from '../../domain/documentation-package.ts';
import type { DocumentationItemRow } from '../../storage/documentation-repository.ts';
import type { PackageEntry } from '../../storage/schema.ts';
import { sha256Hex } from '../digest.ts';
import { pdfWriter } from '../pdf-writer.ts';

/** An item as the package sees it: owned, and not MSP-internal (the caller chose them). */
export type PackagedItem = Pick<
  DocumentationItemRow,
  'id' | 'section' | 'name' | 'fields' | 'source' | 'externalId' | 'fileSha256' | 'fileName' | 'fileSize' | 'mediaType'
> & { owner: ItemOwner };

export type PackageFacts = {
  msp: string;
  client: string;
  newProvider: string | null;
  audience: PackageAudience;
  version: number;
  builtAt: string;
  endDate: string;
};

/** A file the package generates, with its bytes. */
export type GeneratedFile = { path: string; bytes: Uint8Array; section: string | null; owner: string | null };

export type PackageContent = {
  /** Generated files (to be stored as blobs), the manifest last. */
  generated: GeneratedFile[];
  /** Every entry of the zip in order: the generated files and the stored files. */
  entries: PackageEntry[];
  manifestSha256: string;
  counts: Record<string, number>;
};

const utf8 = new TextEncoder();
const text = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

function grouped(items: readonly PackagedItem[]): Map<ItemOwner, Map<DocumentationSection, PackagedItem[]>> {
  const by = new Map<ItemOwner, Map<DocumentationSection, PackagedItem[]>>();
  for (const item of items) {
    const sections = by.get(item.owner) ?? new Map<DocumentationSection, PackagedItem[]>();
    by.set(item.owner, sections);
    const section = item.section as DocumentationSection;
    sections.set(section, [...(sections.get(section) ?? []), item]);
  }
  return by;
}

function sectionCsv(section: DocumentationSection, items: readonly PackagedItem[]): Uint8Array {
  const columns = SECTION_COLUMNS[section];
  const fileColumns = section === 'files' ? ['File', 'Size (bytes)', 'SHA-256'] : [];
  return utf8.encode(
    stringify(
      items.map((i) => [
        i.name,
        ...columns.map(([key]) => text(i.fields[key])),
        ...(section === 'files' ? [i.fileName ?? '', text(i.fileSize), i.fileSha256 ?? ''] : []),
        i.source,
        i.externalId ?? '',
        i.id,
      ]),
      { header: true, columns: ['Name', ...columns.map(([, heading]) => heading), ...fileColumns, 'Source', 'Source id', 'Id'] },
    ),
  );
}

function sectionJson(items: readonly PackagedItem[]): Uint8Array {
  return utf8.encode(
    `${JSON.stringify(
      items.map((i) => ({
        id: i.id,
        name: i.name,
        owner: i.owner,
        fields: i.fields,
        source: i.source,
        sourceId: i.externalId,
        ...(i.fileSha256 ? { file: { name: i.fileName, size: i.fileSize, mediaType: i.mediaType, sha256: i.fileSha256 } } : {}),
      })),
      null,
      2,
    )}\n`,
  );
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

/** Orders IPv4 addresses by number, anything else after them by text. */
function ipKey(ip: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/.exec(ip.trim());
  return m
    ? `0${m
        .slice(1, 5)
        .map((n) => n.padStart(3, '0'))
        .join('.')}`
    : `1${ip}`;
}

/** Each section in a sentence: how many items and whose. */
export function sectionSummary(section: DocumentationSection, items: readonly PackagedItem[]): string {
  const owners = ITEM_OWNERS.map((o) => [o, items.filter((i) => i.owner === o).length] as const).filter(([, n]) => n > 0);
  const whose = owners.map(([o, n]) => `${OWNER_WORDS[o]} ${n}`).join(', ');
  const extra = (() => {
    switch (section) {
      case 'devices': {
        const withIp = items.filter((i) => text(i.fields.ip) !== '').length;
        return ` ${withIp} with an IP address, listed in the IP table.`;
      }
      case 'networks':
        return ' Listed in the network table.';
      case 'domains': {
        const expiring = items
          .map((i) => text(i.fields.expiry))
          .filter((d) => d !== '')
          .sort()[0];
        return expiring ? ` The first to expire does so on ${expiring}.` : '';
      }
      case 'files': {
        const bytes = items.reduce((sum, i) => sum + (i.fileSize ?? 0), 0);
        return ` ${(bytes / 1024 / 1024).toFixed(1)} MB in all.`;
      }
      case 'dns-zones':
      case 'vendors':
      case 'licenses':
      case 'applications':
      case 'runbooks':
        return '';
    }
  })();
  return `${SECTION_TITLES[section]}: ${items.length} item${items.length === 1 ? '' : 's'} (${whose}).${extra}`;
}

async function packagePdf(facts: PackageFacts, items: readonly PackagedItem[], paths: readonly string[]): Promise<Uint8Array> {
  const pdf = await pdfWriter({
    title: `Documentation of ${facts.client}, package version ${facts.version}`,
    author: facts.msp,
    subject: `for ${AUDIENCE_WORDS[facts.audience]}`,
    at: new Date(facts.builtAt),
    tables: true,
  });
  const { write, space, bold, table, newPage } = pdf;
  const recipient = facts.audience === 'client' ? facts.client : (facts.newProvider ?? 'the new provider');
  write(`Documentation of ${facts.client}`, bold, 18, 8);
  write(`Package version ${facts.version}, prepared by ${facts.msp} for ${recipient} on ${facts.builtAt.slice(0, 10)}`, bold, 11);
  space();
  write(`To ${recipient},`);
  write(
    facts.audience === 'client'
      ? `This package holds the documentation of your IT environment that ${facts.msp} kept while it was your IT provider, for the hand-over ending ${facts.endDate}. It is yours: what you own, what third parties provide to you, and what ${facts.msp} itself owns and used for your systems, each in its own folder.`
      : `${facts.client} authorized ${facts.msp} to hand you the documentation of its IT environment for the transition ending ${facts.endDate}. This package holds what ${facts.client} owns and what third parties provide to it; ${facts.client} received a copy of everything in it.`,
  );
  write(
    `Items owned by ${facts.client} are in ${OWNER_FOLDERS.client}/, items of third parties (vendors, registrars, carriers) in ${OWNER_FOLDERS['third-party']}/${facts.audience === 'client' ? `, and items that belong to ${facts.msp} in ${OWNER_FOLDERS.msp}/` : ''}. Each section is there as CSV (for spreadsheets) and JSON (for tools). manifest.json lists every file with its size and SHA-256; ${facts.msp} recorded the manifest's digest in its signed log, so anyone can check that the files are the ones delivered.`,
  );
  write(`Items the MSP keeps for its own use and passwords are not in this package; credentials are handed over separately.`);
  space();
  write('Contents', bold, 13, 6);
  const sections = DOCUMENTATION_SECTIONS.map((s) => [s, items.filter((i) => i.section === s)] as const).filter(
    ([, list]) => list.length > 0,
  );
  for (const [section, list] of sections) write(`${SECTION_TITLES[section]}: ${list.length}`);
  write(`${paths.length + 1} files in all, with this document and manifest.json.`);
  space();
  write('Sections', bold, 13, 6);
  for (const [section, list] of sections) write(sectionSummary(section, list));
  const networks = items.filter((i) => i.section === 'networks').sort(byName);
  if (networks.length > 0) {
    newPage();
    write('Network table', bold, 13, 6);
    table(
      [
        { heading: 'Network', share: 3 },
        { heading: 'VLAN', share: 1 },
        { heading: 'Subnet', share: 2 },
        { heading: 'Gateway', share: 2 },
        { heading: 'DHCP', share: 2 },
        { heading: 'Site', share: 2 },
      ],
      networks.map((n) => [n.name, ...['vlan', 'subnet', 'gateway', 'dhcp', 'site'].map((k) => text(n.fields[k]))]),
    );
  }
  const addressed = items
    .filter((i) => i.section === 'devices' && text(i.fields.ip) !== '')
    .sort((a, b) => ipKey(text(a.fields.ip)).localeCompare(ipKey(text(b.fields.ip))) || byName(a, b));
  if (addressed.length > 0) {
    space(16);
    write('IP table', bold, 13, 6);
    table(
      [
        { heading: 'IP', share: 2 },
        { heading: 'Device', share: 3 },
        { heading: 'Hostname', share: 3 },
        { heading: 'Type', share: 2 },
        { heading: 'Location', share: 2 },
      ],
      addressed.map((d) => [text(d.fields.ip), d.name, text(d.fields.hostname), text(d.fields.type), text(d.fields.location)]),
    );
  }
  newPage();
  write('Files in this package', bold, 13, 6);
  for (const path of paths) write(path, pdf.regular, 8, 2);
  return pdf.save();
}

/** Items that are a document of their own: a runbook as Markdown, a DNS zone as its zone file. */
function ownText(section: DocumentationSection, item: PackagedItem): { ext: string; fallback: string; content: string } | undefined {
  if (section === 'runbooks' && text(item.fields.body) !== '')
    return { ext: '.md', fallback: 'runbook', content: `# ${item.name}\n\n${text(item.fields.body)}\n` };
  if (section === 'dns-zones' && text(item.fields.records) !== '')
    return { ext: '.zone', fallback: 'zone', content: `${text(item.fields.records)}\n` };
  return undefined;
}

/** The package's files for these items, in a fixed order: the same items and facts give the same bytes. */
export async function packageContent(facts: PackageFacts, chosen: readonly PackagedItem[]): Promise<PackageContent> {
  const items = [...chosen].sort(byName);
  const unique = uniquePaths();
  const generated: GeneratedFile[] = [];
  const stored: PackageEntry[] = [];
  const counts: Record<string, number> = { items: items.length };
  for (const [owner, sections] of [...grouped(items)].sort(([a], [b]) => ITEM_OWNERS.indexOf(a) - ITEM_OWNERS.indexOf(b))) {
    const folder = OWNER_FOLDERS[owner];
    for (const section of DOCUMENTATION_SECTIONS) {
      const list = sections.get(section);
      if (!list) continue;
      counts[`${owner}.${section}`] = list.length;
      counts[owner] = (counts[owner] ?? 0) + list.length;
      generated.push({ path: unique(`${folder}/${section}.csv`), bytes: sectionCsv(section, list), section, owner });
      generated.push({ path: unique(`${folder}/${section}.json`), bytes: sectionJson(list), section, owner });
      for (const item of list) {
        const own = ownText(section, item);
        if (own)
          generated.push({
            path: unique(`${folder}/${section}/${safeSegment(item.name, own.fallback)}${own.ext}`),
            bytes: utf8.encode(own.content),
            section,
            owner,
          });
        if (item.fileSha256 && item.fileSize !== null)
          stored.push({
            path: unique(`${folder}/files/${safeSegment(item.fileName ?? item.name, 'file')}`),
            sha256: item.fileSha256,
            size: item.fileSize,
            section,
            owner,
          });
      }
    }
  }
  const listed = [...generated.map((g) => g.path), ...stored.map((s) => s.path)];
  const pdf: GeneratedFile = { path: 'documentation.pdf', bytes: await packagePdf(facts, items, listed), section: null, owner: null };
  const files: PackageEntry[] = [pdf, ...generated].map((g) => ({
    path: g.path,
    sha256: sha256Hex(g.bytes),
    size: g.bytes.length,
    section: g.section,
    owner: g.owner,
  }));
  files.push(...stored);
  counts.files = files.length + 1;
  const manifest = utf8.encode(
    `${JSON.stringify(
      {
        package: {
          client: facts.client,
          preparedBy: facts.msp,
          for: facts.audience === 'client' ? facts.client : (facts.newProvider ?? 'the new provider'),
          audience: facts.audience,
          version: facts.version,
          builtAt: facts.builtAt,
          items: items.length,
        },
        files,
      },
      null,
      2,
    )}\n`,
  );
  const manifestFile: GeneratedFile = { path: 'manifest.json', bytes: manifest, section: null, owner: null };
  const manifestSha256 = sha256Hex(manifest);
  return {
    generated: [pdf, ...generated, manifestFile],
    entries: [...files, { path: 'manifest.json', sha256: manifestSha256, size: manifest.length, section: null, owner: null }],
    manifestSha256,
    counts,
  };
}
