// Scores a text for prompt injection: normalise, run the hand-written signals over the detection copy, score every
// window of it with the linear model, and combine. Shared by the detector and the training script, so that the
// validation figures describe exactly what ships.

import { type NormalizedText, normalizeForDetection } from '../normalize/normalize.ts';
import { scoreWindows, scratchStream, WordSet } from './features.ts';
import type { LinearModel } from './model.ts';
import { type InjectionType, matchPatterns, type PatternHit, patternScore } from './patterns.ts';

export interface InjectionAnalysis {
  /** 0..1; flagged when at least the threshold (0.5 unless overridden). */
  score: number;
  flagged: boolean;
  /** Pattern ids, `model` when the model alone would flag, and the obfuscation signals of the normalisation. */
  signals: string[];
  /** Most likely kind of attack, from the strongest signal. */
  type: InjectionType;
  modelScore: number;
  patternScore: number;
  hits: PatternHit[];
  /** Span of the highest-scoring model window, in the normalised text. */
  window: { start: number; end: number };
  normalized: NormalizedText;
}

export interface ScoreOptions {
  /** Final-score threshold for `flagged`. Default 0.5, which is the calibrated operating point. */
  threshold?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The model's probability-like score, centred so that 0.5 is its calibrated threshold. */
export function modelProbability(logit: number, model: LinearModel): number {
  return sigmoid(logit - model.threshold);
}

/**
 * Log-odds that weak pattern evidence adds to the model's margin: the logit of the pattern score plus this prior.
 * Weak signals (0.25 to 0.45) then add about 2.4 to 3.3, so a borderline model score with one of them flags while
 * neither flags alone. Chosen over the noisy-or of the two probabilities (which added 0.7 to 2.3): on the public
 * cross-source runs it recalled 4.7 points more attacks at the same false-positive rate, and on the hand-written
 * probe and written sets 1.2 points more at +0.1 points of false positives (2026-11 runs).
 */
export const WEAK_PATTERN_PRIOR = 3.5;

/** What a pattern score adds to the model's logit margin; nothing without a pattern. */
export function patternBoost(patterns: number): number {
  if (patterns <= 0) return 0;
  const p = Math.min(patterns, 1 - 1e-9);
  return Math.log(p / (1 - p)) + WEAK_PATTERN_PRIOR;
}

/**
 * Final score from the model's margin over its threshold (logit units) and the pattern score: the sigmoid of their
 * sum, so that 0.5 is the operating point, and never below a strong pattern's own score, which flags alone.
 */
export function combineScores(modelMargin: number, patterns: number): number {
  const s = sigmoid(modelMargin + patternBoost(patterns));
  return patterns >= 0.5 ? Math.max(s, patterns) : s;
}

// Long texts that set up a persona are jailbreak templates far more often than anything else.
const PERSONA_RE =
  /\b(?:you\s+are|you're|act\s+as|acting\s+as|pretend|role\s*-?\s*play|in\s+character|persona|simulat)/i;

/** Kind of attack: that of the strongest pattern; for the model alone, a persona set-up in a long text is a jailbreak. */
function attackType(hits: readonly PatternHit[], text: string): InjectionType {
  let type: InjectionType = 'prompt_injection';
  let strongest = 0;
  for (const h of hits) {
    if (h.pattern.weight > strongest) {
      strongest = h.pattern.weight;
      type = h.pattern.type;
    }
  }
  if (strongest >= 0.3) return type;
  if (hits.some((h) => h.pattern.type === 'jailbreak')) return 'jailbreak';
  return text.length > 600 && PERSONA_RE.test(text) ? 'jailbreak' : type;
}

const scratchWords = new WordSet();

export function analyzeInjection(text: string, model: LinearModel, options: ScoreOptions = {}): InjectionAnalysis {
  const normalized = normalizeForDetection(text);
  const scanned = normalized.text;
  // The stream and word set are scratch, reused by the next call: neither outlives this one.
  const stream = scratchStream(scanned);
  const words = scratchWords;
  words.clear();
  const best = scoreWindows(stream, model.weights, model.bias, model.features, words);
  const hits = matchPatterns(scanned, words);
  const pScore = patternScore(hits);
  const mScore = modelProbability(best.logit, model);
  const score = combineScores(best.logit - model.threshold, pScore);
  const threshold = options.threshold ?? 0.5;
  const signals: string[] = [];
  for (const h of hits) signals.push(h.pattern.id);
  if (mScore >= 0.5) signals.push('model');
  for (const s of normalized.signals) signals.push(s);
  const type = attackType(hits, scanned);
  return {
    score,
    flagged: score >= threshold,
    signals,
    type,
    modelScore: mScore,
    patternScore: pScore,
    hits,
    window: { start: best.start, end: best.end },
    normalized,
  };
}
