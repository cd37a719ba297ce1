import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { dropPgSchemas, freshPgUrl } from './helpers/limits-env.ts';

// The real PostgreSQL behind a TCP relay of the test's own: cutting the relay is the database going away for the
// gateway (without stopping the machine's server, which other tests use), and reopening it is the database coming back.

class Relay {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  async open(port = 0): Promise<void> {
    this.#server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: 5432 });
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.#server!.listen(port, '127.0.0.1', r));
    this.port = (this.#server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server!.close(() => r()));
  }
}

const relay = new Relay();
let t: TestGateway | undefined;
afterAll(async () => {
  await t?.close().catch(() => {});
  await dropPgSchemas();
});

async function status(url: string, path: string, key?: string): Promise<{ status: number; code?: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: res.status, code: body.error?.code, ms: performance.now() - started };
}

describe('when PostgreSQL goes away', () => {
  it('refuses with 503 at once, reports it on /readyz, and recovers when the database returns', async () => {
    await relay.open();
    const url = freshPgUrl('pgfail').replace('127.0.0.1:5432', `127.0.0.1:${relay.port}`);
    t = await startTestGateway({ 'storage.url': url });
    // Created now, used only after the cut: its lookup has to reach the database.
    const unseen = (await t.gw.core.keys.create({ name: 'unseen', scopes: ['models'] })).secret;
    expect((await status(t.url, '/readyz')).status).toBe(200);

    await relay.cut();
    const refused = await status(t.url, '/v1/models', unseen);
    expect(refused.status).toBe(503);
    expect(refused.code).toBe('unavailable');
    expect(refused.ms).toBeLessThan(6000);
    const ready = await status(t.url, '/readyz');
    expect(ready.status).toBe(503);

    await relay.open(relay.port);
    let back = { status: 0, ms: 0 } as Awaited<ReturnType<typeof status>>;
    for (let i = 0; i < 50 && back.status !== 200; i++) {
      back = await status(t.url, '/v1/models', unseen);
      if (back.status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back.status).toBe(200);
    // Request records held back during the outage are written now, and readiness returns with them.
    let ready2 = 0;
    for (let i = 0; i < 50 && ready2 !== 200; i++) {
      ready2 = (await status(t.url, '/readyz')).status;
      if (ready2 !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    if (ready2 !== 200)
      console.log(
        t.logs
          .filter((l) => l.includes('"level":50'))
          .slice(-3)
          .join('\n'),
      );
    expect(ready2).toBe(200);
    await t.gw.flushRequestLog();
    const routes = (await t.gw.core.store.requests.query({ limit: 10 })).map((r) => r.status);
    expect(routes).toContain(503);
  });
});
