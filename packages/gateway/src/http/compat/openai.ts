import { z } from 'zod';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse, FinishReason } from '../../providers/types.ts';
import { GatewayError } from '../errors.ts';

// OpenAI's Chat Completions wire format, validated at the edge and translated to the
// canonical shape. Unknown top-level fields are dropped; features we cannot screen (images,
// audio, tool definitions) are refused rather than passed through unchecked.

const textPart = z.object({ type: z.literal('text'), text: z.string() }).loose();
const content = z.union([z.string(), z.array(textPart).max(256), z.null()]);

const message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: content.optional(),
    name: z.string().max(256).optional(),
    tool_call_id: z.string().max(256).optional(),
  })
  .loose();

export const openaiChatSchema = z
  .object({
    model: z.string().min(1).max(256),
    messages: z.array(message).min(1).max(2048),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullish(),
    max_tokens: z.number().int().min(1).max(1_000_000).nullish(),
    max_completion_tokens: z.number().int().min(1).max(1_000_000).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stop: z.union([z.string().max(256), z.array(z.string().max(256)).max(4)]).nullish(),
    n: z.literal(1).nullish(),
    user: z.string().max(256).optional(),
    tools: z.array(z.unknown()).max(0, 'tool calling is not supported by this gateway yet').optional(),
    functions: z.array(z.unknown()).max(0, 'function calling is not supported by this gateway yet').optional(),
  })
  .loose();

export type OpenAIChatBody = z.infer<typeof openaiChatSchema>;

function flatten(c: z.infer<typeof content> | undefined): string {
  if (c === undefined || c === null) return '';
  if (typeof c === 'string') return c;
  return c.map((p) => p.text).join('');
}

export function fromOpenAI(body: OpenAIChatBody): ChatRequest {
  const messages: ChatMessage[] = body.messages.map((m) => {
    const msg: ChatMessage = { role: m.role === 'developer' ? 'system' : m.role, content: flatten(m.content) };
    if (m.name) msg.name = m.name;
    if (m.tool_call_id) msg.toolCallId = m.tool_call_id;
    return msg;
  });
  const req: ChatRequest = { model: body.model, messages };
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) req.maxTokens = maxTokens;
  if (body.temperature != null) req.temperature = body.temperature;
  if (body.top_p != null) req.topP = body.top_p;
  if (body.stop != null) req.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.user) req.user = body.user;
  return req;
}

const FINISH: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  error: 'stop',
};

export function toOpenAI(res: ChatResponse, publicModel: string, requestId: string, created: number) {
  return {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion',
    created,
    model: publicModel,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: res.content, refusal: null },
        logprobs: null,
        finish_reason: FINISH[res.finishReason],
      },
    ],
    usage: {
      prompt_tokens: res.usage.promptTokens,
      completion_tokens: res.usage.completionTokens,
      total_tokens: res.usage.totalTokens,
    },
  };
}

/** Server-sent event lines for one streamed chunk. */
export function openAIChunkEvent(
  chunk: ChatChunk,
  publicModel: string,
  requestId: string,
  created: number,
  first: boolean,
): string {
  const delta: Record<string, unknown> = {};
  if (first) delta.role = 'assistant';
  if (chunk.delta) delta.content = chunk.delta;
  const payload = {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion.chunk',
    created,
    model: publicModel,
    choices: [
      { index: 0, delta, logprobs: null, finish_reason: chunk.finishReason ? FINISH[chunk.finishReason] : null },
    ],
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function openAIUsageEvent(chunk: ChatChunk, publicModel: string, requestId: string, created: number): string {
  const u = chunk.usage ?? { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  const payload = {
    id: `chatcmpl-${requestId}`,
    object: 'chat.completion.chunk',
    created,
    model: publicModel,
    choices: [],
    usage: { prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens, total_tokens: u.totalTokens },
  };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function openAIErrorEvent(err: GatewayError, requestId: string): string {
  return `data: ${JSON.stringify({ error: { message: err.message, type: 'api_error', code: err.code, param: null }, request_id: requestId })}\n\n`;
}

export const OPENAI_DONE = 'data: [DONE]\n\n';

export function assertOpenAIRequest(body: OpenAIChatBody): void {
  if (body.messages.every((m) => m.role !== 'user' && m.role !== 'tool')) {
    throw new GatewayError('invalid_request', 'messages must contain at least one user message', {
      param: 'messages',
    });
  }
}
