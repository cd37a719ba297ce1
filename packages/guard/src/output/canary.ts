// Canary tokens: a random marker placed in the system prompt. If it shows up in a response, the model has been
// talked into repeating its instructions. Models asked to leak are often also asked to disguise what they leak, so
// the check also finds the canary spelled out with separators, in mixed case, with zero-width characters or
// look-alike letters inside it, reversed, hex- or percent-encoded, and base64-encoded at any byte alignment. Only
// the random part has to survive: "pcx-canary-" is there so a human recognises the token in a log.

import { randomBytes } from 'node:crypto';
import type { Finding } from '../types.ts';
import { asciiString, skeleton, skeletonSpan } from './fold.ts';

export const CANARY_PREFIX = 'pcx-canary-';
const RANDOM_BYTES = 8;
const CANARY_RE = /^pcx-canary-[0-9a-f]{16}$/;

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * A new canary, `pcx-canary-<16 hex>`. Pass 8 random bytes to choose them (tests, or a caller that derives the
 * canary from its own randomness); by default they come from the operating system's CSPRNG.
 */
export function createCanary(random?: Uint8Array): string {
  const bytes = random ?? randomBytes(RANDOM_BYTES);
  if (bytes.length < RANDOM_BYTES) throw new Error(`createCanary needs ${RANDOM_BYTES} random bytes`);
  return CANARY_PREFIX + toHex(bytes.subarray(0, RANDOM_BYTES));
}

export function isCanary(value: string): boolean {
  return CANARY_RE.test(value);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  return out;
}

/**
 * The base64 characters that encode `bytes` whatever precedes or follows them: one string per alignment of the
 * first byte within a 3-byte group, each cut to whole groups.
 */
function base64Needles(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    const len = Math.floor((bytes.length - k) / 3) * 3;
    if (len >= 9) out.push(base64(bytes.subarray(k, k + len)));
  }
  return out;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

interface Needle {
  text: string;
  form: string;
  score: number;
  /** Searched in the case-sensitive base64 skeleton rather than the folded one. */
  base64?: boolean;
}

function needlesFor(canary: string): Needle[] {
  const folded = skeleton(canary).text;
  // The secret is the random part; for a canary not made by createCanary, the whole token.
  const secret = isCanary(canary) ? canary.slice(CANARY_PREFIX.length) : folded;
  const needles: Needle[] = [
    { text: folded, form: 'canary', score: 1 },
    { text: secret, form: 'token', score: 0.95 },
    { text: toHex(utf8(canary)), form: 'hex', score: 0.95 },
    { text: toHex(utf8(secret)), form: 'hex', score: 0.95 },
    { text: [...secret].reverse().join(''), form: 'reversed', score: 0.9 },
  ];
  for (const n of base64Needles(utf8(canary))) needles.push({ text: n, form: 'base64', score: 0.95, base64: true });
  for (const n of base64Needles(utf8(secret))) needles.push({ text: n, form: 'base64', score: 0.95, base64: true });
  return needles.filter((n) => n.text.length >= 8);
}

/** Base64 skeleton: base64 characters only (URL-safe ones mapped to the standard alphabet), case kept. */
function base64Skeleton(text: string): { text: string; offsets: Int32Array } {
  const n = text.length;
  const offsets = new Int32Array(n);
  const codes = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c === 45) c = 43;
    else if (c === 95) c = 47;
    else if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)) continue;
    offsets[m] = i;
    codes[m++] = c;
  }
  return { text: asciiString(codes, m), offsets: offsets.subarray(0, m) };
}

function overlaps(findings: Finding[], start: number, end: number): boolean {
  return findings.some((f) => f.start < end && start < f.end);
}

/**
 * Findings (detector `output`, type `canary_leak`) for every place the canary, or its random part, appears in
 * `output` in any of the forms above. `signals` name the form (`canary`, `token`, `hex`, `reversed`, `base64`,
 * plus `obfuscated` when it was not written verbatim), never the canary.
 */
export function detectCanaryLeak(output: string, canary: string): Finding[] {
  if (canary.length < 8 || output.length === 0) return [];
  const findings: Finding[] = [];
  const folded = skeleton(output);
  let b64: ReturnType<typeof base64Skeleton> | undefined;
  const lower = output.toLowerCase();
  for (const needle of needlesFor(canary)) {
    if (needle.base64 && !b64) b64 = base64Skeleton(output);
    const hay = needle.base64 && b64 ? b64 : folded;
    let from = 0;
    for (;;) {
      const at = hay.text.indexOf(needle.text, from);
      if (at < 0) break;
      from = at + 1;
      const span = needle.base64
        ? { start: hay.offsets[at]!, end: hay.offsets[at + needle.text.length - 1]! + 1 }
        : skeletonSpan(folded, at, at + needle.text.length);
      if (overlaps(findings, span.start, span.end)) continue;
      const verbatim =
        needle.form === 'canary'
          ? lower.slice(span.start, span.end) === canary.toLowerCase()
          : span.end - span.start === needle.text.length;
      const signals = [
        'canary',
        ...(needle.form === 'canary' ? [] : [needle.form]),
        ...(verbatim ? [] : ['obfuscated']),
      ];
      findings.push({ detector: 'output', type: 'canary_leak', ...span, score: needle.score, signals });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}
