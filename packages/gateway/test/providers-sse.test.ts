import { describe, expect, it } from 'vitest';
import { readSseEvents, type SseEvent, SseLineTooLongError, SseParser } from '../src/providers/sse.ts';

function parseInPieces(text: string, cuts: number[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  let last = 0;
  for (const c of [...cuts, text.length]) {
    out.push(...p.push(text.slice(last, c)));
    last = c;
  }
  out.push(...p.end());
  return out;
}

const STREAM =
  ': comment line\r\n' +
  'event: message_start\r\n' +
  'data: {"a":1}\r\n' +
  '\r\n' +
  'data: line one\n' +
  'data: line two\n' +
  'id: 7\n' +
  '\n' +
  'event: custom\r' +
  'data:no-space\r' +
  '\r' +
  'data: [DONE]\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { event: 'message', data: 'line one\nline two', id: '7' },
  { event: 'custom', data: 'no-space', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

describe('SseParser', () => {
  it('parses CRLF, LF and CR line endings, comments, multi-line data and ids', () => {
    expect(parseInPieces(STREAM, [])).toEqual(EXPECTED);
  });

  it('gives the same events however the stream is split (every single cut point)', () => {
    for (let i = 1; i < STREAM.length; i++) {
      expect(parseInPieces(STREAM, [i]), `cut at ${i}`).toEqual(EXPECTED);
    }
  });

  it('gives the same events when fed one character at a time', () => {
    const cuts = Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1);
    expect(parseInPieces(STREAM, cuts)).toEqual(EXPECTED);
  });

  it('treats a CR at the end of one push and LF at the start of the next as one line break', () => {
    const p = new SseParser();
    expect(p.push('data: x\r')).toEqual([]);
    // If the LF were taken as a second (empty) line, the event would be dispatched here.
    expect(p.push('\ndata: y\r\n')).toEqual([]);
    expect(p.push('\r\n')).toEqual([{ event: 'message', data: 'x\ny' }]);
  });

  it('skips a leading BOM and events without data, and delivers a final event lacking its blank line', () => {
    const p = new SseParser();
    expect(p.push('\uFEFFevent: ping\n\n')).toEqual([]);
    expect(p.push('data: last')).toEqual([]);
    expect(p.end()).toEqual([{ event: 'message', data: 'last' }]);
  });

  it('refuses an unbounded line instead of buffering forever', () => {
    const p = new SseParser({ maxLineLength: 100 });
    expect(() => p.push(`data: ${'x'.repeat(200)}`)).toThrow(SseLineTooLongError);
  });
});

describe('readSseEvents', () => {
  it('decodes UTF-8 characters split across byte chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo → 世界 🎉\n\n');
    async function* oneByteAtATime() {
      for (const b of bytes) yield Uint8Array.of(b);
    }
    const events: SseEvent[] = [];
    for await (const ev of readSseEvents(oneByteAtATime())) events.push(ev);
    expect(events).toEqual([{ event: 'message', data: 'héllo → 世界 🎉' }]);
  });
});
