// Core types of the guard library. Every detector is a pure function of its input text and
// options: no I/O, no global mutable state, deterministic.

/** Which detector family produced a finding. */
export type DetectorName = 'injection' | 'secrets' | 'pii' | 'moderation' | 'unicode' | 'output';

export interface Finding {
  detector: DetectorName;
  /** Rule or entity type, stable and machine-readable: `openai_api_key`, `EMAIL_ADDRESS`, `jailbreak`, `hate`. */
  type: string;
  /** Character span in the text that was scanned (UTF-16 offsets, end exclusive). Whole-text findings use 0..length. */
  start: number;
  end: number;
  /** 0..1: how sure the detector is. */
  score: number;
  /** Names of the signals that fired (pattern ids, model, context words) — never the matched text itself. */
  signals: string[];
}

/** What a detector returns. `text` is present when the detector transformed the input (masking, normalising). */
export interface DetectionResult {
  findings: Finding[];
  text?: string;
}

export interface Detector<Options = unknown> {
  readonly name: DetectorName;
  detect(text: string, options?: Options): DetectionResult;
}
