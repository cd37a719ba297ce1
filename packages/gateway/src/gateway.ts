import { DEFAULT_POLICY, type PolicyOverride, resolvePolicy, warmUpGuard } from '@portcullis/guard';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { RequestRecorder } from './audit/request-recorder.ts';
import type { Config } from './config/schema.ts';
import { wireInvalidation } from './events/wiring.ts';
import { buildApp } from './http/app.ts';
import { createMetrics } from './http/metrics.ts';
import { adminAuditOf } from './http/routes-audit.ts';
import { ClientTokenService } from './identity/client-tokens.ts';
import { type LimitsRuntime, startLimits } from './limits/setup.ts';
import { IdempotencyCache } from './pipeline/idempotency.ts';
import { RedisIdempotency } from './pipeline/idempotency-redis.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { PolicyResolver } from './pipeline/policies.ts';
import { ProviderCatalog } from './providers/catalog.ts';
import { TenantRouters } from './providers/tenant-routers.ts';
import { type CoreServices, openCore } from './services.ts';

export interface Gateway {
  app: FastifyInstance;
  core: CoreServices;
  /** Base URL the server listens on (after listen). */
  url: string;
  /** The admin key created on this start, if this was the first start. Shown once. */
  bootstrapKey: string | undefined;
  /** Writes buffered request records now (tests, admin tools). */
  flushRequestLog(): Promise<void>;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  // Buffered, asynchronous writes: a synchronous write per request line cost more CPU than
  // anything else the gateway does. Flushed every 250 ms, on shutdown, and before a crash exit.
  const dest = pino.destination({ dest: 1, sync: false, minLength: 8192 });
  const flusher = setInterval(() => dest.flush(), 250);
  flusher.unref();
  process.once('exit', () => {
    try {
      dest.flushSync();
    } catch {
      // Nothing left to do if stdout is gone.
    }
  });
  return pino(
    {
      level: config.log.level,
      base: { svc: 'portcullis' },
      // Belt and braces: these paths never reach a log line even if someone logs a request object.
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'apiKey', '*.apiKey', 'secret', 'key'],
        censor: '[redacted]',
      },
    },
    dest,
  );
}

/** Builds and starts a gateway from a validated config. */
export async function startGateway(config: Config, opts: { log?: Logger; listen?: boolean } = {}): Promise<Gateway> {
  const log = opts.log ?? createLogger(config);
  const core = await openCore(config, { log });
  const catalog = new ProviderCatalog(core.store.providers, core.box);
  const routers = new TenantRouters(catalog, config, log);
  const metrics = createMetrics();
  const recorder = new RequestRecorder(core.store.requests, log, config.requestLog);
  let limitsRt: LimitsRuntime | undefined;
  let unwire = () => {};
  try {
    await routers.start();
    // Other replicas' changes (revoked keys, moved labels, providers, prices) drop this process's caches at once.
    unwire = wireInvalidation(core, routers, log);
    limitsRt = await startLimits(config, core, log, metrics.registry);
    const limitsReady = limitsRt.check;
    const tokens = new ClientTokenService(core.box.subkey('client-token v1'), core.keys);
    const counters = limitsRt.counters;
    tokens.useCounters((name, points, durationS) => counters.limiter({ name, points, durationS }));
    // A budget crossing its alert threshold, or running out, is an event an auditor should find.
    limitsRt.limits.onAlert((a) => {
      core.audit
        .record({
          tenantId: a.tenantId,
          actor: 'system:budgets',
          action: a.kind === 'exhausted' ? 'budget.exhausted' : 'budget.threshold',
          target: `${a.scope}:${a.id}`,
          detail: { period: a.period, periodKey: a.periodKey, limitUsd: a.limitUsd, spentUsd: a.spentUsd },
        })
        .catch((err: Error) => log.warn({ err: err.message }, 'budget alert not recorded in the audit log'));
    });

    let bootstrapKey: string | undefined;
    if (config.bootstrap.adminKey && (await core.keys.countAdmins()) === 0) {
      // setIfAbsent makes exactly one replica create the first admin key.
      if (await core.store.meta.setIfAbsent('bootstrap.admin-key', new Date().toISOString())) {
        bootstrapKey = (await core.keys.create({ name: 'bootstrap admin', role: 'admin', scopes: ['*'] })).secret;
      }
    }

    const policies = new PolicyResolver(
      resolvePolicy(DEFAULT_POLICY, config.guard as PolicyOverride),
      core.store.settings,
    );
    // Models load lazily; pay for it now rather than on the first caller's request.
    warmUpGuard();
    const pipeline = new Pipeline({
      keys: core.keys,
      routers,
      policies,
      directory: core.directory,
      jwts: core.jwts,
      tokens,
      prompts: core.prompts,
      prices: limitsRt.prices,
      limits: limitsRt.limits,
      retention: core.retention,
      executions: core.store.executions,
      log,
    });
    const app = await buildApp({
      config,
      pipeline,
      core,
      idempotency: core.redis
        ? new RedisIdempotency(core.redis, config.redis.keyPrefix, core.box)
        : new IdempotencyCache(),
      // Admin changes go to the tenant's audit chain, attributed to the key (or the user it acts for).
      audit: adminAuditOf(core.audit),
      policies,
      routers,
      recorder,
      metrics,
      log,
      checkReady: async () => {
        try {
          await core.store.ping();
        } catch {
          throw new Error('database unreachable');
        }
        if (recorder.failures > 0) throw new Error('request log cannot be written');
        await limitsReady();
      },
    });

    let url = '';
    if (opts.listen !== false) {
      url = await app.listen({ host: config.server.host, port: config.server.port });
    }

    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        const force = setTimeout(() => app.server.closeAllConnections(), config.server.shutdownTimeoutMs);
        force.unref();
        // Keep-alive sockets become idle as their last response finishes; close each as soon as it does.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        await app.close();
        clearInterval(sweep);
        clearTimeout(force);
        routers.stop();
        limitsRt?.close();
        unwire();
        await recorder.close();
        await routers.close();
        await core.close();
      })();
      return closing;
    };
    return { app, core, url, bootstrapKey, flushRequestLog: () => recorder.flush(), close };
  } catch (err) {
    limitsRt?.close();
    unwire();
    routers.stop();
    await recorder.close().catch(() => {});
    await routers.close().catch(() => {});
    await core.close().catch(() => {});
    throw err;
  }
}
