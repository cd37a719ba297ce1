// OpenAI Chat Completions, for api.openai.com (`openai`) and for servers that speak the same API
// (`openai-compatible`: Ollama, vLLM, LM Studio, llama.cpp), which differ mostly in what they omit.

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

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAISettings extends HttpProviderSettings {
  /** Sent as OpenAI-Organization. */
  organization?: string;
  /** Sent as OpenAI-Project. */
  project?: string;
  /** Ask for usage at the end of streams (`stream_options.include_usage`); default true. */
  streamUsage?: boolean;
  /**
   * Field that carries maxTokens. OpenAI deprecated `max_tokens` (reasoning models reject it), while
   * many compatible servers only know `max_tokens`; so the default follows the kind.
   */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

export interface OpenAIProviderOptions {
  name: string;
  kind: 'openai' | 'openai-compatible';
  /** Required for `openai-compatible`; defaults to OpenAI's for `openai`. Includes the `/v1` prefix. */
  baseUrl?: string | null | undefined;
  apiKey?: string | null | undefined;
  settings?: OpenAISettings | undefined;
}

export class OpenAIProvider implements Provider {
  readonly name: string;
  readonly kind: 'openai' | 'openai-compatible';
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number | undefined;
  readonly #client: UpstreamClient;
  readonly #streamUsage: boolean;
  readonly #maxTokensField: 'max_tokens' | 'max_completion_tokens';

  constructor(opts: OpenAIProviderOptions) {
    this.name = opts.name;
    this.kind = opts.kind;
    const s = opts.settings ?? {};
    this.timeoutMs = s.timeoutMs;
    this.maxRetries = s.maxRetries;
    this.#streamUsage = s.streamUsage ?? true;
    this.#maxTokensField = s.maxTokensField ?? (opts.kind === 'openai' ? 'max_completion_tokens' : 'max_tokens');
    const baseUrl = opts.baseUrl || (opts.kind === 'openai' ? OPENAI_DEFAULT_BASE_URL : undefined);
    if (!baseUrl) throw new Error(`provider "${opts.name}": baseUrl is required for kind ${opts.kind}`);
    const apiKey = opts.apiKey || undefined;
    if (!apiKey && opts.kind === 'openai')
      throw new Error(`provider "${opts.name}": apiKey is required for kind openai`);
    const headers: Record<string, string> = { ...lowerKeys(s.headers) };
    if (s.organization) headers['openai-organization'] = s.organization;
    if (s.project) headers['openai-project'] = s.project;
    delete headers['authorization'];
    if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
    this.#client = new UpstreamClient({
      providerName: opts.name,
      baseUrl,
      headers,
      secret: apiKey,
      maxConnections: s.maxConnections,
      keepAliveTimeoutMs: s.keepAliveTimeoutMs,
      connectTimeoutMs: s.connectTimeoutMs,
    });
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse> {
    const { signal } = opts;
    const res = await this.#client.post('/chat/completions', this.#body(req, false), signal, 'application/json');
    return this.#fromResponse(await this.#client.readJson(res, signal), req);
  }

  async *chatStream(req: ChatRequest, opts: CallOptions): AsyncGenerator<ChatChunk, void, undefined> {
    const { signal } = opts;
    const res = await this.#client.post('/chat/completions', this.#body(req, true), signal, 'text/event-stream');
    const contentType = String(res.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      // Some compatible servers ignore `stream: true` and answer in one piece; still a valid reply.
      const whole = this.#fromResponse(await this.#client.readJson(res, signal), req);
      if (whole.content) yield { delta: whole.content };
      yield { delta: '', finishReason: whole.finishReason, usage: whole.usage };
      return;
    }
    let finishReason: FinishReason | undefined;
    let usage: TokenUsage | undefined;
    let done = false;
    try {
      for await (const ev of readSseEvents(res.body)) {
        if (ev.data === '[DONE]') {
          done = true;
          break;
        }
        const json = parseJson(ev.data, this.name);
        if (json.error !== undefined) {
          const reason = this.#client.reason(json);
          throw new ProviderError(
            'upstream_error',
            `${this.name}: upstream reported an error mid-stream${reason ? ` (${reason})` : ''}`,
          );
        }
        const choice = firstChoice(json);
        if (choice) {
          const delta = (choice['delta'] as Record<string, unknown> | undefined)?.['content'];
          if (typeof delta === 'string' && delta.length > 0) yield { delta };
          if (typeof choice['finish_reason'] === 'string') finishReason = mapFinishReason(choice['finish_reason']);
        }
        if (isRecord(json['usage'])) usage = parseUsage(json['usage']);
      }
    } catch (err) {
      throw this.#streamError(err, signal);
    } finally {
      if (!res.body.destroyed) res.body.destroy();
    }
    if (!done && finishReason === undefined) {
      throw new ProviderError('connection', `${this.name}: stream ended before the reply was complete`);
    }
    const last: ChatChunk = { delta: '', finishReason: finishReason ?? 'stop' };
    if (usage) last.usage = usage;
    yield last;
  }

  close(): Promise<void> {
    return this.#client.close();
  }

  #streamError(err: unknown, signal: AbortSignal): ProviderError {
    if (err instanceof SseLineTooLongError) {
      return new ProviderError('upstream_error', `${this.name}: malformed event stream`, { cause: err });
    }
    return this.#client.mapError(err, signal);
  }

  #body(req: ChatRequest, stream: boolean): Record<string, unknown> {
    const body: Record<string, unknown> = { model: req.model, messages: req.messages.map(toOpenAIMessage) };
    if (req.maxTokens !== undefined) body[this.#maxTokensField] = req.maxTokens;
    if (req.temperature !== undefined) body['temperature'] = req.temperature;
    if (req.topP !== undefined) body['top_p'] = req.topP;
    if (req.stop && req.stop.length > 0) body['stop'] = req.stop;
    if (req.user !== undefined) body['user'] = req.user;
    if (stream) {
      body['stream'] = true;
      if (this.#streamUsage) body['stream_options'] = { include_usage: true };
    }
    return body;
  }

  #fromResponse(json: unknown, req: ChatRequest): ChatResponse {
    if (!isRecord(json)) throw invalidShape(this.name);
    const choice = firstChoice(json);
    if (!choice) throw invalidShape(this.name);
    const message = isRecord(choice['message']) ? choice['message'] : {};
    let content = typeof message['content'] === 'string' ? message['content'] : '';
    let finishReason = mapFinishReason(choice['finish_reason']);
    if (!content && typeof message['refusal'] === 'string') {
      content = message['refusal'];
      finishReason = 'content_filter';
    }
    const usage = isRecord(json['usage']) ? parseUsage(json['usage']) : estimateUsage(req.messages, content);
    return {
      id: typeof json['id'] === 'string' ? json['id'] : '',
      model: typeof json['model'] === 'string' ? json['model'] : req.model,
      content,
      finishReason,
      usage,
    };
  }
}

export function createOpenAIProvider(opts: OpenAIProviderOptions): OpenAIProvider {
  return new OpenAIProvider(opts);
}

function toOpenAIMessage(m: ChatMessage): Record<string, unknown> {
  const out: Record<string, unknown> = { role: m.role, content: m.content };
  if (m.name !== undefined) out['name'] = m.name;
  if (m.role === 'tool' && m.toolCallId !== undefined) out['tool_call_id'] = m.toolCallId;
  return out;
}

function mapFinishReason(v: unknown): FinishReason {
  switch (v) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return 'stop';
  }
}

function parseUsage(u: Record<string, unknown>): TokenUsage {
  const promptTokens = nonNegInt(u['prompt_tokens']);
  const completionTokens = nonNegInt(u['completion_tokens']);
  const total = nonNegInt(u['total_tokens']);
  return { promptTokens, completionTokens, totalTokens: total || promptTokens + completionTokens };
}

function firstChoice(json: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices = json['choices'];
  if (!Array.isArray(choices)) return undefined;
  const c = choices[0];
  return isRecord(c) ? c : undefined;
}

function parseJson(data: string, name: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch (err) {
    throw new ProviderError('upstream_error', `${name}: upstream sent invalid JSON in stream`, { cause: err });
  }
  if (!isRecord(v)) throw invalidShape(name);
  return v;
}

function invalidShape(name: string): ProviderError {
  return new ProviderError('upstream_error', `${name}: unexpected response shape from upstream`);
}
