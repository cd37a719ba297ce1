// Hashed bag-of-n-grams features for linear text classifiers, shared by training scripts and detectors so that both
// see exactly the same vector. Word unigrams and bigrams carry meaning; character n-grams of each word padded with
// boundary marks (fastText-style subwords) carry inflections, compounds and the misspellings that filters dodge with.
// Every occurrence is attributed to the token it came from, so a detector can score any token range (a sentence, a
// window of a long text) from prefix sums without extracting features twice.

import { FNV_OFFSET, FNV_PRIME, fmix32 } from './hash.ts';

export interface TextFeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Character n-gram lengths inside `<word>`; charMax 0 disables them. */
  charMin: number;
  charMax: number;
  words: boolean;
  bigrams: boolean;
  /** Words longer than this get no character n-grams: they are blobs (base64, URLs, hashes), not language. */
  maxWordChars: number;
}

export interface Tokens {
  count: number;
  /** Offsets of each token in the text, end exclusive. */
  starts: Int32Array;
  ends: Int32Array;
  /** 1 when a sentence or clause break (. ! ? ; : newline, brackets, quotes) precedes the token. */
  breakBefore: Uint8Array;
  /** The folded text: lower case, digits as '0', every non-word character as 0. Same length as the text. */
  codes: Uint16Array;
}

const BOUNDARY = 1;
const SEED_WORD = 0x2545f491;
const SEED_BIGRAM = 0x68e31da4;
const SEED_CHAR = FNV_OFFSET;

function foldCode(text: string, i: number, c: number): number {
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return 48;
  if (c === 39 || c === 0x2019) return 39;
  if (c < 0xc0 || c === 0xd7 || c === 0xf7) return 0;
  // General punctuation, symbols and emoji (surrogates) are separators; letters of other scripts are words.
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0xd800 && c <= 0xdfff) || (c >= 0x3000 && c <= 0x303f)) return 0;
  const lower = text[i]!.toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

const isBreak = (c: number) =>
  c === 46 || c === 33 || c === 63 || c === 59 || c === 58 || c === 10 || c === 40 || c === 41 || c === 91 || c === 93;

export function tokenize(text: string): Tokens {
  const n = text.length;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = foldCode(text, i, text.charCodeAt(i));
  // Upper bound on tokens: every other character.
  const cap = (n >> 1) + 1;
  const starts = new Int32Array(cap);
  const ends = new Int32Array(cap);
  const breakBefore = new Uint8Array(cap);
  let count = 0;
  let pendingBreak = 1;
  let i = 0;
  while (i < n) {
    const c = codes[i]!;
    // An apostrophe starts no word (quotes), and ends none either.
    if (c === 0 || c === 39) {
      if (isBreak(text.charCodeAt(i)) || text.charCodeAt(i) === 34) pendingBreak = 1;
      i++;
      continue;
    }
    const s = i;
    while (i < n && codes[i] !== 0) i++;
    let e = i;
    while (e > s && codes[e - 1] === 39) e--;
    starts[count] = s;
    ends[count] = e;
    breakBefore[count] = pendingBreak;
    pendingBreak = 0;
    count++;
  }
  return { count, starts, ends, breakBefore, codes };
}

/** Feature occurrences: bucket ids and the token each is attributed to, in token order. */
export interface Occurrences {
  count: number;
  buckets: Int32Array;
  tokens: Int32Array;
}

export function occurrenceCapacity(tokens: Tokens, cfg: TextFeatureConfig): number {
  const perChar = cfg.charMax > 0 ? cfg.charMax - cfg.charMin + 1 : 0;
  let cap = 0;
  for (let t = 0; t < tokens.count; t++) {
    const len = tokens.ends[t]! - tokens.starts[t]!;
    cap += 2 + (len <= cfg.maxWordChars ? (len + 2) * perChar : 0);
  }
  return cap;
}

export function extractFeatures(tokens: Tokens, cfg: TextFeatureConfig): Occurrences {
  const cap = occurrenceCapacity(tokens, cfg);
  const buckets = new Int32Array(cap);
  const owner = new Int32Array(cap);
  const mask = (1 << cfg.bits) - 1;
  const { codes, starts, ends, breakBefore } = tokens;
  let count = 0;
  let prev = 0;
  for (let t = 0; t < tokens.count; t++) {
    const s = starts[t]!;
    const e = ends[t]!;
    let h = SEED_WORD;
    for (let i = s; i < e; i++) h = Math.imul(h ^ codes[i]!, FNV_PRIME);
    const word = fmix32(h);
    if (cfg.words) {
      buckets[count] = word & mask;
      owner[count++] = t;
    }
    if (cfg.bigrams && t > 0 && breakBefore[t] === 0) {
      buckets[count] = fmix32(Math.imul(prev, 31) ^ word ^ SEED_BIGRAM) & mask;
      owner[count++] = t;
    }
    prev = word;
    if (cfg.charMax === 0 || e - s > cfg.maxWordChars) continue;
    // Positions -1 and e are the boundary marks around the word.
    for (let i = s - 1; i <= e + 1 - cfg.charMin; i++) {
      let g = SEED_CHAR;
      const last = Math.min(e, i + cfg.charMax - 1);
      for (let j = i; j <= last; j++) {
        g = Math.imul(g ^ (j < s || j === e ? BOUNDARY : codes[j]!), FNV_PRIME);
        const len = j - i + 1;
        if (len >= cfg.charMin) {
          buckets[count] = fmix32(g ^ len) & mask;
          owner[count++] = t;
        }
      }
    }
  }
  return { count, buckets, tokens: owner };
}

/** Sparse vector of a whole text for training: unique sorted buckets, value = count / sqrt(occurrences). */
export function vectorize(occ: Occurrences): { ids: Int32Array; values: Float32Array } {
  const counts = new Map<number, number>();
  for (let k = 0; k < occ.count; k++) {
    const b = occ.buckets[k]!;
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  const ids = Int32Array.from(counts.keys()).sort();
  const values = new Float32Array(ids.length);
  const scale = occ.count > 0 ? 1 / Math.sqrt(occ.count) : 0;
  for (let k = 0; k < ids.length; k++) values[k] = counts.get(ids[k]!)! * scale;
  return { ids, values };
}
