import type { PiiVault } from '../pii/transform.ts';
import type { Action } from '../policy/types.ts';
import type { Finding } from '../types.ts';

export interface ScreenMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** A finding with what the policy decided for it. Like every finding, it never carries the matched text. */
export interface AppliedFinding extends Finding {
  action: Action;
  /** Index into the screened messages; -1 for output. */
  message: number;
}

export interface ScreenInputOptions {
  /** Where masked PII goes; pass the same vault to the output side to restore it. Default: a new one. */
  vault?: PiiVault;
  /** Key for the `hash` action. Required when the policy hashes anything. */
  hashKey?: Uint8Array | string;
  /** Milliseconds, monotonic. Default `performance.now`. */
  clock?: () => number;
  /**
   * Run every detector even after a block, so that the findings are complete (offline reports such as the
   * `portcullis guard` CLI). The gateway leaves this off: a blocked request needs no further work.
   */
  exhaustive?: boolean;
}

export interface InputScreenResult {
  /** The messages to send upstream: PII masked, redacted or hashed and secrets redacted where the policy says so. Empty when blocked. */
  messages: ScreenMessage[];
  findings: AppliedFinding[];
  /** The first finding whose action is `block`. */
  blocked: AppliedFinding | undefined;
  /** Some finding's action is `flag` or `block`: worth an alert. Transforms alone (mask, redact) are routine. */
  flagged: boolean;
  /** The highest injection score among the screened messages, 0 when the injection check did not run. */
  injectionScore: number;
  vault: PiiVault;
  elapsedMs: number;
}

export interface OutputContext {
  /** The vault the input side masked into; its placeholders are restored for the caller. */
  vault: PiiVault;
  /** The canary planted in the system prompt (see plantCanary). */
  canary?: string;
  /** The system prompt as sent upstream, for the prompt-leak check. */
  systemPrompt?: string;
  hashKey?: Uint8Array | string;
  clock?: () => number;
  /** Streaming only. */
  stream?: {
    /** Characters rescanned with each new piece of the stream; at least 512 (the default). */
    window?: number;
    /**
     * New characters gathered before the next scan (default 128). Every scan covers the window again, so scanning
     * every token would cost the window's length per token; text is held back by the window anyway.
     */
    scanEvery?: number;
  };
}

export interface OutputScreenResult {
  /** Sanitized model text with PII placeholders still in place (for the audit record). Empty when blocked. */
  text: string;
  /** What the caller receives: sanitized, with PII placeholders restored. Empty when blocked. */
  callerText: string;
  findings: AppliedFinding[];
  blocked: AppliedFinding | undefined;
  flagged: boolean;
  elapsedMs: number;
}

export interface StreamStep {
  /** Safe to send to the caller now: sanitized and unmasked. */
  text: string;
  /** Findings first seen in this step; offsets are in the whole streamed model text. */
  findings: AppliedFinding[];
  /** Set from the step that blocked on, and on every step after it; no text is released from then on. */
  blocked: AppliedFinding | undefined;
}

export interface OutputStream {
  push(chunk: string): StreamStep;
  end(): StreamStep;
}

/** The guard work for one text took longer than `policy.budgetMs`; the gateway fails closed. */
export class GuardBudgetError extends Error {
  readonly detector: string;
  readonly elapsedMs: number;
  readonly budgetMs: number;
  constructor(detector: string, elapsedMs: number, budgetMs: number) {
    super(`guard budget exceeded: ${elapsedMs.toFixed(1)} ms after ${detector} (budget ${budgetMs} ms)`);
    this.name = 'GuardBudgetError';
    this.detector = detector;
    this.elapsedMs = elapsedMs;
    this.budgetMs = budgetMs;
  }
}
