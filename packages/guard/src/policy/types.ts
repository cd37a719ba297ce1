// A policy maps each detector's findings to an action. Pure data: the gateway stores and merges
// policies (global → tenant → key → prompt); the guard library applies them.

/** What to do with a finding. `mask` replaces it reversibly (PII), `redact` irreversibly. */
export type Action = 'block' | 'mask' | 'redact' | 'hash' | 'sanitize' | 'flag' | 'allow';

export interface RuleSetting {
  action: Action;
  /** Findings scoring below this are ignored. Omitted: the detector's calibrated default. */
  threshold?: number;
}

export interface InputPolicy {
  injection: RuleSetting;
  secrets: RuleSetting;
  pii: RuleSetting & { entities?: string[] };
  moderation: RuleSetting & { categories?: Record<string, Action> };
  /** Obfuscation in itself: Unicode tag characters, bidi controls. */
  unicode: RuleSetting;
}

export interface OutputPolicy {
  secrets: RuleSetting;
  pii: RuleSetting & { entities?: string[] };
  moderation: RuleSetting & { categories?: Record<string, Action> };
  /** The canary planted in the system prompt appearing in the output. */
  canary: RuleSetting;
  /** Long runs of the system prompt repeated in the output. */
  promptLeak: RuleSetting;
  /** Markdown images/links to unknown hosts, scripts, javascript: URLs. */
  markup: RuleSetting & { allowedHosts: string[] };
}

export interface GuardPolicy {
  input: InputPolicy;
  output: OutputPolicy;
  /** Upper bound on guard work for one text, in ms; beyond it the request fails closed. */
  budgetMs: number;
}

/** Deep-partial override applied on top of a base policy. */
export type PolicyOverride = {
  input?: { [K in keyof InputPolicy]?: Partial<InputPolicy[K]> };
  output?: { [K in keyof OutputPolicy]?: Partial<OutputPolicy[K]> };
  budgetMs?: number;
};
