import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayError } from '../http/errors.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { RouteTarget } from '../providers/router.ts';
import type { ChatRequest } from '../providers/types.ts';
import type { BudgetLine } from '../store/sql-limits.ts';
import type { BudgetLedger, CounterBackend } from './backends.ts';
import {
  type BudgetRule,
  type BudgetScope,
  type LimitsConfig,
  matches,
  type RateRule,
  type RateScope,
} from './config.ts';
import type { PriceBook, PriceTable } from './prices.ts';

// The limits stage of the pipeline: rate limits on requests and tokens, then budgets, checked after the caller is
// authorised and before any guard or model call. Tokens and dollars are reserved from an estimate before the call
// and settled with the real figures after it, so parallel requests can never together spend more than is left.

/** What a request holds until it ends; `settle` books the real usage and gives back what was over-reserved. */
export interface Hold {
  settle(ctx: RequestContext): Promise<void>;
}

export interface BudgetAlert {
  kind: 'threshold' | 'exhausted';
  scope: BudgetScope;
  tenantId: string;
  id: string;
  period: 'day' | 'month';
  periodKey: string;
  limitUsd: number;
  spentUsd: number;
  thresholdUsd: number;
}

interface CompiledRule {
  rule: RateRule;
  metric: 'requests' | 'tokens';
  points: number;
  limiter: RateLimiterAbstract;
}

interface Consumed {
  c: CompiledRule;
  key: string;
  points: number;
  res: RateLimiterRes;
  at: number;
}

interface BudgetHold {
  lines: BudgetLine[];
  rules: BudgetRule[];
  ids: string[];
  periodKeys: string[];
  micro: number;
}

const MICRO = 1e6;
/** Prompt estimates add this per message for role markers and framing (real tokenizers do). */
const PER_MESSAGE_TOKENS = 4;
/**
 * The limits stage runs before the input guards, which may add to what is sent: the canary note planted in the
 * system message (~45 tokens) and PII placeholders longer than what they replace. Reserving this much more keeps the
 * estimate above the real count, which is what stops parallel requests from overspending together.
 */
const GUARD_ALLOWANCE_TOKENS = 64;

export interface LimitsDeps {
  config: LimitsConfig;
  counters: CounterBackend;
  /** Required when budgets are configured. */
  ledger: BudgetLedger | undefined;
  prices: PriceBook;
  log: Logger;
  registry?: Registry;
  now?: () => number;
  /** Reads the prices edited at run time (the store's table). */
  storedPrices?: () => Promise<PriceTable>;
}

function scopeId(ctx: RequestContext, scope: RateScope): string | undefined {
  switch (scope) {
    case 'key':
      return ctx.key?.id;
    case 'tenant':
      return ctx.key?.tenantId;
    case 'subject':
      return ctx.subject;
    case 'ip':
      return ctx.ip ?? undefined;
    case 'prompt': {
      // #prepare records the prompt being executed before the limits stage runs.
      const prompt = ctx.detail?.prompt as { id?: unknown } | undefined;
      return typeof prompt?.id === 'string' ? prompt.id : undefined;
    }
  }
}

/** Counter key: subjects and prompts are names inside a tenant, so two tenants' "alice" never share a counter. */
function counterKey(ctx: RequestContext, scope: RateScope, id: string): string {
  return scope === 'subject' || scope === 'prompt' ? `${ctx.key?.tenantId ?? '-'}:${id}` : id;
}

/** Rules that apply to one id: rules whose `match` covers it replace the scope's defaults for the same metric. */
function select<R extends { scope: string; match?: string | undefined }>(
  rules: readonly R[],
  scope: string,
  id: string,
  same: (a: R, b: R) => boolean,
): R[] {
  const mine = rules.filter((r) => r.scope === scope && matches(r.match, id));
  return mine.filter((r) => r.match !== undefined || !mine.some((o) => o.match !== undefined && same(o, r)));
}

export function periodOf(period: 'day' | 'month', now: number): { key: string; endsAt: number } {
  const d = new Date(now);
  if (period === 'day') {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { key: new Date(start).toISOString().slice(0, 10), endsAt: start + 86_400_000 };
  }
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return {
    key: new Date(start).toISOString().slice(0, 7),
    endsAt: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}

export function estimatePromptTokens(req: Pick<ChatRequest, 'messages'>): number {
  let n = GUARD_ALLOWANCE_TOKENS;
  for (const m of req.messages) n += Math.ceil(m.content.length / 4) + PER_MESSAGE_TOKENS;
  return n;
}

export class Limits {
  readonly #config: LimitsConfig;
  readonly #counters: CounterBackend;
  readonly #ledger: BudgetLedger | undefined;
  readonly #prices: PriceBook;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #storedPrices: (() => Promise<PriceTable>) | undefined;
  readonly #rules: CompiledRule[];
  readonly #responses = new WeakMap<RequestContext, ServerResponse>();
  readonly #alertHandlers = new Set<(a: BudgetAlert) => void>();
  readonly #unpricedWarned = new Set<string>();
  readonly #metrics: {
    refused: Counter<'reason' | 'scope'>;
    alerts: Counter<'scope' | 'period' | 'kind'>;
    unavailable: Counter;
  };

  constructor(deps: LimitsDeps) {
    this.#config = deps.config;
    this.#counters = deps.counters;
    this.#ledger = deps.ledger;
    this.#prices = deps.prices;
    this.#log = deps.log;
    this.#now = deps.now ?? Date.now;
    this.#storedPrices = deps.storedPrices;
    if (deps.config.budgets.length > 0 && !deps.ledger) throw new Error('limits: budgets need a ledger');
    this.#rules = deps.config.rules.map((rule) => {
      const metric = rule.requests !== undefined ? 'requests' : 'tokens';
      const points = (rule.requests ?? rule.tokens)!;
      const name = `${rule.scope}:${metric}:${points}:${rule.per}:${rule.match ?? ''}`;
      return { rule, metric, points, limiter: deps.counters.limiter({ name, points, durationS: rule.per }) };
    });
    const registers = deps.registry ? [deps.registry] : [];
    this.#metrics = {
      refused: new Counter({
        name: 'portcullis_limit_refusals_total',
        help: 'Requests refused by a rate limit or budget, by reason (rate|tokens|budget) and scope',
        labelNames: ['reason', 'scope'],
        registers,
      }),
      alerts: new Counter({
        name: 'portcullis_budget_alerts_total',
        help: 'Budget alerts: threshold crossed or budget exhausted, by scope and period',
        labelNames: ['scope', 'period', 'kind'],
        registers,
      }),
      unavailable: new Counter({
        name: 'portcullis_limits_unavailable_total',
        help: 'Requests refused because the counter store could not be reached',
        registers,
      }),
    };
  }

  /** True when any rate limit or budget is configured. */
  get active(): boolean {
    return this.#rules.length > 0 || this.#config.budgets.length > 0;
  }

  get counters(): CounterBackend {
    return this.#counters;
  }

  get prices(): PriceBook {
    return this.#prices;
  }

  /** Re-reads the stored price table (after an edit here, or an event from another replica). */
  async reloadPrices(): Promise<void> {
    if (this.#storedPrices) this.#prices.setStored(await this.#storedPrices());
  }

  /** Budget alerts go to these handlers (the audit log subscribes here) as well as to the log and a metric. */
  onAlert(handler: (a: BudgetAlert) => void): () => void {
    this.#alertHandlers.add(handler);
    return () => this.#alertHandlers.delete(handler);
  }

  /** The response the RateLimit-* headers go on; set when the request arrives (streamed answers too). */
  bind(ctx: RequestContext, res: ServerResponse): void {
    this.#responses.set(ctx, res);
  }

  /**
   * Checks and reserves. `targets` are the route's candidates for the requested model: the cost estimate uses the
   * dearest priced one, since any of them may end up serving the request.
   */
  async admit(ctx: RequestContext, req: ChatRequest, targets: readonly RouteTarget[]): Promise<Hold> {
    if (!this.active) return this.#costOnly;
    const estimateTokens = estimatePromptTokens(req) + (req.maxTokens ?? this.#config.defaultMaxTokens);
    const consumed = await this.#consumeRates(ctx, estimateTokens);
    let budget: BudgetHold | undefined;
    try {
      budget = await this.#reserveBudget(ctx, req, targets, estimateTokens);
    } catch (err) {
      await this.#refund(consumed);
      throw err;
    }
    return new RequestHold(this, consumed, budget);
  }

  readonly #costOnly: Hold = {
    settle: async (ctx) => {
      this.#price(ctx);
    },
  };

  /** Prices the call into ctx.detail.cost (recorded with the request); null when there was no call or no price. */
  #price(ctx: RequestContext): number | null {
    if (!ctx.provider) return null;
    const cost = this.#prices.cost(ctx.provider, ctx.upstreamModel, ctx.usage);
    if (cost !== null) ctx.detail = { ...ctx.detail, cost };
    return cost;
  }

  #applicable(ctx: RequestContext): Array<{ c: CompiledRule; key: string }> {
    const out: Array<{ c: CompiledRule; key: string }> = [];
    const byScope = new Map<RateScope, string | undefined>();
    for (const c of this.#rules) {
      const scope = c.rule.scope;
      if (!byScope.has(scope)) byScope.set(scope, scopeId(ctx, scope));
      const id = byScope.get(scope);
      if (id === undefined || !matches(c.rule.match, id)) continue;
      // A matching specific rule replaces the scope's default rules for the same metric.
      if (
        c.rule.match === undefined &&
        this.#rules.some(
          (o) =>
            o.rule.scope === scope && o.metric === c.metric && o.rule.match !== undefined && matches(o.rule.match, id),
        )
      ) {
        continue;
      }
      out.push({ c, key: counterKey(ctx, scope, id) });
    }
    return out;
  }

  async #consumeRates(ctx: RequestContext, estimateTokens: number): Promise<Consumed[]> {
    const todo = this.#applicable(ctx);
    if (todo.length === 0) return [];
    const at = this.#now();
    const results = await Promise.allSettled(
      todo.map(({ c, key }) => c.limiter.consume(key, c.metric === 'requests' ? 1 : estimateTokens)),
    );
    const consumed: Consumed[] = [];
    const refused: Array<{ c: CompiledRule; res: RateLimiterRes }> = [];
    let failure: unknown;
    results.forEach((r, i) => {
      const { c, key } = todo[i]!;
      const points = c.metric === 'requests' ? 1 : estimateTokens;
      if (r.status === 'fulfilled') consumed.push({ c, key, points, res: r.value, at });
      else if (r.reason instanceof RateLimiterRes) refused.push({ c, res: r.reason });
      else failure ??= r.reason;
    });
    if (failure !== undefined || refused.length > 0) await this.#refund(consumed);
    if (failure !== undefined) throw this.#unavailable(failure);
    if (refused.length > 0) {
      // The caller waits for the refusing window that frees up last.
      const worst = refused.reduce((a, b) => (b.res.msBeforeNext > a.res.msBeforeNext ? b : a));
      this.#headers(ctx, worst.c, worst.res, true);
      this.#metrics.refused.inc({
        reason: worst.c.metric === 'requests' ? 'rate' : 'tokens',
        scope: worst.c.rule.scope,
      });
      const retryAfterS = Math.max(1, Math.ceil(worst.res.msBeforeNext / 1000));
      const what =
        worst.c.metric === 'requests'
          ? `${worst.c.points} requests per ${worst.c.rule.per} s`
          : `${worst.c.points} tokens per ${worst.c.rule.per} s (this request was estimated at ${estimateTokens})`;
      throw new GatewayError('rate_limited', `Rate limit reached for this ${worst.c.rule.scope}: ${what}`, {
        retryAfterS,
      });
    }
    // Report the rule closest to refusing.
    const tightest = consumed.reduce((a, b) =>
      b.res.remainingPoints / b.c.points < a.res.remainingPoints / a.c.points ? b : a,
    );
    this.#headers(ctx, tightest.c, tightest.res, false);
    return consumed;
  }

  #headers(ctx: RequestContext, c: CompiledRule, res: RateLimiterRes, refused: boolean): void {
    const raw = this.#responses.get(ctx);
    if (!raw || raw.headersSent) return;
    raw.setHeader('RateLimit-Limit', String(c.points));
    raw.setHeader('RateLimit-Remaining', String(refused ? 0 : Math.max(0, res.remainingPoints)));
    raw.setHeader('RateLimit-Reset', String(Math.max(0, Math.ceil(res.msBeforeNext / 1000))));
    raw.setHeader('RateLimit-Policy', `${c.points};w=${c.rule.per}`);
  }

  async #refund(consumed: readonly Consumed[]): Promise<void> {
    // Best effort: a refused request should not use up the caller's other limits.
    await Promise.allSettled(consumed.map((x) => x.c.limiter.reward(x.key, x.points)));
  }

  #unavailable(err: unknown): GatewayError {
    this.#metrics.unavailable.inc();
    this.#log.error({ err: (err as Error)?.message ?? String(err) }, 'limits: counter store unreachable; refusing');
    return new GatewayError(
      'unavailable',
      'Usage limits cannot be checked right now (the counter store is unreachable); retry shortly',
      { retryAfterS: 1, cause: err },
    );
  }

  async #reserveBudget(
    ctx: RequestContext,
    req: ChatRequest,
    targets: readonly RouteTarget[],
    estimateTokens: number,
  ): Promise<BudgetHold | undefined> {
    if (this.#config.budgets.length === 0 || !this.#ledger) return undefined;
    const tenantId = ctx.key?.tenantId;
    if (!tenantId) return undefined;
    let worst: number | null = null;
    const promptTokens = estimatePromptTokens(req);
    const completionTokens = estimateTokens - promptTokens;
    for (const t of targets.length > 0 ? targets : [{ provider: '', model: req.model }]) {
      const c = this.#prices.cost(t.provider || null, t.model, { promptTokens, completionTokens });
      if (c !== null && (worst === null || c > worst)) worst = c;
    }
    if (worst === null) {
      if (!this.#unpricedWarned.has(req.model)) {
        this.#unpricedWarned.add(req.model);
        this.#log.warn({ model: req.model }, 'limits: model has no price; its calls are not counted against budgets');
      }
      return undefined;
    }
    const now = this.#now();
    const lines: BudgetLine[] = [];
    const rules: BudgetRule[] = [];
    const ids: string[] = [];
    const periodKeys: string[] = [];
    for (const scope of ['key', 'subject', 'tenant'] as const) {
      const id = scopeId(ctx, scope);
      if (id === undefined) continue;
      const applicable = select(this.#config.budgets, scope, id, (a, b) => a.period === b.period);
      for (const rule of applicable) {
        const p = periodOf(rule.period, now);
        const line = `${scope}:${tenantId}:${id}:${rule.period}:${p.key}`;
        const limitMicro = Math.round(rule.usd * MICRO);
        const seen = lines.findIndex((l) => l.line === line);
        if (seen >= 0) {
          // Two rules for one line: the lower limit holds.
          if (limitMicro < lines[seen]!.limitMicro) {
            lines[seen] = { ...lines[seen]!, limitMicro };
            rules[seen] = rule;
          }
          continue;
        }
        lines.push({ line, tenantId, limitMicro, expiresAt: p.endsAt + 86_400_000 });
        rules.push(rule);
        ids.push(id);
        periodKeys.push(p.key);
      }
    }
    if (lines.length === 0) return undefined;
    const micro = Math.max(1, Math.ceil(worst * MICRO));
    let result: Awaited<ReturnType<BudgetLedger['reserve']>>;
    try {
      result = await this.#ledger.reserve(lines, micro);
    } catch (err) {
      throw this.#unavailable(err);
    }
    if (!result.ok) {
      const rule = rules[result.index]!;
      const p = periodOf(rule.period, now);
      this.#metrics.refused.inc({ reason: 'budget', scope: rule.scope });
      const spent = result.spentMicro / MICRO;
      this.#log.info(
        { scope: rule.scope, id: ids[result.index], period: p.key, spentUsd: spent, limitUsd: rule.usd },
        'limits: budget exhausted; refusing',
      );
      throw new GatewayError(
        'budget_exceeded',
        `The ${rule.period === 'day' ? 'daily' : 'monthly'} budget of this ${rule.scope} ($${rule.usd}) is used up ` +
          `($${spent.toFixed(4)} spent${result.reservedMicro > 0 ? `, $${(result.reservedMicro / MICRO).toFixed(4)} held by requests in flight` : ''}; this request could cost up to $${worst.toFixed(6)})`,
        { retryAfterS: Math.max(1, Math.ceil((p.endsAt - now) / 1000)) },
      );
    }
    return { lines, rules, ids, periodKeys, micro };
  }

  /** Books the real usage of a request that held reservations. Never throws: the caller already has the answer. */
  async settle(ctx: RequestContext, consumed: readonly Consumed[], budget: BudgetHold | undefined): Promise<void> {
    const cost = this.#price(ctx);
    const now = this.#now();
    const work: Array<Promise<unknown>> = [];
    const actualTokens = ctx.usage.totalTokens;
    for (const x of consumed) {
      if (x.c.metric !== 'tokens') continue;
      const diff = actualTokens - x.points;
      if (diff > 0) work.push(x.c.limiter.penalty(x.key, diff));
      // Giving back is only right inside the window the reservation was taken from.
      else if (diff < 0 && now < x.at + x.res.msBeforeNext) work.push(x.c.limiter.reward(x.key, -diff));
    }
    if (budget && this.#ledger) {
      const actualMicro = cost === null ? 0 : Math.round(cost * MICRO);
      work.push(
        this.#ledger
          .settle(
            budget.lines.map((l) => l.line),
            budget.micro,
            actualMicro,
          )
          .then((spentAfter) => this.#checkAlerts(budget, spentAfter, actualMicro)),
      );
    }
    const results = await Promise.allSettled(work);
    for (const r of results) {
      if (r.status === 'rejected') {
        // The reservation stays booked: that errs towards refusing later, never towards overspending.
        this.#log.error({ reqId: ctx.id, err: (r.reason as Error)?.message }, 'limits: settling usage failed');
      }
    }
  }

  #checkAlerts(b: BudgetHold, spentAfter: number[], actualMicro: number): void {
    spentAfter.forEach((after, i) => {
      const rule = b.rules[i]!;
      const before = after - actualMicro;
      const limit = b.lines[i]!.limitMicro;
      const threshold = Math.round((limit * rule.alertAtPercent) / 100);
      const crossed: Array<BudgetAlert['kind']> = [];
      if (before < threshold && after >= threshold) crossed.push('threshold');
      if (before < limit && after >= limit) crossed.push('exhausted');
      for (const kind of crossed) {
        const alert: BudgetAlert = {
          kind,
          scope: rule.scope,
          tenantId: b.lines[i]!.tenantId,
          id: b.ids[i]!,
          period: rule.period,
          periodKey: b.periodKeys[i]!,
          limitUsd: rule.usd,
          spentUsd: after / MICRO,
          thresholdUsd: threshold / MICRO,
        };
        this.#metrics.alerts.inc({ scope: rule.scope, period: rule.period, kind });
        this.#log.warn(
          { alert },
          kind === 'threshold' ? 'budget alert: threshold crossed' : 'budget alert: budget used up',
        );
        for (const h of this.#alertHandlers) {
          try {
            h(alert);
          } catch (err) {
            this.#log.error({ err: (err as Error).message }, 'budget alert handler failed');
          }
        }
      }
    });
  }

  /** Current spend of the budgets that apply to a caller (admin view). */
  async budgetsFor(ids: { tenantId: string; key?: string; subject?: string }): Promise<
    Array<{
      scope: BudgetScope;
      id: string;
      period: 'day' | 'month';
      periodKey: string;
      limitUsd: number;
      spentUsd: number;
      reservedUsd: number;
    }>
  > {
    if (!this.#ledger) return [];
    const now = this.#now();
    const rows: Array<{ scope: BudgetScope; id: string; rule: BudgetRule; line: string; periodKey: string }> = [];
    const scoped: Array<[BudgetScope, string | undefined]> = [
      ['key', ids.key],
      ['subject', ids.subject],
      ['tenant', ids.tenantId],
    ];
    for (const [scope, id] of scoped) {
      if (id === undefined) continue;
      for (const rule of select(this.#config.budgets, scope, id, (a, b) => a.period === b.period)) {
        const p = periodOf(rule.period, now);
        rows.push({
          scope,
          id,
          rule,
          line: `${scope}:${ids.tenantId}:${id}:${rule.period}:${p.key}`,
          periodKey: p.key,
        });
      }
    }
    const state = await this.#ledger.state(rows.map((r) => r.line));
    return rows.map((r, i) => ({
      scope: r.scope,
      id: r.id,
      period: r.rule.period,
      periodKey: r.periodKey,
      limitUsd: r.rule.usd,
      spentUsd: state[i]!.spentMicro / MICRO,
      reservedUsd: state[i]!.reservedMicro / MICRO,
    }));
  }
}

class RequestHold implements Hold {
  readonly #limits: Limits;
  readonly #consumed: readonly Consumed[];
  readonly #budget: BudgetHold | undefined;
  #settled = false;
  constructor(limits: Limits, consumed: readonly Consumed[], budget: BudgetHold | undefined) {
    this.#limits = limits;
    this.#consumed = consumed;
    this.#budget = budget;
  }
  async settle(ctx: RequestContext): Promise<void> {
    // Once only, whichever of completion, failure or cancellation gets here first.
    if (this.#settled) return;
    this.#settled = true;
    await this.#limits.settle(ctx, this.#consumed, this.#budget);
  }
}
