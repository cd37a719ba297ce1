// Decoders for payloads that attackers wrap in an encoding so that a text filter sees noise while the model, which
// happily decodes base64 or hex on request, sees the instruction. Every decoder is bounded and only accepts results
// that read as text: most long alphanumeric runs in ordinary input (hashes, keys, identifiers) decode to binary
// garbage and are rejected.

export type PayloadKind =
  | 'base64_payload'
  | 'hex_payload'
  | 'binary_payload'
  | 'url_encoded_payload'
  | 'html_entity_payload'
  | 'unicode_escape_payload'
  | 'rot13_payload'
  | 'caesar_payload'
  | 'reversed_payload'
  | 'morse_payload';

export interface EncodedSpan {
  kind: PayloadKind;
  /** Offsets in the scanned text, end exclusive. */
  start: number;
  end: number;
  decoded: string;
}

/** Longest encoded run that is decoded; longer runs are data blobs (images, archives), not instructions. */
const MAX_ENCODED_CHARS = 16_384;
const MIN_DECODED_CHARS = 6;

const B64_VALUES: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i;
  // URL-safe alphabet shares the table.
  table[45] = 62;
  table[95] = 63;
  return table;
})();

/** Decodes standard or URL-safe base64, padded or not; null when the input is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  let len = text.length;
  while (len > 0 && text.charCodeAt(len - 1) === 61) len--;
  if (len % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_VALUES[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** Strict UTF-8 decoding: invalid sequences reject the payload instead of producing replacement characters. */
export function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Whether decoded text reads as language rather than binary: almost everything printable, a fair share of letters
 * and at least one space or a long enough word run.
 */
export function looksLikeText(s: string): boolean {
  if (s.length < MIN_DECODED_CHARS) return false;
  let printable = 0;
  let letters = 0;
  let spaces = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      spaces++;
      printable++;
    } else if (c === 9 || c === 10 || c === 13) {
      printable++;
    } else if (c > 32 && c < 127) {
      printable++;
      if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    } else if (c >= 0xa0 && c !== 0xfffd && !(c >= 0xd800 && c <= 0xdfff)) {
      printable++;
      letters++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      printable++;
    }
  }
  const n = s.length;
  if (printable < n * 0.95) return false;
  // One long token is not language, unless it is itself an encoding (base64 of hex, ...), decoded one level down.
  if (spaces === 0 && n > 24) return /^[A-Za-z0-9+/=_-]+$/.test(s);
  return letters >= n * 0.5;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hexDigitsToBytes(digits: string): Uint8Array | null {
  if (digits.length % 2 !== 0) return null;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexValue(digits.charCodeAt(2 * i));
    const lo = hexValue(digits.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function bytesText(bytes: Uint8Array | null): string | null {
  if (!bytes) return null;
  const s = utf8(bytes);
  return s !== null && looksLikeText(s) ? s : null;
}

// Every pattern below has a single way to match a given run (no nested ambiguous quantifiers), so a failed match
// costs linear time even on hostile input.
const HEX_ESCAPED_RE = /(?:\\x[0-9A-Fa-f]{2}){4,}/g;
const HEX_SEPARATED_RE = /\b[0-9A-Fa-f]{2}(?:[ :,-][0-9A-Fa-f]{2}){5,}\b/g;
const BINARY_RE = /\b[01]{8}(?:[ ,]?[01]{8}){3,}\b/g;
const URL_RE = /[^\s%]*(?:%[0-9A-Fa-f]{2}[^\s%]*){3,}/g;
const HTML_ENTITY_RE = /(?:&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});){3,}/g;
const UNICODE_ESCAPE_RE = /(?:\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]{1,6}\}){3,}/g;

function decodeBase64Run(run: string): string | null {
  // Plain words and identifiers match the alphabet too; real base64 of text mixes cases and is rarely one word.
  if (!/[a-z]/.test(run) || !/[A-Z]/.test(run)) return null;
  return bytesText(decodeBase64(run));
}

const isB64Code = (c: number) => c < 128 && B64_VALUES[c]! >= 0;

/**
 * Runs of base64-alphabet characters (with optional '=' padding) of at least 16 characters. A hand-written scan:
 * a regex would retry from every position inside every long word.
 */
function alphabetRuns(text: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isB64Code(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && isB64Code(text.charCodeAt(i))) i++;
    let end = i;
    while (end < n && end - i < 2 && text.charCodeAt(end) === 61) end++;
    if (i - start >= 16) runs.push([start, end]);
    i = end;
  }
  return runs;
}

function decodeAlphabetRun(run: string): [PayloadKind, string] | null {
  const bare = run.startsWith('0x') ? run.slice(2) : run;
  if (bare.length >= 16 && /^[0-9A-Fa-f]+$/.test(bare)) {
    const hex = bytesText(hexDigitsToBytes(bare));
    return hex === null ? null : ['hex_payload', hex];
  }
  const b64 = decodeBase64Run(run);
  return b64 === null ? null : ['base64_payload', b64];
}

function decodeBinaryRun(run: string): string | null {
  const bits = run.replace(/[ ,]/g, '');
  if (bits.length % 8 !== 0) return null;
  const out = new Uint8Array(bits.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytesText(out);
}

function decodePercent(run: string): string | null {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 37 && i + 2 < run.length) {
      const hi = hexValue(run.charCodeAt(i + 1));
      const lo = hexValue(run.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    if (c === 43) {
      bytes.push(32);
    } else if (c < 128) {
      bytes.push(c);
    } else {
      // Already-decoded non-ASCII text inside the run: keep it as UTF-8 so the whole run decodes in one go.
      for (const b of new TextEncoder().encode(run[i]!)) bytes.push(b);
    }
  }
  const s = utf8(Uint8Array.from(bytes));
  return s !== null && looksLikeText(s) ? s : null;
}

function decodeCodePoints(run: string, re: RegExp, radixOf: (m: string) => [string, number]): string | null {
  let out = '';
  for (const m of run.matchAll(re)) {
    const [digits, radix] = radixOf(m[0]);
    const cp = Number.parseInt(digits, radix);
    if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    out += String.fromCodePoint(cp);
  }
  return looksLikeText(out) ? out : null;
}

// English letter frequencies (per cent), used to tell a Caesar-shifted (rot13 and the like) sentence from ordinary text.
const EN_FREQ = [
  8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4, 6.7, 7.5, 1.9, 0.095, 6.0, 6.3, 9.1, 2.8, 0.98,
  2.4, 0.15, 2.0, 0.074,
];
const EN_LOG = EN_FREQ.map((f) => Math.log(f / 100));

// Chunk boundaries for shifted text: sentence punctuation, quotes, brackets and line breaks.
const isChunkBreak = (c: number) =>
  c === 10 ||
  c === 46 ||
  c === 58 ||
  c === 59 ||
  c === 33 ||
  c === 63 ||
  c === 34 ||
  c === 39 ||
  c === 40 ||
  c === 41 ||
  c === 91 ||
  c === 93 ||
  c === 123 ||
  c === 125 ||
  c === 60 ||
  c === 62 ||
  c === 96;

// A chunk whose letters fit English at least this well (mean log-probability per letter, in nats) is read as it
// is and never tried shifted: English prose scores about -2.9, text under a Caesar shift about -3.6 or lower.
const PLAIN_ENOUGH = -3.2;

/**
 * Chunks (between sentence punctuation) whose letters fit English much better once shifted back by some Caesar
 * shift (rot13 is shift 13): one pass builds a letter histogram per chunk; only chunks that read badly as they are
 * are tried under the 25 shifts. Adjacent chunks with the same shift merge into one span.
 */
function caesarSpans(text: string): Array<[number, number, number]> {
  const spans: Array<[number, number, number]> = [];
  const hist = new Int32Array(26);
  let start = 0;
  let letters = 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 10;
    const lower = c | 0x20;
    if (lower >= 97 && lower <= 122) {
      hist[lower - 97]!++;
      letters++;
      continue;
    }
    if (!isChunkBreak(c) && i < n) continue;
    if (letters >= 12) {
      let plain = 0;
      for (let k = 0; k < 26; k++) plain += hist[k]! * EN_LOG[k]!;
      if (plain < PLAIN_ENOUGH * letters) {
        let bestShift = 0;
        let best = plain;
        for (let shift = 1; shift < 26; shift++) {
          let ll = 0;
          for (let k = 0; k < 26; k++) ll += hist[k]! * EN_LOG[(k - shift + 26) % 26]!;
          if (ll > best) {
            best = ll;
            bestShift = shift;
          }
        }
        // The margin is wide: ordinary text loses about 1 nat per letter when shifted, shifted text gains as much.
        if (
          bestShift !== 0 &&
          best - plain > 0.45 * letters &&
          (bestShift === 13 || readsAsEnglish(unshift(text.slice(start, i), bestShift)))
        ) {
          const last = spans[spans.length - 1];
          if (last && last[2] === bestShift && /^[^A-Za-z]*$/.test(text.slice(last[1], start))) last[1] = i;
          else spans.push([start, i, bestShift]);
        }
      }
    }
    start = i + 1;
    letters = 0;
    hist.fill(0);
  }
  return spans;
}

// Short, frequent English words. Letter frequencies alone let identifiers, keys and other languages through under
// some shift; a decoded sentence also has its function words.
const COMMON_WORDS = new Set(
  'the and you your to of is are all me my it in on for with this that what how tell give show be not do now'.split(
    ' ',
  ),
);

/** At least two common English words, and they make up a quarter of the words or more. */
function readsAsEnglish(s: string): boolean {
  const tokens = s.toLowerCase().match(/[a-z]{2,}/g) ?? [];
  let common = 0;
  for (const t of tokens) if (COMMON_WORDS.has(t)) common++;
  return common >= 2 && common * 4 >= tokens.length;
}

/** Shifts every ASCII letter back by `shift` places (the decoding of a Caesar shift). */
export function unshift(s: string, shift: number): string {
  return s.replace(/[A-Za-z]/g, (ch) => {
    const c = ch.charCodeAt(0);
    const base = c >= 97 ? 97 : 65;
    return String.fromCharCode(((c - base - shift + 26) % 26) + base);
  });
}

// Reversed text ("snoitcurtsni suoiverp lla erongi"): the words an override or extraction is made of, spelt
// backwards. One scan for these gates the line-by-line check, so ordinary text pays for a single regex pass.
const REVERSED_MARKERS_RE =
  /\b(?:erongi|dragersid|tegrof|snoitcurtsni|tpmorp|drowssap|laever|terces|suoiverp|snoitcirtser|selur)\b/i;
const REVERSED_WORDS = new Set([
  'ignore',
  'disregard',
  'forget',
  'instructions',
  'prompt',
  'password',
  'reveal',
  'secret',
  'previous',
  'restrictions',
  'rules',
  'system',
  'your',
  'all',
  'the',
  'and',
  'you',
  'tell',
  'what',
  'print',
  'say',
  'above',
]);

/** Lines that read as English once reversed: at least two known words backwards, and more than forwards. */
function reversedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (!REVERSED_MARKERS_RE.test(text)) return spans;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start <= MAX_ENCODED_CHARS && REVERSED_MARKERS_RE.test(text.slice(start, end))) {
      // The reversed part may follow a plain lead-in ("Read this backwards: …"); keep the words that reverse well.
      const words = [...text.slice(start, end).matchAll(/[A-Za-z']+/g)];
      let first = -1;
      let last = -1;
      let backwards = 0;
      let forwards = 0;
      for (const w of words) {
        const lower = w[0].toLowerCase();
        if (REVERSED_WORDS.has(lower)) forwards++;
        if (REVERSED_WORDS.has([...lower].reverse().join(''))) {
          backwards++;
          if (first < 0) first = start + w.index;
          last = start + w.index + w[0].length;
        }
      }
      if (backwards >= 2 && backwards > forwards && first >= 0) spans.push([first, last]);
    }
    start = end + 1;
  }
  return spans;
}

const MORSE: Record<string, string> = {
  '.-': 'a',
  '-...': 'b',
  '-.-.': 'c',
  '-..': 'd',
  '.': 'e',
  '..-.': 'f',
  '--.': 'g',
  '....': 'h',
  '..': 'i',
  '.---': 'j',
  '-.-': 'k',
  '.-..': 'l',
  '--': 'm',
  '-.': 'n',
  '---': 'o',
  '.--.': 'p',
  '--.-': 'q',
  '.-.': 'r',
  '...': 's',
  '-': 't',
  '..-': 'u',
  '...-': 'v',
  '.--': 'w',
  '-..-': 'x',
  '-.--': 'y',
  '--..': 'z',
  '-----': '0',
  '.----': '1',
  '..---': '2',
  '...--': '3',
  '....-': '4',
  '.....': '5',
  '-....': '6',
  '--...': '7',
  '---..': '8',
  '----.': '9',
};
// At least six Morse letters in a row, letters apart by spaces, words by a slash or several spaces.
const MORSE_RE = /(?:[.-]{1,5}(?: {1,3}| ?\/ ?)){5,}[.-]{1,5}/g;

function decodeMorse(run: string): string | null {
  let out = '';
  for (const word of run.trim().split(/ ?\/ ?| {2,}/)) {
    for (const code of word.split(' ')) {
      if (code === '') continue;
      const ch = MORSE[code];
      if (ch === undefined) return null;
      out += ch;
    }
    out += ' ';
  }
  out = out.trim();
  // A row of dashes or dots is a divider, not a message: require some letters of more than one kind.
  return /[a-z]/.test(out) && new Set(out).size >= 4 ? out : null;
}

/**
 * Finds encoded payloads in `text`. Bounded: at most `maxPayloads` results, each from a run of at most
 * MAX_ENCODED_CHARS characters, and rot13 or another Caesar shift only for chunks whose letters fit English much better once shifted back.
 */
export function findEncodedPayloads(text: string, maxPayloads: number): EncodedSpan[] {
  const found: EncodedSpan[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (s: number, e: number) => taken.some(([a, b]) => s < b && a < e);
  const scan = (re: RegExp, kind: PayloadKind, decode: (run: string) => string | null) => {
    if (found.length >= maxPayloads) return;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const run = m[0];
      const end = start + run.length;
      if (run.length > MAX_ENCODED_CHARS || overlaps(start, end)) continue;
      const decoded = decode(run);
      if (decoded === null || decoded === run) continue;
      found.push({ kind, start, end, decoded });
      taken.push([start, end]);
      if (found.length >= maxPayloads) return;
    }
  };
  // Cheap gates first: most text has none of the marker characters, and then no regex runs at all.
  if (text.includes('\\x'))
    scan(HEX_ESCAPED_RE, 'hex_payload', (r) => bytesText(hexDigitsToBytes(r.replace(/\\x/g, ''))));
  if (text.includes('\\u')) {
    scan(UNICODE_ESCAPE_RE, 'unicode_escape_payload', (r) =>
      decodeCodePoints(r, /\\u\{?([0-9A-Fa-f]+)\}?/g, (m) => [m.replace(/[\\u{}]/g, ''), 16]),
    );
  }
  if (text.includes('&#')) {
    scan(HTML_ENTITY_RE, 'html_entity_payload', (r) =>
      decodeCodePoints(r, /&#[xX]?[0-9A-Fa-f]+;/g, (m) =>
        m[2] === 'x' || m[2] === 'X' ? [m.slice(3, -1), 16] : [m.slice(2, -1), 10],
      ),
    );
  }
  if (text.includes('%')) scan(URL_RE, 'url_encoded_payload', decodePercent);
  scan(BINARY_RE, 'binary_payload', decodeBinaryRun);
  scan(HEX_SEPARATED_RE, 'hex_payload', (r) => bytesText(hexDigitsToBytes(r.replace(/[ :,-]/g, ''))));
  for (const [start, end] of alphabetRuns(text)) {
    if (found.length >= maxPayloads) break;
    if (end - start > MAX_ENCODED_CHARS || overlaps(start, end)) continue;
    const run = text.slice(start, end);
    const decoded = decodeAlphabetRun(run);
    if (decoded === null || decoded[1] === run) continue;
    found.push({ kind: decoded[0], start, end, decoded: decoded[1] });
    taken.push([start, end]);
  }
  for (const [start, end, shift] of caesarSpans(text)) {
    if (found.length >= maxPayloads) break;
    if (end - start > MAX_ENCODED_CHARS || overlaps(start, end)) continue;
    const kind = shift === 13 ? 'rot13_payload' : 'caesar_payload';
    found.push({ kind, start, end, decoded: unshift(text.slice(start, end), shift) });
    taken.push([start, end]);
  }
  for (const [start, end] of reversedSpans(text)) {
    if (found.length >= maxPayloads) break;
    if (overlaps(start, end)) continue;
    found.push({ kind: 'reversed_payload', start, end, decoded: [...text.slice(start, end)].reverse().join('') });
    taken.push([start, end]);
  }
  if (text.includes('.-') || text.includes('-.')) scan(MORSE_RE, 'morse_payload', decodeMorse);
  return found;
}
