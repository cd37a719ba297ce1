// The canonical chat shape every endpoint translates into and every provider translates out of.
// Keeping one internal shape means guards, limits and logging are written once, not per API.

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  /** Plain text. Multi-part inputs are flattened to text by the endpoint adapters. */
  content: string;
  name?: string;
  /** For role 'tool': the call this message answers. */
  toolCallId?: string;
}

export interface ChatRequest {
  /** The model name as the upstream provider knows it (after routing). */
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  /** Opaque end-user id, forwarded where the upstream supports it. */
  user?: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'error';

export interface ChatResponse {
  id: string;
  model: string;
  content: string;
  finishReason: FinishReason;
  usage: TokenUsage;
}

/** One piece of a streamed reply. The last chunk carries finishReason and, when known, usage. */
export interface ChatChunk {
  delta: string;
  finishReason?: FinishReason;
  usage?: TokenUsage;
}

export interface CallOptions {
  /** Aborted when the client goes away or the deadline passes; providers must stop the upstream call. */
  signal: AbortSignal;
}

export interface Provider {
  readonly name: string;
  readonly kind: ProviderKind;
  chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse>;
  chatStream(req: ChatRequest, opts: CallOptions): AsyncIterable<ChatChunk>;
  /** Release sockets/pools. */
  close(): Promise<void>;
  /** Per-attempt deadline the router uses for this provider (from its settings); router default when unset. */
  readonly timeoutMs?: number | undefined;
  /** Retries the router makes on this provider before falling back; router default when unset. */
  readonly maxRetries?: number | undefined;
}

export type ProviderKind = 'mock' | 'openai' | 'anthropic' | 'openai-compatible';

/**
 * An upstream failure, classified so the router can decide to retry, fall back or give up,
 * and so endpoints can map it to the caller's error shape without leaking upstream internals.
 */
export class ProviderError extends Error {
  readonly kind: 'timeout' | 'rate_limited' | 'upstream_error' | 'bad_request' | 'auth' | 'connection' | 'cancelled';
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: ProviderError['kind'],
    message: string,
    opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ProviderError';
    this.kind = kind;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  get retryable(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'rate_limited' ||
      this.kind === 'upstream_error' ||
      this.kind === 'connection'
    );
  }
}
