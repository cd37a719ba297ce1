// Line splitting for streamed input (JSONL records, git output).

import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * A stream's lines, split at "\n" only (a trailing "\r" dropped). Not node:readline: it also ends a line at U+2028
 * and U+2029, which JSON strings and source files may carry raw, so one JSONL record became several (and every
 * later answer of `guard --jsonl` landed on the wrong line) and one added diff line lost its "+".
 */
export async function* splitLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const cut = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);
  let first = true;
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    // A byte-order mark opens some files written on Windows; it is not part of the first record.
    if (first && pending !== '') {
      if (pending.charCodeAt(0) === 0xfeff) pending = pending.slice(1);
      first = false;
    }
    let nl = pending.indexOf('\n');
    let from = 0;
    while (nl >= 0) {
      yield cut(pending.slice(from, nl));
      from = nl + 1;
      nl = pending.indexOf('\n', from);
    }
    pending = pending.slice(from);
  }
  pending += decoder.end();
  if (pending !== '') yield cut(pending);
}
