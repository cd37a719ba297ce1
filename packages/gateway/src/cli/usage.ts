import type { Command } from 'commander';
import { z } from 'zod';
import { CliError, table, withCore } from './shared.ts';

// `portcullis usage`: requests, tokens and cost over time, read straight from the request log. The chart is drawn
// with asciichart (a small, dependency-free terminal line-chart library), the numbers follow as a table.

const METRICS = ['cost', 'requests', 'tokens'] as const;
type Metric = (typeof METRICS)[number];

const opts = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  groupBy: z.enum(['day', 'hour']),
  by: z.enum(['key', 'model', 'subject']).optional(),
  metric: z.enum(METRICS),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a tenant id'),
  json: z.boolean().optional(),
  height: z.coerce.number().int().min(3).max(60),
});

interface Row {
  bucket: Date;
  group: string | null;
  requests: number;
  refused: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number;
}

const flag = (path: PropertyKey[]) => `--${path.join('.').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const problems = (issues: z.core.$ZodIssue[]) => issues.map((i) => `${flag(i.path)}: ${i.message}`).join('; ');

const metricOf = (r: Row, m: Metric): number =>
  m === 'cost' ? r.costUsd : m === 'requests' ? r.requests : r.totalTokens;

function bucketLabel(d: Date, groupBy: 'day' | 'hour'): string {
  const iso = d.toISOString();
  return groupBy === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 13)}h`;
}

/** One value per bucket from `from` to `to`, zeros where nothing happened, so the time axis is even. */
export function series(rows: readonly Row[], from: Date, to: Date, groupBy: 'day' | 'hour', m: Metric): number[] {
  const width = groupBy === 'day' ? 86_400_000 : 3_600_000;
  const start = from.getTime() - (from.getTime() % width);
  const n = Math.max(1, Math.ceil((to.getTime() - start) / width));
  const out = new Array<number>(n).fill(0);
  for (const r of rows) {
    const i = Math.floor((r.bucket.getTime() - start) / width);
    if (i >= 0 && i < n) out[i]! += metricOf(r, m);
  }
  return out;
}

export function registerUsageCommand(program: Command): void {
  program
    .command('usage')
    .description('usage and cost over time: a terminal chart and a table (from the request log)')
    .option('--from <date>', 'start: 2026-11-01 or an ISO timestamp (default: 30 days, or 48 hours, ago)')
    .option('--to <date>', 'end (default: now)')
    .option('--group-by <unit>', 'day or hour', 'day')
    .option('--by <dimension>', 'also split by key, model or subject')
    .option('--metric <metric>', 'what the chart shows: cost, requests or tokens', 'cost')
    .option('--tenant <id>', 'the tenant to report on', 'default')
    .option('--height <rows>', 'chart height in lines', '12')
    .option('--json', 'machine-readable output (the same shape as GET /v1/admin/usage)')
    .action(async (raw, cmd: Command) => {
      const parsed = opts.safeParse(raw);
      if (!parsed.success) {
        throw new CliError(problems(parsed.error.issues), 2);
      }
      const o = parsed.data;
      // Lazy: the HTTP layer's query schema is the one both the API and the CLI accept.
      const { usageQuerySchema, usageWindow } = await import('../http/routes-limits.ts');
      const q = usageQuerySchema.safeParse({
        ...(o.from ? { from: o.from } : {}),
        ...(o.to ? { to: o.to } : {}),
        groupBy: o.groupBy,
        ...(o.by ? { by: o.by } : {}),
      });
      if (!q.success) {
        throw new CliError(problems(q.error.issues), 2);
      }
      let window: { from: Date; to: Date };
      try {
        window = usageWindow(q.data);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      await withCore(cmd, async (core) => {
        const rows = await core.store.limits.usage({ tenantId: o.tenant, ...window, groupBy: o.groupBy, by: o.by });
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
          for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
        }
        totals.costUsd = Math.round(totals.costUsd * 1e8) / 1e8;
        if (o.json) {
          const out = {
            from: window.from.toISOString(),
            to: window.to.toISOString(),
            groupBy: o.groupBy,
            by: o.by ?? null,
            data: rows.map((r) => ({ ...r, bucket: r.bucket.toISOString() })),
            totals,
          };
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        const out = process.stdout;
        out.write(
          `Usage of tenant ${o.tenant}, ${bucketLabel(window.from, o.groupBy)} to ${bucketLabel(window.to, o.groupBy)}, by ${o.groupBy}\n\n`,
        );
        if (rows.length === 0) {
          out.write('(no requests in this period)\n');
          return;
        }
        const points = series(rows, window.from, window.to, o.groupBy, o.metric);
        const { plot } = await import('asciichart');
        const unit = o.metric === 'cost' ? 'US$' : o.metric;
        const digits = o.metric === 'cost' ? 6 : 0;
        const pad = Math.max(...points).toFixed(digits).length + 1;
        out.write(
          `${plot(points.length > 1 ? points : [points[0]!, points[0]!], {
            height: o.height,
            format: (x: number) => x.toFixed(digits).padStart(pad),
          })}\n`,
        );
        out.write(`${' '.repeat(pad + 2)}${unit} per ${o.groupBy}, oldest left\n\n`);
        out.write(
          table(
            rows.map((r) => ({
              [o.groupBy]: bucketLabel(r.bucket, o.groupBy),
              ...(o.by ? { [o.by]: r.group ?? '-' } : {}),
              requests: String(r.requests),
              refused: String(r.refused),
              tokens: String(r.totalTokens),
              cost: `$${r.costUsd.toFixed(6)}`,
            })),
          ),
        );
        out.write(
          `\nTotal: ${totals.requests} requests (${totals.refused} refused, ${totals.failed} failed), ` +
            `${totals.totalTokens} tokens, $${totals.costUsd.toFixed(6)}\n`,
        );
      });
    });
}
