import { isIP } from 'node:net';

/**
 * Whether `entry` is one IP address (IPv4 or IPv6, no zone index) or a CIDR range `address/prefix-length` with a
 * prefix of 0–32 (IPv4) or 0–128 (IPv6) written in decimal digits. Names such as `loopback` are not addresses.
 * Node's own parser (`net.isIP`) decides what an address is, so what passes here is what `net.BlockList` and
 * Fastify's proxy list take.
 */
export function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  if (extra !== undefined || address.includes('%')) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}
