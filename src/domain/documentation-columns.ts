/**
 * The documentation's sections, owners and each section's table columns: plain data, shared by the
 * server (CSV, PDF) and the web app's screens, which do not load the field schemas.
 */
export const DOCUMENTATION_SECTIONS = [
  'devices',
  'networks',
  'domains',
  'dns-zones',
  'vendors',
  'licenses',
  'applications',
  'runbooks',
  'files',
] as const;
export type DocumentationSection = (typeof DOCUMENTATION_SECTIONS)[number];

export const ITEM_OWNERS = ['client', 'msp', 'third-party'] as const;
export type ItemOwner = (typeof ITEM_OWNERS)[number];

/** The columns of each section's table (CSV and PDF), in order, with their headings. */
export const SECTION_COLUMNS: Record<DocumentationSection, readonly (readonly [string, string])[]> = {
  devices: [
    ['type', 'Type'],
    ['make', 'Make'],
    ['model', 'Model'],
    ['serial', 'Serial'],
    ['os', 'OS'],
    ['hostname', 'Hostname'],
    ['ip', 'IP'],
    ['location', 'Location'],
  ],
  networks: [
    ['vlan', 'VLAN'],
    ['subnet', 'Subnet'],
    ['gateway', 'Gateway'],
    ['dhcp', 'DHCP'],
    ['site', 'Site'],
  ],
  domains: [
    ['registrar', 'Registrar'],
    ['dnsHost', 'DNS host'],
    ['expiry', 'Expiry'],
  ],
  'dns-zones': [['records', 'Records']],
  vendors: [
    ['supportPhone', 'Support phone'],
    ['accountNumber', 'Account number'],
    ['contact', 'Contact'],
    ['email', 'Email'],
    ['website', 'Website'],
  ],
  licenses: [
    ['product', 'Product'],
    ['quantity', 'Quantity'],
    ['renewal', 'Renewal'],
    ['paidBy', 'Paid by'],
  ],
  applications: [
    ['vendor', 'Vendor'],
    ['version', 'Version'],
    ['notes', 'Notes'],
  ],
  runbooks: [['body', 'Text']],
  files: [['description', 'Description']],
};
