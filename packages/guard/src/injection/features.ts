// Hashed text features shared by the training script and the detector, so that both see exactly the same vector.
//
// The text is the normalised detection copy, lower-cased, digits folded to 0 and whitespace runs collapsed. From
// it come character 3..5-grams (robust to inflection and to the odd typo) and word unigrams and bigrams, all hashed
// into 2^bits buckets. A feature's value is its count divided by a function of the number of features in the
// scored span, which keeps scores comparable between a short question and a long document window, and keeps the
// score of a window a difference of prefix sums: every window of a long text is scored in one pass.

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  charMin: number;
  charMax: number;
  words: boolean;
  bigrams: boolean;
  /** `mean`: value = count / n; `sqrt`: value = count / sqrt(n), where n counts the features in the span. */
  norm: 'mean' | 'sqrt';
  /** Window length and stride in characters of the feature stream, for long inputs. */
  window: number;
  stride: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 18,
  charMin: 3,
  charMax: 5,
  words: true,
  bigrams: true,
  norm: 'sqrt',
  window: 512,
  stride: 256,
};

/** The feature stream: folded character codes and, for each, its offset in the scanned text. */
export interface Stream {
  codes: Uint16Array;
  offsets: Int32Array;
  length: number;
}

export function toStream(text: string): Stream {
  const n = text.length;
  const codes = new Uint16Array(n);
  const offsets = new Int32Array(n);
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

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const isWordCode = (c: number) => (c >= 97 && c <= 122) || c === 48 || c === 39 || c >= 0xc0;

/** Feature occurrences: bucket ids and the stream position each occurrence is attributed to. */
export interface Occurrences {
  buckets: Int32Array;
  positions: Int32Array;
  count: number;
}

export function extractFeatures(stream: Stream, cfg: FeatureConfig): Occurrences {
  const { codes, length: n } = stream;
  const perPos = cfg.charMax - cfg.charMin + 1 + (cfg.words ? 1 : 0) + (cfg.bigrams ? 1 : 0);
  const cap = n * perPos + 1;
  const buckets = new Int32Array(cap);
  const positions = new Int32Array(cap);
  const mask = (1 << cfg.bits) - 1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let h = SEED_CHAR;
    const last = Math.min(n, i + cfg.charMax);
    for (let j = i; j < last; j++) {
      h = Math.imul(h ^ codes[j]!, FNV_PRIME);
      const len = j - i + 1;
      if (len >= cfg.charMin) {
        buckets[count] = fmix(h ^ len) & mask;
        positions[count] = i;
        count++;
      }
    }
  }
  if (cfg.words || cfg.bigrams) {
    let prev = 0;
    let hasPrev = false;
    let i = 0;
    while (i < n) {
      if (!isWordCode(codes[i]!)) {
        // Punctuation other than a space ends the phrase: no bigram across a full stop.
        if (codes[i] !== 32) hasPrev = false;
        i++;
        continue;
      }
      const start = i;
      let h = SEED_WORD;
      while (i < n && isWordCode(codes[i]!)) {
        h = Math.imul(h ^ codes[i]!, FNV_PRIME);
        i++;
      }
      const word = fmix(h);
      if (cfg.words) {
        buckets[count] = word & mask;
        positions[count] = start;
        count++;
      }
      if (cfg.bigrams && hasPrev) {
        buckets[count] = fmix(Math.imul(prev, 31) ^ word ^ SEED_BIGRAM) & mask;
        positions[count] = start;
        count++;
      }
      prev = word;
      hasPrev = true;
    }
  }
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

/** Window start offsets (stream positions) covering a stream of `n` characters; the last window ends at `n`. */
export function windowStarts(n: number, cfg: FeatureConfig): number[] {
  if (n <= cfg.window) return [0];
  const starts: number[] = [];
  for (let s = 0; s + cfg.window < n; s += cfg.stride) starts.push(s);
  starts.push(n - cfg.window);
  return starts;
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
 * bucket b; the window's logit is bias + sum(weight * value) over its features.
 */
export function scoreWindows(
  stream: Stream,
  occ: Occurrences,
  weights: Float32Array | Float64Array,
  bias: number,
  cfg: FeatureConfig,
): WindowScore {
  const n = stream.length;
  if (n === 0 || occ.count === 0) return { logit: bias, start: 0, end: 0 };
  const sum = new Float64Array(n + 1);
  const cnt = new Int32Array(n + 1);
  for (let k = 0; k < occ.count; k++) {
    const p = occ.positions[k]! + 1;
    sum[p]! += weights[occ.buckets[k]!]!;
    cnt[p]!++;
  }
  for (let i = 1; i <= n; i++) {
    sum[i]! += sum[i - 1]!;
    cnt[i]! += cnt[i - 1]!;
  }
  let best = Number.NEGATIVE_INFINITY;
  let bestStart = 0;
  let bestEnd = n;
  for (const s of windowStarts(n, cfg)) {
    const e = Math.min(n, s + cfg.window);
    const c = cnt[e]! - cnt[s]!;
    if (c === 0) continue;
    const logit = bias + (sum[e]! - sum[s]!) * normValue(cfg.norm, c);
    if (logit > best) {
      best = logit;
      bestStart = s;
      bestEnd = e;
    }
  }
  if (best === Number.NEGATIVE_INFINITY) return { logit: bias, start: 0, end: 0 };
  const start = stream.offsets[bestStart]!;
  const end = stream.offsets[bestEnd - 1]! + 1;
  return { logit: best, start, end };
}
