import type { DetectionResult, Detector } from '../types.ts';
import { RULE_CATALOGUE, type ScanOptions, scanSecrets } from './engine.ts';
import { redact } from './redact.ts';

export { RULE_CATALOGUE, type ScanOptions, scanSecrets } from './engine.ts';
export { fingerprint, redact } from './redact.ts';
export type { RuleInfo } from './rule.ts';

export interface SecretsDetectorOptions extends ScanOptions {
  /** Also return the text with every finding replaced by `[REDACTED:<type>]`. */
  redact?: boolean;
}

/** The secrets detector: credentials by provider format, by structure, and by assignment context. */
export const secretsDetector: Detector<SecretsDetectorOptions> = {
  name: 'secrets',
  detect(text: string, options?: SecretsDetectorOptions): DetectionResult {
    const findings = scanSecrets(text, options);
    if (options?.redact === true && findings.length > 0) return { findings, text: redact(text, findings) };
    return { findings };
  },
};

/** Number of distinct rule ids the scanner can report. */
export const SECRET_RULE_COUNT: number = RULE_CATALOGUE.length;
