// The one Store implementation, over kysely. SQLite and PostgreSQL differ only in how the
// connection is opened (sqlite.ts, postgres.ts); every query here runs unchanged on both.

import type { Generated, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { ProviderKind } from '../providers/types.ts';
import { migrationProvider, type SqlDialect } from './migrations.ts';
import { type AuditTables, auditStore } from './sql-audit.ts';
import { type IdentityTables, identityStore } from './sql-identity.ts';
import { type LimitsTables, limitsStore } from './sql-limits.ts';
import { executionOutputStore, type PromptTables, promptStore, settingsStore } from './sql-prompts.ts';
import type {
  ApiKeyRecord,
  ApiKeyStore,
  MetaStore,
  ProviderRecord,
  ProviderStore,
  RequestLogQuery,
  RequestLogStore,
  RequestOutcome,
  RequestRecord,
  Store,
} from './types.ts';
import { DEFAULT_TENANT } from './types.ts';

interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  hash: string;
  role: 'admin' | 'user';
  scopes: string;
  models: string;
  prompts: string;
  policy: string | null;
  admin_role: string | null;
  user_id: string | null;
  project_id: string | null;
  ip_allowlist: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  replaced_by: string | null;
  last_used_at: number | null;
}

interface ProvidersTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: ProviderKind;
  base_url: string | null;
  api_key_ciphertext: string | null;
  models: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

interface RequestLogTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string;
  key_id: string | null;
  route: string;
  method: string;
  model: string | null;
  provider: string | null;
  status: number;
  outcome: RequestOutcome;
  error_code: string | null;
  latency_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  stream: number;
  ip: string | null;
  detail: string | null;
  cost_usd: number | null;
  created_at: number;
}

interface MetaTable {
  tenant_id: string;
  key: string;
  value: string;
}

export interface Tables extends PromptTables, IdentityTables {
  api_keys: ApiKeysTable;
  providers: ProvidersTable;
  request_log: RequestLogTable;
  meta: MetaTable;
}

const DEFAULT_QUERY_LIMIT = 100;
const MAX_QUERY_LIMIT = 1000;
// Keeps one INSERT well under SQLite's bound-parameter limit (32766) at 18 columns a row.
const APPEND_CHUNK = 500;

// An invalid Date would become NaN, which SQLite silently stores as NULL; refuse it instead.
function toMs(d: Date): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('store: invalid Date');
  return ms;
}
const toMsOrNull = (d: Date | null): number | null => (d === null ? null : toMs(d));
const toDateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function keyRow(k: ApiKeyRecord): ApiKeysTable {
  return {
    id: k.id,
    tenant_id: k.tenantId,
    name: k.name,
    prefix: k.prefix,
    hash: k.hash,
    role: k.role,
    scopes: JSON.stringify(k.scopes),
    models: JSON.stringify(k.models),
    prompts: JSON.stringify(k.prompts),
    policy: k.policy === null ? null : JSON.stringify(k.policy),
    admin_role: k.adminRole,
    user_id: k.userId,
    project_id: k.projectId,
    ip_allowlist: JSON.stringify(k.ipAllowlist),
    created_at: toMs(k.createdAt),
    expires_at: toMsOrNull(k.expiresAt),
    revoked_at: toMsOrNull(k.revokedAt),
    replaced_by: k.replacedBy,
    last_used_at: toMsOrNull(k.lastUsedAt),
  };
}

function keyRecord(r: ApiKeysTable): ApiKeyRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    prefix: r.prefix,
    hash: r.hash,
    role: r.role,
    scopes: JSON.parse(r.scopes),
    models: JSON.parse(r.models),
    prompts: JSON.parse(r.prompts),
    policy: r.policy === null ? null : JSON.parse(r.policy),
    adminRole: r.admin_role,
    userId: r.user_id,
    projectId: r.project_id,
    ipAllowlist: JSON.parse(r.ip_allowlist),
    createdAt: new Date(r.created_at),
    expiresAt: toDateOrNull(r.expires_at),
    revokedAt: toDateOrNull(r.revoked_at),
    replacedBy: r.replaced_by,
    lastUsedAt: toDateOrNull(r.last_used_at),
  };
}

function providerRow(p: ProviderRecord): ProvidersTable {
  return {
    id: p.id,
    tenant_id: p.tenantId,
    name: p.name,
    kind: p.kind,
    base_url: p.baseUrl,
    api_key_ciphertext: p.apiKeyCiphertext,
    models: JSON.stringify(p.models),
    settings: JSON.stringify(p.settings),
    created_at: toMs(p.createdAt),
    updated_at: toMs(p.updatedAt),
  };
}

function providerRecord(r: ProvidersTable): ProviderRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    kind: r.kind,
    baseUrl: r.base_url,
    apiKeyCiphertext: r.api_key_ciphertext,
    models: JSON.parse(r.models),
    settings: JSON.parse(r.settings),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export function requestRow(r: RequestRecord): Omit<RequestLogTable, 'seq'> {
  return {
    id: r.id,
    tenant_id: r.tenantId,
    key_id: r.keyId,
    route: r.route,
    method: r.method,
    model: r.model,
    provider: r.provider,
    status: r.status,
    outcome: r.outcome,
    error_code: r.errorCode,
    latency_ms: r.latencyMs,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.totalTokens,
    stream: r.stream ? 1 : 0,
    ip: r.ip,
    detail: r.detail === null ? null : JSON.stringify(r.detail),
    // The pipeline prices every model call into detail.cost; a column makes usage reports a plain SUM.
    cost_usd: r.costUsd ?? (typeof r.detail?.cost === 'number' ? r.detail.cost : null),
    created_at: toMs(r.createdAt),
  };
}

/** A request_log row as a record; `subject` is there once the audit migration has added the column. */
export function requestRecord(r: Selectable<RequestLogTable> & { subject?: string | null }): RequestRecord {
  return {
    id: r.id,
    seq: Number(r.seq),
    tenantId: r.tenant_id,
    keyId: r.key_id,
    route: r.route,
    method: r.method,
    model: r.model,
    provider: r.provider,
    status: r.status,
    outcome: r.outcome,
    errorCode: r.error_code,
    latencyMs: r.latency_ms,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    totalTokens: r.total_tokens,
    stream: r.stream === 1,
    ip: r.ip,
    detail: r.detail === null ? null : JSON.parse(r.detail),
    createdAt: new Date(Number(r.created_at)),
    ...(r.subject !== undefined ? { subject: r.subject } : {}),
  };
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_QUERY_LIMIT;
  return Math.min(Math.max(Math.trunc(limit), 1), MAX_QUERY_LIMIT);
}

function keyStore(db: Kysely<Tables>): ApiKeyStore {
  return {
    async insert(key) {
      await db.insertInto('api_keys').values(keyRow(key)).execute();
    },
    async findByHash(hash) {
      const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && keyRecord(row);
    },
    async get(tenantId, id) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && keyRecord(row);
    },
    async list(tenantId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(keyRecord);
    },
    async revoke(tenantId, id, at) {
      // Revoking twice keeps the first time: that is when the key stopped being trusted.
      const res = await db
        .updateTable('api_keys')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(toMs(at))) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async setExpiry(tenantId, id, expiresAt, replacedBy) {
      const res = await db
        .updateTable('api_keys')
        .set({ expires_at: toMsOrNull(expiresAt) })
        .$if(replacedBy !== undefined, (q) => q.set({ replaced_by: replacedBy ?? null }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return res.numUpdatedRows > 0n;
    },
    async touch(id, at) {
      const ms = toMs(at);
      // Concurrent requests finish out of order; never move last use backwards.
      await db
        .updateTable('api_keys')
        .set({ last_used_at: ms })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', ms)]))
        .execute();
    },
    async countAdmins(tenantId) {
      // Only keys that still work count: this guards "never lock out the last admin".
      const now = Date.now();
      const row = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', tenantId)
        .where('role', '=', 'admin')
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

function providerStore(db: Kysely<Tables>): ProviderStore {
  return {
    async upsert(p) {
      // A replaced provider keeps its original id and created_at, so references to it stay valid.
      await db
        .insertInto('providers')
        .values(providerRow(p))
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            base_url: eb.ref('excluded.base_url'),
            api_key_ciphertext: eb.ref('excluded.api_key_ciphertext'),
            models: eb.ref('excluded.models'),
            settings: eb.ref('excluded.settings'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    },
    async get(tenantId, name) {
      const row = await db
        .selectFrom('providers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && providerRecord(row);
    },
    async list(tenantId) {
      const rows = await db
        .selectFrom('providers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('name')
        .execute();
      return rows.map(providerRecord);
    },
    async remove(tenantId, name) {
      const res = await db
        .deleteFrom('providers')
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      return res.numDeletedRows > 0n;
    },
  };
}

function requestStore(db: Kysely<Tables>): RequestLogStore {
  return {
    async append(records) {
      if (records.length === 0) return;
      const rows = records.map(requestRow);
      // One transaction: a batch is logged whole or not at all, and its seqs follow array order.
      await db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += APPEND_CHUNK) {
          await trx
            .insertInto('request_log')
            .values(rows.slice(i, i + APPEND_CHUNK))
            .execute();
        }
      });
    },
    async query(q: RequestLogQuery) {
      let sel = db.selectFrom('request_log').selectAll();
      if (q.tenantId !== undefined) sel = sel.where('tenant_id', '=', q.tenantId);
      if (q.keyId !== undefined) sel = sel.where('key_id', '=', q.keyId);
      if (q.outcome !== undefined) sel = sel.where('outcome', '=', q.outcome);
      if (q.since !== undefined) sel = sel.where('created_at', '>=', toMs(q.since));
      if (q.until !== undefined) sel = sel.where('created_at', '<', toMs(q.until));
      const rows = await sel.orderBy('seq', 'desc').limit(clampLimit(q.limit)).execute();
      return rows.map(requestRecord);
    },
  };
}

function metaStore(db: Kysely<Tables>): MetaStore {
  return {
    async get(key) {
      const row = await db
        .selectFrom('meta')
        .select('value')
        .where('tenant_id', '=', DEFAULT_TENANT)
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.value;
    },
    async setIfAbsent(key, value) {
      // The database decides the race: exactly one concurrent caller inserts the row.
      const res = await db
        .insertInto('meta')
        .values({ tenant_id: DEFAULT_TENANT, key, value })
        .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
        .executeTakeFirst();
      return (res.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    async set(key, value) {
      await db
        .insertInto('meta')
        .values({ tenant_id: DEFAULT_TENANT, key, value })
        .onConflict((oc) => oc.columns(['tenant_id', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
        .execute();
    },
  };
}

export interface SqlStoreOptions {
  /**
   * PostgreSQL: the schema holding kysely's migration tables. Must be explicit, because
   * kysely otherwise looks for them in every schema of the database and would find another
   * schema's copy.
   */
  migrationSchema?: string;
}

export function createSqlStore(db: Kysely<Tables>, kind: SqlDialect, opts: SqlStoreOptions = {}): Store {
  return {
    kind,
    keys: keyStore(db),
    providers: providerStore(db),
    requests: requestStore(db),
    meta: metaStore(db),
    prompts: promptStore(db as unknown as Kysely<PromptTables>),
    settings: settingsStore(db as unknown as Kysely<PromptTables>),
    executions: executionOutputStore(db as unknown as Kysely<PromptTables>),
    limits: limitsStore(db as unknown as Kysely<LimitsTables>),
    audit: auditStore(db as unknown as Kysely<AuditTables>, kind),
    identity: identityStore(db as unknown as Kysely<IdentityTables>),
    async migrate() {
      // On PostgreSQL the Migrator holds an advisory lock for the whole run, so replicas
      // starting together apply each migration once; late arrivals find nothing pending.
      const migrator = new Migrator({
        db,
        provider: migrationProvider(kind),
        ...(opts.migrationSchema === undefined ? {} : { migrationTableSchema: opts.migrationSchema }),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw new Error(`store migration ${failed ?? '(setup)'} failed: ${String(error)}`, { cause: error });
      }
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
