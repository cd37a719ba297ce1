// The moderation model: one logistic head per dataset label over shared hashed features (see ../ml/features.ts),
// weights stored bucket-major so that one feature lookup feeds every head. Long texts are scored in overlapping
// windows of tokens and each head keeps its best window, so a harmful paragraph inside a long benign document is
// not diluted away, and its window is the span a finding points at.

import { extractFeatures, type Occurrences, type TextFeatureConfig, type Tokens } from '../ml/features.ts';
import { decodeSparseHeads, dequantize, type SparseHeadsFile } from '../ml/quantize.ts';
import type { DatasetLabel } from './categories.ts';

export interface WindowConfig {
  /** Window length and stride, in tokens. Texts up to `tokens` long are scored whole. */
  tokens: number;
  stride: number;
}

export interface ModerationModel {
  features: TextFeatureConfig;
  window: WindowConfig;
  heads: DatasetLabel[];
  /** weights[bucket * heads.length + head], decoded from the quantised file. */
  weights: Float32Array;
  biases: Float64Array;
  /** Per head: the logit at which the model's probability is 0.5, chosen by cross-validation (see training). */
  thresholds: Float64Array;
}

/** What train-moderation.ts writes: the quantised weights and everything needed to know where they came from. */
export interface ModerationModelFile {
  name: 'portcullis-moderation';
  created: string;
  training: {
    files: string[];
    rows: number;
    license: string;
    source: string;
    script: string;
    l2: Record<string, number>;
  };
  features: TextFeatureConfig;
  window: WindowConfig;
  thresholds: Record<string, number>;
  /** Cross-validated figures (held-out folds), for the record; the report has the full table. */
  cv: Record<string, { precision: number; recall: number; f1: number }>;
  model: SparseHeadsFile;
}

export function loadModerationModel(file: ModerationModelFile): ModerationModel {
  const dense = dequantize(decodeSparseHeads(file.model));
  const heads = dense.heads as DatasetLabel[];
  const thresholds = Float64Array.from(heads.map((h) => file.thresholds[h] ?? 0));
  return {
    features: file.features,
    window: file.window,
    heads,
    weights: dense.weights,
    biases: dense.biases,
    thresholds,
  };
}

export interface HeadScores {
  /** Best-window logit per head. */
  logits: Float64Array;
  /** Token range [first, last) of each head's best window. */
  first: Int32Array;
  last: Int32Array;
}

/** Window start tokens covering `n` tokens; the last window ends at `n`. */
export function windowStarts(n: number, w: WindowConfig): number[] {
  if (n <= w.tokens) return [0];
  const starts: number[] = [];
  for (let s = 0; s + w.tokens < n; s += w.stride) starts.push(s);
  starts.push(n - w.tokens);
  return starts;
}

export function scoreHeads(model: ModerationModel, tokens: Tokens, occ?: Occurrences): HeadScores {
  const h = model.heads.length;
  const features = occ ?? extractFeatures(tokens, model.features);
  const n = tokens.count;
  const logits = Float64Array.from(model.biases);
  const first = new Int32Array(h);
  const last = new Int32Array(h).fill(n);
  if (n === 0 || features.count === 0) return { logits, first, last };
  // Prefix sums per head over tokens: sum[(t + 1) * h + j] = contribution of tokens 0..t to head j. Features come
  // in token order, so each token's contribution is gathered in locals and stored once.
  const sum = new Float64Array((n + 1) * h);
  const cnt = new Int32Array(n + 1);
  const w = model.weights;
  const { buckets, tokens: owner } = features;
  if (h === 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    let cur = owner[0]!;
    for (let k = 0; k <= features.count; k++) {
      const t = k < features.count ? owner[k]! : -1;
      if (t !== cur) {
        const b = (cur + 1) * 8;
        sum[b] = a0;
        sum[b + 1] = a1;
        sum[b + 2] = a2;
        sum[b + 3] = a3;
        sum[b + 4] = a4;
        sum[b + 5] = a5;
        sum[b + 6] = a6;
        sum[b + 7] = a7;
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = 0;
        if (t < 0) break;
        cur = t;
      }
      const wb = buckets[k]! * 8;
      a0 += w[wb]!;
      a1 += w[wb + 1]!;
      a2 += w[wb + 2]!;
      a3 += w[wb + 3]!;
      a4 += w[wb + 4]!;
      a5 += w[wb + 5]!;
      a6 += w[wb + 6]!;
      a7 += w[wb + 7]!;
      cnt[t + 1]!++;
    }
  } else {
    for (let k = 0; k < features.count; k++) {
      const base = (owner[k]! + 1) * h;
      const wb = buckets[k]! * h;
      for (let j = 0; j < h; j++) sum[base + j]! += w[wb + j]!;
      cnt[owner[k]! + 1]!++;
    }
  }
  for (let t = 1; t <= n; t++) {
    cnt[t]! += cnt[t - 1]!;
    const base = t * h;
    for (let j = 0; j < h; j++) sum[base + j]! += sum[base - h + j]!;
  }
  logits.fill(Number.NEGATIVE_INFINITY);
  for (const s of windowStarts(n, model.window)) {
    const e = Math.min(n, s + model.window.tokens);
    const c = cnt[e]! - cnt[s]!;
    if (c === 0) continue;
    const scale = 1 / Math.sqrt(c);
    for (let j = 0; j < h; j++) {
      const z = model.biases[j]! + (sum[e * h + j]! - sum[s * h + j]!) * scale;
      if (z > logits[j]!) {
        logits[j] = z;
        first[j] = s;
        last[j] = e;
      }
    }
  }
  for (let j = 0; j < h; j++) if (logits[j] === Number.NEGATIVE_INFINITY) logits[j] = model.biases[j]!;
  return { logits, first, last };
}
