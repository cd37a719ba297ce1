import type { Logger } from 'pino';
import type { RedisConfig } from '../limits/config.ts';
import { type EventBus, LocalEventBus, RedisEventBus } from './bus.ts';
import { openRedis, type RedisClient } from './redis.ts';

export { type EventBus, type EventInput, type GatewayEvent, LocalEventBus, RedisEventBus } from './bus.ts';
export { publishingStore } from './publishing-store.ts';

/** The shared Redis connection (counters, publishing) and the event bus, from the `redis` config section. */
export function openEvents(config: RedisConfig, log?: Logger): { redis: RedisClient | undefined; events: EventBus } {
  if (!config.url) return { redis: undefined, events: new LocalEventBus(log) };
  const settings = {
    url: config.url,
    commandTimeoutMs: config.commandTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
  };
  let down = false;
  const redis = openRedis(settings, (err) => {
    // One line per outage, not one per reconnect attempt.
    if (!down) log?.error({ err: err.message }, 'Redis unreachable; limit checks refuse requests until it returns');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log?.info('Redis reachable again');
    down = false;
  });
  redis.connect().catch(() => {});
  return { redis, events: new RedisEventBus(redis, settings, config.keyPrefix, log) };
}
