import { isIP } from 'node:net';

/**
 * What an IP address is, as far as the verifier's outbound requests care: `public` is an address of the internet;
 * every other class names a network the verifier must not be made to call on a stranger's say-so — its own host
 * (`loopback`, `unspecified`), the operator's networks (`private`: RFC 1918, carrier-grade NAT, IPv6 site-local and
 * local-use NAT64; `unique-local`; `link-local`, where cloud metadata services such as 169.254.169.254 live),
 * `multicast`, and `reserved` (documentation, benchmarking, broadcast, future use, IETF protocol assignments and any
 * IPv6 address outside global unicast `2000::/3`).
 */
export type AddressClass = 'public' | 'unspecified' | 'loopback' | 'private' | 'unique-local' | 'link-local' | 'multicast' | 'reserved';

type Range<T> = readonly [base: T, prefixBits: number, kind: Exclude<AddressClass, 'public'>];

/** The IPv4 special-purpose blocks (IANA's registry) that are not the public internet. */
const IPV4_RANGES: ReadonlyArray<Range<number>> = (
  [
    ['0.0.0.0', 8, 'unspecified'],
    ['10.0.0.0', 8, 'private'],
    ['100.64.0.0', 10, 'private'],
    ['127.0.0.0', 8, 'loopback'],
    ['169.254.0.0', 16, 'link-local'],
    ['172.16.0.0', 12, 'private'],
    ['192.0.0.0', 24, 'reserved'],
    ['192.0.2.0', 24, 'reserved'],
    ['192.88.99.0', 24, 'reserved'],
    ['192.168.0.0', 16, 'private'],
    ['198.18.0.0', 15, 'reserved'],
    ['198.51.100.0', 24, 'reserved'],
    ['203.0.113.0', 24, 'reserved'],
    ['224.0.0.0', 4, 'multicast'],
    ['240.0.0.0', 4, 'reserved'],
  ] as const
).map(([base, bits, kind]) => [ipv4Value(base)!, bits, kind] as const);

/** The IPv6 blocks, inside or beside global unicast, that are not the public internet (besides those carrying IPv4). */
const IPV6_RANGES: ReadonlyArray<Range<bigint>> = (
  [
    ['::', 128, 'unspecified'],
    ['::1', 128, 'loopback'],
    ['64:ff9b:1::', 48, 'private'],
    ['100::', 64, 'reserved'],
    ['2001::', 23, 'reserved'],
    ['2001:db8::', 32, 'reserved'],
    ['3fff::', 20, 'reserved'],
    ['fc00::', 7, 'unique-local'],
    ['fe80::', 10, 'link-local'],
    ['fec0::', 10, 'private'],
    ['ff00::', 8, 'multicast'],
  ] as const
).map(([base, bits, kind]) => [ipv6Value(base)!, bits, kind] as const);

/** Global unicast: the only IPv6 space with public addresses. */
const GLOBAL_UNICAST = ipv6Value('2000::')!;

/**
 * IPv6 prefixes whose addresses carry an IPv4 address that a packet to them ends up at: IPv4-mapped
 * (`::ffff:0:0/96`), the NAT64 well-known prefix (`64:ff9b::/96`) and 6to4 (`2002::/16`, the IPv4 address in bits
 * 16–47). Such an address is what its IPv4 address is.
 */
const IPV4_CARRIERS: ReadonlyArray<readonly [base: bigint, prefixBits: number, ipv4Shift: bigint]> = [
  [ipv6Value('::ffff:0:0')!, 96, 0n],
  [ipv6Value('64:ff9b::')!, 96, 0n],
  [ipv6Value('2002::')!, 16, 80n],
];

/**
 * The class of an IP address (see {@link AddressClass}).
 * @param address - an IPv4 address in dotted decimal or an IPv6 address (an IPv6 zone index `%…` is ignored), as DNS
 *   answers and URL hosts give them (the URL parser has already turned `2130706433`, `0177.0.0.1` or `0x7f.1` into
 *   `127.0.0.1`)
 * @returns the class, or null when `address` is not an IP address written that way (a host name, `127.1`, …)
 */
export function classifyAddress(address: string): AddressClass | null {
  const ipv4 = ipv4Value(address);
  if (ipv4 !== null) return classifyIpv4(ipv4);
  const ipv6 = ipv6Value(address.replace(/%[^%]*$/, ''));
  return ipv6 === null ? null : classifyIpv6(ipv6);
}

/** Whether `address` is an IP address of the public internet (false for anything else, host names included). */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}

function classifyIpv4(value: number): AddressClass {
  for (const [base, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === base) return kind;
  }
  return 'public';
}

function classifyIpv6(value: bigint): AddressClass {
  for (const [base, bits, shift] of IPV4_CARRIERS) {
    if (inPrefix(value, base, bits)) return classifyIpv4(Number((value >> shift) & 0xffffffffn));
  }
  for (const [base, bits, kind] of IPV6_RANGES) {
    if (inPrefix(value, base, bits)) return kind;
  }
  return inPrefix(value, GLOBAL_UNICAST, 3) ? 'public' : 'reserved';
}

function inPrefix(value: bigint, base: bigint, bits: number): boolean {
  const shift = BigInt(128 - bits);
  return value >> shift === base >> shift;
}

/** A dotted-decimal IPv4 address as a 32-bit number; null for anything else. */
function ipv4Value(text: string): number | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** An IPv6 address (`::` compression and a dotted IPv4 tail allowed) as a 128-bit number; null for anything else. */
function ipv6Value(text: string): bigint | null {
  if (isIP(text) !== 6) return null;
  let groups = text.toLowerCase();
  const tail = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(groups);
  if (tail) {
    const ipv4 = ipv4Value(tail[1]!);
    if (ipv4 === null) return null;
    groups = `${groups.slice(0, tail.index)}${(ipv4 >>> 16).toString(16)}:${(ipv4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = groups.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  const all = rest === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  if (all.length !== 8) return null;
  return all.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
