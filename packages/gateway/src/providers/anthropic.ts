// Anthropic Messages API. The differences from the canonical shape that matter: system text is a
// top-level field, max_tokens is mandatory, tool results travel as user content blocks, and the
// stream is a typed event sequence rather than repeated deltas.

import { readSseEvents, SseLineTooLongError } from './sse.ts';
import type {
  CallOptions,
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  FinishReason,
  Provider,
  TokenUsage,
} from './types.ts';
import { ProviderError } from './types.ts';
import type { HttpProviderSettings } from './upstream.ts';
import { estimateUsage, isRecord, lowerKeys, nonNegInt, UpstreamClient } from './upstream.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

export interface AnthropicSettings extends HttpProviderSettings {
  /** `anthropic-version` header; default 2023-06-01. */
  version?: string;
  /** Used when a request sets no maxTokens (the API requires one); default 1024. */
  defaultMaxTokens?: number;
  /** Values for the `anthropic-beta` header. */
  beta?: string[];
}

export interface AnthropicProviderOptions {
  name: string;
  /** Without the `/v1` suffix; defaults to https://api.anthropic.com. */
  baseUrl?: string | null | undefined;
  apiKey?: string | null | undefined;
  settings?: AnthropicSettings | undefined;
}

export class AnthropicProvider implements Provider {
  readonly name: string;
  readonly kind = 'anthropic' as const;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number | undefined;
  readonly #client: UpstreamClient;
  readonly #defaultMaxTokens: number;

  constructor(opts: AnthropicProviderOptions) {
    this.name = opts.name;
    const s = opts.settings ?? {};
    this.timeoutMs = s.timeoutMs;
    this.maxRetries = s.maxRetries;
    this.#defaultMaxTokens = s.defaultMaxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
    const apiKey = opts.apiKey || undefined;
    if (!apiKey) throw new Error(`provider "${opts.name}": apiKey is required for kind anthropic`);
    const headers: Record<string, string> = { ...lowerKeys(s.headers) };
    delete headers['authorization'];
    headers['x-api-key'] = apiKey;
    headers['anthropic-version'] = s.version ?? ANTHROPIC_VERSION;
    if (s.beta && s.beta.length > 0) headers['anthropic-beta'] = s.beta.join(',');
    this.#client = new UpstreamClient({
      providerName: opts.name,
      baseUrl: opts.baseUrl || ANTHROPIC_DEFAULT_BASE_URL,
      headers,
      secret: apiKey,
      maxConnections: s.maxConnections,
      keepAliveTimeoutMs: s.keepAliveTimeoutMs,
      connectTimeoutMs: s.connectTimeoutMs,
    });
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse> {
    const { signal } = opts;
    const res = await this.#client.post('/v1/messages', this.#body(req, false), signal, 'application/json');
    return this.#fromResponse(await this.#client.readJson(res, signal), req);
  }

  async *chatStream(req: ChatRequest, opts: CallOptions): AsyncGenerator<ChatChunk, void, undefined> {
    const { signal } = opts;
    const res = await this.#client.post('/v1/messages', this.#body(req, true), signal, 'text/event-stream');
    let promptTokens = 0;
    let completionTokens = 0;
    let sawUsage = false;
    let finishReason: FinishReason | undefined;
    let stopped = false;
    try {
      for await (const ev of readSseEvents(res.body)) {
        let json: unknown;
        try {
          json = JSON.parse(ev.data);
        } catch (err) {
          throw new ProviderError('upstream_error', `${this.name}: upstream sent invalid JSON in stream`, {
            cause: err,
          });
        }
        if (!isRecord(json)) continue;
        switch (json['type']) {
          case 'message_start': {
            const message = isRecord(json['message']) ? json['message'] : {};
            if (isRecord(message['usage'])) {
              promptTokens = inputTokens(message['usage']);
              completionTokens = nonNegInt(message['usage']['output_tokens']);
              sawUsage = true;
            }
            break;
          }
          case 'content_block_delta': {
            const delta = json['delta'];
            if (
              isRecord(delta) &&
              delta['type'] === 'text_delta' &&
              typeof delta['text'] === 'string' &&
              delta['text']
            ) {
              yield { delta: delta['text'] };
            }
            break;
          }
          case 'message_delta': {
            const delta = json['delta'];
            if (isRecord(delta) && typeof delta['stop_reason'] === 'string') {
              finishReason = mapStopReason(delta['stop_reason']);
            }
            const usage = json['usage'];
            if (isRecord(usage)) {
              // Counts in message_delta are cumulative, so they replace rather than add.
              if (usage['output_tokens'] !== undefined) completionTokens = nonNegInt(usage['output_tokens']);
              if (usage['input_tokens'] !== undefined) promptTokens = inputTokens(usage);
              sawUsage = true;
            }
            break;
          }
          case 'message_stop':
            stopped = true;
            break;
          case 'error':
            throw streamEventError(this.name, json, this.#client.reason(json));
          default:
            break;
        }
        if (stopped) break;
      }
    } catch (err) {
      if (err instanceof SseLineTooLongError) {
        throw new ProviderError('upstream_error', `${this.name}: malformed event stream`, { cause: err });
      }
      throw this.#client.mapError(err, signal);
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
    if (!stopped) {
      throw new ProviderError('connection', `${this.name}: stream ended before the reply was complete`);
    }
    const last: ChatChunk = { delta: '', finishReason: finishReason ?? 'stop' };
    if (sawUsage) {
      last.usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
    }
    yield last;
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  #body(req: ChatRequest, stream: boolean): Record<string, unknown> {
    const system: string[] = [];
    const messages: Record<string, unknown>[] = [];
    for (const m of req.messages) {
      if (m.role === 'system') system.push(m.content);
      else messages.push(toAnthropicMessage(m));
    }
    const body: Record<string, unknown> = {
      model: req.model,
      max_tokens: req.maxTokens ?? this.#defaultMaxTokens,
      messages,
    };
    if (system.length > 0) body['system'] = system.join('\n\n');
    if (req.temperature !== undefined) body['temperature'] = req.temperature;
    if (req.topP !== undefined) body['top_p'] = req.topP;
    if (req.stop && req.stop.length > 0) body['stop_sequences'] = req.stop;
    if (req.user !== undefined) body['metadata'] = { user_id: req.user };
    if (stream) body['stream'] = true;
    return body;
  }

  #fromResponse(json: unknown, req: ChatRequest): ChatResponse {
    if (!isRecord(json) || !Array.isArray(json['content'])) {
      throw new ProviderError('upstream_error', `${this.name}: unexpected response shape from upstream`);
    }
    let content = '';
    for (const block of json['content']) {
      if (isRecord(block) && block['type'] === 'text' && typeof block['text'] === 'string') content += block['text'];
    }
    let usage: TokenUsage;
    if (isRecord(json['usage'])) {
      const promptTokens = inputTokens(json['usage']);
      const completionTokens = nonNegInt(json['usage']['output_tokens']);
      usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
    } else {
      usage = estimateUsage(req.messages, content);
    }
    return {
      id: typeof json['id'] === 'string' ? json['id'] : '',
      model: typeof json['model'] === 'string' ? json['model'] : req.model,
      content,
      finishReason: mapStopReason(json['stop_reason']),
      usage,
    };
  }
}

export function createAnthropicProvider(opts: AnthropicProviderOptions): AnthropicProvider {
  return new AnthropicProvider(opts);
}

function toAnthropicMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'tool') {
    if (m.toolCallId === undefined) return { role: 'user', content: m.content };
    return { role: 'user', content: [{ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content }] };
  }
  return { role: m.role, content: m.content };
}

/** Cached prompt tokens are still prompt tokens for quotas and pricing, so they are counted in. */
function inputTokens(u: Record<string, unknown>): number {
  return (
    nonNegInt(u['input_tokens']) + nonNegInt(u['cache_creation_input_tokens']) + nonNegInt(u['cache_read_input_tokens'])
  );
}

function mapStopReason(v: unknown): FinishReason {
  switch (v) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

function streamEventError(name: string, json: Record<string, unknown>, reason: string | undefined): ProviderError {
  const err = isRecord(json['error']) ? json['error'] : {};
  const kind = err['type'] === 'rate_limit_error' ? 'rate_limited' : 'upstream_error';
  return new ProviderError(kind, `${name}: upstream reported an error mid-stream${reason ? ` (${reason})` : ''}`);
}
