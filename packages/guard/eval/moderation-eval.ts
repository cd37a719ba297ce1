// Cross-validated evaluation of the moderation detector, and the training machinery it shares with
// train/train-moderation.ts (so the reported figures describe exactly how the shipped model was built).
//
// Figures come from nested k-fold cross-validation on openai_moderation_1680.jsonl: for each outer fold, the
// regularisation and the per-category threshold are chosen by an inner cross-validation on the other folds only,
// the model is refitted on those folds, and the held-out fold is scored once. Nothing about a held-out row (not
// even the threshold) is chosen with that row in view. `illicit` has no label in that file: it is measured as
// recall on redteam/harmful_questions.jsonl against false positives on injection/benign.jsonl.
//
// Run: npm exec -- node packages/guard/eval/moderation-eval.ts [--quick] [--json out.json]

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractFeatures, type TextFeatureConfig, tokenize, vectorize } from '../src/ml/features.ts';
import { hashString } from '../src/ml/hash.ts';
import { fitLogistic, type SparseRows } from '../src/ml/logistic.ts';
import { bestF1Threshold, type Prf, prf, stratifiedFolds } from '../src/ml/metrics.ts';
import { decodeSparseHeads, dequantize, encodeSparseHeads } from '../src/ml/quantize.ts';
import { analyzeModeration } from '../src/moderation/analyze.ts';
import {
  DATASET_LABELS,
  type DatasetLabel,
  MAIN_CATEGORIES,
  type ModerationCategory,
} from '../src/moderation/categories.ts';
import { type ModerationModel, scoreHeads, type WindowConfig } from '../src/moderation/model.ts';
import { defaultModerationModel } from '../src/moderation/moderate.ts';
import { type NormalizedText, normalizeForDetection } from '../src/normalize/normalize.ts';

export const HEADS: DatasetLabel[] = ['S', 'H', 'V', 'HR', 'SH', 'S3', 'H2', 'V2'];

export const DEFAULT_FEATURES: TextFeatureConfig = {
  bits: 17,
  charMin: 3,
  charMax: 4,
  words: true,
  bigrams: true,
  maxWordChars: 24,
};

export const DEFAULT_WINDOW: WindowConfig = { tokens: 256, stride: 128 };

export interface TrainSettings {
  features: TextFeatureConfig;
  window: WindowConfig;
  /** L2 strengths tried. */
  grid: number[];
  folds: number;
  innerFolds: number;
  /** Buckets seen in fewer training rows than this get no weight: they are noise and would bloat the file. */
  minDf: number;
  seed: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  features: DEFAULT_FEATURES,
  window: DEFAULT_WINDOW,
  grid: [1e-3, 3e-4, 1e-4, 3e-5],
  folds: 5,
  innerFolds: 4,
  minDf: 3,
  seed: 1680,
};

export const MODERATION_FILE = 'moderation/openai_moderation_1680.jsonl';

/** `PORTCULLIS_DATASETS`, else `<repo>/../shared/datasets`. */
export function datasetsDir(): string {
  const fromEnv = process.env['PORTCULLIS_DATASETS'];
  if (fromEnv) return resolve(fromEnv);
  return resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'datasets');
}

export interface ModerationRow {
  text: string;
  /** `benign`: a prompt from injection/benign.jsonl used as a negative for every label (training only). */
  source: 'openai' | 'benign';
  /** Per head: 1, 0, or -1 when the row was not annotated for that label. */
  labels: Int8Array;
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export const BENIGN_FILE = 'injection/benign.jsonl';

/**
 * Every seventh benign prompt (by hash of its text) is a training negative; the rest measure false positives.
 * The moderation file's negatives are mostly near-miss internet text, so without ordinary requests (maths, code,
 * role-play) a head learns that anything unlike its training data is suspicious.
 */
export function isBenignTrainRow(text: string): boolean {
  return hashString(text) % 7 === 0;
}

function loadBenign(dir: string): string[] {
  return readJsonl(join(dir, BENIGN_FILE))
    .filter((r) => r['label'] === 0)
    .map((r) => String(r['text']));
}

export function loadModerationRows(dir: string, benignNegatives = true): ModerationRow[] {
  const rows: ModerationRow[] = readJsonl(join(dir, MODERATION_FILE)).map((r) => ({
    text: String(r['prompt'] ?? r['text'] ?? ''),
    source: 'openai',
    labels: Int8Array.from(HEADS.map((h) => (r[h] === 1 ? 1 : r[h] === 0 ? 0 : -1))),
  }));
  if (benignNegatives) {
    for (const text of loadBenign(dir)) {
      if (isBenignTrainRow(text)) rows.push({ text, source: 'benign', labels: new Int8Array(HEADS.length) });
    }
  }
  return rows;
}

export interface Prepared {
  rows: ModerationRow[];
  normalized: NormalizedText[];
  vectors: Array<{ ids: Int32Array; values: Float32Array }>;
  /** Lexicon score per row per head's category. */
  lexicon: Float64Array[];
  settings: TrainSettings;
}

export function prepare(rows: ModerationRow[], settings: TrainSettings): Prepared {
  const normalized = rows.map((r) => normalizeForDetection(r.text));
  const vectors = normalized.map((n) => vectorize(extractFeatures(tokenize(n.text), settings.features)));
  const lexicon = rows.map((r, i) => {
    const a = analyzeModeration(r.text, { model: null, normalized: normalized[i]! });
    return Float64Array.from(HEADS.map((h) => a.categories[DATASET_LABELS[h]].lexicon));
  });
  return { rows, normalized, vectors, lexicon, settings };
}

/** Stratification key: the rarest positive label of the row. */
function stratKey(row: ModerationRow, counts: number[]): string {
  if (row.source !== 'openai') return row.source;
  let best = 'none';
  let bestCount = Number.POSITIVE_INFINITY;
  for (let j = 0; j < HEADS.length; j++) {
    if (row.labels[j] === 1 && counts[j]! < bestCount) {
      bestCount = counts[j]!;
      best = HEADS[j]!;
    }
  }
  return best;
}

function foldsFor(prep: Prepared, idx: number[], k: number, seed: number): Int32Array {
  const counts = HEADS.map((_, j) => prep.rows.filter((r) => r.labels[j] === 1).length);
  return stratifiedFolds(
    idx.map((i) => stratKey(prep.rows[i]!, counts)),
    k,
    seed,
  );
}

/** One fitted model per grid value, bucket-major dense weights, quantised as shipped. */
export interface FittedPath {
  models: ModerationModel[];
  /** The unquantised weights of each model (what a final fit stores). */
  dense: Array<{ weights: Float32Array; biases: Float64Array }>;
}

/** Fits every head at every grid value on rows `idx`. */
export function fitPath(prep: Prepared, idx: number[], grid: number[]): FittedPath {
  const { features, minDf, window } = prep.settings;
  const df = new Map<number, number>();
  for (const i of idx) for (const b of prep.vectors[i]!.ids) df.set(b, (df.get(b) ?? 0) + 1);
  const compact = new Map<number, number>();
  const buckets: number[] = [];
  for (const [b, c] of [...df.entries()].sort((a, b) => a[0] - b[0])) {
    if (c < minDf) continue;
    compact.set(b, buckets.length);
    buckets.push(b);
  }
  const indptr = new Int32Array(idx.length + 1);
  const ind: number[] = [];
  const val: number[] = [];
  idx.forEach((i, r) => {
    const v = prep.vectors[i]!;
    for (let k = 0; k < v.ids.length; k++) {
      const c = compact.get(v.ids[k]!);
      if (c === undefined) continue;
      ind.push(c);
      val.push(v.values[k]!);
    }
    indptr[r + 1] = ind.length;
  });
  const x: SparseRows = { dim: buckets.length, indptr, indices: Int32Array.from(ind), values: Float32Array.from(val) };
  const h = HEADS.length;
  const size = 1 << features.bits;
  const labels: Uint8Array[] = [];
  const weights: Float64Array[] = [];
  for (let j = 0; j < h; j++) {
    const y = new Uint8Array(idx.length);
    const c = new Float64Array(idx.length);
    let pos = 0;
    let neg = 0;
    for (const i of idx) {
      const l = prep.rows[i]!.labels[j]!;
      if (l === 1) pos++;
      else if (l === 0) neg++;
    }
    // Positives weighted up by the square root of the imbalance: enough that rare labels shape the weights,
    // not so much that the model's scores stop ranking well; thresholds are tuned afterwards anyway.
    const wPos = pos > 0 ? Math.sqrt(neg / pos) : 1;
    idx.forEach((i, r) => {
      const l = prep.rows[i]!.labels[j]!;
      y[r] = l === 1 ? 1 : 0;
      c[r] = l === 1 ? wPos : l === 0 ? 1 : 0;
    });
    labels.push(y);
    weights.push(c);
  }
  const dense = grid.map(() => ({ weights: new Float32Array(size * h), biases: new Float64Array(h) }));
  grid.forEach((l2, g) => {
    const d = dense[g]!;
    for (let j = 0; j < h; j++) {
      const fit = fitLogistic(x, labels[j]!, weights[j]!, { l2, seed: prep.settings.seed + j });
      for (let k = 0; k < buckets.length; k++) d.weights[buckets[k]! * h + j] = fit.weights[k]!;
      d.biases[j] = fit.bias;
    }
  });
  const models = dense.map((d) => {
    // Round-trip through the storage format, so that evaluation sees the precision that ships.
    const q = dequantize(decodeSparseHeads(encodeSparseHeads({ bits: features.bits, heads: HEADS, ...d })));
    return {
      features,
      window,
      heads: HEADS,
      weights: q.weights,
      biases: q.biases,
      thresholds: new Float64Array(h),
    } satisfies ModerationModel;
  });
  return { models, dense };
}

/** Best-window logits of rows `idx` under a model: the detector's own scoring, windows and all. */
export function predictLogits(prep: Prepared, idx: number[], model: ModerationModel): Float64Array[] {
  return idx.map((i) => scoreHeads(model, tokenize(prep.normalized[i]!.text)).logits);
}

/**
 * The model score at which the combination flags, for a row whose lexicon score is `lex`: noisy-or(p, lex) >= 0.5
 * with p = sigmoid(z - t) is z - t >= logit((0.5 - lex) / (1 - lex)). Returns z minus that, so that the row is
 * flagged exactly when the returned value is at least t; +Infinity when the lexicon flags alone.
 */
export function effectiveScore(z: number, lex: number): number {
  if (lex >= 0.5) return Number.POSITIVE_INFINITY;
  const p = (0.5 - lex) / (1 - lex);
  return z - Math.log(p / (1 - p));
}

function chooseThreshold(scores: number[], labels: number[]): { threshold: number; f1: number } {
  const r = bestF1Threshold(scores, labels);
  if (Number.isFinite(r.threshold)) return r;
  const finite = scores.filter((s) => Number.isFinite(s));
  return { threshold: (finite.length ? Math.max(...finite) : 0) + 1, f1: r.f1 };
}

export interface HeadChoice {
  l2Index: number;
  /** Threshold for the model combined with the lexicon, and for the model alone. */
  combined: number;
  modelOnly: number;
  l2IndexModelOnly: number;
  innerF1: number;
}

/** Inner cross-validation on rows `idx`: per head, the grid value and thresholds with the best out-of-fold F1. */
export function chooseSettings(prep: Prepared, idx: number[], seed: number, log?: (s: string) => void): HeadChoice[] {
  const { grid, innerFolds } = prep.settings;
  // Benign negatives take part here, held out in turn like the rest: a threshold has to hold on ordinary requests
  // too, not only on the moderation file, where a fifth of the rows annotated for hate are hateful.
  const folds = foldsFor(prep, idx, innerFolds, seed);
  // oof[g][r][j]
  const oof = grid.map(() => idx.map(() => new Float64Array(HEADS.length)));
  for (let f = 0; f < innerFolds; f++) {
    const train = idx.filter((_, r) => folds[r] !== f);
    const testPos = idx.map((_, r) => r).filter((r) => folds[r] === f);
    const path = fitPath(prep, train, grid);
    path.models.forEach((m, g) => {
      const logits = predictLogits(
        prep,
        testPos.map((r) => idx[r]!),
        m,
      );
      testPos.forEach((r, k) => {
        oof[g]![r]!.set(logits[k]!);
      });
    });
    log?.(`    inner fold ${f + 1}/${innerFolds}`);
  }
  return HEADS.map((_, j) => {
    const labels = idx.map((i) => prep.rows[i]!.labels[j]!);
    let best: HeadChoice | undefined;
    let bestModel = { g: 0, t: 0, f1: -1 };
    grid.forEach((_, g) => {
      const z = oof[g]!.map((row) => row[j]!);
      const comb = chooseThreshold(
        z.map((v, r) => effectiveScore(v, prep.lexicon[idx[r]!]![j]!)),
        labels,
      );
      const alone = chooseThreshold(z, labels);
      if (!best || comb.f1 > best.innerF1) {
        best = { l2Index: g, combined: comb.threshold, modelOnly: 0, l2IndexModelOnly: 0, innerF1: comb.f1 };
      }
      if (alone.f1 > bestModel.f1) bestModel = { g, t: alone.threshold, f1: alone.f1 };
    });
    const choice = best!;
    choice.modelOnly = bestModel.t;
    choice.l2IndexModelOnly = bestModel.g;
    return choice;
  });
}

export interface CategoryFigures {
  positives: number;
  labelled: number;
  modelLexicon: Prf;
  modelOnly: Prf;
  lexiconOnly: Prf;
}

export interface CrossValidation {
  settings: TrainSettings;
  categories: Record<string, CategoryFigures>;
  macroF1: { modelLexicon: number; modelOnly: number; lexiconOnly: number };
  /** Macro-F1 over the seven main categories that have labels (sub-types excluded). */
  macroF1Main: { modelLexicon: number; modelOnly: number; lexiconOnly: number };
  /** l2 chosen per head in each outer fold. */
  chosenL2: Record<string, number[]>;
}

export function crossValidate(prep: Prepared, log?: (s: string) => void): CrossValidation {
  const { folds: k, grid, seed } = prep.settings;
  const all = prep.rows.map((_, i) => i).filter((i) => prep.rows[i]!.source === 'openai');
  const extra = prep.rows.map((_, i) => i).filter((i) => prep.rows[i]!.source !== 'openai');
  const folds = new Int32Array(prep.rows.length).fill(-1);
  foldsFor(prep, all, k, seed).forEach((f, r) => {
    folds[all[r]!] = f;
  });
  const h = HEADS.length;
  const flagComb = prep.rows.map(() => new Uint8Array(h));
  const flagModel = prep.rows.map(() => new Uint8Array(h));
  const chosenL2: Record<string, number[]> = Object.fromEntries(HEADS.map((x) => [x, [] as number[]]));
  for (let f = 0; f < k; f++) {
    const train = [...all.filter((i) => folds[i] !== f), ...extra];
    const test = all.filter((i) => folds[i] === f);
    log?.(`  outer fold ${f + 1}/${k}: ${train.length} train (${extra.length} benign), ${test.length} held out`);
    const choice = chooseSettings(prep, train, seed + 1 + f, log);
    const path = fitPath(prep, train, grid);
    const logitsByG = path.models.map((m) => predictLogits(prep, test, m));
    test.forEach((i, r) => {
      for (let j = 0; j < h; j++) {
        const c = choice[j]!;
        const z = logitsByG[c.l2Index]![r]![j]!;
        flagComb[i]![j] = effectiveScore(z, prep.lexicon[i]![j]!) >= c.combined ? 1 : 0;
        flagModel[i]![j] = logitsByG[c.l2IndexModelOnly]![r]![j]! >= c.modelOnly ? 1 : 0;
      }
    });
    for (let j = 0; j < h; j++) chosenL2[HEADS[j]!]!.push(grid[choice[j]!.l2Index]!);
  }
  const categories: Record<string, CategoryFigures> = {};
  HEADS.forEach((x, j) => {
    // Scored on the moderation file only: the benign training negatives are never held out.
    const labels = prep.rows.map((r) => (r.source === 'openai' ? r.labels[j]! : -1));
    categories[DATASET_LABELS[x]] = {
      positives: labels.filter((l) => l === 1).length,
      labelled: labels.filter((l) => l >= 0).length,
      modelLexicon: confusion(
        flagComb.map((f) => f[j] === 1),
        labels,
      ),
      modelOnly: confusion(
        flagModel.map((f) => f[j] === 1),
        labels,
      ),
      lexiconOnly: confusion(
        prep.lexicon.map((l) => l[j]! >= 0.5),
        labels,
      ),
    };
  });
  const macro = (cats: string[], key: 'modelLexicon' | 'modelOnly' | 'lexiconOnly') =>
    cats.reduce((s, c) => s + categories[c]![key].f1, 0) / cats.length;
  const allCats = Object.keys(categories);
  const mainCats = allCats.filter((c) => (MAIN_CATEGORIES as readonly string[]).includes(c));
  return {
    settings: prep.settings,
    categories,
    macroF1: {
      modelLexicon: macro(allCats, 'modelLexicon'),
      modelOnly: macro(allCats, 'modelOnly'),
      lexiconOnly: macro(allCats, 'lexiconOnly'),
    },
    macroF1Main: {
      modelLexicon: macro(mainCats, 'modelLexicon'),
      modelOnly: macro(mainCats, 'modelOnly'),
      lexiconOnly: macro(mainCats, 'lexiconOnly'),
    },
    chosenL2,
  };
}

function confusion(predicted: boolean[], labels: number[]): Prf {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((y, i) => {
    if (y < 0) return;
    if (predicted[i] && y === 1) tp++;
    else if (predicted[i]) fp++;
    else if (y === 1) fn++;
  });
  return prf(tp, fp, fn);
}

// ---------------------------------------------------------------------------------------------------------------
// Out-of-domain checks with the shipped model: illicit recall, false positives on benign prompts.

export interface OutOfDomain {
  harmfulQuestions: { rows: number; illicitRecall: number; anyCategoryRecall: number };
  benign: { rows: number; flaggedRate: number; illicitRate: number; perCategory: Record<string, number> };
}

export function outOfDomain(
  dir: string,
  benignLimit = Number.POSITIVE_INFINITY,
  model: ModerationModel = defaultModerationModel(),
): OutOfDomain {
  const harmful = readJsonl(join(dir, 'redteam', 'harmful_questions.jsonl')).map((r) => String(r['text']));
  let illicit = 0;
  let any = 0;
  for (const t of harmful) {
    const a = analyzeModeration(t, { model });
    const flagged = MAIN_CATEGORIES.filter((c) => a.categories[c].score >= 0.5);
    if (flagged.includes('illicit')) illicit++;
    if (flagged.length > 0) any++;
  }
  const benign = loadBenign(dir)
    .filter((t) => !isBenignTrainRow(t))
    .slice(0, benignLimit);
  const perCategory: Record<string, number> = Object.fromEntries(MAIN_CATEGORIES.map((c) => [c, 0]));
  let flaggedAny = 0;
  for (const t of benign) {
    const a = analyzeModeration(t, { model });
    let anyHit = false;
    for (const c of MAIN_CATEGORIES) {
      if (a.categories[c].score >= 0.5) {
        perCategory[c]!++;
        anyHit = true;
      }
    }
    if (anyHit) flaggedAny++;
  }
  for (const c of MAIN_CATEGORIES) perCategory[c] = perCategory[c]! / benign.length;
  return {
    harmfulQuestions: {
      rows: harmful.length,
      illicitRecall: illicit / harmful.length,
      anyCategoryRecall: any / harmful.length,
    },
    benign: {
      rows: benign.length,
      flaggedRate: flaggedAny / benign.length,
      illicitRate: perCategory['illicit']!,
      perCategory,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const pct = (x: number) => x.toFixed(3);

export function markdownTable(cv: CrossValidation): string {
  const lines = [
    '| category | labelled | positives | model+lexicon P | R | F1 | model only F1 | lexicon only P | R | F1 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [cat, f] of Object.entries(cv.categories)) {
    const m = f.modelLexicon;
    const l = f.lexiconOnly;
    lines.push(
      `| ${cat} | ${f.labelled} | ${f.positives} | ${pct(m.precision)} | ${pct(m.recall)} | **${pct(m.f1)}** | ${pct(f.modelOnly.f1)} | ${pct(l.precision)} | ${pct(l.recall)} | ${pct(l.f1)} |`,
    );
  }
  lines.push(
    `| **macro-F1 (all 8 labels)** | | | | | **${pct(cv.macroF1.modelLexicon)}** | ${pct(cv.macroF1.modelOnly)} | | | ${pct(cv.macroF1.lexiconOnly)} |`,
  );
  lines.push(
    `| **macro-F1 (6 main categories)** | | | | | **${pct(cv.macroF1Main.modelLexicon)}** | ${pct(cv.macroF1Main.modelOnly)} | | | ${pct(cv.macroF1Main.lexiconOnly)} |`,
  );
  return lines.join('\n');
}

export function markdownOutOfDomain(o: OutOfDomain): string {
  const lines = [
    '| check | rows | value |',
    '| --- | ---: | ---: |',
    `| illicit recall on redteam/harmful_questions.jsonl | ${o.harmfulQuestions.rows} | ${pct(o.harmfulQuestions.illicitRecall)} |`,
    `| any-category recall on redteam/harmful_questions.jsonl | ${o.harmfulQuestions.rows} | ${pct(o.harmfulQuestions.anyCategoryRecall)} |`,
    `| illicit false-positive rate on injection/benign.jsonl | ${o.benign.rows} | ${o.benign.illicitRate.toFixed(4)} |`,
    `| any-category false-positive rate on injection/benign.jsonl | ${o.benign.rows} | ${o.benign.flaggedRate.toFixed(4)} |`,
  ];
  for (const [c, r] of Object.entries(o.benign.perCategory)) {
    lines.push(`| ${c} false-positive rate on benign | ${o.benign.rows} | ${r.toFixed(4)} |`);
  }
  return lines.join('\n');
}

export interface ModerationEvaluation {
  crossValidation: CrossValidation;
  outOfDomain: OutOfDomain;
  markdown: string;
}

export interface EvaluateOptions {
  settings?: Partial<TrainSettings>;
  /** Cap on benign rows scanned (all by default). */
  benignLimit?: number;
  log?: (s: string) => void;
  /** Print the Markdown tables to stdout. Default true. */
  print?: boolean;
}

/**
 * Cross-validated figures per category (model+lexicon vs model only vs lexicon only) and the out-of-domain checks,
 * printed as Markdown and returned as plain JSON-serialisable data. Retrains the model in every fold: about two
 * minutes on two cores.
 */
export function evaluateModeration(dir: string = datasetsDir(), options: EvaluateOptions = {}): ModerationEvaluation {
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const prep = prepare(loadModerationRows(dir), settings);
  const cv = crossValidate(prep, options.log);
  const ood = outOfDomain(dir, options.benignLimit);
  const markdown = [
    '### Moderation: nested cross-validation on openai_moderation_1680.jsonl',
    '',
    markdownTable(cv),
    '',
    '### Illicit and false positives (shipped model)',
    '',
    markdownOutOfDomain(ood),
  ].join('\n');
  if (options.print !== false) console.log(markdown);
  return { crossValidation: cv, outOfDomain: ood, markdown };
}

export type { ModerationCategory };

if (import.meta.main) {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const jsonAt = args.indexOf('--json');
  const result = evaluateModeration(datasetsDir(), {
    settings: quick ? { folds: 3, innerFolds: 3, grid: [1e-3, 3e-4] } : {},
    log: (s) => process.stderr.write(`${s}\n`),
  });
  const { markdown: _, ...json } = result;
  if (jsonAt >= 0 && args[jsonAt + 1]) writeFileSync(args[jsonAt + 1]!, `${JSON.stringify(json, null, 2)}\n`);
}
