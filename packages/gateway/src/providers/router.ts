// Turns a public model name into upstream calls: ordered targets, a deadline per attempt, retries
// with backoff on transient failures, then fallback. The route table is plain data so it can be
// rebuilt from config and the store and swapped in without touching in-flight requests.

import { abortableSleep } from './errors.ts';
import type { CallOptions, ChatChunk, ChatRequest, ChatResponse, Provider } from './types.ts';
import { ProviderError } from './types.ts';

export interface RouteTarget {
  /** A key of `RouteTable.providers`. */
  provider: string;
  /** The model name as that provider knows it. */
  model: string;
}

export interface RouteTable {
  /** Public model name → targets in order of preference (the first is primary, the rest fallbacks). */
  routes: Readonly<Record<string, readonly RouteTarget[]>>;
  providers: ReadonlyMap<string, Provider>;
}

export interface RouterOptions {
  /** Per-attempt deadline when the provider sets none; default 60s. For streams: time to first chunk, then max gap between chunks. */
  timeoutMs?: number;
  /** Retries per target when the provider sets none; default 2. */
  maxRetries?: number;
  /** Backoff before retry n (0-based) is uniform in [0, min(backoffMaxMs, backoffBaseMs * 2^n)]; default 250ms. */
  backoffBaseMs?: number;
  /** Default 8s. */
  backoffMaxMs?: number;
  /**
   * Longest Retry-After the router waits for (default 30s). A longer one is not slept through, since
   * the same target would most likely refuse again: the router falls back at once, or, on the last
   * target, surfaces the 429 with its retryAfterMs so the caller can wait instead.
   */
  maxRetryAfterMs?: number;
  /** Accept `provider/model` for any configured provider; default true. */
  allowExplicitTargets?: boolean;
  /**
   * Failures after which the next target is tried; default every kind except `bad_request` (the
   * request itself is wrong, another upstream would refuse it too) and `cancelled`.
   */
  fallbackOn?: readonly ProviderError['kind'][];
  /** For tests: the jitter source. */
  random?: () => number;
}

export interface AttemptRecord {
  provider: string;
  model: string;
  /** 1-based, counted across all targets. */
  attempt: number;
  ok: boolean;
  errorKind?: ProviderError['kind'];
  status?: number;
  durationMs: number;
}

export interface RouteCallOptions extends CallOptions {
  /** Called after every attempt, for request logs and metrics. */
  onAttempt?: (attempt: AttemptRecord) => void;
}

export interface RoutedResponse {
  response: ChatResponse;
  /** The target that served the request. */
  provider: string;
  model: string;
  attempts: number;
  attemptLog: AttemptRecord[];
}

/**
 * A stream whose first chunk has already arrived, so retries and fallback are over and the caller
 * can commit to a 200 with SSE headers. Consume `chunks` to the end, or call `cancel()`, or abort
 * the signal; otherwise the upstream connection stays open.
 */
export interface RoutedStream {
  provider: string;
  model: string;
  attempts: number;
  attemptLog: AttemptRecord[];
  chunks: AsyncIterable<ChatChunk>;
  cancel(): Promise<void>;
}

export interface Router {
  /** The ordered targets for a public model name or a `provider/model`; throws UnknownModelError. */
  resolve(publicModel: string): RouteTarget[];
  /** True when `resolve` would succeed. */
  hasModel(publicModel: string): boolean;
  /** Public model names, for GET /v1/models (explicit `provider/model` targets are not listed). */
  models(): string[];
  chat(req: ChatRequest, opts: RouteCallOptions): Promise<RoutedResponse>;
  /** Resolves once the first chunk arrived (or the stream ended empty); rejects if every attempt failed first. */
  chatStream(req: ChatRequest, opts: RouteCallOptions): Promise<RoutedStream>;
  /** Swaps the route table; calls already running keep the providers they hold. */
  setTable(table: RouteTable): void;
}

export class UnknownModelError extends Error {
  readonly code = 'model_not_found';
  readonly model: string;
  constructor(model: string) {
    super(`unknown model: ${model.length > 200 ? `${model.slice(0, 200)}…` : model}`);
    this.name = 'UnknownModelError';
    this.model = model;
  }
}

const DEFAULT_FALLBACK_ON: readonly ProviderError['kind'][] = [
  'timeout',
  'rate_limited',
  'upstream_error',
  'connection',
  'auth',
];

/**
 * Builds routes from providers' model lists ("served when asked by name alone"): each model maps
 * to every provider that lists it, in the given order, so a model offered twice gets a fallback.
 */
export function routesFromProviders(
  providers: Iterable<{ name: string; models: readonly string[] }>,
): Record<string, RouteTarget[]> {
  const routes: Record<string, RouteTarget[]> = Object.create(null);
  for (const p of providers) {
    for (const model of p.models) {
      if (!Object.hasOwn(routes, model)) routes[model] = [];
      routes[model]!.push({ provider: p.name, model });
    }
  }
  return routes;
}

export function createRouter(table: RouteTable, options: RouterOptions = {}): Router {
  return new RouterImpl(table, options);
}

/** A per-attempt deadline joined with the caller's signal. */
class AttemptDeadline {
  readonly signal: AbortSignal;
  fired = false;
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number, caller: AbortSignal) {
    this.#ms = ms;
    // One controller that follows the caller, rather than AbortSignal.any(), which costs noticeably
    // more per request. The caller's signal lives only as long as its request, so the listener does too.
    this.signal = this.#controller.signal;
    if (caller.aborted) this.#controller.abort(caller.reason);
    else caller.addEventListener('abort', () => this.#controller.abort(caller.reason), { once: true });
  }

  arm(): void {
    this.disarm();
    this.#timer = setTimeout(() => {
      this.fired = true;
      this.#controller.abort(new DOMException(`attempt exceeded ${this.#ms}ms`, 'TimeoutError'));
    }, this.#ms);
  }

  disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops the upstream call; for streams the caller gave up on. */
  abort(): void {
    this.disarm();
    this.#controller.abort(new DOMException('stream cancelled', 'AbortError'));
  }
}

interface Attempt<T> {
  value: T;
  target: RouteTarget;
  provider: Provider;
  deadline: AttemptDeadline;
  timeoutMs: number;
  log: AttemptRecord[];
}

class RouterImpl implements Router {
  #routes = new Map<string, readonly RouteTarget[]>();
  #providers: ReadonlyMap<string, Provider> = new Map();
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #backoffBaseMs: number;
  readonly #backoffMaxMs: number;
  readonly #maxRetryAfterMs: number;
  readonly #allowExplicit: boolean;
  readonly #fallbackOn: ReadonlySet<ProviderError['kind']>;
  readonly #random: () => number;

  constructor(table: RouteTable, o: RouterOptions) {
    this.#timeoutMs = o.timeoutMs ?? 60_000;
    this.#maxRetries = o.maxRetries ?? 2;
    this.#backoffBaseMs = o.backoffBaseMs ?? 250;
    this.#backoffMaxMs = o.backoffMaxMs ?? 8_000;
    this.#maxRetryAfterMs = o.maxRetryAfterMs ?? 30_000;
    this.#allowExplicit = o.allowExplicitTargets ?? true;
    this.#fallbackOn = new Set(o.fallbackOn ?? DEFAULT_FALLBACK_ON);
    this.#random = o.random ?? Math.random;
    this.setTable(table);
  }

  setTable(table: RouteTable): void {
    const routes = new Map<string, readonly RouteTarget[]>();
    for (const [name, targets] of Object.entries(table.routes)) {
      if (targets.length > 0)
        routes.set(
          name,
          targets.map((t) => ({ provider: t.provider, model: t.model })),
        );
    }
    this.#routes = routes;
    this.#providers = table.providers;
  }

  models(): string[] {
    return [...this.#routes.keys()];
  }

  hasModel(publicModel: string): boolean {
    return this.#lookup(publicModel) !== undefined;
  }

  resolve(publicModel: string): RouteTarget[] {
    const targets = this.#lookup(publicModel);
    if (!targets) throw new UnknownModelError(publicModel);
    return targets.map((t) => ({ ...t }));
  }

  #lookup(publicModel: string): readonly RouteTarget[] | undefined {
    const targets = this.#routes.get(publicModel);
    if (targets) return targets;
    if (!this.#allowExplicit) return undefined;
    const slash = publicModel.indexOf('/');
    if (slash <= 0 || slash === publicModel.length - 1) return undefined;
    const provider = publicModel.slice(0, slash);
    return this.#providers.has(provider) ? [{ provider, model: publicModel.slice(slash + 1) }] : undefined;
  }

  async chat(req: ChatRequest, opts: RouteCallOptions): Promise<RoutedResponse> {
    const a = await this.#run(req, opts, async (provider, upstreamReq, deadline) => {
      try {
        return await provider.chat(upstreamReq, { signal: deadline.signal });
      } finally {
        deadline.disarm();
      }
    });
    return {
      response: a.value,
      provider: a.target.provider,
      model: a.target.model,
      attempts: a.log.length,
      attemptLog: a.log,
    };
  }

  async chatStream(req: ChatRequest, opts: RouteCallOptions): Promise<RoutedStream> {
    const a = await this.#run(req, opts, async (provider, upstreamReq, deadline) => {
      const it = provider.chatStream(upstreamReq, { signal: deadline.signal })[Symbol.asyncIterator]();
      try {
        const first = await it.next();
        return { it, first };
      } catch (err) {
        await closeQuietly(it);
        throw err;
      } finally {
        deadline.disarm();
      }
    });
    const { it, first } = a.value;
    const { deadline } = a;
    const caller = opts.signal;
    const providerName = a.target.provider;
    const timeoutMs = a.timeoutMs;
    let finished = first.done === true;

    async function* relay(): AsyncGenerator<ChatChunk, void, undefined> {
      try {
        if (first.done) return;
        yield first.value;
        for (;;) {
          deadline.arm();
          let r: IteratorResult<ChatChunk>;
          try {
            r = await it.next();
          } catch (err) {
            finished = true;
            throw classify(err, caller, deadline, providerName, timeoutMs);
          } finally {
            deadline.disarm();
          }
          if (r.done) {
            finished = true;
            return;
          }
          yield r.value;
        }
      } finally {
        if (!finished) {
          finished = true;
          deadline.abort();
          await closeQuietly(it);
        }
      }
    }

    const chunks = relay();
    return {
      provider: a.target.provider,
      model: a.target.model,
      attempts: a.log.length,
      attemptLog: a.log,
      chunks,
      async cancel() {
        if (finished) return;
        finished = true;
        // return() on a generator that never started skips its finally, so the upstream is closed here.
        deadline.abort();
        await closeQuietly(it);
        await chunks.return(undefined).catch(() => {});
      },
    };
  }

  async #run<T>(
    req: ChatRequest,
    opts: RouteCallOptions,
    call: (provider: Provider, upstreamReq: ChatRequest, deadline: AttemptDeadline) => Promise<T>,
  ): Promise<Attempt<T>> {
    const caller = opts.signal;
    const targets = this.resolve(req.model);
    const log: AttemptRecord[] = [];
    let lastError: ProviderError | undefined;
    const record = (r: AttemptRecord) => {
      log.push(r);
      opts.onAttempt?.(r);
    };

    for (const target of targets) {
      const provider = this.#providers.get(target.provider);
      if (!provider) {
        // A route naming a provider that is gone (deleted, failed to load) is skipped, not fatal.
        lastError = new ProviderError('upstream_error', `provider "${target.provider}" is not configured`);
        record({ ...target, attempt: log.length + 1, ok: false, errorKind: lastError.kind, durationMs: 0 });
        continue;
      }
      const maxRetries = provider.maxRetries ?? this.#maxRetries;
      const timeoutMs = provider.timeoutMs ?? this.#timeoutMs;
      const upstreamReq: ChatRequest = { ...req, model: target.model };
      for (let retry = 0; ; retry++) {
        if (caller.aborted) throw cancelledError(caller);
        const deadline = new AttemptDeadline(timeoutMs, caller);
        const started = performance.now();
        deadline.arm();
        try {
          const value = await call(provider, upstreamReq, deadline);
          record({ ...target, attempt: log.length + 1, ok: true, durationMs: performance.now() - started });
          return { value, target, provider, deadline, timeoutMs, log };
        } catch (raw) {
          deadline.disarm();
          const err = classify(raw, caller, deadline, target.provider, timeoutMs);
          const r: AttemptRecord = {
            ...target,
            attempt: log.length + 1,
            ok: false,
            errorKind: err.kind,
            durationMs: performance.now() - started,
          };
          if (err.status !== undefined) r.status = err.status;
          record(r);
          if (caller.aborted) throw err;
          lastError = err;
          if (!err.retryable || retry >= maxRetries) break;
          const delay = this.#retryDelay(err, retry);
          if (delay === undefined) break;
          try {
            await abortableSleep(delay, caller);
          } catch {
            throw cancelledError(caller);
          }
        }
      }
      if (!this.#fallbackOn.has(lastError.kind)) throw lastError;
    }
    throw lastError ?? new ProviderError('upstream_error', 'no route target available');
  }

  #retryDelay(err: ProviderError, retry: number): number | undefined {
    const jitter = this.#random() * Math.min(this.#backoffMaxMs, this.#backoffBaseMs * 2 ** retry);
    if (err.retryAfterMs === undefined) return jitter;
    if (err.retryAfterMs > this.#maxRetryAfterMs) return undefined;
    return Math.max(err.retryAfterMs, jitter);
  }
}

/**
 * Decides what a failure means from the router's side: the caller leaving wins over everything,
 * then our own deadline (the provider may report it as a cancel or a broken socket).
 */
function classify(
  raw: unknown,
  caller: AbortSignal,
  deadline: AttemptDeadline,
  providerName: string,
  timeoutMs: number,
): ProviderError {
  if (caller.aborted) return cancelledError(caller, raw);
  if (deadline.fired) {
    return new ProviderError('timeout', `${providerName}: no answer within ${timeoutMs}ms`, { cause: raw });
  }
  if (raw instanceof ProviderError) return raw;
  return new ProviderError('upstream_error', `${providerName}: provider failed unexpectedly`, { cause: raw });
}

function cancelledError(caller: AbortSignal, cause?: unknown): ProviderError {
  return new ProviderError('cancelled', 'request cancelled by the client', { cause: cause ?? caller.reason });
}

async function closeQuietly(it: AsyncIterator<ChatChunk>): Promise<void> {
  try {
    await it.return?.();
  } catch {
    // The stream is being abandoned; a failure to close it has no one left to report to.
  }
}
