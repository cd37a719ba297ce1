// Checks that separate real credentials from look-alikes: entropy, placeholder and pattern
// rejection, format checksums and structural decoding. All pure functions over strings.

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const n = s.length;
  if (n === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const count of counts.values()) {
    const p = count / n;
    h -= p * Math.log2(p);
  }
  return h;
}

export function distinctChars(s: string): number {
  // ASCII in a bitmap, anything else in a set that is rarely needed.
  const seen = new Uint32Array(4);
  let count = 0;
  let other: Set<number> | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      const bit = 1 << (c & 31);
      if ((seen[c >> 5]! & bit) === 0) {
        seen[c >> 5]! |= bit;
        count++;
      }
    } else {
      other ??= new Set();
      other.add(c);
    }
  }
  return count + (other?.size ?? 0);
}

export interface CharClasses {
  lower: number;
  upper: number;
  digit: number;
  other: number;
}

export function charClasses(s: string): CharClasses {
  const out = { lower: 0, upper: 0, digit: 0, other: 0 };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) out.lower++;
    else if (c >= 65 && c <= 90) out.upper++;
    else if (c >= 48 && c <= 57) out.digit++;
    else out.other++;
  }
  return out;
}

export function classCount(s: string): number {
  const c = charClasses(s);
  return (c.lower > 0 ? 1 : 0) + (c.upper > 0 ? 1 : 0) + (c.digit > 0 ? 1 : 0) + (c.other > 0 ? 1 : 0);
}

/** Longest run of one repeated character. */
export function longestRun(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    if (s.charCodeAt(i) === s.charCodeAt(i - 1)) {
      run++;
      if (run > best) best = run;
    } else {
      run = 1;
    }
  }
  return best;
}

function foldCase(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isAlnumCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122);
}

/** Longest run of consecutive alphabet or digit steps, either direction: `abcdef`, `654321`, `KLMNOP`. */
export function longestSequence(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const a = foldCase(s.charCodeAt(i - 1));
    const b = foldCase(s.charCodeAt(i));
    const both = isAlnumCode(a) && isAlnumCode(b);
    up = both && b === a + 1 ? up + 1 : 1;
    down = both && b === a - 1 ? down + 1 : 1;
    if (up > best) best = up;
    if (down > best) best = down;
  }
  return best;
}

/** True when some 4-character chunk occurs at least three times without overlapping (`1234-1234-1234`). */
export function hasRepeatedChunk(s: string, width = 4, times = 3): boolean {
  const n = s.length;
  if (n < width * times) return false;
  for (let i = 0; i + width * times <= n; i++) {
    let count = 1;
    let next = i + width;
    for (let j = next; j + width <= n; j++) {
      let k = 0;
      while (k < width && s.charCodeAt(i + k) === s.charCodeAt(j + k)) k++;
      if (k === width && j >= next) {
        if (++count >= times) return true;
        next = j + width;
      }
    }
  }
  return false;
}

// Words that mark documentation values and redactions rather than credentials, checked
// case-insensitively as substrings of the random part of a candidate.
const PLACEHOLDER_WORDS = [
  'example',
  'xxxx',
  'placeholder',
  'your_',
  'your-',
  'yourkey',
  'yourtoken',
  'yoursecret',
  'yourapi',
  'insert',
  'replace',
  'redacted',
  'changeme',
  'change_me',
  'dummy',
  'sample',
  'fake',
  'here',
  '****',
  '••••',
  '...',
  'null',
  'undefined',
];

// Template and markup syntax: the value is a reference to a secret, not the secret.
const MARKUP = ['<', '>', '${', '{{', '$(', '%s', '%('];

export type PlaceholderReason =
  | 'placeholder_word'
  | 'markup'
  | 'repeated_chars'
  | 'sequential_chars'
  | 'repeated_chunk'
  | 'low_diversity';

/**
 * Why `value` (the random part of a candidate) looks like a placeholder or a made-up value, or
 * `undefined` when it does not. Thresholds are chosen so that a uniformly random token of the
 * same length trips them with negligible probability.
 */
export function placeholderReason(value: string, opts: { chunks?: boolean } = {}): PlaceholderReason | undefined {
  const lower = value.toLowerCase();
  for (const w of PLACEHOLDER_WORDS) if (lower.includes(w)) return 'placeholder_word';
  if (lower.endsWith('..')) return 'placeholder_word';
  for (const m of MARKUP) if (lower.includes(m)) return 'markup';
  if (longestRun(value) >= 6) return 'repeated_chars';
  if (longestSequence(value) >= 6) return 'sequential_chars';
  if (opts.chunks !== false && value.length <= 80 && hasRepeatedChunk(value)) return 'repeated_chunk';
  if (value.length >= 12 && distinctChars(value) < Math.min(8, Math.ceil(value.length / 4))) return 'low_diversity';
  return undefined;
}

/** True when a mixed-alphabet token is really a lowercase hex digest (file hash, commit id). */
export function looksLikeHexDigest(s: string): boolean {
  return /^[0-9a-f]+$/.test(s) && (s.length === 32 || s.length === 40 || s.length === 64);
}

export function isUuid(s: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s);
}

// ---- checksums -------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) over the string's char codes taken as bytes (the tokens checked are ASCII). */
export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * The checksum scheme GitHub (ghp_, gho_, ...), npm (npm_) and Portcullis keys use: the last six
 * characters are the base62 (0-9A-Za-z) CRC-32 of the random part before them.
 */
export function base62Crc32Valid(body: string): boolean {
  if (body.length <= 6) return false;
  const random = body.slice(0, -6);
  return body.slice(-6) === base62(crc32(random), 6);
}

// ---- decoding --------------------------------------------------------------------------------

const B64_VALUES = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  t[43] = 62; // +
  t[45] = 62; // -
  t[47] = 63; // /
  t[95] = 63; // _
  return t;
})();

/** Decodes standard or URL-safe base64 (padding optional) to a byte string; undefined when invalid. */
export function decodeBase64(s: string): string | undefined {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61) end--;
  if (end % 4 === 1) return undefined;
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUES[c]! : -1;
    if (v < 0) return undefined;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

function parseJsonObject(bytes: string | undefined): Record<string, unknown> | undefined {
  if (bytes === undefined) return undefined;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes, (ch) => ch.charCodeAt(0)));
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const SAMPLE_NAMES = /\b(?:john|jane) doe\b/i;

/**
 * A JWS in compact form whose header decodes to a JSON object with `alg` and whose payload is JSON.
 * `placeholder` when the claims are documentation values (the jwt.io sample's `"sub": "1234567890"`,
 * `"name": "John Doe"`, example domains).
 */
// Claims that make a signed payload a credential: who it is for, who issued it, when it expires,
// what it grants. A JWS whose payload has none of them (`{"confidence":0.8}`) signs data; it
// authenticates nobody.
const CREDENTIAL_CLAIM =
  /^(?:iss|sub|aud|exp|nbf|iat|jti|azp|scope|scp|roles?|groups|email|tid|oid|sid|cid|uid|upn|name|nonce|.*(?:user|account|tenant|client|session|perm|role|scope|auth|token|key|org|team|project|app).*|.*_?id)$/i;

export function jwtShape(token: string): 'valid' | 'invalid' | 'placeholder' | 'no_claims' {
  const parts = token.split('.');
  if (parts.length !== 3) return 'invalid';
  const header = parseJsonObject(decodeBase64(parts[0]!));
  if (header === undefined || typeof header['alg'] !== 'string') return 'invalid';
  const payload = parseJsonObject(decodeBase64(parts[1]!));
  if (payload === undefined) return 'invalid';
  if (!Object.keys(payload).some((k) => CREDENTIAL_CLAIM.test(k))) return 'no_claims';
  for (const v of Object.values(payload)) {
    if (typeof v !== 'string') continue;
    if (SAMPLE_NAMES.test(v)) return 'placeholder';
    const reason = placeholderReason(v, { chunks: false });
    if (reason === 'placeholder_word' || reason === 'sequential_chars' || reason === 'repeated_chars')
      return 'placeholder';
  }
  return 'valid';
}

/** Decodes an HTTP Basic credential; returns user and password when it is printable `user:password`. */
export function decodeBasicCredential(b64: string): { user: string; password: string } | undefined {
  const bytes = decodeBase64(b64);
  if (bytes === undefined) return undefined;
  const colon = bytes.indexOf(':');
  if (colon < 0) return undefined;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c < 32 || c === 127) return undefined;
  }
  return { user: bytes.slice(0, colon), password: bytes.slice(colon + 1) };
}
