import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../src/util/lines.ts';

async function collect(chunks: Array<Buffer | string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of splitLines(Readable.from(chunks))) out.push(line);
  return out;
}

describe('splitLines', () => {
  it('splits at \\n only, keeping U+2028 and U+2029 inside a line, and drops a trailing \\r', async () => {
    expect(await collect(['a\u2028b\r\nc\u2029d\n', 'e\n'])).toEqual(['a\u2028b', 'c\u2029d', 'e']);
  });

  it('joins a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from('héllo \u2028 wörld\nzwei\n', 'utf8');
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    expect(await collect(chunks)).toEqual(['héllo \u2028 wörld', 'zwei']);
  });

  it('drops a byte-order mark at the start of the stream, also when it arrives in pieces', async () => {
    const bytes = Buffer.from('\ufeff{"text":"a"}\n{"text":"b"}\n', 'utf8');
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)])).toEqual([
      '{"text":"a"}',
      '{"text":"b"}',
    ]);
    expect(await collect(['x\n\ufeffy\n'])).toEqual(['x', '\ufeffy']);
  });

  it('gives the last line without a final newline, and keeps empty lines in between', async () => {
    expect(await collect(['one\n\nthree'])).toEqual(['one', '', 'three']);
    expect(await collect([''])).toEqual([]);
  });
});
