// Public moderation API: per-category scores for a text and a Detector that turns them into findings.

import type { NormalizedText } from '../normalize/normalize.ts';
import type { DetectionResult, Detector, Finding } from '../types.ts';
import { analyzeModeration, type ModerationAnalysis } from './analyze.ts';
import { ALL_CATEGORIES, type ModerationCategory, PARENT, type SubCategory } from './categories.ts';
import { loadModerationModel, type ModerationModel, type ModerationModelFile } from './model.ts';
import weightsFile from './weights.json' with { type: 'json' };

let cached: ModerationModel | undefined;

/**
 * The shipped model, decoded on first use and shared afterwards. Decoding takes a few milliseconds, which an
 * application that never moderates should not pay at import; the decoded model is never mutated.
 */
export function defaultModerationModel(): ModerationModel {
  cached ??= loadModerationModel(weightsFile as unknown as ModerationModelFile);
  return cached;
}

export interface ModerationOptions {
  /** Score at or above which a category is flagged, per category. Default 0.5 (the cross-validated operating point). */
  thresholds?: Partial<Record<ModerationCategory, number>>;
  /** Only these categories are reported (all by default). */
  categories?: readonly ModerationCategory[];
  /** The normaliser's output for this text, when the pipeline already computed it. */
  normalized?: NormalizedText;
  /** A different model (tests, evaluation); null scores with the lexicon alone. */
  model?: ModerationModel | null;
}

export interface ModerationResult {
  /** Score 0..1 for every category, sub-types included. */
  categories: Record<string, number>;
  /** Flagged categories, main categories first. A sub-type is only flagged together with its parent. */
  flagged: string[];
}

const DEFAULT_THRESHOLD = 0.5;

function analyze(text: string, opts: ModerationOptions): ModerationAnalysis {
  const model = opts.model === undefined ? defaultModerationModel() : opts.model;
  return analyzeModeration(text, { model, ...(opts.normalized ? { normalized: opts.normalized } : {}) });
}

function flaggedOf(a: ModerationAnalysis, opts: ModerationOptions): ModerationCategory[] {
  const wanted = opts.categories ?? ALL_CATEGORIES;
  const threshold = (c: ModerationCategory) => opts.thresholds?.[c] ?? DEFAULT_THRESHOLD;
  const isFlagged = (c: ModerationCategory) => a.categories[c].score >= threshold(c);
  return ALL_CATEGORIES.filter((c) => {
    if (!wanted.includes(c) || !isFlagged(c)) return false;
    const parent = PARENT[c as SubCategory];
    return parent === undefined || isFlagged(parent);
  });
}

export function moderate(text: string, opts: ModerationOptions = {}): ModerationResult {
  const a = analyze(text, opts);
  const wanted = opts.categories ?? ALL_CATEGORIES;
  const categories: Record<string, number> = {};
  for (const c of wanted) categories[c] = a.categories[c].score;
  return { categories, flagged: flaggedOf(a, opts) };
}

/**
 * One finding per flagged category: `type` is the category, the span is the sentence that triggered the lexicon
 * or the model's best window (the whole text when it was scored whole), `signals` name what fired (`model`,
 * `lexicon:<category>`, and the normaliser's obfuscation signals). See SEVERITY for which types to block.
 */
export const moderationDetector: Detector<ModerationOptions> = {
  name: 'moderation',
  detect(text: string, options: ModerationOptions = {}): DetectionResult {
    const a = analyze(text, options);
    const findings: Finding[] = [];
    for (const c of flaggedOf(a, options)) {
      const d = a.categories[c];
      findings.push({
        detector: 'moderation',
        type: c,
        start: d.start,
        end: d.end,
        score: d.score,
        signals: [...d.signals, ...a.normalized.signals],
      });
    }
    return { findings };
  },
};
