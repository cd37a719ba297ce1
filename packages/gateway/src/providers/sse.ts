// A small Server-Sent Events parser (the WHATWG event-stream format). Network chunks split lines,
// CRLF pairs and multi-byte characters at arbitrary points, so all state lives between pushes.

export interface SseEvent {
  /** The `event:` field, or `message` when the event named none. */
  event: string;
  /** The `data:` lines of the event joined with `\n`. */
  data: string;
  id?: string;
  retry?: number;
}

export interface SseParserOptions {
  /** A line longer than this is treated as a broken stream instead of buffering without bound. */
  maxLineLength?: number;
}

export class SseLineTooLongError extends Error {
  constructor(limit: number) {
    super(`SSE line exceeds ${limit} characters`);
    this.name = 'SseLineTooLongError';
  }
}

const DEFAULT_MAX_LINE = 4 * 1024 * 1024;

export class SseParser {
  #buf = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  #retry: number | undefined;
  #started = false;
  /** The previous push ended on `\r`; a `\n` opening the next push completes that CRLF. */
  #pendingCr = false;
  readonly #maxLine: number;

  constructor(opts: SseParserOptions = {}) {
    this.#maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE;
  }

  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    if (text.length === 0) return out;
    if (!this.#started) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#pendingCr) {
      this.#pendingCr = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    const buf = this.#buf.length > 0 ? this.#buf + text : text;
    let start = 0;
    let nextLf = buf.indexOf('\n');
    let nextCr = buf.indexOf('\r');
    while (nextLf !== -1 || nextCr !== -1) {
      let lineEnd: number;
      let next: number;
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
        lineEnd = nextCr;
        if (nextCr + 1 === buf.length) {
          this.#pendingCr = true;
          next = nextCr + 1;
        } else {
          next = buf.charCodeAt(nextCr + 1) === 10 ? nextCr + 2 : nextCr + 1;
        }
      } else {
        lineEnd = nextLf;
        next = nextLf + 1;
      }
      this.#line(buf.slice(start, lineEnd), out);
      start = next;
      // Rescan only for the separator that was consumed, keeping this linear in the buffer size.
      if (nextLf !== -1 && nextLf < start) nextLf = buf.indexOf('\n', start);
      if (nextCr !== -1 && nextCr < start) nextCr = buf.indexOf('\r', start);
    }
    this.#buf = start === 0 ? buf : buf.slice(start);
    if (this.#buf.length > this.#maxLine) {
      this.#buf = '';
      throw new SseLineTooLongError(this.#maxLine);
    }
    return out;
  }

  /**
   * Ends the stream. A final event without its blank line is still delivered: several servers close
   * right after `data: [DONE]\n`, and dropping that would read as a truncated stream.
   */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.#buf.length > 0) {
      this.#line(this.#buf, out);
      this.#buf = '';
    }
    this.#line('', out);
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      if (this.#data.length > 0) {
        const ev: SseEvent = { event: this.#event || 'message', data: this.#data.join('\n') };
        if (this.#id !== undefined) ev.id = this.#id;
        if (this.#retry !== undefined) ev.retry = this.#retry;
        out.push(ev);
      }
      this.#data = [];
      this.#event = '';
      this.#retry = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    }
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break;
    }
  }
}

/** Decodes a byte stream (UTF-8, characters may straddle chunks) into SSE events. */
export async function* readSseEvents(
  source: AsyncIterable<Uint8Array | string>,
  opts: SseParserOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const parser = new SseParser(opts);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (const ev of parser.push(text)) yield ev;
  }
  const tail = decoder.decode();
  if (tail) for (const ev of parser.push(tail)) yield ev;
  for (const ev of parser.end()) yield ev;
}
