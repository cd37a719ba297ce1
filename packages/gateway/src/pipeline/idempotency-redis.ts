import { createHash } from 'node:crypto';
import type { RedisClient } from '../events/redis.ts';
import { GatewayError } from '../http/errors.ts';
import type { SecretBox } from '../security/envelope.ts';
import { type Idempotency, IdempotencyCache, inFlight, otherBody, TTL_MS } from './idempotency.ts';

// The scaled-out idempotency store. The first replica to SET NX the key runs the call; the others see "running"
// or the stored result. A stored result is an answer the caller received (personal data restored), so it is
// sealed with the data key before it leaves the process, and it expires with the key.

/** Results bigger than this are not kept (a retry then runs again, which is still safe with respect to billing). */
const MAX_RESULT_BYTES = 512 * 1024;

interface Stored {
  s: 'running' | 'done';
  b: string;
  /** Sealed JSON of the result, when done. */
  r?: string;
}

export class RedisIdempotency implements Idempotency {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #box: SecretBox;

  constructor(redis: RedisClient, prefix: string, box: SecretBox) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#box = box;
  }

  async run<T>(
    scope: string,
    key: string,
    body: unknown,
    fn: () => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }> {
    const id = createHash('sha256').update(`${scope}\u0000${key}`).digest('base64url');
    const redisKey = `${this.#prefix}idem:${id}`;
    const bodyHash = IdempotencyCache.bodyHash(body);
    let claimed: string | null;
    try {
      claimed = await this.#redis.set(
        redisKey,
        JSON.stringify({ s: 'running', b: bodyHash } satisfies Stored),
        'PX',
        TTL_MS,
        'NX',
      );
    } catch (err) {
      throw new GatewayError('unavailable', 'The idempotency store cannot be reached; try again shortly', {
        cause: err,
      });
    }
    if (claimed !== 'OK') {
      const raw = await this.#redis.get(redisKey);
      if (raw === null) return this.run(scope, key, body, fn); // expired between the two commands
      const seen = JSON.parse(raw) as Stored;
      if (seen.b !== bodyHash) throw otherBody();
      if (seen.s === 'running' || !seen.r) throw inFlight();
      return { result: JSON.parse(this.#box.decrypt(seen.r, `idem:${id}`)) as T, replayed: true };
    }
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      // A failed call may be retried for real: forget it.
      await this.#redis.del(redisKey).catch(() => {});
      throw err;
    }
    const json = JSON.stringify(result);
    if (json.length > MAX_RESULT_BYTES) {
      await this.#redis.del(redisKey).catch(() => {});
    } else {
      const stored: Stored = { s: 'done', b: bodyHash, r: this.#box.encrypt(json, `idem:${id}`) };
      await this.#redis.set(redisKey, JSON.stringify(stored), 'PX', TTL_MS, 'XX').catch(() => {});
    }
    return { result, replayed: false };
  }
}
