import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from '../src/sse.ts';

const enc = new TextEncoder();

function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

/** Every way to cut `bytes` in two, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [];
  for (let i = 0; i <= bytes.length; i++) ways.push([bytes.slice(0, i), bytes.slice(i)]);
  ways.push(Array.from(bytes, (b) => Uint8Array.of(b)));
  return ways;
}

const STREAM =
  '\uFEFF: keep-alive comment\r\n' +
  'event: delta\r\ndata: {"text":"Grüße 👋"}\r\n\r\n' +
  'event:delta\ndata:{"text":"a"}\n\n' +
  'event: delta\rdata: {"text":\rdata: "b"}\r\r' +
  ': another comment\n' +
  'id: 7\nretry: 1000\nunknown: x\ndata\n\n' +
  'event: done\ndata: {"usage":{}}\n\n';

const EXPECTED: SseEvent[] = [
  { event: 'delta', data: '{"text":"Grüße 👋"}', id: undefined },
  { event: 'delta', data: '{"text":"a"}', id: undefined },
  { event: 'delta', data: '{"text":\n"b"}', id: undefined },
  { event: 'message', data: '', id: '7' },
  { event: 'done', data: '{"usage":{}}', id: '7' },
];

describe('SseParser', () => {
  it('parses CRLF, CR and LF line ends, comments, multi-line data, a BOM and fields without a value', () => {
    expect(parseChunks([enc.encode(STREAM)])).toEqual(EXPECTED);
  });

  it('gives the same events however the bytes are split (inside lines, CRLF pairs and UTF-8 characters)', () => {
    const bytes = enc.encode(STREAM);
    for (const chunks of splits(bytes)) expect(parseChunks(chunks)).toEqual(EXPECTED);
  });

  it('does not dispatch an event without data, and drops an unterminated last event', () => {
    expect(parseChunks([enc.encode('event: delta\n\nevent: done\ndata: {}')])).toEqual([]);
  });

  it('strips only one space after the colon', () => {
    expect(parseChunks([enc.encode('data:  two spaces\n\n')])).toEqual([
      { event: 'message', data: ' two spaces', id: undefined },
    ]);
  });

  it('treats a lone CR at a chunk end followed by a non-LF as one line break', () => {
    const events = parseChunks([enc.encode('data: a\r'), enc.encode('\rdata: b\r'), enc.encode('\n\n')]);
    expect(events).toEqual([
      { event: 'message', data: 'a', id: undefined },
      { event: 'message', data: 'b', id: undefined },
    ]);
  });
});
