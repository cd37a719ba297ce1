import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { mintRequestSchema } from '../identity/client-tokens.ts';
import type { ExecuteMeta } from '../pipeline/execution.ts';
import { IDEMPOTENCY_KEY } from '../pipeline/idempotency.ts';
import type { StreamOutcome } from '../pipeline/pipeline.ts';
import { LABEL } from '../prompts/definition.ts';
import type { ChatChunk } from '../providers/types.ts';
import type { AppDeps } from './app.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';
import { streamSse } from './sse-writer.ts';

export const executeBodySchema = z
  .object({
    variables: z.record(z.string().max(64), z.unknown()).default({}),
    label: z.string().regex(LABEL, 'a label: lowercase letters, digits, - or _').optional(),
    version: z.number().int().min(1).max(1_000_000).optional(),
    stream: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.label === undefined || b.version === undefined, {
    message: 'give a label or a version, not both',
    path: ['version'],
  });

const promptParams = z.object({ id: z.string().max(200) });

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function registerPromptRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { pipeline, idempotency } = deps;

  defineRoute(app, {
    method: 'POST',
    url: '/v1/prompts/:id/execute',
    access: { scope: 'execute', clientTokens: true },
    body: executeBodySchema,
    handler: async (req, reply, body) => {
      const { id } = promptParams.parse(req.params);
      const ctx = req.ctx;
      const run = { variables: body.variables, label: body.label, version: body.version };
      if (body.stream) {
        const outcome: StreamOutcome = {};
        await streamSse(req, reply, pipeline.executeStream(ctx, id, run, outcome), {
          open: () => '',
          chunk: (c: ChatChunk) => (c.delta ? sse('delta', { text: c.delta }) : ''),
          close: () => sse('done', outcome.meta satisfies ExecuteMeta | undefined),
          error: (err) =>
            sse('error', { error: { code: err.code, message: err.message, type: 'error' }, requestId: ctx.id }),
        });
        return reply;
      }
      const header = req.headers['idempotency-key'];
      if (header === undefined) return pipeline.execute(ctx, id, run);
      if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
        throw new GatewayError('invalid_request', 'Idempotency-Key must be 1–255 printable ASCII characters', {
          param: 'Idempotency-Key',
        });
      }
      // Scoped to the caller: the same key from another key or token is a different request.
      const key = ctx.key!;
      const scope = `${key.tenantId}:${key.id}:${ctx.clientToken?.tokenId ?? ''}`;
      const { result, replayed } = await idempotency.run(scope, header, { id, ...run }, () =>
        pipeline.execute(ctx, id, run),
      );
      if (replayed) {
        reply.header('idempotent-replayed', 'true');
        ctx.detail = { ...ctx.detail, idempotentReplayOf: result.requestId };
      }
      return result;
    },
  });

  // Preflight for browsers calling execute with a client token (see server.corsOrigins).
  defineRoute(app, {
    method: 'OPTIONS',
    url: '/v1/prompts/:id/execute',
    access: { public: true },
    body: undefined,
    handler: async (req, reply) => {
      app.cors.preflight(
        req.headers.origin,
        req.headers['access-control-request-method'] as string | undefined,
        reply.raw,
      );
      return reply.status(204).send();
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/client-tokens',
    access: { scope: 'tokens' },
    body: mintRequestSchema,
    handler: async (req, reply, body) => {
      const minted = await deps.pipeline.mintClientToken(req.ctx, body);
      reply.status(201);
      return { token: minted.token, expiresAt: minted.expiresAt.toISOString(), prompts: minted.prompts };
    },
  });
}
