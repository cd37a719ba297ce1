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
 * Final score from the model score and the pattern score: noisy-or, so a weak signal that agrees with a
 * borderline model score tips it over, while either can flag alone when it is confident.
 */
export function combineScores(model: number, patterns: number): number {
  return 1 - (1 - model) * (1 - patterns);
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
  const score = combineScores(mScore, pScore);
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
