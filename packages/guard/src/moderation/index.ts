export type { CategoryDetail, ModerationAnalysis } from './analyze.ts';
export type { MainCategory, ModerationCategory, Severity, SubCategory } from './categories.ts';
export {
  ALL_CATEGORIES,
  isSevere,
  MAIN_CATEGORIES,
  PARENT,
  SEVERE_CATEGORIES,
  SEVERITY,
  SUB_CATEGORIES,
} from './categories.ts';
export type { ModerationOptions, ModerationResult } from './moderate.ts';
export { moderate, moderationDetector } from './moderate.ts';
