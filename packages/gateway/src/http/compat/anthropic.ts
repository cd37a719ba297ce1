import { z } from 'zod';
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse, FinishReason } from '../../providers/types.ts';
import type { GatewayError } from '../errors.ts';

// Anthropic's Messages wire format. Only text blocks are accepted: content we cannot screen
// (images, documents, tool use) is refused rather than passed through unchecked.

const textBlock = z.object({ type: z.literal('text'), text: z.string() }).loose();
const blocks = z.union([z.string(), z.array(textBlock).min(1).max(256)]);

export const anthropicMessagesSchema = z
  .object({
    model: z.string().min(1).max(256),
    max_tokens: z.number().int().min(1).max(1_000_000),
    messages: z
      .array(z.object({ role: z.enum(['user', 'assistant']), content: blocks }).loose())
      .min(1)
      .max(2048),
    system: blocks.optional(),
    stream: z.boolean().optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    stop_sequences: z.array(z.string().max(256)).max(8).optional(),
    metadata: z
      .object({ user_id: z.string().max(256).optional() })
      .loose()
      .optional(),
    tools: z.array(z.unknown()).max(0, 'tool use is not supported by this gateway yet').optional(),
  })
  .loose();

export type AnthropicMessagesBody = z.infer<typeof anthropicMessagesSchema>;

function text(b: z.infer<typeof blocks>): string {
  return typeof b === 'string' ? b : b.map((p) => p.text).join('');
}

export function fromAnthropic(body: AnthropicMessagesBody): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) messages.push({ role: 'system', content: text(body.system) });
  for (const m of body.messages) messages.push({ role: m.role, content: text(m.content) });
  const req: ChatRequest = { model: body.model, messages, maxTokens: body.max_tokens };
  if (body.temperature !== undefined) req.temperature = body.temperature;
  if (body.top_p !== undefined) req.topP = body.top_p;
  if (body.stop_sequences) req.stop = body.stop_sequences;
  if (body.metadata?.user_id) req.user = body.metadata.user_id;
  return req;
}

const STOP: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'refusal',
  tool_calls: 'tool_use',
  error: 'end_turn',
};

export function toAnthropic(res: ChatResponse, publicModel: string, requestId: string) {
  return {
    id: `msg_${requestId}`,
    type: 'message',
    role: 'assistant',
    model: publicModel,
    content: [{ type: 'text', text: res.content }],
    stop_reason: STOP[res.finishReason],
    stop_sequence: null,
    usage: { input_tokens: res.usage.promptTokens, output_tokens: res.usage.completionTokens },
  };
}

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function anthropicStart(publicModel: string, requestId: string, inputTokens: number): string {
  return (
    event('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${requestId}`,
        type: 'message',
        role: 'assistant',
        model: publicModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 0 },
      },
    }) +
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
  );
}

export function anthropicDelta(chunk: ChatChunk): string {
  return chunk.delta
    ? event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: chunk.delta },
      })
    : '';
}

export function anthropicStop(finish: FinishReason, outputTokens: number): string {
  return (
    event('content_block_stop', { type: 'content_block_stop', index: 0 }) +
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: STOP[finish], stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }) +
    event('message_stop', { type: 'message_stop' })
  );
}

export function anthropicErrorEvent(err: GatewayError, requestId: string): string {
  return event('error', {
    type: 'error',
    error: { type: 'api_error', message: err.message, code: err.code },
    request_id: requestId,
  });
}
