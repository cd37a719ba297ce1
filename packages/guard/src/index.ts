// @portcullis/guard: detectors and transforms over text. Pure: no I/O, no global mutable state.

export * from './injection/index.ts';
export { seededRandom } from './ml/metrics.ts';
export * from './moderation/index.ts';
export * from './normalize/index.ts';
export * from './output/index.ts';
export * from './pii/index.ts';
export * from './policy/index.ts';
export * from './screen/index.ts';
export type { RuleInfo, ScanOptions, SecretsDetectorOptions } from './secrets/index.ts';
export {
  fingerprint,
  RULE_CATALOGUE,
  redact as redactSecrets,
  SECRET_RULE_COUNT,
  scanSecrets,
  secretsDetector,
} from './secrets/index.ts';
export type { DetectionResult, Detector, DetectorName, Finding } from './types.ts';
