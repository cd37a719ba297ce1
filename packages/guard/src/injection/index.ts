export {
  analyzeInjectionText,
  type InjectionOptions,
  type InjectionScore,
  injectionDetector,
  injectionModel,
  scoreInjection,
} from './detector.ts';
export type { FeatureConfig } from './features.ts';
export type { LinearModel, ModelFile } from './model.ts';
export { type InjectionPattern, type InjectionType, PATTERNS } from './patterns.ts';
export type { InjectionAnalysis, ScoreOptions } from './scorer.ts';
