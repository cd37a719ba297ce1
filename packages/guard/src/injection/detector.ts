import { toOriginalSpan } from '../normalize/normalize.ts';
import type { DetectionResult, Detector, Finding } from '../types.ts';
import { decodeModel, type LinearModel, type ModelFile } from './model.ts';
import type { InjectionType } from './patterns.ts';
import { analyzeInjection, type InjectionAnalysis, type ScoreOptions } from './scorer.ts';
import modelFile from './weights/injection-model.json' with { type: 'json' };

/** The bundled model, decoded once at import. */
export const injectionModel: LinearModel = decodeModel(modelFile as ModelFile);

export interface InjectionScore {
  score: number;
  flagged: boolean;
  signals: string[];
}

export type InjectionOptions = ScoreOptions;

/** Score in 0..1, whether it reaches the calibrated threshold, and the signals that fired. */
export function scoreInjection(text: string, options?: InjectionOptions): InjectionScore {
  const a = analyzeInjection(text, injectionModel, options);
  return { score: a.score, flagged: a.flagged, signals: a.signals };
}

/** Full analysis (pattern hits, model window, normalised text) for callers that want to explain a decision. */
export function analyzeInjectionText(text: string, options?: InjectionOptions): InjectionAnalysis {
  return analyzeInjection(text, injectionModel, options);
}

function findingsOf(text: string, a: InjectionAnalysis): Finding[] {
  if (!a.flagged) return [];
  const n = a.normalized;
  // Evidence for the main finding: the strongest pattern if it carries the decision, else the model's window.
  const strongest = [...a.hits].sort((x, y) => y.pattern.weight - x.pattern.weight)[0];
  const useHit = strongest !== undefined && strongest.pattern.weight >= a.modelScore;
  const span = useHit
    ? toOriginalSpan(n, strongest.start, strongest.end)
    : toOriginalSpan(n, a.window.start, a.window.end);
  const findings: Finding[] = [
    {
      detector: 'injection',
      type: a.type,
      start: Math.min(span.start, text.length),
      end: Math.min(Math.max(span.end, span.start), text.length),
      score: a.score,
      signals: a.signals,
    },
  ];
  // Strong evidence of a different kind of attack gets its own finding, so a policy can act on each kind.
  const seen = new Set<InjectionType>([a.type]);
  for (const h of a.hits) {
    if (h.pattern.weight < 0.5 || seen.has(h.pattern.type)) continue;
    seen.add(h.pattern.type);
    const s = toOriginalSpan(n, h.start, h.end);
    findings.push({
      detector: 'injection',
      type: h.pattern.type,
      start: Math.min(s.start, text.length),
      end: Math.min(s.end, text.length),
      score: h.pattern.weight,
      signals: a.hits.filter((x) => x.pattern.type === h.pattern.type).map((x) => x.pattern.id),
    });
  }
  return findings;
}

/**
 * Prompt injection and jailbreak detector: normalises the text (unicode tricks, leetspeak, encoded payloads),
 * runs hand-written technique patterns and a hashed linear model over sliding windows, and reports one finding per
 * kind of attack found: `prompt_injection`, `jailbreak`, `prompt_extraction` or `indirect_injection`.
 */
export const injectionDetector: Detector<InjectionOptions> = {
  name: 'injection',
  detect(text: string, options?: InjectionOptions): DetectionResult {
    return { findings: findingsOf(text, analyzeInjection(text, injectionModel, options)) };
  },
};
