import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createMockProvider,
  estimateTokens,
  MockProvider,
  mockReplyText,
  parseMockDirectives,
} from '../src/providers/mock.ts';
import type { ChatChunk, ChatRequest } from '../src/providers/types.ts';
import { ProviderError } from '../src/providers/types.ts';

const live = () => ({ signal: new AbortController().signal });

function req(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'mock-1', messages: [{ role: 'user', content: text }], ...extra };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError, got success');
}

async function collect(it: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const out: ChatChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('mock replies', () => {
  it('quotes a hash of the last user message and echoes its words, deterministically', async () => {
    const p = createMockProvider('mock');
    const text = 'Tell me about the   quick brown fox';
    const a = await p.chat(req(text), live());
    const b = await createMockProvider('other').chat(req(text), live());
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
    expect(a.content).toBe(`Mock reply ${hash}: Tell me about the quick brown fox`);
    expect(b.content).toBe(a.content);
    expect(a.id).toBe(b.id);
    expect(a.finishReason).toBe('stop');
    expect(a.model).toBe('mock-1');
    const other = await p.chat(req('something else entirely'), live());
    expect(other.content).not.toBe(a.content);
  });

  it('uses the last user message, not earlier ones or the assistant turn', async () => {
    const r: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'second question' },
      ],
    };
    const res = await createMockProvider('mock').chat(r, live());
    expect(res.content).toBe(mockReplyText('second question'));
  });

  it('estimates usage as ceil(chars/4) per message', async () => {
    const r: ChatRequest = {
      model: 'm',
      messages: [
        { role: 'system', content: 'abcde' }, // 2
        { role: 'user', content: 'abcdefgh' }, // 2
      ],
    };
    const res = await createMockProvider('mock').chat(r, live());
    expect(res.usage.promptTokens).toBe(4);
    expect(res.usage.completionTokens).toBe(estimateTokens(res.content));
    expect(res.usage.totalTokens).toBe(res.usage.promptTokens + res.usage.completionTokens);
  });

  it('ends early at maxTokens (finish length) and at stop sequences', async () => {
    const p = createMockProvider('mock');
    const long = await p.chat(req('one two three four five six seven', { maxTokens: 3 }), live());
    expect(long.finishReason).toBe('length');
    expect(long.content.length).toBe(12);
    expect(long.usage.completionTokens).toBe(3);
    const stopped = await p.chat(req('alpha beta gamma', { stop: ['beta'] }), live());
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.content.endsWith('alpha ')).toBe(true);
  });

  it('streams the same reply in several chunks, ending with finish reason and usage', async () => {
    const p = createMockProvider('mock');
    const whole = await p.chat(req('stream me a few words please'), live());
    const chunks = await collect(p.chatStream(req('stream me a few words please'), live()));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.delta).join('')).toBe(whole.content);
    const last = chunks.at(-1)!;
    expect(last.finishReason).toBe('stop');
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((c) => c.finishReason === undefined)).toBe(true);
  });

  it('gives the same reply with and without directives', () => {
    expect(mockReplyText('hello there [[mock:latency=5]]')).toBe(mockReplyText('hello there'));
  });
});

describe('mock directives', () => {
  it('parses every documented key, later values winning, bad values ignored', () => {
    expect(
      parseMockDirectives(
        'x [[mock:fail=429,times=2,retry_after=3]] y [[mock:latency=200, chunk_delay=5,after=4,model=a-b]] [[mock:times=abc,fail=nope]]',
      ),
    ).toEqual({ fail: 429, times: 2, retryAfterSec: 3, latencyMs: 200, chunkDelayMs: 5, after: 4, model: 'a-b' });
    expect(parseMockDirectives('[[mock:fail=timeout]]')).toEqual({ fail: 'timeout' });
    expect(parseMockDirectives('[[mock:fail=drop]]')).toEqual({ fail: 'drop' });
    expect(parseMockDirectives('[[mock:retry_after_ms=250]]')).toEqual({ retryAfterMs: 250 });
    expect(parseMockDirectives('no directives here')).toEqual({});
  });

  it('fails with 429 and a retry-after, 500 and other statuses', async () => {
    const p = createMockProvider('mock');
    const e429 = await failure(p.chat(req('hi [[mock:fail=429,retry_after=2]]'), live()));
    expect(e429.kind).toBe('rate_limited');
    expect(e429.status).toBe(429);
    expect(e429.retryAfterMs).toBe(2000);
    const e500 = await failure(p.chat(req('hi [[mock:fail=500]]'), live()));
    expect(e500.kind).toBe('upstream_error');
    expect(e500.retryable).toBe(true);
    const e401 = await failure(p.chat(req('hi [[mock:fail=401]]'), live()));
    expect(e401.kind).toBe('auth');
    const e400 = await failure(p.chat(req('hi [[mock:fail=400]]'), live()));
    expect(e400.kind).toBe('bad_request');
    expect(e400.retryable).toBe(false);
  });

  it('fails only the first N calls for that exact input, with state per instance', async () => {
    const p = createMockProvider('mock');
    const text = 'retry me [[mock:fail=500,times=2]]';
    expect((await failure(p.chat(req(text), live()))).kind).toBe('upstream_error');
    // A different input has its own counter.
    expect((await failure(p.chat(req(`${text} other`), live()))).kind).toBe('upstream_error');
    expect((await failure(p.chat(req(text), live()))).kind).toBe('upstream_error');
    const ok = await p.chat(req(text), live());
    expect(ok.content).toBe(mockReplyText('retry me'));
    // A fresh instance starts counting again.
    await failure(createMockProvider('mock').chat(req(text), live()));
  });

  it('applies a failure only to the named model when model= is given', async () => {
    const p = createMockProvider('mock');
    const text = 'pick [[mock:fail=503,model=primary]]';
    await failure(p.chat(req(text, { model: 'primary' }), live()));
    await expect(p.chat(req(text, { model: 'secondary' }), live())).resolves.toMatchObject({ finishReason: 'stop' });
  });

  it('drops the connection mid-stream after the given number of chunks', async () => {
    const p = createMockProvider('mock');
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of p.chatStream(req('one two three four five [[mock:fail=drop,after=2]]'), live())) {
          got.push(c.delta);
        }
      })(),
    );
    expect(err.kind).toBe('connection');
    expect(got).toHaveLength(2);
    expect((await failure(p.chat(req('x [[mock:fail=drop]]'), live()))).kind).toBe('connection');
  });

  it('never answers on timeout until aborted, then reports cancelled (or timeout for a deadline)', async () => {
    const p = createMockProvider('mock');
    const ac = new AbortController();
    const pending = p.chat(req('wait [[mock:fail=timeout]]'), { signal: ac.signal });
    const settled = await Promise.race([
      pending.then(
        () => 'settled',
        () => 'settled',
      ),
      new Promise((r) => setTimeout(() => r('pending'), 100)),
    ]);
    expect(settled).toBe('pending');
    expect(p.stats.inFlight).toBe(1);
    ac.abort();
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(p.stats).toMatchObject({ inFlight: 0, cancelled: 1 });

    const deadline = AbortSignal.timeout(20);
    expect((await failure(p.chat(req('wait [[mock:fail=timeout]]'), { signal: deadline }))).kind).toBe('timeout');
  });

  it('ends a pending latency immediately when aborted', async () => {
    const p = createMockProvider('mock', { latencyMs: 60_000 });
    const ac = new AbortController();
    const pending = p.chat(req('slow'), { signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    expect((await failure(pending)).kind).toBe('cancelled');
    expect(p.stats.inFlight).toBe(0);
  });

  it('stops a stream between chunks when aborted', async () => {
    const p = createMockProvider('mock', { chunkDelayMs: 60_000 });
    const ac = new AbortController();
    const got: string[] = [];
    const err = await failure(
      (async () => {
        for await (const c of p.chatStream(req('many words to stream out slowly'), { signal: ac.signal })) {
          got.push(c.delta);
          ac.abort();
        }
      })(),
    );
    expect(err.kind).toBe('cancelled');
    expect(got).toHaveLength(1);
    expect(p.stats.inFlight).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const p = createMockProvider('mock');
    expect((await failure(p.chat(req('x'), { signal: AbortSignal.abort() }))).kind).toBe('cancelled');
  });
});

describe('mock settings', () => {
  it('fails the first `times` calls of the instance, with the configured kind', async () => {
    const p = new MockProvider({ name: 'm', settings: { failure: { kind: 429, times: 2, retryAfterMs: 50 } } });
    const e = await failure(p.chat(req('a'), live()));
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 50 });
    await failure(p.chat(req('b'), live()));
    await expect(p.chat(req('c'), live())).resolves.toMatchObject({ finishReason: 'stop' });
  });

  it('fails about `rate` of calls, the same calls on every run for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const p = createMockProvider('m', { seed, failure: { kind: '500', rate: 0.3 } });
      const out: boolean[] = [];
      for (let i = 0; i < 200; i++) {
        out.push(
          await p.chat(req(`q${i}`), live()).then(
            () => true,
            () => false,
          ),
        );
      }
      return out;
    };
    const a = await outcomes(42);
    expect(await outcomes(42)).toEqual(a);
    const failures = a.filter((ok) => !ok).length;
    expect(failures).toBeGreaterThan(30);
    expect(failures).toBeLessThan(90);
  });

  it('lets a directive override the configured failure', async () => {
    const p = createMockProvider('m', { failure: { kind: 'timeout' } });
    await expect(p.chat(req('x [[mock:fail=500,model=none]]'), live())).resolves.toBeDefined();
  });
});
