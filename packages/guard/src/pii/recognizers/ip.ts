import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Not part of a longer dotted run (1.2.3.4.5 is an OID or a version, not an address).
const IPV4 = new RegExp(
  `(?<![\\p{L}\\p{N}_.\\\\-]|\\d\\.)${OCTET}(?:\\.${OCTET}){3}(?:/(?:3[0-2]|[12]?\\d))?(?![\\p{L}\\p{N}_]|\\.\\d)`,
  'gu',
);
// Hex digits, colons and (for an embedded IPv4 tail) dots; validated by hand below.
const IPV6 =
  /(?=[0-9A-Fa-f]{0,4}:)(?<![\p{L}\p{N}_:.])(?:[0-9A-Fa-f]{1,4}|::?)[0-9A-Fa-f:.]{1,44}(?:%[0-9A-Za-z]{1,16})?/gu;

const RULES: readonly ContextRule[] = [
  {
    name: 'ip',
    pattern: words([
      'ip',
      'ips',
      'ipv4',
      'ipv6',
      'address',
      'addr',
      'host',
      'server',
      'client',
      'gateway',
      'subnet',
      'dns',
      'ping',
      'connect',
      'from',
      'blocked',
      'firewall',
    ]),
    weight: 0.1,
    before: 40,
  },
  {
    name: 'version',
    pattern: words([
      'version',
      'versions',
      'ver',
      'v',
      'release',
      'build',
      'firmware',
      'update',
      'upgrade',
      'patch',
      'sdk',
      'api',
      'isbn',
      'section',
      'chapter',
      'figure',
      'table',
      'oid',
    ]),
    weight: -0.5,
    before: 24,
  },
];

function ipv6Valid(s: string): boolean {
  const dbl = s.indexOf('::');
  if (dbl !== -1 && s.indexOf('::', dbl + 1) !== -1) return false;
  const parts = (dbl === -1 ? [s] : [s.slice(0, dbl), s.slice(dbl + 2)]).map((p) => (p === '' ? [] : p.split(':')));
  let count = 0;
  const all = parts.flat();
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (i === all.length - 1 && g.includes('.')) {
      const octets = g.split('.');
      if (octets.length !== 4 || !octets.every((o) => /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(o))) return false;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return dbl === -1 ? count === 8 : count <= 7;
}

export function findIps(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  for (const m of text.matchAll(IPV4)) {
    const start = m.index;
    const end = start + m[0].length;
    // A bare "v" or "V" glued to the number is a version.
    const glued = start > 0 && /[vV]/.test(text[start - 1]!);
    if (glued) continue;
    const small = m[0].split('.').every((o) => o.length === 1);
    const c = applyContext(text, start, end, RULES);
    out.push({
      type: 'IP_ADDRESS',
      start,
      end,
      score: clamp01((small ? 0.55 : 0.8) + c.delta),
      signals: ['pattern:ipv4', ...c.signals],
    });
  }
  // Most texts have no hex digit next to a colon; then the IPv6 scan is skipped outright.
  if (!/[0-9A-Fa-f]:[0-9A-Fa-f:]/.test(text)) return;
  for (const m of text.matchAll(IPV6)) {
    let raw = m[0];
    // Sentence punctuation after an address is not part of it.
    while (raw.length > 0 && /[.:]$/.test(raw) && !raw.endsWith('::')) raw = raw.slice(0, -1);
    const colons = raw.split(':').length - 1;
    if (colons < 2) continue;
    const addr = raw.split('%')[0]!;
    if (!ipv6Valid(addr)) continue;
    const groups = addr.split(':').filter((g) => g !== '').length;
    const full = !addr.includes('::');
    // "a::b" is as likely a C++ scope as an address; it needs digits and some length to count.
    if (!full && (groups < 2 || !/\d/.test(addr))) continue;
    const start = m.index;
    const end = start + raw.length;
    const c = applyContext(text, start, end, RULES);
    out.push({
      type: 'IP_ADDRESS',
      start,
      end,
      score: clamp01((full ? 0.85 : groups >= 3 ? 0.7 : 0.5) + c.delta),
      signals: [full ? 'pattern:ipv6' : 'pattern:ipv6_compressed', ...c.signals],
    });
  }
}
