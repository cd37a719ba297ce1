export { CANARY_PREFIX, createCanary, detectCanaryLeak, isCanary } from './canary.ts';
export type { MarkupFindingType, MarkupOptions } from './markup.ts';
export { detectUnsafeMarkup, sanitizeMarkup } from './markup.ts';
export type { CompiledPrompt, PromptLeakOptions, PromptLeakScore } from './prompt-leak.ts';
export { compilePromptLeak, detectPromptLeak } from './prompt-leak.ts';
export type { StreamScanner, StreamScannerOptions, StreamUpdate } from './stream.ts';
export { createStreamScanner } from './stream.ts';
