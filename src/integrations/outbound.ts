/**
 * The one guard for outbound calls to addresses an MSP configures (team chat webhooks, its SMTP
 * server, a PSA's key URL): the name is resolved, and loopback, private, link-local, metadata
 * and other special-purpose addresses are refused, so an admin cannot make the server reach
 * its own internal services. We connect to exactly the address we checked (no second lookup a
 * DNS answer could change in between). The operator may allow addresses explicitly with
 * OFFBOARD_OUTBOUND_ALLOW (IPs or CIDRs, comma-separated), e.g. an internal SMTP relay.
 */
import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

export class OutboundRefused extends Error {
  constructor(host: string, why: string) {
    super(`refused to connect to ${host}: ${why} (an operator can allow it with OFFBOARD_OUTBOUND_ALLOW)`);
    this.name = 'OutboundRefused';
  }
}

/** Special-purpose ranges (RFC 6890 and its IPv6 counterparts) that no MSP-configured address may reach. */
const SPECIAL = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, with the cloud metadata service at 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  SPECIAL.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address in disguise
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local, with AWS's metadata service at fd00:ec2::254
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  SPECIAL.addSubnet(net, prefix, 'ipv6');
}

let allowCache: { spec: string; list: BlockList } | undefined;

/** The operator's allow-list, read from the environment each time (cheap; tests change it). */
function allowList(): BlockList {
  const spec = process.env.OFFBOARD_OUTBOUND_ALLOW ?? '';
  if (allowCache?.spec === spec) return allowCache.list;
  const list = new BlockList();
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address);
    if (family === 0) throw new Error(`OFFBOARD_OUTBOUND_ALLOW: ${entry} is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  allowCache = { spec, list };
  return list;
}

/** Why an address may not be reached, or undefined when it may. */
export function refusalOf(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  const [ip, type] = mapped ? [mapped, 'ipv4' as const] : [address, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  if (allowList().check(ip, type)) return undefined;
  if (SPECIAL.check(ip, type)) return `${address} is a loopback, private, link-local or other special-purpose address`;
  return undefined;
}

type LookupAddress = { address: string; family: number };

/** Resolves a host name (or takes an IP as it is) and keeps only the addresses that may be reached. */
export async function resolveOutbound(host: string): Promise<LookupAddress[]> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const found: LookupAddress[] = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await dns.promises.lookup(bare, { all: true, verbatim: true });
  const permitted = found.filter((a) => refusalOf(a.address) === undefined);
  if (permitted.length === 0)
    throw new OutboundRefused(
      host,
      found.length === 0 ? 'the name does not resolve' : (refusalOf((found[0] as LookupAddress).address) as string),
    );
  return permitted;
}

/** dns.lookup's shape, for sockets: answers only with addresses the guard permits. */
export const guardedLookup = ((
  hostname: string,
  options: dns.LookupOptions,
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
) => {
  resolveOutbound(hostname).then(
    (addresses) => {
      const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
      if (wanted.length === 0) return callback(new OutboundRefused(hostname, `no permitted IPv${String(options.family)} address`), '');
      if (options.all) return callback(null, wanted);
      const first = wanted[0] as LookupAddress;
      return callback(null, first.address, first.family);
    },
    (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), ''),
  );
}) as unknown as typeof dns.lookup;

const agent = new Agent({ connect: { lookup: guardedLookup }, connections: 32 });

/** fetch() through the guard; redirects are not followed (a redirect could point anywhere). */
export async function guardedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new OutboundRefused(parsed.host, `${parsed.protocol} is not http or https`);
  // Sockets skip the lookup for an IP literal, so a literal is checked here.
  await resolveOutbound(parsed.hostname);
  return undiciFetch(url, { redirect: 'manual', ...init, dispatcher: agent });
}
