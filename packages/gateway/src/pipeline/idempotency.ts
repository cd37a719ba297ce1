import { createHash } from 'node:crypto';
import { GatewayError } from '../http/errors.ts';

// A retried execute must not run (and bill) twice. The first call with a key runs; retries with the same key and
// body get its result; a different body, or a retry while the first is still running, is a conflict.
// Embedded: this process's memory. Scaled out: Redis (idempotency-redis.ts), so a retry that lands on another
// replica is still recognised.

export const TTL_MS = 24 * 3_600_000;
const MAX_ENTRIES = 10_000;
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

type Entry = { bodyHash: string; until: number } & ({ state: 'running' } | { state: 'done'; result: unknown });

export interface Idempotency {
  run<T>(scope: string, key: string, body: unknown, fn: () => Promise<T>): Promise<{ result: T; replayed: boolean }>;
}

export const inFlight = () =>
  new GatewayError('idempotency_conflict', 'A request with this Idempotency-Key is still running; retry shortly', {
    retryAfterS: 1,
  });
export const otherBody = () =>
  new GatewayError('idempotency_conflict', 'This Idempotency-Key was already used with a different request body');

export class IdempotencyCache implements Idempotency {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static bodyHash(body: unknown): string {
    return createHash('sha256').update(JSON.stringify(body)).digest('base64url');
  }

  /**
   * Runs `fn` once per (scope, key). `scope` names the caller, so two callers can never see each other's results.
   * Returns the result and whether it was replayed.
   */
  async run<T>(
    scope: string,
    key: string,
    body: unknown,
    fn: () => Promise<T>,
  ): Promise<{ result: T; replayed: boolean }> {
    const id = `${scope}\u0000${key}`;
    const bodyHash = IdempotencyCache.bodyHash(body);
    const now = this.#now();
    const seen = this.#entries.get(id);
    if (seen && seen.until > now) {
      if (seen.bodyHash !== bodyHash) throw otherBody();
      if (seen.state === 'running') throw inFlight();
      return { result: seen.result as T, replayed: true };
    }
    this.#evict(now);
    this.#entries.set(id, { state: 'running', bodyHash, until: now + TTL_MS });
    try {
      const result = await fn();
      this.#entries.set(id, { state: 'done', result, bodyHash, until: now + TTL_MS });
      return { result, replayed: false };
    } catch (err) {
      // A failed call may be retried for real: forget it.
      this.#entries.delete(id);
      throw err;
    }
  }

  #evict(now: number): void {
    if (this.#entries.size < MAX_ENTRIES) return;
    for (const [id, e] of this.#entries) {
      if (e.until <= now || this.#entries.size >= MAX_ENTRIES) this.#entries.delete(id);
      if (this.#entries.size < MAX_ENTRIES * 0.9) break;
    }
  }
}
