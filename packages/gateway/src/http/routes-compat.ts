import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChatChunk } from '../providers/types.ts';
import type { AppDeps } from './app.ts';
import {
  anthropicDelta,
  anthropicErrorEvent,
  anthropicMessagesSchema,
  anthropicStart,
  anthropicStop,
  fromAnthropic,
  toAnthropic,
} from './compat/anthropic.ts';
import {
  assertOpenAIRequest,
  fromOpenAI,
  OPENAI_DONE,
  openAIChunkEvent,
  openAIErrorEvent,
  openAIUsageEvent,
  openaiChatSchema,
  toOpenAI,
} from './compat/openai.ts';
import { GatewayError } from './errors.ts';
import { defineRoute } from './route.ts';
import { streamSse } from './sse-writer.ts';

const MODEL_CREATED = 1_700_000_000;

export function registerCompatRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { pipeline } = deps;

  defineRoute(app, {
    method: 'GET',
    url: '/v1/models',
    access: { scope: 'models' },
    body: undefined,
    handler: async (req) => ({
      object: 'list',
      data: (await pipeline.visibleModels(req.ctx.key!)).map((id) => ({
        id,
        object: 'model',
        created: MODEL_CREATED,
        owned_by: 'portcullis',
      })),
    }),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/v1/models/:model',
    access: { scope: 'models' },
    body: undefined,
    handler: async (req) => {
      const parsed = z.object({ model: z.string().min(1).max(256) }).safeParse(req.params);
      const id = parsed.success ? parsed.data.model : '';
      if (!(await pipeline.visibleModels(req.ctx.key!)).includes(id)) {
        throw new GatewayError('model_not_found', 'Unknown model', { param: 'model' });
      }
      return { id, object: 'model', created: MODEL_CREATED, owned_by: 'portcullis' };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/chat/completions',
    access: { scope: 'chat' },
    body: openaiChatSchema,
    handler: async (req, reply, body) => {
      assertOpenAIRequest(body);
      const chat = fromOpenAI(body);
      const created = Math.floor(Date.now() / 1000);
      const ctx = req.ctx;
      if (!body.stream) {
        const res = await pipeline.chat(ctx, chat);
        return toOpenAI(res, body.model, ctx.id, created);
      }
      const includeUsage = body.stream_options?.include_usage === true;
      await streamSse(req, reply, pipeline.chatStream(ctx, chat), {
        open: () => '',
        chunk: (c: ChatChunk, first: boolean) => openAIChunkEvent(c, body.model, ctx.id, created, first),
        close: (last) =>
          (includeUsage && last ? openAIUsageEvent({ delta: '', usage: ctx.usage }, body.model, ctx.id, created) : '') +
          OPENAI_DONE,
        error: (err) => openAIErrorEvent(err, ctx.id),
      });
      return reply;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/v1/messages',
    access: { scope: 'messages' },
    body: anthropicMessagesSchema,
    handler: async (req, reply, body) => {
      const chat = fromAnthropic(body);
      const ctx = req.ctx;
      if (!body.stream) {
        const res = await pipeline.chat(ctx, chat);
        return toAnthropic(res, body.model, ctx.id);
      }
      const promptChars = chat.messages.reduce((n, m) => n + m.content.length, 0);
      await streamSse(req, reply, pipeline.chatStream(ctx, chat), {
        open: () => anthropicStart(body.model, ctx.id, Math.ceil(promptChars / 4)),
        chunk: (c: ChatChunk) => anthropicDelta(c),
        close: (last) => anthropicStop(last?.finishReason ?? 'stop', ctx.usage.completionTokens),
        error: (err) => anthropicErrorEvent(err, ctx.id),
      });
      return reply;
    },
  });
}
