import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { priceSchema } from '../limits/prices.ts';
import { DEFAULT_TENANT } from '../store/types.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

// Admin endpoints of the limits issue: the editable price table, usage reports and budget status, plus the hook
// that lets the limits stage put RateLimit-* headers on any response, streamed ones included.

const DAY_MS = 86_400_000;
/** A report spans at most this long (hour buckets: ~3 months). */
const MAX_SPAN_MS = 400 * DAY_MS;

const pricePattern = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^\s*]+\*?$/, 'a model, provider/model, or a prefix ending in *');

const putPriceBody = z.object({ pattern: pricePattern }).extend(priceSchema.shape).strict();
const deletePriceQuery = z.object({ pattern: pricePattern });

const instant = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    // A date (2026-11-01) or a full ISO timestamp; dates are UTC midnight.
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'a date (2026-11-01) or an ISO timestamp' });
      return z.NEVER;
    }
    return new Date(ms);
  });

export const usageQuerySchema = z
  .object({
    from: instant.optional(),
    to: instant.optional(),
    groupBy: z.enum(['day', 'hour']).default('day'),
    by: z.enum(['key', 'model', 'subject']).optional(),
  })
  .strict();

const budgetsQuery = z
  .object({ key: z.string().max(128).optional(), subject: z.string().max(256).optional() })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    const name = i.path.join('.');
    throw new GatewayError('invalid_request', `Invalid ${where}: ${name ? `${name} ` : ''}${i.message}`, {
      ...(name ? { param: name } : {}),
    });
  }
  return r.data;
}

const tenantOf = (req: FastifyRequest) => req.ctx.key!.tenantId;

/** Resolves a usage query's defaults: the last 30 days (day buckets) or the last 48 hours (hour buckets). */
export function usageWindow(q: z.infer<typeof usageQuerySchema>, now = Date.now()): { from: Date; to: Date } {
  const to = q.to ?? new Date(now);
  const from = q.from ?? new Date(to.getTime() - (q.groupBy === 'hour' ? 2 : 30) * DAY_MS);
  if (from.getTime() >= to.getTime())
    throw new GatewayError('invalid_request', 'from must be before to', { param: 'from' });
  if (to.getTime() - from.getTime() > MAX_SPAN_MS) {
    throw new GatewayError('invalid_request', 'A usage report spans at most 400 days', { param: 'from' });
  }
  return { from, to };
}

export function registerLimitRoutes(app: FastifyInstance, deps: AppDeps): void {
  const limits = deps.pipeline.limits;
  const store = deps.core.store.limits;

  // The limits stage runs deep in the pipeline, after the response may already have been handed to the SSE writer;
  // it writes its headers straight onto the Node response, which both normal and streamed replies send.
  if (limits.active) {
    app.addHook('onRequest', async (req, reply) => {
      if (req.ctx) limits.bind(req.ctx, reply.raw);
    });
  }

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/prices',
    access: { permission: 'usage:read' },
    body: undefined,
    handler: async () => {
      const stored = new Map((await store.prices(DEFAULT_TENANT)).map((p) => [p.pattern, p]));
      return {
        data: limits.prices.entries().map(([pattern, price]) => {
          const s = stored.get(pattern);
          return {
            pattern,
            ...price,
            source: s ? 'stored' : 'config',
            ...(s ? { updatedAt: s.updatedAt.toISOString(), updatedBy: s.updatedBy } : {}),
          };
        }),
      };
    },
  });

  // Prices are the deployment's (one table for every tenant), so only the operator's admins may change them.
  defineRoute(app, {
    method: 'PUT',
    url: '/v1/admin/prices',
    access: { permission: 'tenants:write' },
    body: putPriceBody,
    handler: async (req, _reply, body) => {
      if (tenantOf(req) !== DEFAULT_TENANT) throw new GatewayError('forbidden', 'Prices are set by the operator');
      await store.setPrice(DEFAULT_TENANT, {
        pattern: body.pattern,
        inputPerMTok: body.inputPerMTok,
        outputPerMTok: body.outputPerMTok,
        updatedAt: new Date(),
        updatedBy: `key:${req.ctx.key!.id}`,
      });
      // Other replicas reload on the config.changed event the store publishes; this one reloads now.
      await limits.reloadPrices();
      return { pattern: body.pattern, inputPerMTok: body.inputPerMTok, outputPerMTok: body.outputPerMTok };
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/v1/admin/prices',
    access: { permission: 'tenants:write' },
    body: undefined,
    handler: async (req) => {
      if (tenantOf(req) !== DEFAULT_TENANT) throw new GatewayError('forbidden', 'Prices are set by the operator');
      const { pattern } = parse(deletePriceQuery, req.query, 'query');
      if (!(await store.removePrice(DEFAULT_TENANT, pattern))) {
        throw new GatewayError(
          'not_found',
          `No stored price for "${pattern}" (config prices are edited in the config)`,
        );
      }
      await limits.reloadPrices();
      return { pattern, deleted: true };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/usage',
    access: { permission: 'usage:read' },
    body: undefined,
    handler: async (req) => {
      const q = parse(usageQuerySchema, req.query, 'query');
      const { from, to } = usageWindow(q);
      const rows = await store.usage({ tenantId: tenantOf(req), from, to, groupBy: q.groupBy, by: q.by });
      const totals = {
        requests: 0,
        refused: 0,
        failed: 0,
        promptTokens: 0,
        completionTokens: 0,
        totalTokens: 0,
        costUsd: 0,
      };
      for (const r of rows) {
        totals.requests += r.requests;
        totals.refused += r.refused;
        totals.failed += r.failed;
        totals.promptTokens += r.promptTokens;
        totals.completionTokens += r.completionTokens;
        totals.totalTokens += r.totalTokens;
        totals.costUsd += r.costUsd;
      }
      totals.costUsd = Math.round(totals.costUsd * 1e8) / 1e8;
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        groupBy: q.groupBy,
        by: q.by ?? null,
        data: rows.map((r) => ({ ...r, bucket: r.bucket.toISOString() })),
        totals,
      };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/budgets',
    access: { permission: 'usage:read' },
    body: undefined,
    handler: async (req) => {
      const q = parse(budgetsQuery, req.query, 'query');
      const data = await limits.budgetsFor({
        tenantId: tenantOf(req),
        ...(q.key ? { key: q.key } : {}),
        ...(q.subject ? { subject: q.subject } : {}),
      });
      return { data };
    },
  });
}
