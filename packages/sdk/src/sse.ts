// A server-sent events parser per the WHATWG EventSource rules. Network chunks can split anywhere — inside a
// line, between `\r` and `\n`, inside a multi-byte UTF-8 character — so decoding and line splitting both carry state
// across chunks.

export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  /** Every `data:` line of the event joined with `\n`. */
  data: string;
  id: string | undefined;
}

export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  #line = '';
  /** The previous chunk ended in `\r`: a `\n` starting the next one belongs to that line break. */
  #pendingCr = false;
  #first = true;
  #event = '';
  #data: string[] = [];
  #id: string | undefined;

  /** Feeds raw bytes; returns the events they complete. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.#feed(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Ends the input. A final event without its terminating blank line is dropped, as EventSource does. */
  end(): SseEvent[] {
    const events = this.#feed(this.#decoder.decode());
    this.#line = '';
    this.#data = [];
    return events;
  }

  #feed(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let s = text;
    if (this.#first && s.length > 0) {
      this.#first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let i = 0;
    if (this.#pendingCr && s.length > 0) {
      this.#pendingCr = false;
      if (s[0] === '\n') i = 1;
    }
    while (i < s.length) {
      const cr = s.indexOf('\r', i);
      const lf = s.indexOf('\n', i);
      let end: number;
      if (cr === -1 && lf === -1) {
        this.#line += s.slice(i);
        break;
      }
      if (cr === -1) end = lf;
      else if (lf === -1) end = cr;
      else end = Math.min(cr, lf);
      const line = this.#line + s.slice(i, end);
      this.#line = '';
      if (s[end] === '\r') {
        if (end + 1 < s.length) i = s[end + 1] === '\n' ? end + 2 : end + 1;
        else {
          this.#pendingCr = true;
          i = end + 1;
        }
      } else {
        i = end + 1;
      }
      const ev = this.#processLine(line);
      if (ev) events.push(ev);
    }
    return events;
  }

  #processLine(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line[0] === ':') return undefined; // comment, e.g. a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    // `retry` and unknown fields are ignored: the client does not reconnect on its own.
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const event = this.#event || 'message';
    const hadData = this.#data.length > 0;
    const data = this.#data.join('\n');
    this.#event = '';
    this.#data = [];
    if (!hadData) return undefined;
    return { event, data, id: this.#id };
  }
}
