// A streamed execute: an async iterable of `delta` events and one final `done` event.

import type { Attempt } from './attempt.ts';
import { ConnectionError, makeError, PortcullisError, statusForCode } from './errors.ts';
import { SseParser } from './sse.ts';
import type { DoneEvent, ExecuteResult, ExecuteStreamEvent } from './types.ts';

export interface StreamSource {
  response: Response;
  attempt: Attempt;
  requestId: string | undefined;
  redact: (text: string) => string;
}

export class ExecuteStream implements AsyncIterable<ExecuteStreamEvent> {
  /** The gateway's request id (from the `x-request-id` header), known as soon as the stream opened. */
  readonly requestId: string | undefined;
  readonly response: Response;
  readonly #src: StreamSource;
  #started = false;

  constructor(src: StreamSource) {
    this.#src = src;
    this.response = src.response;
    this.requestId = src.requestId;
  }

  /** Single use. Leaving the loop early (`break`, `return`, a throw) cancels the HTTP request. */
  [Symbol.asyncIterator](): AsyncIterator<ExecuteStreamEvent> {
    if (this.#started) throw new Error('An ExecuteStream can be iterated only once');
    this.#started = true;
    return this.#events();
  }

  /** Reads the whole stream and returns the final result, `output` holding the full text. */
  async finalResult(): Promise<ExecuteResult> {
    for await (const ev of this) {
      if (ev.type === 'done') {
        const { type: _type, ...result } = ev;
        return result;
      }
    }
    // #events throws rather than finishing without a done event.
    throw new Error('unreachable');
  }

  /** Reads the whole stream and returns the generated text. */
  async finalText(): Promise<string> {
    return (await this.finalResult()).output;
  }

  /** Stops the stream without reading it (needed only when it is never iterated). */
  cancel(): void {
    this.#started = true;
    this.#src.attempt.abort();
    this.#src.attempt.dispose();
    this.#src.response.body?.cancel().catch(() => {});
  }

  async *#events(): AsyncGenerator<ExecuteStreamEvent> {
    const { response, attempt } = this.#src;
    const what = 'The execute stream';
    let finished = false;
    try {
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A gateway (or a proxy) that answered with the whole result as JSON: present it as one delta and done.
        let body: unknown;
        try {
          body = await response.json();
        } catch (err) {
          throw this.#invalid('The gateway answered the stream request with neither events nor JSON', err);
        }
        const done = this.#done(body, '');
        if (done.output) yield { type: 'delta', text: done.output };
        finished = true;
        yield done;
        return;
      }
      const body = response.body;
      if (!body) throw this.#invalid('The gateway answered the stream request without a body');
      const reader = body.getReader();
      const parser = new SseParser();
      let output = '';
      try {
        for (;;) {
          let chunk: Awaited<ReturnType<typeof reader.read>>;
          attempt.arm();
          try {
            chunk = await reader.read();
          } catch (err) {
            throw attempt.classify(err, what);
          } finally {
            // The timeout measures the gateway's silence, not the time the caller spends on each event.
            attempt.disarm();
          }
          const events = chunk.done ? parser.end() : parser.push(chunk.value);
          for (const ev of events) {
            if (ev.event === 'delta') {
              const text = this.#parse(ev.data)['text'];
              if (typeof text !== 'string') throw this.#invalid('A delta event without text');
              output += text;
              yield { type: 'delta', text };
            } else if (ev.event === 'done') {
              finished = true;
              yield this.#done(this.#parse(ev.data), output);
              return;
            } else if (ev.event === 'error') {
              throw this.#streamError(this.#parse(ev.data));
            }
            // Other events (future additions) are skipped.
          }
          if (chunk.done) break;
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      throw new ConnectionError({
        code: 'incomplete_stream',
        message: `${what} ended before its done event`,
        requestId: this.requestId,
      });
    } finally {
      // Reached on completion, on errors and when the consumer leaves the loop early: aborting the fetch closes the
      // connection, which the gateway takes as the caller going away and stops the model call.
      if (!finished) attempt.abort();
      attempt.dispose();
    }
  }

  #done(data: unknown, streamedOutput: string): DoneEvent {
    if (typeof data !== 'object' || data === null) throw this.#invalid('A done event that is not an object');
    const d = data as Partial<ExecuteResult>;
    return {
      type: 'done',
      ...d,
      output: typeof d.output === 'string' && streamedOutput === '' ? d.output : streamedOutput,
      requestId: d.requestId ?? this.requestId ?? '',
      findings: d.findings ?? [],
      replayed: false,
    } as DoneEvent;
  }

  #streamError(data: Record<string, unknown>): PortcullisError {
    const e = (typeof data['error'] === 'object' && data['error'] !== null ? data['error'] : {}) as Record<
      string,
      unknown
    >;
    const code = typeof e['code'] === 'string' ? e['code'] : 'stream_error';
    const message = typeof e['message'] === 'string' ? e['message'] : 'The gateway ended the stream with an error';
    const requestId = typeof data['requestId'] === 'string' ? data['requestId'] : this.requestId;
    return makeError({
      status: statusForCode(code),
      code,
      message: this.#src.redact(message),
      type: typeof e['type'] === 'string' ? e['type'] : undefined,
      requestId,
      param: typeof e['param'] === 'string' ? e['param'] : undefined,
    });
  }

  #parse(data: string): Record<string, unknown> {
    try {
      const v: unknown = JSON.parse(data);
      if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
    } catch (err) {
      throw this.#invalid('An event whose data is not JSON', err);
    }
    throw this.#invalid('An event whose data is not a JSON object');
  }

  #invalid(message: string, cause?: unknown): PortcullisError {
    return new PortcullisError({ code: 'invalid_response', message, requestId: this.requestId, cause });
  }
}
