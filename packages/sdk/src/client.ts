// The client: configuration, the browser-safety check, execute and streamed execute.

import { ClientTokens, Prompts, Settings } from './admin.ts';
import { envVar, isBrowser, isClientToken, randomId } from './env.ts';
import { PortcullisError } from './errors.ts';
import { DEFAULT_RETRY_TIMING, type RetryTiming } from './retry.ts';
import { ExecuteStream } from './stream.ts';
import { Transport } from './transport.ts';
import type { ExecuteParams, ExecuteResult } from './types.ts';

export interface PortcullisOptions {
  /** An API key (`pcx_live_…`, server only) or a client token (`pct_…`). Default: `PORTCULLIS_API_KEY` under Node. */
  apiKey?: string | undefined;
  /** The gateway's origin, e.g. `https://gateway.example.com`. Default: `PORTCULLIS_BASE_URL`, else `http://127.0.0.1:8787`. */
  baseUrl?: string | undefined;
  /** Per attempt: the whole answer for JSON calls, the silence between chunks for streams. Default 60 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt on 408/429/5xx, connection errors and timeouts. Default 2. */
  maxRetries?: number | undefined;
  /** Backoff tuning; the defaults suit production (0.5 s doubling to 8 s, `Retry-After` honoured up to 60 s). */
  retry?: Partial<RetryTiming> | undefined;
  /** A fetch implementation, e.g. one with a proxy agent; default the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string> | undefined;
}

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export class Portcullis {
  readonly baseUrl: string;
  readonly prompts: Prompts;
  readonly settings: Settings;
  readonly clientTokens: ClientTokens;
  readonly #transport: Transport;
  readonly #maxRetries: number;

  constructor(options: PortcullisOptions = {}) {
    const apiKey = options.apiKey ?? envVar('PORTCULLIS_API_KEY');
    if (!apiKey) {
      throw new PortcullisError({
        code: 'missing_api_key',
        message: 'Portcullis needs an apiKey (or PORTCULLIS_API_KEY in the environment)',
      });
    }
    if (isBrowser() && !isClientToken(apiKey)) {
      // Anything shipped to a browser is readable by whoever uses the page, and an API key is long-lived and not
      // limited to one prompt. The message never includes the key itself.
      throw new PortcullisError({
        code: 'secret_key_in_browser',
        message:
          'Refusing to use a secret Portcullis API key in a browser: anyone using the page could read it and call ' +
          'the gateway as you. Keep the API key on your server, mint a short-lived client token there with ' +
          '`client.clientTokens.create({ prompts: [...] })`, and pass that token (it starts with `pct_`) to the ' +
          'browser instead.',
      });
    }
    this.baseUrl = (options.baseUrl ?? envVar('PORTCULLIS_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.#maxRetries = Math.max(0, options.maxRetries ?? 2);
    // Browsers throw "Illegal invocation" when the global fetch is called detached from globalThis.
    const f = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#transport = new Transport({
      baseUrl: this.baseUrl,
      apiKey,
      fetch: f,
      defaultHeaders: options.defaultHeaders ?? {},
      timeoutMs: options.timeoutMs ?? 60_000,
      maxRetries: this.#maxRetries,
      retryTiming: { ...DEFAULT_RETRY_TIMING, ...options.retry },
    });
    this.prompts = new Prompts(this.#transport);
    this.settings = new Settings(this.#transport);
    this.clientTokens = new ClientTokens(this.#transport);
  }

  /** Runs a prompt with variables and returns the whole answer. */
  async execute(params: ExecuteParams): Promise<ExecuteResult> {
    const maxRetries = params.maxRetries ?? this.#maxRetries;
    // With retries a lost answer is asked for again; the key makes the gateway return the first run's result
    // instead of running (and billing) the prompt twice.
    const idempotencyKey = params.idempotencyKey ?? (maxRetries > 0 ? randomId() : undefined);
    const r = await this.#transport.json<Omit<ExecuteResult, 'replayed'>>({
      ...params,
      method: 'POST',
      path: executePath(params.promptId),
      body: executeBody(params, false),
      idempotencyKey,
    });
    return {
      ...r.data,
      findings: r.data.findings ?? [],
      requestId: r.data.requestId ?? r.requestId ?? '',
      replayed: r.response.headers.get('idempotent-replayed') === 'true',
    };
  }

  /**
   * Runs a prompt and streams the answer: resolves once the gateway starts answering (errors before that reject,
   * after being retried like `execute`), then yields `delta` events and one `done` event. A stream is never retried
   * once it started, and no idempotency key is generated for it (the gateway replays only non-streamed calls); one
   * passed as `idempotencyKey` is sent.
   */
  async executeStream(params: ExecuteParams): Promise<ExecuteStream> {
    const s = await this.#transport.stream({
      ...params,
      method: 'POST',
      path: executePath(params.promptId),
      body: executeBody(params, true),
      idempotencyKey: params.idempotencyKey,
    });
    return new ExecuteStream({ ...s, redact: (t) => this.#transport.redact(t) });
  }
}

function executePath(promptId: string): string {
  return `/v1/prompts/${encodeURIComponent(promptId)}/execute`;
}

function executeBody(p: ExecuteParams, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { variables: p.variables };
  if (p.label !== undefined) body['label'] = p.label;
  if (p.version !== undefined) body['version'] = p.version;
  if (stream) body['stream'] = true;
  return body;
}
