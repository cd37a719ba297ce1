import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './app.ts';
import { defineRoute } from './route.ts';

export function registerOpsRoutes(app: FastifyInstance, deps: AppDeps): void {
  defineRoute(app, {
    method: 'GET',
    url: '/healthz',
    access: { public: true },
    body: undefined,
    handler: async () => ({ status: 'ok' }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/readyz',
    access: { public: true },
    body: undefined,
    handler: async (_req, reply) => {
      try {
        await deps.checkReady();
        return { status: 'ready' };
      } catch (err) {
        reply.status(503);
        return { status: 'unavailable', reason: (err as Error).message };
      }
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/metrics',
    access: deps.config.server.publicMetrics ? { public: true } : { scope: 'metrics' },
    body: undefined,
    handler: async (_req, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  });
}
