import type { IncomingHttpHeaders } from 'node:http';
import type { GuardPolicy } from '@portcullis/guard';
import { GatewayError } from '../http/errors.ts';
import type { Access } from '../http/route.ts';
import type { KeyService } from '../identity/keys.ts';
import { hasScope, modelAllowed } from '../identity/scopes.ts';
import type { Router } from '../providers/router.ts';
import type { ChatChunk, ChatRequest, ChatResponse } from '../providers/types.ts';
import type { ApiKeyRecord } from '../store/types.ts';
import type { RequestContext } from './context.ts';
import { guardInput, guardOutput, guardOutputStream } from './guards.ts';

// The one place where the order of checks is decided:
//   authenticate → authorize (route scope, model) → [limits] → input guards → provider
//   → output guards (PII restored for the caller) → response, with the request record written
//   for every outcome. Bracketed stages arrive with later issues and slot in here, not in routes.

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

const AUTH_MESSAGES = {
  missing_api_key: 'No API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"',
  invalid_api_key: 'The API key is not valid',
  revoked_api_key: 'The API key has been revoked',
  expired_api_key: 'The API key has expired',
} as const;

export class Pipeline {
  readonly #keys: KeyService;
  readonly #router: Router;
  readonly #policy: GuardPolicy;

  constructor(deps: { keys: KeyService; router: Router; policy: GuardPolicy }) {
    this.#keys = deps.keys;
    this.#router = deps.router;
    this.#policy = deps.policy;
  }

  async authenticate(headers: IncomingHttpHeaders): Promise<ApiKeyRecord> {
    const result = await this.#keys.authenticate(credentialFrom(headers));
    if (!result.ok) throw new GatewayError(result.code, AUTH_MESSAGES[result.code]);
    return result.key;
  }

  authorizeRoute(key: ApiKeyRecord, access: Access): void {
    if ('public' in access || key.role === 'admin') return;
    if ('role' in access) throw new GatewayError('forbidden', 'This endpoint needs an admin key');
    if (!hasScope(key.scopes, access.scope)) {
      throw new GatewayError('scope_denied', `This API key is not allowed to call the ${access.scope} endpoint`);
    }
  }

  /** Models this key may use, for GET /v1/models. */
  visibleModels(key: ApiKeyRecord): string[] {
    return this.#router.models().filter((m) => modelAllowed(key.models, m));
  }

  #authorizeModel(ctx: RequestContext, model: string): void {
    ctx.publicModel = model;
    const key = ctx.key;
    if (!key) throw new GatewayError('missing_api_key', AUTH_MESSAGES.missing_api_key);
    // Allowlist before existence, so a restricted key cannot probe which models are configured.
    if (!modelAllowed(key.models, model)) {
      throw new GatewayError('model_not_allowed', `This API key may not use model "${model.slice(0, 100)}"`, {
        param: 'model',
      });
    }
    if (!this.#router.hasModel(model)) {
      throw new GatewayError('model_not_found', `Unknown model "${model.slice(0, 100)}"; GET /v1/models lists them`, {
        param: 'model',
      });
    }
  }

  async chat(ctx: RequestContext, req: ChatRequest): Promise<ChatResponse> {
    this.#authorizeModel(ctx, req.model);
    const guarded = guardInput(ctx, req, this.#policy);
    const routed = await this.#router.chat(guarded.req, { signal: ctx.signal });
    ctx.provider = routed.provider;
    ctx.upstreamModel = routed.model;
    ctx.usage = routed.response.usage;
    if (routed.attempts > 1) ctx.detail = { ...ctx.detail, attempts: routed.attempts };
    const content = guardOutput(ctx, routed.response.content, guarded.state);
    return { ...routed.response, content };
  }

  async *chatStream(ctx: RequestContext, req: ChatRequest): AsyncGenerator<ChatChunk> {
    this.#authorizeModel(ctx, req.model);
    ctx.stream = true;
    const guarded = guardInput(ctx, req, this.#policy);
    const routed = await this.#router.chatStream(guarded.req, { signal: ctx.signal });
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
        if (text || chunk.finishReason || chunk.usage) yield { ...chunk, delta: text };
      }
      if (!ended) {
        const tail = screen.end();
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
}
