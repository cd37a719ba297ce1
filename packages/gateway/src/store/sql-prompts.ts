// Prompt registry, tenant settings and stored execution outputs over kysely (SQLite and PostgreSQL alike).

import type { Generated, Kysely, Selectable } from 'kysely';
import { isUniqueViolation } from './sql-errors.ts';
import type {
  ExecutionOutputRecord,
  ExecutionOutputStore,
  PromptChange,
  PromptChangeAction,
  PromptStore,
  PromptSummary,
  SettingsStore,
} from './types.ts';

export interface PromptsTable {
  tenant_id: string;
  id: string;
  description: string;
  latest_version: number;
  created_at: number;
  updated_at: number;
}

export interface PromptVersionsTable {
  tenant_id: string;
  prompt_id: string;
  version: number;
  definition: string;
  hash: string;
  created_at: number;
  created_by: string;
}

export interface PromptLabelsTable {
  tenant_id: string;
  prompt_id: string;
  label: string;
  version: number;
  updated_at: number;
  updated_by: string;
}

export interface PromptChangesTable {
  seq: Generated<number>;
  tenant_id: string;
  prompt_id: string;
  action: PromptChangeAction;
  version: number;
  label: string | null;
  previous: number | null;
  actor: string;
  at: number;
  diff: string | null;
}

export interface TenantSettingsTable {
  tenant_id: string;
  name: string;
  value: string;
  updated_at: number;
  updated_by: string;
}

export interface ExecutionOutputsTable {
  request_id: string;
  tenant_id: string;
  prompt_id: string;
  prompt_version: number;
  key_id: string | null;
  subject: string | null;
  output: string;
  pii_masked: number;
  created_at: number;
}

export interface PromptTables {
  prompts: PromptsTable;
  prompt_versions: PromptVersionsTable;
  prompt_labels: PromptLabelsTable;
  prompt_changes: PromptChangesTable;
  tenant_settings: TenantSettingsTable;
  execution_outputs: ExecutionOutputsTable;
}

const MAX_HISTORY = 1000;

/** Thrown inside a transaction to roll it back when a concurrent writer took the version number. */
class LostRace extends Error {}

function changeRecord(r: Selectable<PromptChangesTable>): PromptChange {
  return {
    seq: Number(r.seq),
    tenantId: r.tenant_id,
    promptId: r.prompt_id,
    action: r.action,
    version: r.version,
    label: r.label,
    previous: r.previous,
    actor: r.actor,
    at: new Date(Number(r.at)),
    diff: r.diff,
  };
}

export function promptStore(db: Kysely<PromptTables>): PromptStore {
  async function labelsOf(tenantId: string, ids: string[]): Promise<Map<string, Record<string, number>>> {
    const out = new Map<string, Record<string, number>>();
    if (ids.length === 0) return out;
    const rows = await db
      .selectFrom('prompt_labels')
      .select(['prompt_id', 'label', 'version'])
      .where('tenant_id', '=', tenantId)
      .where('prompt_id', 'in', ids)
      .orderBy('label')
      .execute();
    for (const r of rows) {
      const labels = out.get(r.prompt_id) ?? {};
      labels[r.label] = r.version;
      out.set(r.prompt_id, labels);
    }
    return out;
  }

  const summary = (r: PromptsTable, labels: Record<string, number> | undefined): PromptSummary => ({
    tenantId: r.tenant_id,
    id: r.id,
    description: r.description,
    latestVersion: r.latest_version,
    labels: labels ?? {},
    createdAt: new Date(Number(r.created_at)),
    updatedAt: new Date(Number(r.updated_at)),
  });

  return {
    async list(tenantId) {
      const rows = await db.selectFrom('prompts').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
      const labels = await labelsOf(
        tenantId,
        rows.map((r) => r.id),
      );
      return rows.map((r) => summary(r, labels.get(r.id)));
    },

    async get(tenantId, id) {
      const row = await db
        .selectFrom('prompts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      return summary(row, (await labelsOf(tenantId, [id])).get(id));
    },

    async versions(tenantId, id) {
      const rows = await db
        .selectFrom('prompt_versions')
        .select(['tenant_id', 'prompt_id', 'version', 'hash', 'created_at', 'created_by'])
        .where('tenant_id', '=', tenantId)
        .where('prompt_id', '=', id)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        promptId: r.prompt_id,
        version: r.version,
        hash: r.hash,
        createdAt: new Date(Number(r.created_at)),
        createdBy: r.created_by,
      }));
    },

    async version(tenantId, id, version) {
      const r = await db
        .selectFrom('prompt_versions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('prompt_id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (!r) return undefined;
      return {
        tenantId: r.tenant_id,
        promptId: r.prompt_id,
        version: r.version,
        definition: JSON.parse(r.definition),
        hash: r.hash,
        createdAt: new Date(Number(r.created_at)),
        createdBy: r.created_by,
      };
    },

    async addVersion(v) {
      const version = v.basedOn + 1;
      const at = v.at.getTime();
      try {
        await db.transaction().execute(async (trx) => {
          if (v.basedOn === 0) {
            await trx
              .insertInto('prompts')
              .values({
                tenant_id: v.tenantId,
                id: v.promptId,
                description: v.description,
                latest_version: version,
                created_at: at,
                updated_at: at,
              })
              .execute();
          } else {
            // Compare-and-set on latest_version: exactly one of two concurrent pushes moves it.
            const res = await trx
              .updateTable('prompts')
              .set({ latest_version: version, description: v.description, updated_at: at })
              .where('tenant_id', '=', v.tenantId)
              .where('id', '=', v.promptId)
              .where('latest_version', '=', v.basedOn)
              .executeTakeFirst();
            if (res.numUpdatedRows !== 1n) throw new LostRace();
          }
          await trx
            .insertInto('prompt_versions')
            .values({
              tenant_id: v.tenantId,
              prompt_id: v.promptId,
              version,
              definition: JSON.stringify(v.definition),
              hash: v.hash,
              created_at: at,
              created_by: v.actor,
            })
            .execute();
          await trx
            .insertInto('prompt_changes')
            .values({
              tenant_id: v.tenantId,
              prompt_id: v.promptId,
              action: 'version',
              version,
              label: null,
              previous: v.basedOn === 0 ? null : v.basedOn,
              actor: v.actor,
              at,
              diff: v.diff,
            })
            .execute();
        });
        return true;
      } catch (err) {
        if (err instanceof LostRace || isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async setLabel(tenantId, id, label, version, actor, at) {
      const ms = at.getTime();
      return db.transaction().execute(async (trx) => {
        const exists = await trx
          .selectFrom('prompt_versions')
          .select('version')
          .where('tenant_id', '=', tenantId)
          .where('prompt_id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        if (!exists) throw new RangeError(`prompt ${id} has no version ${version}`);
        const before = await trx
          .selectFrom('prompt_labels')
          .select('version')
          .where('tenant_id', '=', tenantId)
          .where('prompt_id', '=', id)
          .where('label', '=', label)
          .executeTakeFirst();
        await trx
          .insertInto('prompt_labels')
          .values({ tenant_id: tenantId, prompt_id: id, label, version, updated_at: ms, updated_by: actor })
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'prompt_id', 'label']).doUpdateSet({ version, updated_at: ms, updated_by: actor }),
          )
          .execute();
        const previous = before?.version ?? null;
        await trx
          .insertInto('prompt_changes')
          .values({
            tenant_id: tenantId,
            prompt_id: id,
            action: 'label',
            version,
            label,
            previous,
            actor,
            at: ms,
            diff: null,
          })
          .execute();
        await trx
          .updateTable('prompts')
          .set({ updated_at: ms })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .execute();
        return { previous };
      });
    },

    async history(tenantId, id, limit = 100) {
      const rows = await db
        .selectFrom('prompt_changes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('prompt_id', '=', id)
        .orderBy('seq', 'desc')
        .limit(Math.min(Math.max(Math.trunc(limit), 1), MAX_HISTORY))
        .execute();
      return rows.map(changeRecord);
    },
  };
}

export function settingsStore(db: Kysely<PromptTables>): SettingsStore {
  return {
    async get(tenantId, name) {
      const row = await db
        .selectFrom('tenant_settings')
        .select('value')
        .where('tenant_id', '=', tenantId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? JSON.parse(row.value) : undefined;
    },
    async list(name) {
      const rows = await db
        .selectFrom('tenant_settings')
        .select(['tenant_id', 'value'])
        .where('name', '=', name)
        .orderBy('tenant_id')
        .execute();
      return rows.map((r) => ({ tenantId: r.tenant_id, value: JSON.parse(r.value) }));
    },
    async set(tenantId, name, value, actor, at) {
      const row = {
        tenant_id: tenantId,
        name,
        value: JSON.stringify(value),
        updated_at: at.getTime(),
        updated_by: actor,
      };
      await db
        .insertInto('tenant_settings')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'name'])
            .doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }),
        )
        .execute();
    },
  };
}

export function executionRecord(r: ExecutionOutputsTable): ExecutionOutputRecord {
  return {
    requestId: r.request_id,
    tenantId: r.tenant_id,
    promptId: r.prompt_id,
    promptVersion: r.prompt_version,
    keyId: r.key_id,
    subject: r.subject,
    output: r.output,
    piiMasked: r.pii_masked === 1,
    createdAt: new Date(Number(r.created_at)),
  };
}

export function executionOutputStore(db: Kysely<PromptTables>): ExecutionOutputStore {
  return {
    async insert(r) {
      await db
        .insertInto('execution_outputs')
        .values({
          request_id: r.requestId,
          tenant_id: r.tenantId,
          prompt_id: r.promptId,
          prompt_version: r.promptVersion,
          key_id: r.keyId,
          subject: r.subject,
          output: r.output,
          pii_masked: r.piiMasked ? 1 : 0,
          created_at: r.createdAt.getTime(),
        })
        .execute();
    },
    async get(tenantId, requestId) {
      const r = await db
        .selectFrom('execution_outputs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('request_id', '=', requestId)
        .executeTakeFirst();
      return r && executionRecord(r);
    },
  };
}
