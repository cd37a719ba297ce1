import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RedisClient } from '../events/redis.ts';
import type { BudgetLine, BudgetState, LimitsStore, ReserveResult } from '../store/sql-limits.ts';

// Where counters live. Embedded: rate-limit windows in this process's memory, budget spend in the database (so a
// restart does not forget what was spent). Scaled out: both in Redis, where every replica sees the same numbers
// and each check-and-increment is one atomic command or script.

export interface LimiterSpec {
  /** Distinguishes one rule's counters from another's. */
  name: string;
  points: number;
  durationS: number;
}

export interface CounterBackend {
  readonly kind: 'memory' | 'redis';
  limiter(spec: LimiterSpec): RateLimiterAbstract;
  /** Throws when counters cannot be reached (readiness, and a fast refusal before any command is sent). */
  check(): Promise<void>;
}

export class MemoryCounters implements CounterBackend {
  readonly kind = 'memory' as const;
  limiter(spec: LimiterSpec): RateLimiterAbstract {
    return new RateLimiterMemory({ points: spec.points, duration: spec.durationS, keyPrefix: spec.name });
  }
  async check(): Promise<void> {}
}

export class RedisCounters implements CounterBackend {
  readonly kind = 'redis' as const;
  readonly #client: RedisClient;
  readonly #prefix: string;
  constructor(client: RedisClient, prefix: string) {
    this.#client = client;
    this.#prefix = prefix;
  }
  limiter(spec: LimiterSpec): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.#client,
      points: spec.points,
      duration: spec.durationS,
      keyPrefix: `${this.#prefix}rl:${spec.name}`,
      // Fail closed at once while disconnected, rather than waiting on a command that cannot be sent.
      rejectIfRedisNotReady: true,
    });
  }
  async check(): Promise<void> {
    if (this.#client.status !== 'ready') throw new Error(`counter store (Redis) is ${this.#client.status}`);
    await this.#client.ping();
  }
}

/** Budget spend per line (scope + id + period). Amounts are integer micro-dollars. */
export interface BudgetLedger {
  readonly kind: 'database' | 'redis';
  reserve(lines: readonly BudgetLine[], micro: number): Promise<ReserveResult>;
  settle(lines: readonly string[], reservedMicro: number, actualMicro: number): Promise<number[]>;
  state(lines: readonly string[]): Promise<BudgetState[]>;
}

export class DatabaseLedger implements BudgetLedger {
  readonly kind = 'database' as const;
  readonly #store: LimitsStore;
  constructor(store: LimitsStore) {
    this.#store = store;
  }
  reserve(lines: readonly BudgetLine[], micro: number): Promise<ReserveResult> {
    return this.#store.reserve(lines, micro);
  }
  settle(lines: readonly string[], reservedMicro: number, actualMicro: number): Promise<number[]> {
    return this.#store.settle(lines, reservedMicro, actualMicro);
  }
  state(lines: readonly string[]): Promise<BudgetState[]> {
    return this.#store.budgetState(lines);
  }
}

// Every line is a hash { s: spent, r: reserved }. The reserve script checks all lines first and only then adds the
// reservation to each, so a request is booked against all of its budgets or none; Redis runs a script alone, so no
// other replica's reservation can interleave between the check and the increment.
const RESERVE_LUA = `
local amt = tonumber(ARGV[1])
local n = #KEYS
for i = 1, n do
  local s = tonumber(redis.call('HGET', KEYS[i], 's') or '0')
  local r = tonumber(redis.call('HGET', KEYS[i], 'r') or '0')
  if s + r + amt > tonumber(ARGV[1 + i]) then return {i, s, r} end
end
for i = 1, n do
  redis.call('HINCRBY', KEYS[i], 'r', amt)
  redis.call('PEXPIREAT', KEYS[i], ARGV[1 + n + i])
end
return {0, 0, 0}
`;

const SETTLE_LUA = `
local res = tonumber(ARGV[1])
local act = tonumber(ARGV[2])
local out = {}
for i = 1, #KEYS do
  local r = redis.call('HINCRBY', KEYS[i], 'r', -res)
  if r < 0 then redis.call('HSET', KEYS[i], 'r', 0) end
  out[i] = redis.call('HINCRBY', KEYS[i], 's', act)
end
return out
`;

type ScriptClient = RedisClient & {
  pcxReserve(n: number, ...args: Array<string | number>): Promise<[number, number, number]>;
  pcxSettle(n: number, ...args: Array<string | number>): Promise<number[]>;
};

export class RedisLedger implements BudgetLedger {
  readonly kind = 'redis' as const;
  readonly #client: ScriptClient;
  readonly #prefix: string;
  constructor(client: RedisClient, prefix: string) {
    // EVALSHA with a fallback to EVAL: the script body crosses the network once per connection.
    if (!('pcxReserve' in client)) {
      client.defineCommand('pcxReserve', { lua: RESERVE_LUA });
      client.defineCommand('pcxSettle', { lua: SETTLE_LUA });
    }
    this.#client = client as ScriptClient;
    this.#prefix = `${prefix}budget:`;
  }
  async reserve(lines: readonly BudgetLine[], micro: number): Promise<ReserveResult> {
    if (lines.length === 0) return { ok: true };
    const keys = lines.map((l) => this.#prefix + l.line);
    const [i, s, r] = await this.#client.pcxReserve(
      keys.length,
      ...keys,
      micro,
      ...lines.map((l) => l.limitMicro),
      ...lines.map((l) => l.expiresAt),
    );
    if (i === 0) return { ok: true };
    return { ok: false, index: i - 1, spentMicro: Number(s), reservedMicro: Number(r) };
  }
  async settle(lines: readonly string[], reservedMicro: number, actualMicro: number): Promise<number[]> {
    if (lines.length === 0) return [];
    const keys = lines.map((l) => this.#prefix + l);
    const out = await this.#client.pcxSettle(keys.length, ...keys, reservedMicro, actualMicro);
    return out.map(Number);
  }
  async state(lines: readonly string[]): Promise<BudgetState[]> {
    const pipe = this.#client.pipeline();
    for (const l of lines) pipe.hmget(this.#prefix + l, 's', 'r');
    const res = (await pipe.exec()) ?? [];
    return res.map(([err, v]) => {
      if (err) throw err;
      const [s, r] = v as [string | null, string | null];
      return { spentMicro: Number(s ?? 0), reservedMicro: Number(r ?? 0) };
    });
  }
}
