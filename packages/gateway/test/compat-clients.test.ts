import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushed, startTestGateway, type TestGateway } from './helpers/gateway.ts';

// The official SDKs are the test clients: if they can talk to the gateway, real applications can.

let t: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  t = await startTestGateway();
  const key = await t.key({ name: 'sdk' });
  openai = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: key, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: t.url, apiKey: key, maxRetries: 0 });
});
afterAll(() => t.close());

describe('OpenAI-compatible endpoints with the official openai client', () => {
  it('answers a chat completion with usage', async () => {
    const res = await openai.chat.completions.create({
      model: 'mock-1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What colour is the sky?' },
      ],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('mock-1');
    expect(res.choices[0]?.message.role).toBe('assistant');
    expect(res.choices[0]?.message.content).toContain('colour');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage?.total_tokens).toBe((res.usage?.prompt_tokens ?? 0) + (res.usage?.completion_tokens ?? 0));
    expect(res.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('gives the same reply for the same input (deterministic mock)', async () => {
    const ask = () =>
      openai.chat.completions.create({ model: 'mock-1', messages: [{ role: 'user', content: 'same question' }] });
    const [a, b] = await Promise.all([ask(), ask()]);
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
  });

  it('streams a chat completion that reassembles to the non-streamed reply', async () => {
    const messages = [{ role: 'user' as const, content: 'Stream me a reply please' }];
    const whole = await openai.chat.completions.create({ model: 'mock-1', messages });
    const stream = await openai.chat.completions.create({
      model: 'mock-1',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    // The output guard holds text back in a sliding window, so a short reply may arrive in one piece.
    expect(chunks).toBeGreaterThanOrEqual(2);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe('stop');
    expect(usage?.total_tokens).toBe(whole.usage?.total_tokens);
  });

  it('lists and retrieves models', async () => {
    const list = await openai.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain('mock-1');
    const one = await openai.models.retrieve('mock-1');
    expect(one.id).toBe('mock-1');
    await expect(openai.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404 });
  });

  it('surfaces gateway errors as typed SDK errors with our code', async () => {
    const bad = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: 'pcx_live_wrong', maxRetries: 0 });
    const err = await bad.chat.completions
      .create({ model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('invalid_api_key');

    const notFound = await openai.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    expect((notFound as InstanceType<typeof OpenAI.APIError>).code).toBe('model_not_found');
  });
});

describe('Anthropic-compatible endpoint with the official @anthropic-ai/sdk client', () => {
  it('answers a message', async () => {
    const msg = await anthropic.messages.create({
      model: 'mock-1',
      max_tokens: 200,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Name a prime number' }],
    });
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    const block = msg.content[0];
    expect(block?.type).toBe('text');
    expect(block?.type === 'text' && block.text).toContain('prime');
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams a message with the full event sequence', async () => {
    const stream = anthropic.messages.stream({
      model: 'mock-1',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'Stream a reply about rivers' }],
    });
    const types: string[] = [];
    let text = '';
    for await (const ev of stream) {
      types.push(ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') text += ev.delta.text;
    }
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(types).toContain('content_block_delta');
    expect(text).toContain('rivers');
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(text);
  });

  it('returns errors in Anthropic shape', async () => {
    const bad = new Anthropic({ baseURL: t.url, apiKey: 'pcx_live_wrong', maxRetries: 0 });
    const err = await bad.messages
      .create({ model: 'mock-1', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const body = (err as InstanceType<typeof Anthropic.APIError>).error as { type: string; error: { type: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('authentication_error');
  });
});

describe('request log', () => {
  it('records allowed requests with model, provider and tokens', async () => {
    const res = await openai.chat.completions
      .create({ model: 'mock-1', messages: [{ role: 'user', content: 'log me' }] })
      .withResponse();
    const requestId = res.response.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_/);
    await flushed(t);
    const rows = await t.gw.core.store.requests.query({ limit: 1000 });
    const row = rows.find((r) => r.id === requestId);
    expect(row).toMatchObject({
      route: '/v1/chat/completions',
      model: 'mock-1',
      provider: 'mock',
      status: 200,
      outcome: 'allowed',
      stream: false,
    });
    expect(row?.totalTokens).toBe(res.data.usage?.total_tokens);
    expect(row?.keyId).toMatch(/^key_/);
  });
});
