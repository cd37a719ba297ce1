// The shapes of the gateway's prompt API (docs/prompts.md), as the client sends and receives them.

export type ScalarValue = string | number | boolean;
export type VariableValue = ScalarValue | ScalarValue[];
export type Variables = Record<string, VariableValue>;

/** Per-call options every method accepts. */
export interface RequestOptions {
  /** Cancels the call (and any wait between retries); the call rejects with AbortError. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's maxRetries for this call. */
  maxRetries?: number | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

export interface ExecuteParams extends RequestOptions {
  promptId: string;
  variables: Variables;
  /** Run the version this label points at (exclusive with `version`); default `production`, else the latest. */
  label?: string | undefined;
  version?: number | undefined;
  /**
   * Sent as `Idempotency-Key`. When omitted and retries are enabled, `execute` generates one, so a retried call
   * cannot run the model twice.
   */
  idempotencyKey?: string | undefined;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface Finding {
  direction: 'input' | 'output';
  detector: string;
  type: string;
  action: string;
  score: number;
  /** The variable the span is in; absent for the prompt's own text and the output. */
  variable?: string;
  start?: number;
  end?: number;
}

export interface ExecuteResult {
  output: string;
  usage: Usage;
  /** US dollars; null when the model has no price. */
  cost: number | null;
  model: string;
  promptId: string;
  promptVersion: number;
  requestId: string;
  findings: Finding[];
  /** True when the gateway answered from its idempotency record instead of running the prompt again. */
  replayed: boolean;
}

export interface DeltaEvent {
  type: 'delta';
  text: string;
}

export interface DoneEvent extends ExecuteResult {
  type: 'done';
}

export type ExecuteStreamEvent = DeltaEvent | DoneEvent;

// ---- admin ----

export type VariableDeclaration =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string; trusted?: boolean }
  | { type: 'enum'; values: string[]; trusted?: boolean }
  | { type: 'integer' | 'number'; min?: number; max?: number; trusted?: boolean }
  | { type: 'boolean'; trusted?: boolean }
  | {
      type: 'array';
      items: Exclude<VariableDeclaration, { type: 'array' }>;
      minItems?: number;
      maxItems?: number;
    };

export type VariableSpec = VariableDeclaration & { required?: boolean; default?: VariableValue; description?: string };

/** A prompt definition: the JSON form of the YAML file. */
export interface PromptDefinition {
  id: string;
  description?: string;
  model: string;
  parameters?: { temperature?: number; maxTokens?: number; topP?: number; stop?: string[] };
  system?: string;
  user: string;
  variables?: Record<string, VariableSpec>;
  guards?: Record<string, unknown>;
  labels?: string[];
}

export interface PromptSummary {
  id: string;
  description?: string;
  latestVersion: number;
  labels: Record<string, number>;
  updatedAt: string;
}

export interface PromptVersionInfo {
  version: number;
  createdAt: string;
  createdBy: string;
  hash: string;
}

export interface PromptDetail {
  id: string;
  description?: string;
  latestVersion: number;
  labels: Record<string, number>;
  versions: PromptVersionInfo[];
}

export interface PromptVersion extends PromptVersionInfo {
  definition: PromptDefinition;
}

export interface PushResult {
  id: string;
  version: number;
  /** False when the definition was unchanged and no version was created. */
  created: boolean;
  diff: string;
  labels: Record<string, number>;
}

export interface DiffResult {
  from: number;
  to: number;
  diff: string;
}

export interface LabelResult {
  label: string;
  version: number;
  previous: number | null;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action: 'version' | 'label';
  version: number;
  label?: string;
  previous?: number | null;
  diff?: string;
}

/** Each a duration `<n>d` / `<n>h`, or `none`. */
export interface RetentionSettings {
  logs: string;
  responses: string;
  pii: string;
}

export interface ClientTokenParams {
  /** 1–20 prompt ids the token may execute (the issuing key must itself be allowed to). */
  prompts: string[];
  /** 30–3600, default 600. */
  ttlSeconds?: number;
  /** Who the token is for, e.g. your user id; recorded with each call. */
  subject?: string;
  /** Default 10 requests per 60 seconds; at most 60 per 60 seconds. */
  rateLimit?: { requests: number; perSeconds: number };
}

export interface ClientToken {
  token: string;
  expiresAt: string;
  prompts: string[];
}
