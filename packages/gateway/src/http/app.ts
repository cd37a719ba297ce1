import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RequestRecorder } from '../audit/request-recorder.ts';
import type { Config } from '../config/schema.ts';
import { newContext, type RequestContext } from '../pipeline/context.ts';
import type { Idempotency } from '../pipeline/idempotency.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { PolicyResolver } from '../pipeline/policies.ts';
import type { TenantRouters } from '../providers/tenant-routers.ts';
import { ProviderError } from '../providers/types.ts';
import type { CoreServices } from '../services.ts';
import { isDatabaseUnavailable } from '../store/sql-errors.ts';
import type { AdminAudit } from './admin-common.ts';
import { CorsPolicy } from './cors.ts';
import { GatewayError, renderError, shapeForUrl } from './errors.ts';
import type { GatewayMetrics } from './metrics.ts';
import { enforceRouteDiscipline } from './route.ts';
import { registerAdminRoutes } from './routes-admin.ts';
import { registerAuditRoutes } from './routes-audit.ts';
import { registerCompatRoutes } from './routes-compat.ts';
import { registerKeyRoutes } from './routes-keys.ts';
import { registerLimitRoutes } from './routes-limits.ts';
import { registerOpenApiRoute } from './routes-openapi.ts';
import { registerOpsRoutes } from './routes-ops.ts';
import { registerPromptRoutes } from './routes-prompts.ts';
import { registerTeamRoutes } from './routes-team.ts';
import { registerTenantRoutes } from './routes-tenants.ts';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

export interface AppDeps {
  config: Config;
  pipeline: Pipeline;
  /** The registry and settings services the admin routes call. */
  core: CoreServices;
  idempotency: Idempotency;
  policies: PolicyResolver;
  routers: TenantRouters;
  /** Records admin changes in the audit log. */
  audit?: AdminAudit;
  recorder: RequestRecorder;
  metrics: GatewayMetrics;
  log: Logger;
  /** Throws (with a short reason) when a dependency the gateway needs is down. */
  checkReady: () => Promise<void>;
}

// Request ids must be unique, not secret: a random per-process prefix and a counter are unique
// across replicas and cost nothing per request (random bytes per request showed up in profiles).
const ID_PREFIX = `req_${randomBytes(6).toString('base64url')}`;
let idCounter = 0;
function newRequestId(): string {
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${ID_PREFIX}${idCounter.toString(36).padStart(6, '0')}`;
}

/** Turns anything thrown into a GatewayError without exposing internals to the caller. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof ProviderError) {
    switch (err.kind) {
      case 'rate_limited':
        return new GatewayError('upstream_rate_limited', 'The model provider is rate limiting requests; retry later', {
          ...(err.retryAfterMs !== undefined ? { retryAfterS: Math.ceil(err.retryAfterMs / 1000) } : {}),
        });
      case 'timeout':
        return new GatewayError('upstream_timeout', 'The model provider did not answer in time');
      case 'cancelled':
        return new GatewayError('invalid_request', 'The request was cancelled');
      default:
        return new GatewayError('upstream_error', 'The model provider failed to answer');
    }
  }
  const fe = err as Partial<FastifyError> & { status?: number };
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('body_too_large', 'Request body is larger than this gateway accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'Send the request body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'Request body is empty; expected JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_request', 'Content-Length does not match the body');
  }
  const status = fe.statusCode ?? fe.status;
  if (err instanceof SyntaxError || (status === 400 && /json/i.test(fe.message ?? ''))) {
    return new GatewayError('invalid_json', 'Request body is not valid JSON');
  }
  if (status === 413) return new GatewayError('body_too_large', 'Request body is larger than this gateway accepts');
  if (status && status >= 400 && status < 500) return new GatewayError('invalid_request', 'Malformed request');
  if (isDatabaseUnavailable(err)) {
    return new GatewayError('unavailable', 'The database is unreachable; the request was refused. Try again shortly', {
      cause: err,
      retryAfterS: 1,
    });
  }
  return new GatewayError('internal_error', 'Internal error; the request id identifies it in the gateway logs', {
    cause: err,
  });
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, pipeline, recorder, metrics, log } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    exposeHeadRoutes: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    genReqId: newRequestId,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
  });
  enforceRouteDiscipline(app);
  const cors = new CorsPolicy(config.server.corsOrigins);
  app.decorate('cors', cors);
  // JSON only: every body goes through a schema, and a string body would dodge it.
  app.removeContentTypeParser('text/plain');

  const finish = (ctx: RequestContext, status: number): void => {
    if (ctx.recorded) return;
    ctx.recorded = true;
    const latencyMs = performance.now() - ctx.startedAt;
    const outcome = status < 400 ? 'allowed' : status >= 500 ? 'failed' : 'refused';
    recorder.record({
      id: ctx.id,
      tenantId: ctx.key?.tenantId ?? 'default',
      keyId: ctx.key?.id ?? null,
      route: ctx.route,
      method: ctx.method,
      model: ctx.publicModel,
      provider: ctx.provider,
      status,
      outcome,
      errorCode: ctx.errorCode,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      promptTokens: ctx.usage.promptTokens,
      completionTokens: ctx.usage.completionTokens,
      totalTokens: ctx.usage.totalTokens,
      stream: ctx.stream,
      ip: ctx.ip,
      detail: ctx.detail,
      // The caller's end user, or the one a client token was minted for.
      subject: ctx.subject ?? (typeof ctx.detail?.subject === 'string' ? ctx.detail.subject : null),
      createdAt: new Date(),
    });
    metrics.requests.inc({ route: ctx.route, status: String(status), outcome });
    metrics.duration.observe({ route: ctx.route }, latencyMs / 1000);
    if (ctx.usage.totalTokens > 0 && ctx.publicModel) {
      metrics.tokens.inc({ direction: 'prompt', model: ctx.publicModel }, ctx.usage.promptTokens);
      metrics.tokens.inc({ direction: 'completion', model: ctx.publicModel }, ctx.usage.completionTokens);
    }
    // One line per request: ids and numbers only, never content or credentials.
    log.info(
      {
        reqId: ctx.id,
        keyId: ctx.key?.id,
        route: ctx.route,
        model: ctx.publicModel,
        provider: ctx.provider,
        status,
        code: ctx.errorCode ?? undefined,
        ms: Math.round(latencyMs * 100) / 100,
        tokens: ctx.usage.totalTokens || undefined,
        stream: ctx.stream || undefined,
      },
      'request',
    );
  };
  app.decorate('finishRequest', finish);

  app.addHook('onRequest', async (req, reply) => {
    const aborter = new AbortController();
    req.raw.socket?.setNoDelay(true);
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) aborter.abort(new Error('client disconnected'));
    });
    const ctx = newContext({
      id: req.id,
      route: req.routeOptions.url ?? 'unmatched',
      method: req.method,
      ip: req.ip ?? null,
      signal: aborter.signal,
    });
    req.ctx = ctx;
    reply.header('x-request-id', ctx.id);
    const access = req.routeOptions.config?.portcullis?.access;
    // Deny by default: everything but explicitly public routes needs a valid key, even unknown paths.
    if (access && 'public' in access) return;
    // Before authentication, so a browser can read the 401 or 403 of a refused call too.
    if (access && 'clientTokens' in access) cors.apply(req.headers.origin, reply.raw);
    const principal = await pipeline.authenticate(req.headers, ctx.ip);
    ctx.key = principal.key;
    ctx.clientToken = principal.clientToken;
    ctx.subject = principal.subject;
    if (access) await pipeline.authorizeRoute(ctx, access);
  });

  app.addHook('onResponse', async (req, reply) => {
    if (req.ctx) finish(req.ctx, reply.statusCode);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const ge = toGatewayError(err);
    if (ge.code === 'internal_error') log.error({ reqId: req.id, err }, 'unhandled error');
    if (req.ctx) req.ctx.errorCode = ge.code;
    if (ge.retryAfterS !== undefined) reply.header('retry-after', String(ge.retryAfterS));
    if (ge.status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.status(ge.status).send(renderError(ge, shapeForUrl(req.url), req.id));
  });

  app.setNotFoundHandler(async (req) => {
    throw new GatewayError('not_found', `No endpoint ${req.method} ${req.url.split('?')[0]!.slice(0, 100)}`);
  });

  registerOpsRoutes(app, deps);
  registerCompatRoutes(app, deps);
  registerPromptRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerLimitRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerTenantRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerOpenApiRoute(app);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    finishRequest: (ctx: RequestContext, status: number) => void;
    cors: CorsPolicy;
  }
}
