import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config/schema.ts';
import { RedisEventBus } from '../events/bus.ts';
import { connectSoon } from '../events/redis.ts';
import type { CoreServices } from '../services.ts';
import { DEFAULT_TENANT } from '../store/types.ts';
import {
  type BudgetLedger,
  type CounterBackend,
  DatabaseLedger,
  MemoryCounters,
  RedisCounters,
  RedisLedger,
} from './backends.ts';
import { Limits } from './limits.ts';
import { PriceBook, type PriceTable } from './prices.ts';

/** Everything the limits stage needs at run time, built from the config and the core services. */
export interface LimitsRuntime {
  limits: Limits;
  prices: PriceBook;
  /** Rate-limit counters (memory, or Redis shared by replicas), for other per-request limits such as client tokens. */
  counters: CounterBackend;
  /** Re-reads the stored price table (after an edit here or on another replica). */
  reloadPrices(): Promise<void>;
  /** For /readyz: throws when configured counters or events cannot be reached. */
  check(): Promise<void>;
  close(): void;
}

const PURGE_EVERY_MS = 3_600_000;

export async function startLimits(
  config: Config,
  core: CoreServices,
  log: Logger,
  registry?: Registry,
): Promise<LimitsRuntime> {
  const redis = core.redis;
  const prefix = config.redis.keyPrefix;
  if (redis) {
    // Waits briefly so the first requests do not meet a connection still being set up; an unreachable Redis
    // does not stop the start: requests that need it are refused with 503 and /readyz says why until it returns.
    if (!(await connectSoon(redis, config.redis.connectTimeoutMs))) {
      log.error('Redis not reachable at start-up; limit checks refuse requests until it is');
    }
    if (core.events instanceof RedisEventBus) await core.events.ready();
  }
  const counters: CounterBackend = redis ? new RedisCounters(redis, prefix) : new MemoryCounters();
  const wanted = config.limits.budgetStore === 'auto' ? (redis ? 'redis' : 'database') : config.limits.budgetStore;
  if (wanted === 'redis' && !redis) throw new Error('limits.budgetStore is redis but redis.url is not set');
  const ledger: BudgetLedger =
    wanted === 'redis' ? new RedisLedger(redis!, prefix) : new DatabaseLedger(core.store.limits);

  const prices = new PriceBook(config.pricing);
  const storedPrices = async (): Promise<PriceTable> => {
    const table: PriceTable = {};
    for (const p of await core.store.limits.prices(DEFAULT_TENANT)) {
      table[p.pattern] = { inputPerMTok: p.inputPerMTok, outputPerMTok: p.outputPerMTok };
    }
    return table;
  };
  const limits = new Limits({
    config: config.limits,
    counters,
    ledger,
    prices,
    log,
    storedPrices,
    ...(registry ? { registry } : {}),
  });
  const reloadPrices = () => limits.reloadPrices();
  await reloadPrices();
  const off = core.events.subscribe((e) => {
    if (e.type === 'config.changed' && e.id === 'prices') {
      reloadPrices().catch((err: Error) => log.error({ err: err.message }, 'price table reload failed'));
    }
  });
  const offResync = core.events.onResync(() => {
    reloadPrices().catch((err: Error) => log.error({ err: err.message }, 'price table reload failed'));
  });

  // Ledger rows of long-past periods are useless; the database ledger would otherwise grow a row per line per day.
  const purge = setInterval(() => {
    if (ledger.kind !== 'database') return;
    core.store.limits
      .purgeLedger(Date.now())
      .catch((err: Error) => log.warn({ err: err.message }, 'ledger purge failed'));
  }, PURGE_EVERY_MS);
  purge.unref();

  return {
    limits,
    prices,
    counters,
    reloadPrices,
    async check() {
      if (!redis) return;
      try {
        await counters.check();
      } catch {
        throw new Error('counter store (Redis) unreachable');
      }
      await core.events.check();
    },
    close() {
      clearInterval(purge);
      off();
      offResync();
    },
  };
}
