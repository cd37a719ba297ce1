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
  /** Administrative role (`admin`, `editor`, `viewer` or a custom role); null for a caller-only key. */
  adminRole: string | null;
  /** Set when the key acts for a user: the user's current role applies, and disabling the user stops the key. */
  userId: string | null;
  /** When set, the key may only execute prompts of this project. */
  projectId: string | null;
  /** CIDR ranges (IPv4 or IPv6) the key may be used from; empty for anywhere. */
  ipAllowlist: string[];
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
  /** The end user the request was made for (RequestContext.subject), for privacy requests; absent when none. */
  subject?: string | null;
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
  /** Hash-chained audit log, retention purges and privacy requests (store/sql-audit.ts, docs/audit.md). */
  readonly audit: AuditStore;
  readonly identity: IdentityStore;
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
  /** One setting across every tenant (e.g. identity providers, looked up by issuer). */
  list(name: string): Promise<Array<{ tenantId: string; value: unknown }>>;
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

// ---- Tenants, projects, users and roles (issue #5) ----

export type TenantStatus = 'active' | 'paused';

export interface TenantRecord {
  id: string;
  name: string;
  status: TenantStatus;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProjectRecord {
  tenantId: string;
  id: string;
  name: string;
  createdAt: Date;
}

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  /** A built-in role (`admin`, `editor`, `viewer`) or a custom role of the tenant. */
  role: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface RoleRecord {
  tenantId: string;
  name: string;
  description: string;
  permissions: string[];
  createdAt: Date;
}

export interface IdentityStore {
  tenants: {
    insert(t: TenantRecord): Promise<boolean>;
    get(id: string): Promise<TenantRecord | undefined>;
    list(): Promise<TenantRecord[]>;
    setStatus(id: string, status: TenantStatus, at: Date): Promise<boolean>;
  };
  projects: {
    insert(p: ProjectRecord): Promise<boolean>;
    get(tenantId: string, id: string): Promise<ProjectRecord | undefined>;
    list(tenantId: string): Promise<ProjectRecord[]>;
    remove(tenantId: string, id: string): Promise<boolean>;
  };
  users: {
    insert(u: UserRecord): Promise<boolean>;
    get(tenantId: string, id: string): Promise<UserRecord | undefined>;
    list(tenantId: string): Promise<UserRecord[]>;
    update(
      tenantId: string,
      id: string,
      patch: { name?: string; role?: string; disabledAt?: Date | null },
    ): Promise<boolean>;
    remove(tenantId: string, id: string): Promise<boolean>;
    countWithRole(tenantId: string, role: string): Promise<number>;
  };
  roles: {
    insert(r: RoleRecord): Promise<boolean>;
    get(tenantId: string, name: string): Promise<RoleRecord | undefined>;
    list(tenantId: string): Promise<RoleRecord[]>;
    remove(tenantId: string, name: string): Promise<boolean>;
  };
}

// ---- Audit log, retention and privacy requests (issue #5; docs/audit.md) ----

/** An event before it joins its tenant's chain. */
export interface NewAuditEvent {
  tenantId: string;
  at: Date;
  /** `key:<id>`, `user:<id>`, `cli:<os user>`, `system:retention`, `anonymous`. */
  actor: string;
  /** The API key involved (the caller's, or the one acted on), for filtering. */
  keyId: string | null;
  /** Keyed hash of the end user's id (never the id itself); the store maps it to the subject's pseudonym. */
  subjectLookup: string | null;
  /** `request`, `prompt.version`, `key.revoke`, `privacy.erase`, `retention.purge`, ... */
  action: string;
  /** `success` / `failure`, or a request's `allowed` / `refused` / `failed`. */
  outcome: string;
  target: string | null;
  /** Ids, rule names, spans, counts and hashes only: never raw personal data, secrets or prompt text. */
  detail: Record<string, unknown> | null;
}

/** A record as stored: the event's fields plus its place in the chain. */
export interface AuditRecord {
  tenantId: string;
  seq: number;
  at: Date;
  actor: string;
  keyId: string | null;
  /** The subject's pseudonym (`ps_…`): linkable to the subject only until the subject is erased. */
  subject: string | null;
  action: string;
  outcome: string;
  target: string | null;
  /** The detail exactly as stored (canonical JSON), since the hash covers these bytes. */
  detail: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditCheckpoint {
  tenantId: string;
  seq: number;
  hash: string;
  at: Date;
  /** HMAC over (tenant, seq, hash, at) with a key the database does not hold; null when written without one. */
  mac: string | null;
}

/** Hashing and signing, supplied by audit/chain.ts, so the store only locks, orders and writes. */
export interface AuditSealer {
  /** The text a detail is stored (and hashed) as: canonical JSON. */
  encodeDetail(detail: Record<string, unknown>): string;
  /** The record's hash over its canonical encoding (which includes prevHash). */
  hash(r: Omit<AuditRecord, 'hash'>): string;
  sign(cp: Omit<AuditCheckpoint, 'mac'>): string | null;
  /** Write a checkpoint whenever a chain crosses a multiple of this many records (0: only on demand). */
  checkpointEvery: number;
  /** Pseudonym for a subject seen for the first time. */
  newPseudonym(): string;
}

export interface AuditQuery {
  tenantId: string;
  since?: Date;
  until?: Date;
  actor?: string;
  keyId?: string;
  /** An action, or a prefix ending in `.*` (e.g. `privacy.*`). */
  action?: string;
  outcome?: string;
  /** A pseudonym (the service maps the subject id to it). */
  subject?: string;
  target?: string;
  /** Records after this seq in the chosen order (cursor pagination). */
  cursor?: number;
  order?: 'asc' | 'desc';
  limit?: number;
}

/** What a retention run deletes for one tenant: everything older than each date (null: keep). */
export interface RetentionCutoffs {
  /** request_log rows and audit records. */
  logs: Date | null;
  /** Stored execution outputs. */
  responses: Date | null;
  /** Stored outputs that kept personal data (pii_masked = 0). */
  pii: Date | null;
}

export interface PurgeCounts {
  requestLog: number;
  executionOutputs: number;
  unmaskedOutputs: number;
  auditRecords: number;
  auditCheckpoints: number;
}

export interface SubjectData {
  pseudonym: string | null;
  requests: RequestRecord[];
  executions: ExecutionOutputRecord[];
  audit: AuditRecord[];
}

export interface EraseCounts {
  requestLog: number;
  executionOutputs: number;
  /** 1 when the subject's pseudonym link was deleted (its audit records stay, pointing at nobody). */
  auditSubjectLinks: number;
  /** Audit records that carried the pseudonym and are now unlinkable. */
  auditRecordsUnlinked: number;
}

/**
 * Checks the records a purge is about to delete: called with the chain's anchor, it returns a function that sees them
 * page by page in order and says why not to purge (or null).
 */
export type PurgeCheck = (anchor: AuditCheckpoint | undefined) => (page: AuditRecord[]) => string | null;

export interface AuditStore {
  /**
   * Appends events to their tenants' chains in one transaction, with `requests` (request_log rows) so a request and
   * its audit event are written whole or not at all. Safe across processes: PostgreSQL takes an advisory lock per
   * tenant chain, SQLite its write lock, before reading a chain's head.
   */
  append(events: NewAuditEvent[], sealer: AuditSealer, requests?: RequestRecord[]): Promise<AuditRecord[]>;
  /** A checkpoint at the chain's current head (undefined for an empty chain). */
  checkpoint(tenantId: string, sealer: AuditSealer): Promise<AuditCheckpoint | undefined>;
  checkpoints(tenantId: string): Promise<AuditCheckpoint[]>;
  /** Records with seq > afterSeq in ascending order (verification walks the chain with this). */
  scan(tenantId: string, afterSeq: number, limit: number): Promise<AuditRecord[]>;
  search(q: AuditQuery): Promise<AuditRecord[]>;
  /** Every tenant with data that retention may apply to. */
  tenants(): Promise<string[]>;
  /** Every tenant with an audit chain. */
  chains(): Promise<string[]>;
  pseudonym(tenantId: string, lookup: string): Promise<string | undefined>;
  /**
   * Deletes what the cutoffs say and appends `event` (with the counts added to its detail), in one transaction.
   * Audit records are purged only up to a checkpoint, which stays as the chain's anchor; `check` sees the records
   * about to go and may refuse, so evidence of tampering is never purged. Returns undefined when another process
   * holds the tenant's purge lock (it is doing the same work).
   */
  purge(
    tenantId: string,
    cutoffs: RetentionCutoffs,
    event: NewAuditEvent,
    sealer: AuditSealer,
    check: PurgeCheck,
  ): Promise<{ counts: PurgeCounts; refused: string | null } | undefined>;
  subjectData(tenantId: string, subject: string, lookup: string): Promise<SubjectData>;
  /** Deletes the subject's rows and pseudonym link and appends `event` (counts added), in one transaction. */
  eraseSubject(
    tenantId: string,
    subject: string,
    lookup: string,
    event: NewAuditEvent,
    sealer: AuditSealer,
  ): Promise<{ removed: EraseCounts; record: AuditRecord }>;
}
