import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { ApiKeyRecord } from '../store/types.ts';

// A key limited to address ranges (an application's egress IPs) is useless to someone who copied it elsewhere.

const lists = new WeakMap<readonly string[], BlockList>();

/** Parses `10.0.0.0/8`, `2001:db8::/32` or a single address; throws on anything else. */
export function parseCidr(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', bits] = entry.trim().split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!/^\d{1,3}$/.test(bits ?? String(max)) || prefix < 0 || prefix > max) {
    throw new Error(`"${entry}" has an invalid prefix length`);
  }
  return { address, prefix, family };
}

function blockListOf(entries: readonly string[]): BlockList {
  let list = lists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const e of entries) {
      const { address, prefix, family } = parseCidr(e);
      list.addSubnet(address, prefix, family);
    }
    lists.set(entries, list);
  }
  return list;
}

/** An IPv4 client seen through an IPv6 socket arrives as `::ffff:a.b.c.d`. */
function normalise(ip: string): { ip: string; family: 'ipv4' | 'ipv6' } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return { ip: mapped[1]!, family: 'ipv4' };
  if (isIPv4(ip)) return { ip, family: 'ipv4' };
  if (isIPv6(ip)) return { ip, family: 'ipv6' };
  return undefined;
}

export function ipAllowed(key: ApiKeyRecord, ip: string | null): boolean {
  if (key.ipAllowlist.length === 0) return true;
  const n = ip ? normalise(ip) : undefined;
  if (!n) return false;
  return blockListOf(key.ipAllowlist).check(n.ip, n.family);
}
