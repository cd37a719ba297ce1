// Storage contracts. Callers see these interfaces only; SQLite and PostgreSQL implement them
// with one shared set of migrations (kysely), so behaviour is identical in both modes.

import type { ProviderKind } from '../providers/types.ts';
import type { LimitsStore } from './sql-limits.ts';

export const DEFAULT_TENANT = 'default';

export interface ApiKeyRecord {
  /** Stable public id (e.g. `key_01J...`), safe to log and show. */
  id: string;
  tenantId: string;
  name: string;
  /** The visible start of the secret (e.g. `pcx_live_ab12`), for recognising a key without holding it. */
  prefix: string;
  /** Keyed hash (HMAC-SHA256, hex) of the full secret. The secret itself is never stored. */
  hash: string;
  role: 'admin' | 'user';
  /** Allowed endpoints, e.g. `chat`, `models`, `messages`; `*` for all. */
  scopes: string[];
  /** Allowed public model names or globs (`gpt-4o*`); `*` for all. */
  models: string[];
  /** Prompt ids this key may execute, or a prefix ending in `*`; `*` for all. */
  prompts: string[];
  /** Guard policy override for this key's requests (validated on write); null when none. */
  policy: Record<string, unknown> | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** Set when the key was rotated: the id of the key that replaced it. */
  replacedBy: string | null;
  lastUsedAt: Date | null;
}

export interface ProviderRecord {
  id: string;
  tenantId: string;
  /** Unique per tenant; used in routes and as `name/model` in requests. */
  name: string;
  kind: ProviderKind;
  baseUrl: string | null;
  /** Envelope-encrypted API key (see security/envelope.ts), never the plain key. */
  apiKeyCiphertext: string | null;
  /** Model names this provider serves when asked by name alone. */
  models: string[];
  /** Provider-kind specific settings (timeouts, retries, mock behaviour). JSON-serialisable. */
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type RequestOutcome = 'allowed' | 'refused' | 'failed';

/**
 * One record per request, allowed or refused. Shaped so the later hash-chained audit log can
 * adopt it: an ordered sequence number, a timestamp, and only ids, hashes and masked text.
 */
export interface RequestRecord {
  /** Request id (also returned to the caller in `x-request-id`). */
  id: string;
  /** Monotonic per store; assigned by the store on insert. */
  seq?: number;
  tenantId: string;
  keyId: string | null;
  route: string;
  method: string;
  model: string | null;
  provider: string | null;
  status: number;
  outcome: RequestOutcome;
  /** Stable machine-readable code when refused or failed (e.g. `invalid_api_key`). */
  errorCode: string | null;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  stream: boolean;
  /** Client address, as seen by the gateway. */
  ip: string | null;
  /** Free-form structured detail (guard findings later): ids, rule names, spans — never raw content. */
  detail: Record<string, unknown> | null;
  createdAt: Date;
  /** US dollars the model call cost (from the price table); defaults to `detail.cost`, null when unpriced. */
  costUsd?: number | null;
}

export interface RequestLogQuery {
  tenantId?: string;
  keyId?: string;
  outcome?: RequestOutcome;
  since?: Date;
  until?: Date;
  limit?: number;
}

export interface ApiKeyStore {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  get(tenantId: string, id: string): Promise<ApiKeyRecord | undefined>;
  list(tenantId: string): Promise<ApiKeyRecord[]>;
  /** Returns false when no such key exists in that tenant. */
  revoke(tenantId: string, id: string, at: Date): Promise<boolean>;
  /** Sets or clears the expiry (rotation grace periods). */
  setExpiry(tenantId: string, id: string, expiresAt: Date | null, replacedBy?: string | null): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
  countAdmins(tenantId: string): Promise<number>;
}

export interface ProviderStore {
  /** Insert or replace by (tenantId, name). */
  upsert(p: ProviderRecord): Promise<void>;
  get(tenantId: string, name: string): Promise<ProviderRecord | undefined>;
  list(tenantId: string): Promise<ProviderRecord[]>;
  remove(tenantId: string, name: string): Promise<boolean>;
}

export interface RequestLogStore {
  /** Appends in order; assigns seq. Batched by the caller for throughput. */
  append(records: RequestRecord[]): Promise<void>;
  query(q: RequestLogQuery): Promise<RequestRecord[]>;
}

/** Small key/value settings the gateway keeps (wrapped data keys, bootstrap markers). */
export interface MetaStore {
  get(key: string): Promise<string | undefined>;
  /** Sets only when absent; returns true if this call set it (safe first-start races across replicas). */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly keys: ApiKeyStore;
  readonly providers: ProviderStore;
  readonly requests: RequestLogStore;
  readonly meta: MetaStore;
  readonly prompts: PromptStore;
  readonly settings: SettingsStore;
  readonly executions: ExecutionOutputStore;
  /** Price table edits, budget ledger and usage reports (store/sql-limits.ts, docs/limits.md). */
  readonly limits: LimitsStore;
  /** Applies pending migrations; safe to call on every start and from several replicas at once. */
  migrate(): Promise<void>;
  /** Cheap liveness check of the underlying database, for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// ---- Prompt registry (issue #4) ----

export interface PromptVersionRecord {
  tenantId: string;
  promptId: string;
  version: number;
  /** The validated definition as JSON (the store does not interpret it). */
  definition: Record<string, unknown>;
  /** SHA-256 of the canonical definition: an unchanged push creates no version. */
  hash: string;
  createdAt: Date;
  /** `key:<id>` or `cli:<user>`. */
  createdBy: string;
}

export interface PromptSummary {
  tenantId: string;
  id: string;
  description: string;
  latestVersion: number;
  labels: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

export type PromptChangeAction = 'version' | 'label';

export interface PromptChange {
  seq: number;
  tenantId: string;
  promptId: string;
  action: PromptChangeAction;
  version: number;
  label: string | null;
  /** For a label move: the version it pointed at before (null when new). */
  previous: number | null;
  actor: string;
  at: Date;
  /** For a new version: the line diff from the version before it. */
  diff: string | null;
}

export interface NewPromptVersion {
  tenantId: string;
  promptId: string;
  description: string;
  definition: Record<string, unknown>;
  hash: string;
  /** The version the caller computed its diff against (0 when new); the insert fails if another writer got there first. */
  basedOn: number;
  diff: string;
  actor: string;
  at: Date;
}

export interface PromptStore {
  list(tenantId: string): Promise<PromptSummary[]>;
  get(tenantId: string, id: string): Promise<PromptSummary | undefined>;
  versions(tenantId: string, id: string): Promise<Omit<PromptVersionRecord, 'definition'>[]>;
  version(tenantId: string, id: string, version: number): Promise<PromptVersionRecord | undefined>;
  /**
   * Appends version `basedOn + 1` and its change record in one transaction. Returns false (and writes nothing)
   * when the latest version is no longer `basedOn`, so concurrent pushes never share a number.
   */
  addVersion(v: NewPromptVersion): Promise<boolean>;
  /** Points a label at a version (which must exist); returns the version it pointed at before. */
  setLabel(
    tenantId: string,
    id: string,
    label: string,
    version: number,
    actor: string,
    at: Date,
  ): Promise<{ previous: number | null }>;
  history(tenantId: string, id: string, limit?: number): Promise<PromptChange[]>;
}

/** Small per-tenant settings documents (retention, policy), JSON-serialisable. */
export interface SettingsStore {
  get(tenantId: string, name: string): Promise<unknown | undefined>;
  set(tenantId: string, name: string, value: unknown, actor: string, at: Date): Promise<void>;
}

/** What an execution's answer looked like, kept only when the tenant's retention says so. */
export interface ExecutionOutputRecord {
  requestId: string;
  tenantId: string;
  promptId: string;
  promptVersion: number;
  keyId: string | null;
  subject: string | null;
  output: string;
  /** True when personal data found by the output guard was stored as placeholders, not values. */
  piiMasked: boolean;
  createdAt: Date;
}

export interface ExecutionOutputStore {
  insert(r: ExecutionOutputRecord): Promise<void>;
  get(tenantId: string, requestId: string): Promise<ExecutionOutputRecord | undefined>;
}
