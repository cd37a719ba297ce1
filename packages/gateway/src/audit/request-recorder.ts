import type { Logger } from 'pino';
import type { RequestLogStore, RequestRecord } from '../store/types.ts';

/**
 * Buffers request records and appends them in order, in batches: one transaction per batch
 * keeps the write cost per request small while every request still leaves a record.
 */
export class RequestRecorder {
  readonly #store: RequestLogStore;
  readonly #log: Logger;
  readonly #maxBatch: number;
  readonly #timer: NodeJS.Timeout;
  #buffer: RequestRecord[] = [];
  #flushing: Promise<void> = Promise.resolve();
  #failures = 0;

  constructor(store: RequestLogStore, log: Logger, opts: { flushIntervalMs: number; maxBatch: number }) {
    this.#store = store;
    this.#log = log;
    this.#maxBatch = opts.maxBatch;
    this.#timer = setInterval(() => void this.flush(), Math.max(opts.flushIntervalMs, 10));
    this.#timer.unref();
  }

  record(rec: RequestRecord): void {
    this.#buffer.push(rec);
    if (this.#buffer.length >= this.#maxBatch) void this.flush();
  }

  get pending(): number {
    return this.#buffer.length;
  }

  /** Consecutive failed flushes; readiness reports the gateway unhealthy while this is non-zero. */
  get failures(): number {
    return this.#failures;
  }

  flush(): Promise<void> {
    // Chained so batches are written in the order they were recorded.
    this.#flushing = this.#flushing.then(async () => {
      if (this.#buffer.length === 0) return;
      const batch = this.#buffer;
      this.#buffer = [];
      try {
        await this.#store.append(batch);
        this.#failures = 0;
      } catch (err) {
        this.#failures++;
        // Keep the records and retry on the next tick rather than lose them.
        this.#buffer = batch.concat(this.#buffer);
        this.#log.error({ err: (err as Error).message, pending: this.#buffer.length }, 'request log write failed');
      }
    });
    return this.#flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
