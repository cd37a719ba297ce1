// Combines the model and the lexicon into one score per category. Shared by the detector, the training script and
// the evaluation, so that the cross-validated figures describe exactly what ships.

import { extractFeatures, tokenize } from '../ml/features.ts';
import { type NormalizedText, normalizeForDetection, toOriginalSpan } from '../normalize/normalize.ts';
import {
  ALL_CATEGORIES,
  DATASET_LABELS,
  type DatasetLabel,
  type MainCategory,
  type ModerationCategory,
  PARENT,
  type SubCategory,
} from './categories.ts';
import { type LexiconResult, matchLexicon } from './lexicon.ts';
import { type ModerationModel, scoreHeads } from './model.ts';

export interface CategoryDetail {
  /** Final score, 0..1; flagged at 0.5 by default. */
  score: number;
  /** The model's calibrated probability (0.5 at its cross-validated threshold); 0 for lexicon-only categories. */
  model: number;
  lexicon: number;
  /** Span in the input of what triggered the category: the lexicon hit's sentence or the model's window. */
  start: number;
  end: number;
  signals: string[];
}

export interface ModerationAnalysis {
  categories: Record<ModerationCategory, CategoryDetail>;
  /** Model logits per dataset label (absent without a model), for calibration and evaluation. */
  logits?: Partial<Record<DatasetLabel, number>>;
  lexicon: LexiconResult;
  normalized: NormalizedText;
}

export interface AnalyzeOptions {
  /** The normaliser's output for this text, when the caller already has it (saves the dominant cost). */
  normalized?: NormalizedText;
  /** null: lexicon only. */
  model: ModerationModel | null;
  useLexicon?: boolean;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Noisy-or: either signal can flag alone when confident; two weak signals that agree tip each other over. */
export const combine = (a: number, b: number) => 1 - (1 - a) * (1 - b);

const CATEGORY_TO_LABEL = new Map<ModerationCategory, DatasetLabel>(
  (Object.entries(DATASET_LABELS) as Array<[DatasetLabel, ModerationCategory]>).map(([l, c]) => [c, l]),
);

export function analyzeModeration(text: string, options: AnalyzeOptions): ModerationAnalysis {
  const normalized = options.normalized ?? normalizeForDetection(text);
  const scanned = normalized.text;
  const tokens = tokenize(scanned);
  const lexicon: LexiconResult =
    options.useLexicon === false ? { scores: {}, best: {} } : matchLexicon(scanned, tokens);
  const model = options.model;
  const heads = model ? scoreHeads(model, tokens, extractFeatures(tokens, model.features)) : undefined;
  const whole = { start: 0, end: text.length };
  const toInput = (s: number, e: number) => (e > s ? toOriginalSpan(normalized, s, e) : whole);
  const categories = {} as Record<ModerationCategory, CategoryDetail>;
  const logits: Partial<Record<DatasetLabel, number>> = {};
  for (const cat of ALL_CATEGORIES) {
    const label = CATEGORY_TO_LABEL.get(cat);
    const j = model && label ? model.heads.indexOf(label) : -1;
    let pModel = 0;
    let span = whole;
    if (model && heads && j >= 0) {
      const z = heads.logits[j]!;
      logits[label!] = z;
      pModel = sigmoid(z - model.thresholds[j]!);
      // A window narrower than the text is worth pointing at; a text scored whole is the whole input.
      const f = heads.first[j]!;
      const l = heads.last[j]!;
      if (f > 0 || l < tokens.count) span = toInput(tokens.starts[f]!, tokens.ends[l - 1]!);
    }
    const lex = lexicon.scores[cat] ?? 0;
    const hit = lexicon.best[cat];
    if (hit && lex >= pModel) span = toInput(hit.start, hit.end);
    const signals: string[] = [];
    if (pModel >= 0.25) signals.push('model');
    if (lex > 0) signals.push(`lexicon:${cat}`);
    categories[cat] = { score: combine(pModel, lex), model: pModel, lexicon: lex, ...span, signals };
  }
  // A sub-type is a sharper reading of its parent: never more likely than the parent.
  for (const sub of Object.keys(PARENT) as SubCategory[]) {
    const parent: MainCategory = PARENT[sub];
    const d = categories[sub];
    d.score = Math.min(d.score, categories[parent].score);
  }
  const result: ModerationAnalysis = { categories, lexicon, normalized };
  if (model) result.logits = logits;
  return result;
}
