import type { IncomingHttpHeaders } from 'node:http';
import type { GuardPolicy } from '@portcullis/guard';
import type { Logger } from 'pino';
import type { RetentionSettings } from '../audit/retention-settings.ts';
import { GatewayError } from '../http/errors.ts';
import type { Access } from '../http/route.ts';
import { type ClientTokenPrincipal, ClientTokenService, type MintRequest } from '../identity/client-tokens.ts';
import type { Directory } from '../identity/directory.ts';
import { type EndUserJwts, looksLikeJwt } from '../identity/end-user-jwt.ts';
import { ipAllowed } from '../identity/ip-allowlist.ts';
import type { KeyService } from '../identity/keys.ts';
import { can, type Resource, type Verb } from '../identity/rbac.ts';
import { hasScope, modelAllowed, promptAllowed } from '../identity/scopes.ts';
import type { Limits } from '../limits/limits.ts';
import type { PriceBook } from '../limits/prices.ts';
import { type RenderedPrompt, renderPrompt } from '../prompts/render.ts';
import type { PromptService, ResolvedPrompt } from '../prompts/service.ts';
import { validateVariables } from '../prompts/variables.ts';
import type { Router } from '../providers/router.ts';
import type { TenantRouters } from '../providers/tenant-routers.ts';
import type { ChatChunk, ChatRequest, ChatResponse } from '../providers/types.ts';
import type { ApiKeyRecord, ExecutionOutputStore } from '../store/types.ts';
import type { RequestContext } from './context.ts';
import { type ExecuteMeta, type ExecuteResult, executeFindings, promptValues, remask } from './execution.ts';
import { type GuardState, guardInput, guardOutput, guardOutputStream, type PromptValues } from './guards.ts';
import type { PolicyResolver } from './policies.ts';

// The one place where the order of checks is decided:
//   authenticate (API key | client token) → authorize (route scope, prompt, model) → [limits]
//   → validate variables → render → input guards → provider → output guards (PII restored for the
//   caller) → response, with the request record written for every outcome. Bracketed stages arrive
//   with later issues and slot in here, not in routes.

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function credentialFrom(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) {
    const m = BEARER.exec(auth);
    // A malformed Authorization header is an invalid key, not a missing one.
    return m ? m[1] : 'malformed';
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey.trim() : undefined;
}

export interface Principal {
  key: ApiKeyRecord;
  clientToken: ClientTokenPrincipal | undefined;
  /** The end user: a client token's subject or a verified JWT's. */
  subject: string | undefined;
}

export interface ExecuteBody {
  variables: Record<string, unknown>;
  label?: string | undefined;
  version?: number | undefined;
}

interface PreparedExecution {
  prompt: ResolvedPrompt;
  rendered: RenderedPrompt;
  req: ChatRequest;
  policy: GuardPolicy;
}

/** What a streamed execute leaves behind for the final event. */
export interface StreamOutcome {
  meta?: ExecuteMeta;
}

interface StreamOptions {
  policy?: GuardPolicy;
  /** Prompt execute: the untrusted values, screened for attacks on their own. */
  values?: PromptValues;
  /** Gathers what the caller received and the guard state, for storing the answer. */
  capture?: { text: string; state?: GuardState };
}

const AUTH_MESSAGES = {
  missing_api_key: 'No API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"',
  invalid_api_key: 'The API key is not valid',
  revoked_api_key: 'The API key has been revoked',
  expired_api_key: 'The API key has expired',
} as const;

export class Pipeline {
  readonly #keys: KeyService;
  readonly #routers: TenantRouters;
  readonly #policies: PolicyResolver;
  readonly #tokens: ClientTokenService;
  readonly #prompts: PromptService;
  readonly #prices: PriceBook;
  /** Rate limits, token limits and budgets (limits/limits.ts); public for the admin routes and response headers. */
  readonly limits: Limits;
  readonly #retention: RetentionSettings;
  readonly #executions: ExecutionOutputStore;
  readonly #log: Logger;
  readonly #directory: Directory;
  readonly #jwts: EndUserJwts;

  constructor(deps: {
    directory: Directory;
    jwts: EndUserJwts;
    keys: KeyService;
    routers: TenantRouters;
    policies: PolicyResolver;
    tokens: ClientTokenService;
    prompts: PromptService;
    prices: PriceBook;
    limits: Limits;
    retention: RetentionSettings;
    executions: ExecutionOutputStore;
    log: Logger;
  }) {
    this.#keys = deps.keys;
    this.#routers = deps.routers;
    this.#policies = deps.policies;
    this.#tokens = deps.tokens;
    this.#prompts = deps.prompts;
    this.#prices = deps.prices;
    this.limits = deps.limits;
    this.#retention = deps.retention;
    this.#executions = deps.executions;
    this.#log = deps.log;
    this.#directory = deps.directory;
    this.#jwts = deps.jwts;
  }

  /** API key, client token or end-user JWT; then the caller's tenant must be active. */
  async authenticate(headers: IncomingHttpHeaders, ip: string | null): Promise<Principal> {
    const credential = credentialFrom(headers);
    let principal: Principal;
    if (credential && ClientTokenService.looksLikeToken(credential)) {
      const { key, principal: token } = await this.#tokens.verify(credential);
      principal = { key, clientToken: token, subject: token.subject };
    } else if (credential && looksLikeJwt(credential)) {
      const { key, subject } = await this.#jwts.verify(credential);
      principal = { key, clientToken: undefined, subject };
    } else {
      const result = await this.#keys.authenticate(credential);
      if (!result.ok) throw new GatewayError(result.code, AUTH_MESSAGES[result.code]);
      const key = result.key;
      if (!ipAllowed(key, ip)) {
        throw new GatewayError('ip_not_allowed', 'This API key may not be used from this address');
      }
      if (key.userId) {
        const user = await this.#directory.user(key.tenantId, key.userId);
        if (!user || user.disabledAt) throw new GatewayError('revoked_api_key', "The API key's user is disabled");
      }
      principal = { key, clientToken: undefined, subject: undefined };
    }
    const tenant = await this.#directory.tenant(principal.key.tenantId);
    if (!tenant) throw new GatewayError('invalid_api_key', AUTH_MESSAGES.invalid_api_key);
    if (tenant.status === 'paused') {
      throw new GatewayError('tenant_paused', 'This tenant is paused; contact the operator of this gateway');
    }
    return principal;
  }

  /** Route access: scopes for caller endpoints, permissions for admin endpoints, nothing else for client tokens. */
  async authorizeRoute(ctx: RequestContext, access: Access): Promise<void> {
    if ('public' in access) return;
    // A client token carries none of its issuer's rights beyond executing its prompts, not even an admin's.
    if (ctx.clientToken) {
      if ('scope' in access && access.clientTokens) return;
      throw new GatewayError('forbidden', 'A client token can only call POST /v1/prompts/{id}/execute');
    }
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    if ('scope' in access) {
      if (key.adminRole === 'admin' || hasScope(key.scopes, access.scope)) return;
      throw new GatewayError('scope_denied', `This API key is not allowed to call the ${access.scope} endpoint`);
    }
    const perms = await this.#directory.permissionsOf(key);
    if (!perms) throw new GatewayError('revoked_api_key', "The API key's user is disabled");
    ctx.permissions = perms;
    if ('role' in access) {
      if (perms.includes('*')) return;
      throw new GatewayError('forbidden', 'This endpoint needs the admin role');
    }
    const [resource, verb] = access.permission.split(':') as [Resource, Verb];
    if (!can(perms, resource, verb)) {
      throw new GatewayError('forbidden', `This endpoint needs the ${access.permission} permission`);
    }
  }

  /** Models this key may use, for GET /v1/models. */
  async visibleModels(key: ApiKeyRecord): Promise<string[]> {
    const router = await this.#routers.get(key.tenantId);
    return router.models().filter((m) => modelAllowed(key.models, m));
  }

  /** The caller's tenant's router: its own providers plus the deployment's. */
  async #routerFor(ctx: RequestContext): Promise<Router> {
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    return this.#routers.get(key.tenantId);
  }

  #authorizeModel(ctx: RequestContext, router: Router, model: string): void {
    ctx.publicModel = model;
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    // Allowlist before existence, so a restricted key cannot probe which models are configured.
    if (!modelAllowed(key.models, model)) {
      throw new GatewayError('model_not_allowed', `This API key may not use model "${model.slice(0, 100)}"`, {
        param: 'model',
      });
    }
    if (!router.hasModel(model)) {
      throw new GatewayError('model_not_found', `Unknown model "${model.slice(0, 100)}"; GET /v1/models lists them`, {
        param: 'model',
      });
    }
  }

  async chat(ctx: RequestContext, req: ChatRequest): Promise<ChatResponse> {
    const router = await this.#routerFor(ctx);
    this.#authorizeModel(ctx, router, req.model);
    const { response } = await this.#complete(ctx, router, req, await this.#policies.resolve(ctx.key!));
    return response;
  }

  async #complete(
    ctx: RequestContext,
    router: Router,
    req: ChatRequest,
    policy: GuardPolicy,
    values?: PromptValues,
  ): Promise<{ response: ChatResponse; masked: string; state: GuardState }> {
    // [limits] Rate limits and budgets, before any guard or model call; what was reserved is settled however the
    // call ends, so a failed or refused call gives its reservation back.
    const held = await this.limits.admit(ctx, req, router.resolve(req.model));
    try {
      return await this.#call(ctx, router, req, policy, values);
    } finally {
      await held.settle(ctx);
    }
  }

  async #call(
    ctx: RequestContext,
    router: Router,
    req: ChatRequest,
    policy: GuardPolicy,
    values?: PromptValues,
  ): Promise<{ response: ChatResponse; masked: string; state: GuardState }> {
    const guarded = guardInput(ctx, req, policy, values);
    const routed = await router.chat(guarded.req, { signal: ctx.signal });
    ctx.provider = routed.provider;
    ctx.upstreamModel = routed.model;
    ctx.usage = routed.response.usage;
    if (routed.attempts > 1) ctx.detail = { ...ctx.detail, attempts: routed.attempts };
    const out = guardOutput(ctx, routed.response.content, guarded.state);
    return { response: { ...routed.response, content: out.caller }, masked: out.masked, state: guarded.state };
  }

  async *chatStream(ctx: RequestContext, req: ChatRequest, opts: StreamOptions = {}): AsyncGenerator<ChatChunk> {
    const router = await this.#routerFor(ctx);
    this.#authorizeModel(ctx, router, req.model);
    ctx.stream = true;
    const policy = opts.policy ?? (await this.#policies.resolve(ctx.key!));
    // [limits] Settled after the stream's own finally has counted (or estimated) what a cancelled stream used.
    const held = await this.limits.admit(ctx, req, router.resolve(req.model));
    try {
      yield* this.#stream(ctx, router, req, policy, opts);
    } finally {
      await held.settle(ctx);
    }
  }

  async *#stream(
    ctx: RequestContext,
    router: Router,
    req: ChatRequest,
    policy: GuardPolicy,
    opts: StreamOptions,
  ): AsyncGenerator<ChatChunk> {
    const guarded = guardInput(ctx, req, policy, opts.values);
    if (opts.capture) opts.capture.state = guarded.state;
    const routed = await router.chatStream(guarded.req, { signal: ctx.signal });
    ctx.provider = routed.provider;
    ctx.upstreamModel = routed.model;
    if (routed.attempts > 1) ctx.detail = { ...ctx.detail, attempts: routed.attempts };
    // Text is released as the output guard clears it: a sliding window held back until screened.
    const screen = guardOutputStream(ctx, guarded.state);
    let completionChars = 0;
    let finished = false;
    let ended = false;
    try {
      for await (const chunk of routed.chunks) {
        completionChars += chunk.delta.length;
        if (chunk.usage) ctx.usage = chunk.usage;
        let text = ended ? '' : screen.push(chunk.delta);
        if (chunk.finishReason && !ended) {
          text += screen.end();
          ended = true;
        }
        if (opts.capture) opts.capture.text += text;
        if (text || chunk.finishReason || chunk.usage) yield { ...chunk, delta: text };
      }
      if (!ended) {
        const tail = screen.end();
        if (opts.capture) opts.capture.text += tail;
        if (tail) yield { delta: tail };
      }
      finished = true;
    } finally {
      if (!finished) await routed.cancel().catch(() => {});
      // A cancelled or failed stream still used tokens: estimate when the provider sent no count.
      if (ctx.usage.totalTokens === 0) {
        const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
        const promptTokens = Math.ceil(promptChars / 4);
        const completionTokens = Math.ceil(completionChars / 4);
        ctx.usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
        ctx.detail = { ...ctx.detail, usageEstimated: true };
      }
    }
  }

  // ---- Prompt execution ----

  mintClientToken(ctx: RequestContext, req: MintRequest) {
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    ctx.detail = { ...ctx.detail, clientTokenFor: req.prompts, ...(req.subject ? { subject: req.subject } : {}) };
    return this.#tokens.mint(key, req);
  }

  /** Prompt access, the token's rate limit, the version, the variables and the rendering: all before any guard. */
  async #prepare(ctx: RequestContext, promptId: string, body: ExecuteBody): Promise<PreparedExecution> {
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    const token = ctx.clientToken;
    if (token && !token.prompts.includes(promptId)) {
      throw new GatewayError(
        'prompt_not_allowed',
        `This client token may not execute prompt "${promptId.slice(0, 64)}"`,
      );
    }
    if (!promptAllowed(key.prompts, promptId)) {
      throw new GatewayError('prompt_not_allowed', `This API key may not execute prompt "${promptId.slice(0, 64)}"`);
    }
    if (token) await this.#tokens.consume(token);
    const prompt = await this.#prompts.resolve(key.tenantId, promptId, body);
    if (key.projectId && prompt.definition.project !== key.projectId) {
      throw new GatewayError(
        'prompt_not_allowed',
        `This API key may only execute prompts of project "${key.projectId}"`,
      );
    }
    const subject = ctx.subject;
    ctx.detail = {
      ...ctx.detail,
      prompt: { id: prompt.id, version: prompt.version },
      ...(subject ? { subject } : {}),
      ...(token ? { clientToken: token.tokenId } : {}),
    };
    const checked = validateVariables(prompt.definition, body.variables);
    if (!checked.ok) {
      const first = checked.problems[0]!;
      const shown = checked.problems.slice(0, 3).map((p) => `${p.field} ${p.problem}`);
      const more = checked.problems.length > 3 ? ` (and ${checked.problems.length - 3} more)` : '';
      throw new GatewayError('invalid_variables', `Invalid variables: ${shown.join('; ')}${more}`, {
        param: `variables.${first.field}`,
        details: checked.problems.map((p) => ({ field: p.field, problem: p.problem })),
      });
    }
    const rendered = renderPrompt(prompt.definition, checked.values);
    const params = prompt.definition.parameters;
    const req: ChatRequest = {
      model: prompt.definition.model,
      messages: rendered.messages,
      ...(params.maxTokens !== undefined ? { maxTokens: params.maxTokens } : {}),
      ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
      ...(params.topP !== undefined ? { topP: params.topP } : {}),
      ...(params.stop !== undefined ? { stop: params.stop } : {}),
      ...(subject ? { user: subject } : {}),
    };
    const policy = await this.#policies.resolve(key, {
      id: prompt.id,
      version: prompt.version,
      override: prompt.definition.guards,
    });
    return { prompt, rendered, req, policy };
  }

  #meta(ctx: RequestContext, p: PreparedExecution): ExecuteMeta {
    const cost = this.#prices.cost(ctx.provider, ctx.upstreamModel, ctx.usage);
    if (cost !== null) ctx.detail = { ...ctx.detail, cost };
    return {
      usage: { ...ctx.usage },
      cost,
      model: p.req.model,
      promptId: p.prompt.id,
      promptVersion: p.prompt.version,
      requestId: ctx.id,
      findings: executeFindings(ctx, p.rendered.spans),
    };
  }

  /** Keeps the answer only when the tenant's retention says so, and without personal data unless it says so too. */
  async #keep(ctx: RequestContext, p: PreparedExecution, caller: string, masked: string): Promise<void> {
    const key = ctx.key!;
    try {
      const retention = await this.#retention.get(key.tenantId);
      if (retention.responses === 'none') return;
      const piiMasked = retention.pii === 'none';
      await this.#executions.insert({
        requestId: ctx.id,
        tenantId: key.tenantId,
        promptId: p.prompt.id,
        promptVersion: p.prompt.version,
        keyId: key.id,
        subject: ctx.subject ?? null,
        output: piiMasked ? masked : caller,
        piiMasked,
        createdAt: new Date(),
      });
    } catch (err) {
      // The caller already has a screened answer; losing the stored copy must not lose the answer.
      this.#log.warn({ reqId: ctx.id, err: (err as Error).message }, 'execution output not stored');
    }
  }

  async execute(ctx: RequestContext, promptId: string, body: ExecuteBody): Promise<ExecuteResult> {
    const p = await this.#prepare(ctx, promptId, body);
    const router = await this.#routerFor(ctx);
    this.#authorizeModel(ctx, router, p.req.model);
    const { response, masked } = await this.#complete(ctx, router, p.req, p.policy, promptValues(p.rendered.spans));
    await this.#keep(ctx, p, response.content, masked);
    return { output: response.content, ...this.#meta(ctx, p) };
  }

  /** Streams an execute's answer; `outcome.meta` is set once the stream completed. */
  async *executeStream(
    ctx: RequestContext,
    promptId: string,
    body: ExecuteBody,
    outcome: StreamOutcome,
  ): AsyncGenerator<ChatChunk> {
    ctx.stream = true;
    const p = await this.#prepare(ctx, promptId, body);
    const capture: NonNullable<StreamOptions['capture']> = { text: '' };
    yield* this.chatStream(ctx, p.req, { policy: p.policy, values: promptValues(p.rendered.spans), capture });
    await this.#keep(ctx, p, capture.text, remask(capture.text, capture.state?.vault));
    outcome.meta = this.#meta(ctx, p);
  }
}
