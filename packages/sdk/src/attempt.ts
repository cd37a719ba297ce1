// One HTTP attempt's cancellation: the caller's signal and the client's own timeout feed one AbortController, and
// whichever fired decides the error class (AbortError, TimeoutError, or else ConnectionError).

import { AbortError, ConnectionError, PortcullisError, TimeoutError } from './errors.ts';

export class Attempt {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;
  readonly #onCallerAbort = () => this.#controller.abort(this.#callerSignal?.reason);

  constructor(callerSignal: AbortSignal | undefined, timeoutMs: number) {
    this.#callerSignal = callerSignal;
    this.#timeoutMs = timeoutMs;
    if (callerSignal?.aborted) this.#controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    this.arm();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** (Re)starts the timeout: for a stream it measures silence between chunks, not the whole answer. */
  arm(): void {
    this.disarm();
    if (!Number.isFinite(this.#timeoutMs)) return;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error('timeout'));
    }, this.#timeoutMs);
  }

  disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Cancels the request, e.g. when the caller stops reading a stream. */
  abort(): void {
    this.#controller.abort(new Error('cancelled'));
  }

  dispose(): void {
    this.disarm();
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** Turns what fetch or a body read threw into the typed error. */
  classify(err: unknown, what: string): PortcullisError {
    if (err instanceof PortcullisError) return err;
    if (this.#callerSignal?.aborted) {
      return new AbortError({ code: 'aborted', message: `${what} was aborted by the caller`, cause: err });
    }
    if (this.#timedOut) {
      return new TimeoutError({
        code: 'timeout',
        message: `${what} timed out after ${this.#timeoutMs} ms`,
        cause: err,
      });
    }
    // fetch reports every network failure as a bare TypeError; the detail (ECONNRESET, …) is in its cause.
    const detail = describeCause(err);
    return new ConnectionError({
      code: 'connection_error',
      message: `${what} failed: could not reach the gateway or the connection broke${detail ? ` (${detail})` : ''}`,
      cause: err,
    });
  }
}

function describeCause(err: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return '';
}
