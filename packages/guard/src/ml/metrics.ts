// Evaluation helpers shared by training and evaluation scripts: seeded shuffling, stratified k-fold assignment,
// precision/recall/F1 and the F1-maximising threshold.

/** Mulberry32: a small seeded PRNG, so that fold assignments are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Fold of each item, stratified by a key (for multi-label data, the item's rarest positive label): items of one key
 * are dealt round-robin, so every fold gets its share of each rare class. `groups` (optional) keeps items with the
 * same group id (near-duplicates) in one fold.
 */
export function stratifiedFolds(keys: string[], k: number, seed: number, groups?: number[]): Int32Array {
  const random = seededRandom(seed);
  const folds = new Int32Array(keys.length).fill(-1);
  const byKey = new Map<string, number[]>();
  const seenGroup = new Map<number, number>();
  for (let i = 0; i < keys.length; i++) {
    const g = groups?.[i];
    if (g !== undefined && seenGroup.has(g)) continue;
    if (g !== undefined) seenGroup.set(g, i);
    const list = byKey.get(keys[i]!) ?? [];
    list.push(i);
    byKey.set(keys[i]!, list);
  }
  let next = 0;
  for (const key of [...byKey.keys()].sort()) {
    for (const i of shuffle(byKey.get(key)!, random)) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  if (groups) {
    for (let i = 0; i < keys.length; i++) {
      if (folds[i] === -1) folds[i] = folds[seenGroup.get(groups[i]!)!]!;
    }
  }
  return folds;
}

export interface Prf {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

/** Confusion counts of `predicted` against `labels`, skipping items whose label is unknown (-1). */
export function score(predicted: ArrayLike<boolean>, labels: ArrayLike<number>): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y < 0) continue;
    if (predicted[i] && y === 1) tp++;
    else if (predicted[i]) fp++;
    else if (y === 1) fn++;
  }
  return prf(tp, fp, fn);
}

/**
 * The threshold on `scores` that maximises F1 against `labels` (-1 = unknown, skipped); flagged means score >=
 * threshold. Returned halfway between the two scores it separates, so that it generalises a little better than
 * the edge of the training data.
 */
export function bestF1Threshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { threshold: number; f1: number } {
  const items: Array<[number, number]> = [];
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (y < 0) continue;
    items.push([scores[i]!, y]);
    if (y === 1) positives++;
  }
  items.sort((a, b) => b[0] - a[0]);
  if (positives === 0 || items.length === 0) return { threshold: Number.POSITIVE_INFINITY, f1: 0 };
  let tp = 0;
  let fp = 0;
  let best = -1;
  let threshold = items[0]![0];
  for (let i = 0; i < items.length; i++) {
    if (items[i]![1] === 1) tp++;
    else fp++;
    // Only cut between distinct scores.
    if (i + 1 < items.length && items[i + 1]![0] === items[i]![0]) continue;
    const f1 = (2 * tp) / (2 * tp + fp + (positives - tp));
    if (f1 > best) {
      best = f1;
      const below = i + 1 < items.length ? items[i + 1]![0] : items[i]![0] - 1;
      threshold = (items[i]![0] + below) / 2;
    }
  }
  return { threshold, f1: best };
}
