import { Redis } from 'ioredis';

// One way to open Redis for counters and events. Every option here serves "fail closed, fast": a command issued
// while Redis is away fails at once instead of queueing (no offline queue), a command on a stalled connection
// fails after `commandTimeoutMs`, and the client keeps reconnecting in the background so the gateway recovers by
// itself when Redis returns.

export interface RedisSettings {
  url: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

export type RedisClient = Redis;

export function openRedis(s: RedisSettings, onError?: (err: Error) => void): Redis {
  const client = new Redis(s.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: s.commandTimeoutMs,
    connectTimeout: s.connectTimeoutMs,
    // Reconnect quickly but never give up: readiness reports the outage meanwhile.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    // A subscriber connection subscribes again by itself after a reconnect.
    autoResubscribe: true,
  });
  // Without a listener an 'error' event would crash the process; the caller decides how loudly to report it.
  client.on('error', (err: Error) => onError?.(err));
  return client;
}

/** Starts connecting without waiting longer than `timeoutMs`; the client keeps retrying after a failure. */
export async function connectSoon(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  const ready = new Promise<boolean>((resolve) => {
    const t = setTimeout(() => done(false), timeoutMs);
    t.unref();
    const onReady = () => done(true);
    function done(v: boolean) {
      clearTimeout(t);
      client.off('ready', onReady);
      resolve(v);
    }
    client.once('ready', onReady);
  });
  if (client.status === 'wait') client.connect().catch(() => {});
  return ready;
}

/** Redacts the password from a redis:// URL for log lines and error messages. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}
