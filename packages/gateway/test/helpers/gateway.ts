import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { type Gateway, startGateway } from '../../src/gateway.ts';

export const PG_URL = process.env.PORTCULLIS_TEST_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestGateway {
  gw: Gateway;
  url: string;
  config: Config;
  adminKey: string;
  /** Every log line the gateway wrote, for asserting that nothing secret is logged. */
  logs: string[];
  key(opts?: Parameters<Gateway['core']['keys']['create']>[0] extends infer T ? Partial<T> : never): Promise<string>;
  close(): Promise<void>;
}

/** A real gateway on a loopback port with its own SQLite file (or a PostgreSQL URL) and master key. */
export async function startTestGateway(
  overrides: Record<string, unknown> = {},
  opts: { expectBootstrapKey?: boolean } = {},
): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-gw-'));
  const { config } = loadConfig({
    env: {},
    overrides: {
      'server.port': 0,
      'storage.url': `sqlite:${join(dir, 'gw.db')}`,
      'secrets.masterKey': randomBytes(32).toString('base64'),
      'requestLog.flushIntervalMs': 20,
      'log.level': 'info',
      ...overrides,
    },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const gw = await startGateway(config, { log: pino({ level: config.log.level }, sink) });
  if (!gw.bootstrapKey && opts.expectBootstrapKey !== false) {
    throw new Error('expected a bootstrap admin key on first start');
  }
  return {
    gw,
    url: gw.url,
    config,
    adminKey: gw.bootstrapKey ?? '',
    logs,
    key: async (opts = {}) => (await gw.core.keys.create({ name: 'test', ...opts })).secret,
    close: () => gw.close(),
  };
}

/** Waits until the buffered request log has been written. */
export async function flushed(t: TestGateway): Promise<void> {
  await t.gw.flushRequestLog();
}
