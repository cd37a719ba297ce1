export { detectPii, piiDetector } from './detect.ts';
export type { PiiVault, StreamingUnmasker } from './transform.ts';
export { createPiiVault, createStreamingUnmasker, hashPii, maskPii, redactPii, unmaskPii } from './transform.ts';
export type { PiiEntity, PiiOptions } from './types.ts';
export { ALL_PII_ENTITIES, DEFAULT_PII_ENTITIES } from './types.ts';
