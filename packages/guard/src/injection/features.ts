// Hashed text features shared by the training script and the detector, so that both see exactly the same vector.
//
// The text is the normalised detection copy, lower-cased, digits folded to 0 and whitespace runs collapsed. From
// it come character 3..5-grams (robust to inflection and to the odd typo) and word unigrams and bigrams, all hashed
// into 2^bits buckets. A feature's value is its count divided by a function of the number of features in the
// scored span, which keeps scores comparable between a short question and a long document window, and keeps the
// score of a window a difference of prefix sums: every window of a long text is scored in one pass.

import { CONCEPTS } from './concepts.ts';

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  charMin: number;
  charMax: number;
  words: boolean;
  bigrams: boolean;
  /** `mean`: value = count / n; `sqrt`: value = count / sqrt(n), where n counts the features in the span. */
  norm: 'mean' | 'sqrt';
  /**
   * Window lengths in characters of the feature stream, each scanned with a stride of half its length. Short
   * windows find a short instruction buried in a long document, long ones the drift of a long jailbreak.
   */
  windows: number[];
  /**
   * Clause-initial features: the first word of every clause (after a full stop, a line break, a colon, a quote,
   * a table bar...) and its first two words, in their own namespace. Imperatives aimed at the reader ("Provide
   * your reply ...", "Ignore all ...") start clauses; the same words inside a clause are mostly harmless.
   */
  initial?: boolean;
  /**
   * Stream position from which clause-initial words also count in a second namespace: an imperative that is not
   * at the start of the text sits inside content (an email, a table, a page) rather than being the user's request.
   * 0 or absent: off.
   */
  lateFrom?: number;
  /**
   * Word-class features (see concepts.ts): each word that belongs to a concept adds the concept, and the concepts
   * of the last one or two classed words before it in the same clause add a concept pair and triple, so that
   * paraphrases and translations of a trained phrase share its features.
   */
  concepts?: boolean;
  /**
   * How many times each concept feature counts (an integer, default 1): a few concept features compete with
   * hundreds of character n-grams in a window, and counting them more lets them carry their share.
   */
  conceptRepeat?: number;
  /** Fingerprint of the word-class lexicon the weights were trained with (CONCEPT_LEXICON_ID at training time). */
  conceptLexicon?: string;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  // 2^16 buckets did as well as 2^17 and 2^18 in validation, and keep the weights in a core's L2 cache.
  bits: 16,
  charMin: 3,
  charMax: 5,
  words: true,
  bigrams: true,
  norm: 'sqrt',
  windows: [128, 512],
  // Clause-initial words and word pairs: +0.5 points of cross-source balanced accuracy at 1% FPR (2026-11 runs).
  initial: true,
  // Word classes: +0.3 points of public pooled cross-source balanced accuracy, +0.6 on probe set b (2026-11 runs).
  concepts: true,
};

/** The feature stream: folded character codes and, for each, its offset in the scanned text. */
export interface Stream {
  codes: Uint16Array;
  offsets: Int32Array;
  length: number;
}

export function toStream(text: string): Stream {
  return fillStream(text, new Uint16Array(text.length), new Int32Array(text.length));
}

// Scratch buffers reused from call to call by the detector (scratchStream, scoreWindows), so that a call allocates
// next to nothing; inputs longer than this get buffers of their own, so a rare huge input is not kept alive.
const SCRATCH_MAX = 1 << 16;
let scratchCodes = new Uint16Array(0);
let scratchOffsets = new Int32Array(0);
let scratchSum = new Float64Array(0);
let scratchCnt = new Int32Array(0);

/**
 * toStream into module-level scratch buffers: valid only until the next call of scratchStream. For the detector,
 * which uses the stream only within one synchronous call.
 */
export function scratchStream(text: string): Stream {
  const n = text.length;
  if (n > SCRATCH_MAX) return toStream(text);
  if (scratchCodes.length < n) {
    const size = Math.min(SCRATCH_MAX, Math.max(n, 2 * scratchCodes.length, 1024));
    scratchCodes = new Uint16Array(size);
    scratchOffsets = new Int32Array(size);
  }
  return fillStream(text, scratchCodes, scratchOffsets);
}

function fillStream(text: string, codes: Uint16Array, offsets: Int32Array): Stream {
  const n = text.length;
  let len = 0;
  let space = true;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x3000) {
      if (space) continue;
      space = true;
      c = 32;
    } else {
      space = false;
      if (c >= 65 && c <= 90) c += 32;
      else if (c >= 48 && c <= 57) c = 48;
      else if (c > 127) {
        const lower = text[i]!.toLowerCase();
        if (lower.length === 1) c = lower.charCodeAt(0);
      }
    }
    codes[len] = c;
    offsets[len] = i;
    len++;
  }
  if (len > 0 && codes[len - 1] === 32) len--;
  return { codes, offsets, length: len };
}

const FNV_PRIME = 0x01000193;
const SEED_CHAR = 0x811c9dc5;
const SEED_WORD = 0x2545f491;
const SEED_BIGRAM = 0x68e31da4;
const GOLDEN = 0x9e3779b1;
const SEED_INITIAL = 0x3c6ef372;
const SEED_INITIAL2 = 0x1b873593;
const SEED_LATE = 0x7f4a7c15;
const SEED_CONCEPT = 0x5bd1e995;
const SEED_CONCEPT2 = 0x27d4eb2f;
const SEED_CONCEPT3 = 0x165667b1;

/** Full avalanche, for word hashes: they also key the pattern-anchor set. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Bucket of a character n-gram from its running FNV hash: one multiply, keeping the high bits (the well-mixed
// ones). This is the innermost operation of the detector, done three times per character.
const charBucket = (h: number, len: number, shift: number) => Math.imul(h ^ len, GOLDEN) >>> shift;
const wordBucket = (w: number, shift: number) => w >>> shift;
const bigramBucket = (prev: number, w: number, shift: number) =>
  Math.imul(Math.imul(prev, 31) ^ w ^ SEED_BIGRAM, GOLDEN) >>> shift;
const initialBucket = (w: number, shift: number) => Math.imul(w ^ SEED_INITIAL, GOLDEN) >>> shift;
const initialBigramBucket = (prev: number, w: number, shift: number) =>
  Math.imul(Math.imul(prev, 37) ^ w ^ SEED_INITIAL2, GOLDEN) >>> shift;
const lateBucket = (w: number, shift: number) => Math.imul(w ^ SEED_LATE, GOLDEN) >>> shift;
const lateBigramBucket = (prev: number, w: number, shift: number) =>
  Math.imul(Math.imul(prev, 41) ^ w ^ SEED_LATE, GOLDEN) >>> shift;

const conceptBucket = (c: number, shift: number) => Math.imul(c ^ SEED_CONCEPT, GOLDEN) >>> shift;
// Pairs and triples ignore the order of their concepts (ids sorted; they are below 256): "instrucciones
// anteriores" and "previous instructions" are the same pair.
const conceptPairBucket = (a: number, c: number, shift: number) =>
  Math.imul((a < c ? (a << 8) | c : (c << 8) | a) ^ SEED_CONCEPT2, GOLDEN) >>> shift;
function conceptTripleBucket(a: number, b: number, c: number, shift: number): number {
  const lo = Math.min(a, b, c);
  const hi = Math.max(a, b, c);
  return Math.imul(((lo << 16) | ((a + b + c - lo - hi) << 8) | hi) ^ SEED_CONCEPT3, GOLDEN) >>> shift;
}
/** Unclassed words allowed between two classed words of a concept pair ("ignore all of the previous rules"). */
const CONCEPT_GAP = 3;

// Letters of other scripts are word characters; punctuation and symbol blocks (U+2000-U+303F), surrogate halves
// (emoji) and private use are not, so that "quoted" words and emoji-glued words still split.
const isWordCode = (c: number) =>
  (c >= 97 && c <= 122) ||
  c === 48 ||
  c === 39 ||
  (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7) ||
  (c >= 0x3040 && c < 0xd800) ||
  (c >= 0xf900 && c < 0xfe00);

/** Feature occurrences: bucket ids and the stream position each occurrence is attributed to. */
export interface Occurrences {
  buckets: Int32Array;
  positions: Int32Array;
  count: number;
}

/**
 * Key of one word in a WordSet, as the feature loop hashes it (lower case, digits as 0), for pattern anchors: the
 * low 16 bits of the word hash, all a WordSet looks at. Small integers, so that the anchor lists are arrays of
 * small integers, which optimised code walks without boxing a number per element.
 */
export function wordHash(word: string): number {
  return fullWordHash(word) & 0xffff;
}

function fullWordHash(word: string): number {
  const s = toStream(word);
  let h = SEED_WORD;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.codes[i]!, FNV_PRIME);
  return fmix(h);
}

// Concept of a word, by its full 32-bit hash: an open-addressing table (power-of-two size, linear probing, 0 =
// empty), filled once at import; a lookup is a mask and, for most words, one or two comparisons.
const CONCEPT_SLOTS = 1 << 13;
const conceptKeys = new Uint32Array(CONCEPT_SLOTS);
const conceptIds = new Uint8Array(CONCEPT_SLOTS);
for (let id = 0; id < CONCEPTS.length; id++) {
  for (const word of CONCEPTS[id]![1]) {
    const h = fullWordHash(word);
    if (h === 0) continue;
    let k = h & (CONCEPT_SLOTS - 1);
    while (conceptKeys[k] !== 0 && conceptKeys[k] !== h) k = (k + 1) & (CONCEPT_SLOTS - 1);
    // The first concept that lists a word keeps it.
    if (conceptKeys[k] === h) continue;
    conceptKeys[k] = h;
    conceptIds[k] = id + 1;
  }
}

/**
 * Fingerprint of concepts.ts. Weights trained with one lexicon are meaningless with another (ids and members
 * shift), so a model records it and decodeModel refuses a mismatch instead of scoring with the wrong features.
 */
export const CONCEPT_LEXICON_ID: string = (() => {
  let h = SEED_WORD;
  for (const [name, list] of CONCEPTS) {
    for (const c of `${name}:${list.join(',')};`) h = Math.imul(h ^ c.charCodeAt(0), FNV_PRIME);
  }
  return fmix(h).toString(16).padStart(8, '0');
})();

/** Concept id (1-based) of a word from its full hash, 0 for none. */
export function conceptOf(hash: number): number {
  let k = hash & (CONCEPT_SLOTS - 1);
  for (;;) {
    const key = conceptKeys[k]!;
    if (key === hash) return conceptIds[k]!;
    if (key === 0) return 0;
    k = (k + 1) & (CONCEPT_SLOTS - 1);
  }
}

/** Concept name of a word, for tests and explanations. */
export function conceptOfWord(word: string): string | null {
  const id = conceptOf(fullWordHash(word));
  return id === 0 ? null : CONCEPTS[id - 1]![0];
}

/** Which words occur in a text, as a 2^16-bit set of word hashes (false positives possible, never negatives). */
export class WordSet {
  private readonly bits = new Uint32Array(2048);

  clear(): void {
    this.bits.fill(0);
  }

  add(hash: number): void {
    const k = hash & 0xffff;
    this.bits[k >>> 5]! |= 1 << (k & 31);
  }

  has(hash: number): boolean {
    const k = hash & 0xffff;
    return (this.bits[k >>> 5]! & (1 << (k & 31))) !== 0;
  }
}

/**
 * Walks the words of a stream: `visit(start, hash, hasPrev)` per word. Words of the form "ai's" also report their
 * part before the apostrophe to `prefix`, as a regex word boundary would split them.
 */
function forEachWord(
  stream: Stream,
  visit: (start: number, hash: number, hasPrev: boolean) => void,
  prefix: ((hash: number) => void) | null,
): void {
  const { codes, length: n } = stream;
  let hasPrev = false;
  let i = 0;
  while (i < n) {
    const c = codes[i]!;
    // An apostrophe cannot start a word: there it is an opening quote ('ignore all…').
    if (!isWordCode(c) || c === 39) {
      // Punctuation other than a space ends the phrase: no bigram across a full stop.
      if (c !== 32) hasPrev = false;
      i++;
      continue;
    }
    const start = i;
    let h = SEED_WORD;
    // Hash without trailing apostrophes (a closing quote or a plural possessive).
    let whole = h;
    while (i < n && isWordCode(codes[i]!)) {
      const d = codes[i]!;
      if (d === 39 && prefix) prefix(fmix(whole));
      h = Math.imul(h ^ d, FNV_PRIME);
      if (d !== 39) whole = h;
      i++;
    }
    visit(start, fmix(whole), hasPrev);
    hasPrev = true;
  }
}

export function wordsOf(stream: Stream): WordSet {
  const set = new WordSet();
  const add = (h: number) => set.add(h);
  forEachWord(stream, (_start, h) => set.add(h), add);
  return set;
}

// The two functions below walk the same features in the same order; one records them (training), the other sums
// weights on the fly (detection). A test checks that they agree.

export function extractFeatures(stream: Stream, cfg: FeatureConfig): Occurrences {
  const { codes, length: n } = stream;
  const perPos =
    cfg.charMax -
    cfg.charMin +
    1 +
    (cfg.words ? 1 : 0) +
    (cfg.bigrams ? 1 : 0) +
    (cfg.initial ? 2 : 0) +
    (cfg.lateFrom ? 2 : 0) +
    (cfg.concepts ? 3 * (cfg.conceptRepeat ?? 1) : 0);
  const cap = n * perPos + 1;
  const buckets = new Int32Array(cap);
  const positions = new Int32Array(cap);
  const shift = 32 - cfg.bits;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let h = SEED_CHAR;
    const last = Math.min(n, i + cfg.charMax);
    for (let j = i; j < last; j++) {
      h = Math.imul(h ^ codes[j]!, FNV_PRIME);
      const len = j - i + 1;
      if (len >= cfg.charMin) {
        buckets[count] = charBucket(h, len, shift);
        positions[count++] = i;
      }
    }
  }
  let prev = 0;
  let prevInitial = false;
  const initial = cfg.initial === true;
  const lateFrom = cfg.lateFrom || Number.POSITIVE_INFINITY;
  const concepts = cfg.concepts === true;
  const repeat = cfg.conceptRepeat ?? 1;
  let c1 = 0;
  let c2 = 0;
  let gap = 0;
  forEachWord(
    stream,
    (start, w, hasPrev) => {
      if (cfg.words) {
        buckets[count] = wordBucket(w, shift);
        positions[count++] = start;
      }
      if (cfg.bigrams && hasPrev) {
        buckets[count] = bigramBucket(prev, w, shift);
        positions[count++] = start;
      }
      if (initial) {
        if (!hasPrev) {
          buckets[count] = initialBucket(w, shift);
          positions[count++] = start;
        } else if (prevInitial) {
          buckets[count] = initialBigramBucket(prev, w, shift);
          positions[count++] = start;
        }
        prevInitial = !hasPrev;
      }
      if (start >= lateFrom) {
        buckets[count] = lateBucket(w, shift);
        positions[count++] = start;
        if (hasPrev) {
          buckets[count] = lateBigramBucket(prev, w, shift);
          positions[count++] = start;
        }
      }
      if (concepts) {
        if (!hasPrev) c1 = c2 = 0;
        const c = conceptOf(w);
        if (c !== 0) {
          for (let r = 0; r < repeat; r++) {
            buckets[count] = conceptBucket(c, shift);
            positions[count++] = start;
            if (c1 !== 0) {
              buckets[count] = conceptPairBucket(c1, c, shift);
              positions[count++] = start;
              if (c2 !== 0) {
                buckets[count] = conceptTripleBucket(c2, c1, c, shift);
                positions[count++] = start;
              }
            }
          }
          c2 = c1;
          c1 = c;
          gap = 0;
        } else if (++gap > CONCEPT_GAP) c1 = c2 = 0;
      }
      prev = w;
    },
    null,
  );
  return { buckets, positions, count };
}

export function normValue(norm: FeatureConfig['norm'], n: number): number {
  return n <= 0 ? 0 : norm === 'mean' ? 1 / n : 1 / Math.sqrt(n);
}

/** A sparse feature vector: unique sorted bucket ids and their values. */
export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/** The vector of a stream range [from, to) — the whole stream by default. Used for training. */
export function vectorize(occ: Occurrences, cfg: FeatureConfig, from = 0, to = Number.POSITIVE_INFINITY): SparseVector {
  const counts = new Map<number, number>();
  let n = 0;
  for (let k = 0; k < occ.count; k++) {
    const p = occ.positions[k]!;
    if (p < from || p >= to) continue;
    const b = occ.buckets[k]!;
    counts.set(b, (counts.get(b) ?? 0) + 1);
    n++;
  }
  const ids = Int32Array.from(counts.keys()).sort();
  const values = new Float32Array(ids.length);
  const scale = normValue(cfg.norm, n);
  for (let k = 0; k < ids.length; k++) values[k] = counts.get(ids[k]!)! * scale;
  return { ids, values };
}

/**
 * Windows [start, end) (stream positions) covering a stream of `n` characters: for each size, windows at a stride
 * of half the size with the last one ending at `n`; a size of at least `n` gives the whole stream (once).
 */
export function windowSpans(n: number, cfg: FeatureConfig): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let whole = false;
  for (const size of cfg.windows) {
    if (n <= size) {
      if (!whole) spans.push([0, n]);
      whole = true;
      continue;
    }
    const stride = Math.max(1, size >> 1);
    for (let s = 0; s + size < n; s += stride) spans.push([s, s + size]);
    spans.push([n - size, n]);
  }
  return spans;
}

export interface WindowScore {
  /** Highest window logit. */
  logit: number;
  /** Span of that window in the scanned text. */
  start: number;
  end: number;
}

/**
 * Scores every window of the text with a linear model and returns the best one. `weights[b]` is the weight of
 * bucket b; the window's logit is bias + sum(weight * value) over its features. Weights are summed per stream
 * position while hashing, then windows are differences of prefix sums. `words`, when given, collects the words.
 */
export function scoreWindows(
  stream: Stream,
  weights: Float32Array | Float64Array,
  bias: number,
  cfg: FeatureConfig,
  words: WordSet | null = null,
): WindowScore {
  const { codes, length: n } = stream;
  if (n === 0) return { logit: bias, start: 0, end: 0 };
  let sum: Float64Array;
  let cnt: Int32Array;
  if (n + 1 <= SCRATCH_MAX + 1) {
    if (scratchSum.length < n + 1) {
      const size = Math.min(SCRATCH_MAX + 1, Math.max(n + 1, 2 * scratchSum.length, 1025));
      scratchSum = new Float64Array(size);
      scratchCnt = new Int32Array(size);
    }
    sum = scratchSum;
    cnt = scratchCnt;
    // Entries 1..n are all assigned by the character loop below before anything adds to them.
    sum[0] = 0;
    cnt[0] = 0;
  } else {
    sum = new Float64Array(n + 1);
    cnt = new Int32Array(n + 1);
  }
  const shift = 32 - cfg.bits;
  const { charMin, charMax } = cfg;
  let i0 = 0;
  if (charMin === 3 && charMax === 5) {
    // The default configuration, unrolled: the same hashes and the same additions in the same order.
    for (; i0 + 5 <= n; i0++) {
      let h = Math.imul(SEED_CHAR ^ codes[i0]!, FNV_PRIME);
      h = Math.imul(h ^ codes[i0 + 1]!, FNV_PRIME);
      h = Math.imul(h ^ codes[i0 + 2]!, FNV_PRIME);
      let acc = 0;
      acc += weights[charBucket(h, 3, shift)]!;
      h = Math.imul(h ^ codes[i0 + 3]!, FNV_PRIME);
      acc += weights[charBucket(h, 4, shift)]!;
      h = Math.imul(h ^ codes[i0 + 4]!, FNV_PRIME);
      acc += weights[charBucket(h, 5, shift)]!;
      sum[i0 + 1] = acc;
      cnt[i0 + 1] = 3;
    }
  }
  for (let i = i0; i < n; i++) {
    let h = SEED_CHAR;
    const last = Math.min(n, i + charMax);
    let acc = 0;
    let k = 0;
    for (let j = i; j < last; j++) {
      h = Math.imul(h ^ codes[j]!, FNV_PRIME);
      const len = j - i + 1;
      if (len >= charMin) {
        acc += weights[charBucket(h, len, shift)]!;
        k++;
      }
    }
    sum[i + 1] = acc;
    cnt[i + 1] = k;
  }
  // forEachWord, inlined: a closure would keep `prev` (a 32-bit hash, mostly outside the small-integer range) in a
  // context slot, boxing a number per word.
  let prev = 0;
  let prevInitial = false;
  const initial = cfg.initial === true;
  const lateFrom = cfg.lateFrom || Number.POSITIVE_INFINITY;
  const useWords = cfg.words;
  const bigrams = cfg.bigrams;
  const concepts = cfg.concepts === true;
  const repeat = cfg.conceptRepeat ?? 1;
  let c1 = 0;
  let c2 = 0;
  let gap = 0;
  let hasPrev = false;
  let i = 0;
  while (i < n) {
    const c = codes[i]!;
    if (!isWordCode(c) || c === 39) {
      if (c !== 32) hasPrev = false;
      i++;
      continue;
    }
    const start = i;
    let h = SEED_WORD;
    let whole = h;
    while (i < n && isWordCode(codes[i]!)) {
      const d = codes[i]!;
      if (d === 39 && words !== null) words.add(fmix(whole));
      h = Math.imul(h ^ d, FNV_PRIME);
      if (d !== 39) whole = h;
      i++;
    }
    const w = fmix(whole);
    const at = start + 1;
    if (words !== null) words.add(w);
    if (useWords) {
      sum[at]! += weights[wordBucket(w, shift)]!;
      cnt[at]!++;
    }
    if (bigrams && hasPrev) {
      sum[at]! += weights[bigramBucket(prev, w, shift)]!;
      cnt[at]!++;
    }
    if (initial) {
      if (!hasPrev) {
        sum[at]! += weights[initialBucket(w, shift)]!;
        cnt[at]!++;
      } else if (prevInitial) {
        sum[at]! += weights[initialBigramBucket(prev, w, shift)]!;
        cnt[at]!++;
      }
      prevInitial = !hasPrev;
    }
    if (start >= lateFrom) {
      sum[at]! += weights[lateBucket(w, shift)]!;
      cnt[at]!++;
      if (hasPrev) {
        sum[at]! += weights[lateBigramBucket(prev, w, shift)]!;
        cnt[at]!++;
      }
    }
    if (concepts) {
      if (!hasPrev) c1 = c2 = 0;
      const c = conceptOf(w);
      if (c !== 0) {
        sum[at]! += repeat * weights[conceptBucket(c, shift)]!;
        cnt[at]! += repeat;
        if (c1 !== 0) {
          sum[at]! += repeat * weights[conceptPairBucket(c1, c, shift)]!;
          cnt[at]! += repeat;
          if (c2 !== 0) {
            sum[at]! += repeat * weights[conceptTripleBucket(c2, c1, c, shift)]!;
            cnt[at]! += repeat;
          }
        }
        c2 = c1;
        c1 = c;
        gap = 0;
      } else if (++gap > CONCEPT_GAP) c1 = c2 = 0;
    }
    prev = w;
    hasPrev = true;
  }
  for (let k = 1; k <= n; k++) {
    sum[k]! += sum[k - 1]!;
    cnt[k]! += cnt[k - 1]!;
  }
  let best = Number.NEGATIVE_INFINITY;
  let bestStart = 0;
  let bestEnd = n;
  // The windows of windowSpans, in the same order, without building the list.
  let whole = false;
  for (const size of cfg.windows) {
    if (n <= size) {
      if (whole) continue;
      whole = true;
      const c = cnt[n]! - cnt[0]!;
      if (c === 0) continue;
      const logit = bias + (sum[n]! - sum[0]!) * normValue(cfg.norm, c);
      if (logit > best) {
        best = logit;
        bestStart = 0;
        bestEnd = n;
      }
      continue;
    }
    const stride = Math.max(1, size >> 1);
    for (let s = 0; ; s += stride) {
      const last = s + size >= n;
      const ws = last ? n - size : s;
      const we = last ? n : s + size;
      const c = cnt[we]! - cnt[ws]!;
      if (c !== 0) {
        const logit = bias + (sum[we]! - sum[ws]!) * normValue(cfg.norm, c);
        if (logit > best) {
          best = logit;
          bestStart = ws;
          bestEnd = we;
        }
      }
      if (last) break;
    }
  }
  if (best === Number.NEGATIVE_INFINITY) return { logit: bias, start: 0, end: 0 };
  const start = stream.offsets[bestStart]!;
  const end = stream.offsets[bestEnd - 1]! + 1;
  return { logit: best, start, end };
}
