// The HTTP plumbing the remote adapters share: one keep-alive undici Pool per provider, and the
// mapping of every way a call can fail (status, socket, deadline, abort) onto ProviderError.

import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import { abortError, parseRetryAfter, safeReason, statusError } from './errors.ts';
import { estimateTokens } from './mock.ts';
import type { ChatMessage, TokenUsage } from './types.ts';
import { ProviderError } from './types.ts';

export interface HttpProviderSettings {
  /** Per-attempt deadline the router applies to this provider. */
  timeoutMs?: number;
  /** Retries the router makes on this provider before falling back. */
  maxRetries?: number;
  maxConnections?: number;
  keepAliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Extra static headers. Auth headers are always set by the adapter and cannot be overridden. */
  headers?: Record<string, string>;
}

export interface UpstreamClientOptions {
  providerName: string;
  baseUrl: string;
  /** Headers sent on every request (auth, version). Never copied into errors. */
  headers: Record<string, string>;
  /** Only used to make sure no error reason ever repeats it. */
  secret?: string | undefined;
  /** Max sockets to this upstream; default 128. */
  maxConnections?: number | undefined;
  /** Idle keep-alive before a socket is closed; default 30s (the server's Keep-Alive hint wins if lower). */
  keepAliveTimeoutMs?: number | undefined;
  /** TCP + TLS connect deadline; default 10s. */
  connectTimeoutMs?: number | undefined;
}

const ERROR_BODY_LIMIT = 16 * 1024;
const RESPONSE_BODY_LIMIT = 32 * 1024 * 1024;
const CLOSE_GRACE_MS = 5_000;

export type UpstreamResponse = Dispatcher.ResponseData;

export class UpstreamClient {
  readonly providerName: string;
  readonly #pool: Pool;
  readonly #pathPrefix: string;
  readonly #headers: Record<string, string>;
  readonly #secret: string | undefined;

  constructor(opts: UpstreamClientOptions) {
    this.providerName = opts.providerName;
    const url = new URL(opts.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`provider "${opts.providerName}": baseUrl must be http(s)`);
    }
    if (url.username || url.password) {
      throw new Error(`provider "${opts.providerName}": baseUrl must not embed credentials`);
    }
    this.#pathPrefix = url.pathname.replace(/\/+$/, '');
    this.#headers = { 'user-agent': 'portcullis-gateway', ...opts.headers, 'content-type': 'application/json' };
    this.#secret = opts.secret;
    this.#pool = new Pool(url.origin, {
      connections: opts.maxConnections ?? 128,
      pipelining: 1,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
      connect: { timeout: opts.connectTimeoutMs ?? 10_000 },
    });
  }

  /** POSTs JSON; resolves with a 2xx response whose body the caller must consume or destroy. */
  async post(path: string, payload: unknown, signal: AbortSignal, accept: string): Promise<UpstreamResponse> {
    if (signal.aborted) throw abortError(this.providerName, signal);
    let res: UpstreamResponse;
    try {
      res = await this.#pool.request({
        path: this.#pathPrefix + path,
        method: 'POST',
        headers: { ...this.#headers, accept },
        body: JSON.stringify(payload),
        signal,
      });
    } catch (err) {
      throw this.mapError(err, signal);
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw await this.#statusFailure(res, signal);
    }
    return res;
  }

  async readJson(res: UpstreamResponse, signal: AbortSignal): Promise<unknown> {
    let text: string;
    try {
      text = await readBody(res.body, RESPONSE_BODY_LIMIT, false);
    } catch (err) {
      throw this.mapError(err, signal);
    }
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ProviderError('upstream_error', `${this.providerName}: upstream sent invalid JSON`, { cause: err });
    }
  }

  /** Classifies anything thrown while talking to the upstream. */
  mapError(err: unknown, signal: AbortSignal): ProviderError {
    if (err instanceof ProviderError) return err;
    if (signal.aborted) return abortError(this.providerName, signal, err);
    const code = errorCode(err);
    switch (code) {
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return new ProviderError('timeout', `${this.providerName}: upstream timed out (${code})`, { cause: err });
      case 'UND_ERR_ABORTED':
        return new ProviderError('cancelled', `${this.providerName}: upstream call aborted`, { cause: err });
      case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
        return new ProviderError('upstream_error', `${this.providerName}: upstream response too large`, {
          cause: err,
        });
      default:
        return new ProviderError(
          'connection',
          `${this.providerName}: connection to upstream failed${code ? ` (${code})` : ''}`,
          { cause: err },
        );
    }
  }

  /** A short reason code from an upstream error payload, never the upstream's message. */
  reason(body: unknown): string | undefined {
    return safeReason(body, this.#secret);
  }

  async #statusFailure(res: UpstreamResponse, signal: AbortSignal): Promise<ProviderError> {
    // The body is read (bounded) only to free the socket and pick a reason code; it is never surfaced.
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(res.body, ERROR_BODY_LIMIT, true));
    } catch {
      if (signal.aborted) return abortError(this.providerName, signal);
    }
    return statusError(this.providerName, res.statusCode, {
      retryAfterMs: parseRetryAfter(res.headers),
      reason: safeReason(parsed, this.#secret),
    });
  }

  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS);
      timer.unref();
    });
    const closed = this.#pool.close().then(
      () => 'closed' as const,
      () => 'closed' as const,
    );
    const outcome = await Promise.race([closed, grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.#pool.destroy();
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  const cause = (err as { cause?: unknown }).cause;
  return cause && cause !== err ? errorCode(cause) : undefined;
}

/** Reads a body as UTF-8 up to `limit` bytes; beyond it either truncates or fails. */
async function readBody(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number, truncate: boolean) {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      if (!truncate) throw Object.assign(new Error('response too large'), { code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
      parts.push(chunk.subarray(0, chunk.length - (size - limit)));
      break;
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Limits and budgets need a number even when a server reports none. */
export function estimateUsage(messages: readonly ChatMessage[], content: string): TokenUsage {
  let promptTokens = 0;
  for (const m of messages) promptTokens += estimateTokens(m.content);
  const completionTokens = estimateTokens(content);
  return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function nonNegInt(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

export function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
