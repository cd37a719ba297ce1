import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordView } from '../audit/export-format.ts';
import { auditFiltersSchema, describeFilterError, subjectSchema } from '../audit/filters.ts';
import type { AuditService } from '../audit/service.ts';
import type { AdminAudit } from './admin-common.ts';
import { actorOf, tenantOf } from './admin-common.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';

// Audit log and privacy-request endpoints (docs/audit.md). Every route acts on the caller's own tenant only.

// Who may call what: kept together so the permission model is read (and changed) in one place. Exporting the log
// and verifying it only read it; a privacy export reads personal data; erasure deletes it.
const ACCESS = {
  search: { permission: 'audit:read' },
  export: { permission: 'audit:read' },
  verify: { permission: 'audit:read' },
  privacyExport: { permission: 'privacy:read' },
  privacyErase: { permission: 'privacy:delete' },
} as const;

const exportQuery = z.object({ format: z.enum(['jsonl', 'csv']).default('jsonl') });
const subjectBody = z.object({ subject: subjectSchema }).strict();
const emptyBody = z.object({}).strict().optional();

function filtersOf(query: unknown, omit: string[] = []) {
  const q = { ...(query as Record<string, unknown>) };
  for (const k of omit) delete q[k];
  const parsed = auditFiltersSchema.safeParse(q);
  if (!parsed.success) {
    const { message, param } = describeFilterError(parsed.error);
    throw new GatewayError('invalid_request', `Invalid audit filter: ${message}`, param ? { param } : {});
  }
  return parsed.data;
}

/** The AdminAudit hook for AppDeps: admin routes record their changes through the audit service. */
export function adminAuditOf(audit: AuditService): AdminAudit {
  return async ({ req, action, target, detail, actor }) => {
    await audit.record({
      tenantId: tenantOf(req),
      actor: actor ?? actorOf(req),
      action,
      keyId: req.ctx.key?.id ?? null,
      target: target ?? null,
      detail: { requestId: req.id, ...detail },
    });
  };
}

const keyIdOf = (req: FastifyRequest) => req.ctx.key?.id ?? null;

export function registerAuditRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { audit, privacy, retentionJob } = deps.core;

  // The server runs the retention purge on its schedule; the CLI runs it on demand.
  app.addHook('onReady', async () => retentionJob.start());
  app.addHook('onClose', async () => retentionJob.stop());

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/audit',
    access: ACCESS.search,
    body: undefined,
    handler: async (req) => {
      const page = await audit.search(tenantOf(req), filtersOf(req.query));
      return { data: page.data.map(recordView), nextCursor: page.nextCursor };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/admin/audit/export',
    access: ACCESS.export,
    body: undefined,
    handler: async (req, reply) => {
      const q = exportQuery.safeParse({ format: (req.query as Record<string, unknown>)['format'] });
      if (!q.success)
        throw new GatewayError('invalid_request', 'Invalid format: use jsonl or csv', { param: 'format' });
      const { format } = q.data;
      const filters = filtersOf(req.query, ['format']);
      const out = new PassThrough();
      const write = (chunk: string) =>
        out.write(chunk) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve()));
      audit.export(tenantOf(req), filters, format, write, actorOf(req)).then(
        () => out.end(),
        (err: unknown) => out.destroy(err as Error),
      );
      reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit.${format}"`);
      return reply.send(out);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/audit/verify',
    access: ACCESS.verify,
    body: emptyBody,
    handler: async (req) => {
      const tenantId = tenantOf(req);
      const report = await audit.verify(tenantId);
      const chain = report.chains[0] ?? null;
      await audit.record({
        tenantId,
        actor: actorOf(req),
        action: 'audit.verify',
        outcome: report.ok ? 'success' : 'failure',
        keyId: keyIdOf(req),
        detail: { requestId: req.id, records: chain?.records ?? 0, problems: chain?.problems.length ?? 0 },
      });
      return { ok: report.ok, chain };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/privacy/export',
    access: ACCESS.privacyExport,
    body: subjectBody,
    handler: async (req, _reply, body) => privacy.export(tenantOf(req), body.subject, actorOf(req)),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/admin/privacy/erase',
    access: ACCESS.privacyErase,
    body: subjectBody,
    handler: async (req, _reply, body) => privacy.erase(tenantOf(req), body.subject, actorOf(req)),
  });
}
