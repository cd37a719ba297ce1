// Storage for the limits issue: the editable price table, the budget ledger and the usage report over the request
// log. One implementation over kysely for SQLite and PostgreSQL, like the rest of the store.

import type { Kysely } from 'kysely';
import { sql } from 'kysely';

export interface StoredPrice {
  /** `provider/model`, a model name, or a prefix ending in `*` (the config's pricing keys). */
  pattern: string;
  inputPerMTok: number;
  outputPerMTok: number;
  updatedAt: Date;
  updatedBy: string;
}

/** One budget counter for one period, e.g. `key:default:key_123:day:2026-11-25`. Amounts in micro-dollars. */
export interface BudgetLine {
  line: string;
  tenantId: string;
  limitMicro: number;
  /** Epoch ms after which the row may be deleted (the period is long over). */
  expiresAt: number;
}

export type ReserveResult = { ok: true } | { ok: false; index: number; spentMicro: number; reservedMicro: number };

export interface BudgetState {
  spentMicro: number;
  reservedMicro: number;
}

export type UsageGroupBy = 'day' | 'hour';
export type UsageDimension = 'key' | 'model' | 'subject';

export interface UsageQuery {
  tenantId: string;
  from: Date;
  to: Date;
  groupBy: UsageGroupBy;
  by?: UsageDimension | undefined;
}

export interface UsageRow {
  /** Start of the bucket (UTC). */
  bucket: Date;
  /** The key id, model or subject; null when ungrouped or unknown. */
  group: string | null;
  requests: number;
  refused: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
}

export interface LimitsStore {
  prices(tenantId: string): Promise<StoredPrice[]>;
  setPrice(tenantId: string, p: StoredPrice): Promise<void>;
  removePrice(tenantId: string, pattern: string): Promise<boolean>;
  /**
   * Adds `micro` to every line's reservation, atomically, unless one line's spent + reserved + micro would pass its
   * limit: then nothing changes and the first such line is named.
   */
  reserve(lines: readonly BudgetLine[], micro: number): Promise<ReserveResult>;
  /** Releases a reservation and books the actual amount; returns each line's spent total afterwards. */
  settle(lines: readonly string[], reservedMicro: number, actualMicro: number): Promise<number[]>;
  budgetState(lines: readonly string[]): Promise<BudgetState[]>;
  /** Deletes ledger rows whose period ended long ago. */
  purgeLedger(now: number): Promise<number>;
  usage(q: UsageQuery): Promise<UsageRow[]>;
}

export interface LimitsTables {
  prices: {
    tenant_id: string;
    pattern: string;
    input_per_mtok: number;
    output_per_mtok: number;
    updated_at: number;
    updated_by: string;
  };
  budget_ledger: {
    line: string;
    tenant_id: string;
    spent_micro: number;
    reserved_micro: number;
    expires_at: number;
  };
  request_log: {
    tenant_id: string;
    key_id: string | null;
    model: string | null;
    subject: string | null;
    outcome: string;
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    cost_usd: number | null;
    created_at: number;
  };
}

class BudgetRefused extends Error {
  readonly index: number;
  readonly state: BudgetState;
  constructor(index: number, state: BudgetState) {
    super('budget exhausted');
    this.index = index;
    this.state = state;
  }
}

const BUCKET_MS: Record<UsageGroupBy, number> = { hour: 3_600_000, day: 86_400_000 };
const DIMENSION_COLUMN = { key: 'key_id', model: 'model', subject: 'subject' } as const;
/** Caps a report's size: 2 years of days or ~3 months of hours, times the groups. */
const MAX_USAGE_ROWS = 20_000;

export function limitsStore(db: Kysely<LimitsTables>): LimitsStore {
  return {
    async prices(tenantId) {
      const rows = await db
        .selectFrom('prices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('pattern')
        .execute();
      return rows.map((r) => ({
        pattern: r.pattern,
        inputPerMTok: Number(r.input_per_mtok),
        outputPerMTok: Number(r.output_per_mtok),
        updatedAt: new Date(Number(r.updated_at)),
        updatedBy: r.updated_by,
      }));
    },
    async setPrice(tenantId, p) {
      await db
        .insertInto('prices')
        .values({
          tenant_id: tenantId,
          pattern: p.pattern,
          input_per_mtok: p.inputPerMTok,
          output_per_mtok: p.outputPerMTok,
          updated_at: p.updatedAt.getTime(),
          updated_by: p.updatedBy,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'pattern']).doUpdateSet((eb) => ({
            input_per_mtok: eb.ref('excluded.input_per_mtok'),
            output_per_mtok: eb.ref('excluded.output_per_mtok'),
            updated_at: eb.ref('excluded.updated_at'),
            updated_by: eb.ref('excluded.updated_by'),
          })),
        )
        .execute();
    },
    async removePrice(tenantId, pattern) {
      const res = await db
        .deleteFrom('prices')
        .where('tenant_id', '=', tenantId)
        .where('pattern', '=', pattern)
        .executeTakeFirst();
      return res.numDeletedRows > 0n;
    },

    async reserve(lines, micro) {
      if (lines.length === 0) return { ok: true };
      // Rows are locked in one order (by line) so two transactions over overlapping lines cannot deadlock.
      const order = lines.map((l, i) => ({ l, i })).sort((a, b) => (a.l.line < b.l.line ? -1 : 1));
      try {
        await db.transaction().execute(async (trx) => {
          for (const { l, i } of order) {
            await trx
              .insertInto('budget_ledger')
              .values({
                line: l.line,
                tenant_id: l.tenantId,
                spent_micro: 0,
                reserved_micro: 0,
                expires_at: l.expiresAt,
              })
              .onConflict((oc) => oc.column('line').doNothing())
              .execute();
            // The check and the increment are one statement: PostgreSQL re-evaluates the condition on the locked,
            // current row, so concurrent reservations on other replicas can never pass the limit together.
            const res = await trx
              .updateTable('budget_ledger')
              .set((eb) => ({ reserved_micro: eb('reserved_micro', '+', micro) }))
              .where('line', '=', l.line)
              .where(sql<number>`spent_micro + reserved_micro + ${micro}`, '<=', l.limitMicro)
              .executeTakeFirst();
            if (res.numUpdatedRows === 0n) {
              const row = await trx
                .selectFrom('budget_ledger')
                .select(['spent_micro', 'reserved_micro'])
                .where('line', '=', l.line)
                .executeTakeFirst();
              throw new BudgetRefused(i, {
                spentMicro: Number(row?.spent_micro ?? 0),
                reservedMicro: Number(row?.reserved_micro ?? 0),
              });
            }
          }
        });
        return { ok: true };
      } catch (err) {
        if (err instanceof BudgetRefused) return { ok: false, index: err.index, ...err.state };
        throw err;
      }
    },

    async settle(lines, reservedMicro, actualMicro) {
      if (lines.length === 0) return [];
      const rows = await db
        .updateTable('budget_ledger')
        .set({
          reserved_micro: sql<number>`case when reserved_micro > ${reservedMicro} then reserved_micro - ${reservedMicro} else 0 end`,
          spent_micro: sql<number>`spent_micro + ${actualMicro}`,
        })
        .where('line', 'in', [...lines])
        .returning(['line', 'spent_micro'])
        .execute();
      const spent = new Map(rows.map((r) => [r.line, Number(r.spent_micro)]));
      return lines.map((l) => spent.get(l) ?? 0);
    },

    async budgetState(lines) {
      if (lines.length === 0) return [];
      const rows = await db
        .selectFrom('budget_ledger')
        .select(['line', 'spent_micro', 'reserved_micro'])
        .where('line', 'in', [...lines])
        .execute();
      const by = new Map(rows.map((r) => [r.line, r]));
      return lines.map((l) => {
        const r = by.get(l);
        return { spentMicro: Number(r?.spent_micro ?? 0), reservedMicro: Number(r?.reserved_micro ?? 0) };
      });
    },

    async purgeLedger(now) {
      const res = await db.deleteFrom('budget_ledger').where('expires_at', '<', now).executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    async usage(q) {
      const width = BUCKET_MS[q.groupBy];
      const bucket = sql<number>`(created_at - (created_at % ${width}))`;
      const column = q.by ? DIMENSION_COLUMN[q.by] : undefined;
      const group = column ? sql<string | null>`${sql.ref(column)}` : sql<string | null>`null`;
      const rows = await db
        .selectFrom('request_log')
        .select([
          bucket.as('bucket'),
          group.as('grp'),
          sql<number>`count(*)`.as('requests'),
          sql<number>`sum(case when outcome = 'refused' then 1 else 0 end)`.as('refused'),
          sql<number>`sum(case when outcome = 'failed' then 1 else 0 end)`.as('failed'),
          sql<number>`coalesce(sum(prompt_tokens), 0)`.as('prompt_tokens'),
          sql<number>`coalesce(sum(completion_tokens), 0)`.as('completion_tokens'),
          sql<number>`coalesce(sum(total_tokens), 0)`.as('total_tokens'),
          sql<number>`coalesce(sum(cost_usd), 0)`.as('cost_usd'),
        ])
        .where('tenant_id', '=', q.tenantId)
        .where('created_at', '>=', q.from.getTime())
        .where('created_at', '<', q.to.getTime())
        .groupBy(column ? [sql`1`, sql`2`] : [sql`1`])
        .orderBy(sql`1`)
        .$if(column !== undefined, (s) => s.orderBy(sql`2`))
        .limit(MAX_USAGE_ROWS)
        .execute();
      return rows.map((r) => ({
        bucket: new Date(Number(r.bucket)),
        group: r.grp ?? null,
        requests: Number(r.requests),
        refused: Number(r.refused),
        failed: Number(r.failed),
        promptTokens: Number(r.prompt_tokens),
        completionTokens: Number(r.completion_tokens),
        totalTokens: Number(r.total_tokens),
        costUsd: Math.round(Number(r.cost_usd) * 1e8) / 1e8,
      }));
    },
  };
}
