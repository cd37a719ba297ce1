import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { OwnRedis } from './helpers/redis-server.ts';

// Health under failure: a Redis of the test's own goes away and comes back while a gateway uses it for limits.

let t: TestGateway | undefined;
let own: OwnRedis | undefined;
afterAll(async () => {
  await t?.close();
  await own?.stop();
});

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<{ v: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    const v = await probe();
    if (ok(v)) return { v, ms: performance.now() - start };
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Redis goes away and returns', () => {
  it('fails closed with a fast 503 and an unready /readyz, then recovers by itself', async () => {
    own = await OwnRedis.start();
    t = await startTestGateway({
      'redis.url': own.url,
      'limits.rules': [{ scope: 'key', requests: 1000, per: '1m' }],
      'limits.budgets': [{ scope: 'tenant', usd: 100, period: 'month' }],
    });
    const key = await t.key();
    const chat = async () => {
      const started = performance.now();
      const res = await fetch(`${t!.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'Hello' }] }),
      });
      const body = (await res.json()) as { error?: { code: string; message: string } };
      return {
        status: res.status,
        code: body.error?.code,
        message: body.error?.message,
        ms: performance.now() - started,
      };
    };
    const ready = async () => (await fetch(`${t!.url}/readyz`)).status;

    expect((await chat()).status).toBe(200);
    expect(await ready()).toBe(200);

    await own.stop();
    const down = await waitFor(chat, (r) => r.status === 503, 5000);
    expect(down.v.code).toBe('unavailable');
    expect(down.v.message).toMatch(/counter store is unreachable/);
    // Refused at once, not after a hang.
    expect(down.v.ms).toBeLessThan(1500);
    const readyDown = await waitFor(ready, (s) => s === 503, 5000);
    expect(readyDown.v).toBe(503);
    const reason = (await (await fetch(`${t.url}/readyz`)).json()) as { reason: string };
    expect(reason.reason).toMatch(/Redis/);

    await own.resume();
    const back = await waitFor(chat, (r) => r.status === 200, 10_000);
    expect(back.v.status).toBe(200);
    expect((await waitFor(ready, (s) => s === 200, 5000)).v).toBe(200);
  });
});
