// The one schema history for both backends. Migrations are append-only: never edit a shipped
// entry, add a new one (names sort lexically, so keep the zero-padded prefix).
//
// Column conventions, chosen so the same rows read back identically from SQLite and PostgreSQL:
// - Dates are epoch milliseconds in a bigint (SQLite: INTEGER affinity). Neither engine then
//   applies time zones or text formats, comparisons are plain integer comparisons, and the
//   value converts losslessly to and from a JS Date (which is milliseconds too).
// - JSON is text, serialised by the store; no engine-specific JSON operators are needed.
// - Booleans are integers 0/1, since SQLite has no boolean type.
// - tenant_id is on every table with default 'default', so multi-tenancy can arrive without
//   rewriting rows. The literal (not DEFAULT_TENANT) keeps this migration fixed in time.

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

export type SqlDialect = 'sqlite' | 'postgres';

export interface StoreMigration {
  name: string;
  up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void>;
}

export const migrations: readonly StoreMigration[] = [
  {
    name: '0001_initial',
    async up(db, dialect) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .addColumn('replaced_by', 'text')
        .addColumn('last_used_at', 'bigint')
        .addCheckConstraint('api_keys_role_ck', sql`role in ('admin', 'user')`)
        .execute();
      await db.schema.createIndex('api_keys_hash_uq').on('api_keys').column('hash').unique().execute();
      await db.schema.createIndex('api_keys_tenant_ix').on('api_keys').columns(['tenant_id', 'created_at']).execute();

      await db.schema
        .createTable('providers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text')
        .addColumn('api_key_ciphertext', 'text')
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('providers_name_uq')
        .on('providers')
        .columns(['tenant_id', 'name'])
        .unique()
        .execute();

      // seq is the log's total order. SQLite's AUTOINCREMENT (unlike a bare rowid) never reuses
      // a value after deletes, matching a PostgreSQL sequence.
      await db.schema
        .createTable('request_log')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default'))
        .addColumn('key_id', 'text')
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('provider', 'text')
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('prompt_tokens', 'integer', (c) => c.notNull())
        .addColumn('completion_tokens', 'integer', (c) => c.notNull())
        .addColumn('total_tokens', 'integer', (c) => c.notNull())
        .addColumn('stream', 'integer', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('detail', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('request_log_outcome_ck', sql`outcome in ('allowed', 'refused', 'failed')`)
        .execute();
      await db.schema
        .createIndex('request_log_tenant_time_ix')
        .on('request_log')
        .columns(['tenant_id', 'created_at'])
        .execute();
      await db.schema.createIndex('request_log_key_ix').on('request_log').column('key_id').execute();

      await db.schema
        .createTable('meta')
        .addColumn('tenant_id', 'text', (c) => c.notNull().defaultTo('default'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('meta_pk', ['tenant_id', 'key'])
        .execute();
    },
  },
  {
    name: '0002_prompts',
    async up(db, dialect) {
      // Keys gain a prompt allowlist (like the model allowlist); existing keys may run every prompt.
      await db.schema
        .alterTable('api_keys')
        .addColumn('prompts', 'text', (c) => c.notNull().defaultTo('["*"]'))
        .execute();

      await db.schema
        .createTable('prompts')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('prompts_pk', ['tenant_id', 'id'])
        .execute();

      // Versions are immutable rows; the primary key is what stops two writers taking one number.
      await db.schema
        .createTable('prompt_versions')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('prompt_versions_pk', ['tenant_id', 'prompt_id', 'version'])
        .execute();

      await db.schema
        .createTable('prompt_labels')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('prompt_labels_pk', ['tenant_id', 'prompt_id', 'label'])
        .execute();

      await db.schema
        .createTable('prompt_changes')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('previous', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('diff', 'text')
        .addCheckConstraint('prompt_changes_action_ck', sql`action in ('version', 'label')`)
        .execute();
      await db.schema
        .createIndex('prompt_changes_prompt_ix')
        .on('prompt_changes')
        .columns(['tenant_id', 'prompt_id', 'seq'])
        .execute();

      await db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tenant_settings_pk', ['tenant_id', 'name'])
        .execute();

      await db.schema
        .createTable('execution_outputs')
        .addColumn('request_id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('prompt_id', 'text', (c) => c.notNull())
        .addColumn('prompt_version', 'integer', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('subject', 'text')
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('pii_masked', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('execution_outputs_tenant_time_ix')
        .on('execution_outputs')
        .columns(['tenant_id', 'created_at'])
        .execute();
    },
  },
  {
    name: '0003_key_policy',
    async up(db) {
      // A guard policy override per key (JSON, validated when written); null for the tenant's policy.
      await db.schema.alterTable('api_keys').addColumn('policy', 'text').execute();
    },
  },
  {
    name: '0004_tenants',
    async up(db) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addCheckConstraint('tenants_status_ck', sql`status in ('active', 'paused')`)
        .execute();
      const now = Date.now();
      await db
        .insertInto('tenants' as never)
        .values({ id: 'default', name: 'Default', status: 'active', created_at: now, updated_at: now } as never)
        .execute();

      await db.schema
        .createTable('projects')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('projects_pk', ['tenant_id', 'id'])
        .execute();

      // Users belong to one tenant: the same person in two tenants is two users, so nothing links tenants.
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('disabled_at', 'bigint')
        .execute();
      await db.schema.createIndex('users_email_uq').on('users').columns(['tenant_id', 'email']).unique().execute();

      await db.schema
        .createTable('roles')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('roles_pk', ['tenant_id', 'name'])
        .execute();

      // Keys gain an administrative role (or act as a user, with that user's role), a project and an IP allowlist.
      await db.schema.alterTable('api_keys').addColumn('admin_role', 'text').execute();
      await db.schema.alterTable('api_keys').addColumn('user_id', 'text').execute();
      await db.schema.alterTable('api_keys').addColumn('project_id', 'text').execute();
      await db.schema
        .alterTable('api_keys')
        .addColumn('ip_allowlist', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      // Existing admin keys keep their rights under the role model.
      await db
        .updateTable('api_keys' as never)
        .set({ admin_role: 'admin' } as never)
        .where(sql`role`, '=', 'admin')
        .execute();
    },
  },
  // ---- 0005_audit (audit log, retention, privacy requests: docs/audit.md) ----
  {
    name: '0005_audit',
    async up(db) {
      // The end user a request was made for, so privacy requests find (and erase) their rows. Raw ids here are fine:
      // these rows are deleted by retention and by erasure; the audit log holds only pseudonyms.
      await db.schema.alterTable('request_log').addColumn('subject', 'text').execute();
      await db.schema
        .createIndex('request_log_subject_ix')
        .on('request_log')
        .columns(['tenant_id', 'subject'])
        .execute();
      await db.schema
        .createIndex('execution_outputs_subject_ix')
        .on('execution_outputs')
        .columns(['tenant_id', 'subject'])
        .execute();

      // One hash chain per tenant; seq is assigned by the appender under a lock (never a sequence: the chain needs
      // seqs without gaps, and a rolled-back sequence value would leave one).
      await db.schema
        .createTable('audit_log')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('subject', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('detail', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_log_pk', ['tenant_id', 'seq'])
        .execute();
      await db.schema.createIndex('audit_log_time_ix').on('audit_log').columns(['tenant_id', 'at']).execute();
      await db.schema.createIndex('audit_log_subject_ix').on('audit_log').columns(['tenant_id', 'subject']).execute();
      await db.schema.createIndex('audit_log_actor_ix').on('audit_log').columns(['tenant_id', 'actor']).execute();

      // A checkpoint vouches for (seq, hash) of one record, signed with a key the database never sees; the oldest
      // one anchors the chain once retention has purged the records before it.
      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('mac', 'text')
        .addPrimaryKeyConstraint('audit_checkpoints_pk', ['tenant_id', 'seq'])
        .execute();

      // Subject → pseudonym, looked up by a keyed hash of the subject id. Erasure deletes the row: the audit records
      // keep their pseudonym, which then links to nobody (crypto-shredding), and the chain is untouched.
      await db.schema
        .createTable('audit_subjects')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('lookup', 'text', (c) => c.notNull())
        .addColumn('pseudonym', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('audit_subjects_pk', ['tenant_id', 'lookup'])
        .execute();
    },
  },
  // ---- 0006_limits (rate limits, budgets, prices, usage reports: docs/limits.md) ----
  {
    name: '0006_limits',
    async up(db) {
      // What each request cost in US dollars (null: unpriced model or no model call), for usage reports.
      await db.schema.alterTable('request_log').addColumn('cost_usd', 'double precision').execute();

      // Prices edited at run time; they win over the config file's `pricing`.
      await db.schema
        .createTable('prices')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('pattern', 'text', (c) => c.notNull())
        .addColumn('input_per_mtok', 'double precision', (c) => c.notNull())
        .addColumn('output_per_mtok', 'double precision', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('prices_pk', ['tenant_id', 'pattern'])
        .execute();

      // Budget spend per scope and period in micro-dollars (integers: no rounding drift), with what is reserved
      // by requests still running. One row per line, e.g. `key:default:key_1:day:2026-11-25`.
      await db.schema
        .createTable('budget_ledger')
        .addColumn('line', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('spent_micro', 'bigint', (c) => c.notNull())
        .addColumn('reserved_micro', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('budget_ledger_expiry_ix').on('budget_ledger').column('expires_at').execute();
    },
  },
];

export function migrationProvider(dialect: SqlDialect): MigrationProvider {
  return {
    async getMigrations() {
      const byName: Record<string, Migration> = {};
      for (const m of migrations) byName[m.name] = { up: (db) => m.up(db, dialect) };
      return byName;
    },
  };
}
