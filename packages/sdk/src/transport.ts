// Sends requests to the gateway: headers, per-attempt timeouts, retries with backoff, error mapping.

import { Attempt } from './attempt.ts';
import { AbortError, makeError, PortcullisError, type VariableProblem } from './errors.ts';
import { backoffDelayMs, isRetryableStatus, parseRetryAfterMs, type RetryTiming, sleep } from './retry.ts';
import type { RequestOptions } from './types.ts';

export interface TransportConfig {
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  defaultHeaders: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  retryTiming: RetryTiming;
}

export interface RequestSpec extends RequestOptions {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Sent as `Idempotency-Key`; also marks a 409 `idempotency_conflict` on a retry as "our first attempt is still running". */
  idempotencyKey?: string | undefined;
  /** Return after the headers of a 2xx answer, leaving the body (an event stream) unread. */
  stream?: boolean;
}

export interface JsonResponse<T> {
  data: T;
  response: Response;
  requestId: string | undefined;
}

export interface OpenStream {
  response: Response;
  attempt: Attempt;
  requestId: string | undefined;
}

export class Transport {
  readonly #c: TransportConfig;

  constructor(config: TransportConfig) {
    this.#c = config;
  }

  async json<T>(spec: RequestSpec): Promise<JsonResponse<T>> {
    return this.#send(spec, async (response, attempt) => {
      let text: string;
      try {
        text = await response.text();
      } catch (err) {
        throw attempt.classify(err, this.#what(spec));
      }
      const requestId = response.headers.get('x-request-id') ?? undefined;
      let data: T;
      try {
        data = (text === '' ? undefined : JSON.parse(text)) as T;
      } catch (err) {
        throw new PortcullisError({
          status: response.status,
          code: 'invalid_response',
          message: `The gateway answered ${this.#what(spec)} with a body that is not JSON`,
          requestId,
          cause: err,
        });
      }
      return { data, response, requestId };
    });
  }

  /** Opens an event stream. Failures before the answer starts are retried like any request; after that, never. */
  async stream(spec: RequestSpec): Promise<OpenStream> {
    return this.#send({ ...spec, stream: true }, async (response, attempt) => {
      // From here the timeout measures silence while the stream is being read, not time before the caller reads.
      attempt.disarm();
      return { response, attempt, requestId: response.headers.get('x-request-id') ?? undefined };
    });
  }

  /** Removes anything that looks like a credential from text that ends up in an error message. */
  redact(text: string): string {
    let out = text;
    if (this.#c.apiKey.length >= 8) out = out.split(this.#c.apiKey).join('[redacted]');
    return out.replace(/\b(pcx_[a-z]+_|pct_)[A-Za-z0-9._~+/=-]+/g, '$1[redacted]');
  }

  async #send<R>(spec: RequestSpec, onOk: (response: Response, attempt: Attempt) => Promise<R>): Promise<R> {
    const maxRetries = Math.max(0, spec.maxRetries ?? this.#c.maxRetries);
    const timeoutMs = spec.timeoutMs ?? this.#c.timeoutMs;
    const url = this.#url(spec);
    const init = this.#init(spec);
    for (let retry = 0; ; retry++) {
      const attempt = new Attempt(spec.signal, timeoutMs);
      let keepAttempt = false;
      let failure: PortcullisError;
      try {
        let response: Response;
        try {
          response = await this.#c.fetch(url, { ...init, signal: attempt.signal });
        } catch (err) {
          throw attempt.classify(err, this.#what(spec));
        }
        if (response.ok) {
          const result = await onOk(response, attempt);
          keepAttempt = spec.stream === true;
          return result;
        }
        throw await this.#errorFrom(response, spec);
      } catch (err) {
        if (!(err instanceof PortcullisError)) throw err;
        failure = err;
      } finally {
        if (!keepAttempt) attempt.dispose();
      }
      const delay = this.#retryDelay(failure, retry, maxRetries, spec);
      if (delay === undefined) throw failure;
      try {
        await sleep(delay, spec.signal);
      } catch (err) {
        throw new AbortError({
          code: 'aborted',
          message: `${this.#what(spec)} was aborted by the caller while waiting to retry`,
          cause: err,
        });
      }
    }
  }

  /** How long to wait before the next attempt, or undefined to give up and throw. */
  #retryDelay(err: PortcullisError, retry: number, maxRetries: number, spec: RequestSpec): number | undefined {
    if (retry >= maxRetries) return undefined;
    let retryable: boolean;
    if (err.status === undefined) {
      // No answer: the connection failed or timed out. Aborts by the caller are final.
      retryable = err.code === 'connection_error' || err.code === 'timeout';
    } else if (err.status === 409) {
      // A 409 on a retry that carries our idempotency key means our earlier attempt (whose answer we lost) is still
      // running: wait and ask again to get its result. On the first attempt it means the caller reused a key with
      // a different body, or a call of theirs is running — their business, not ours to retry.
      retryable = retry > 0 && spec.idempotencyKey !== undefined && err.code === 'idempotency_conflict';
    } else {
      retryable = isRetryableStatus(err.status);
    }
    if (!retryable) return undefined;
    if (err.retryAfterMs !== undefined) {
      return err.retryAfterMs > this.#c.retryTiming.maxRetryAfterMs ? undefined : err.retryAfterMs;
    }
    return backoffDelayMs(retry, this.#c.retryTiming);
  }

  async #errorFrom(response: Response, spec: RequestSpec): Promise<PortcullisError> {
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The status alone still says what happened.
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const obj = isObject(body) ? body : {};
    const e = isObject(obj['error']) ? obj['error'] : {};
    const requestId =
      str(obj['request_id']) ?? str(obj['requestId']) ?? response.headers.get('x-request-id') ?? undefined;
    const code = str(e['code']) ?? `http_${response.status}`;
    const message = str(e['message']) ?? `${this.#what(spec)} failed with HTTP ${response.status}`;
    return makeError({
      status: response.status,
      code,
      message: this.redact(message),
      type: str(e['type']),
      requestId,
      param: str(e['param']),
      details: parseDetails(e['details'])?.map((d) => ({ field: d.field, problem: this.redact(d.problem) })),
      retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after')),
    });
  }

  #url(spec: RequestSpec): string {
    let url = this.#c.baseUrl + spec.path;
    if (spec.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(spec.query)) q.set(k, String(v));
      url += `?${q.toString()}`;
    }
    return url;
  }

  #init(spec: RequestSpec): RequestInit {
    const headers: Record<string, string> = {
      ...this.#c.defaultHeaders,
      ...spec.headers,
      authorization: `Bearer ${this.#c.apiKey}`,
      accept: spec.stream ? 'text/event-stream' : 'application/json',
    };
    if (spec.idempotencyKey !== undefined) headers['idempotency-key'] = spec.idempotencyKey;
    const init: RequestInit = { method: spec.method, headers };
    if (spec.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(spec.body);
    }
    return init;
  }

  #what(spec: RequestSpec): string {
    return `${spec.method} ${spec.path}`;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function parseDetails(v: unknown): VariableProblem[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObject).map((d) => ({ field: String(d['field'] ?? ''), problem: String(d['problem'] ?? '') }));
}
