// Scanning a streamed response as it arrives. The scanner keeps the last `window` characters of what it has seen
// and rescans them together with each new chunk, so anything up to `window` characters long is seen whole however
// the stream was cut (a canary split across three chunks, a secret whose prefix arrived a second earlier).
//
// It tells the caller which text may be released: everything except the last `window` characters, until the
// stream ends. That gives one guarantee the gateway relies on: a match of at most `window` characters is reported
// in the same update that first releases any part of it, or earlier, so the caller can still mask or block it.
//
// Each finding is reported once, with offsets in the whole stream; a later, longer sighting of something already
// reported (a <script> element whose closing tag arrived later) is not reported again.

import type { Finding } from '../types.ts';

export interface StreamScannerOptions {
  /** Characters kept between scans; at least the longest thing to catch. Default 256. */
  window?: number;
  /** The checks to run; offsets in its findings are relative to the text it is given. Must be pure. */
  scan: (text: string) => Finding[];
}

export interface StreamUpdate {
  /** Findings first seen in this update, offsets in the whole stream. */
  findings: Finding[];
  /** Text that may now be released, which starts at `releaseStart` in the whole stream. */
  release: string;
  releaseStart: number;
  /** Everything before this offset has been released. */
  released: number;
}

export interface StreamScanner {
  push(chunk: string): StreamUpdate;
  /** Ends the stream: releases the rest. Pushing after `end` throws. */
  end(): StreamUpdate;
  /** Characters received so far. */
  readonly length: number;
  /** Every finding reported so far. */
  readonly findings: readonly Finding[];
}

export function createStreamScanner(options: StreamScannerOptions): StreamScanner {
  const window = options.window ?? 256;
  if (!Number.isInteger(window) || window < 1) throw new Error('window must be a positive integer');
  const scan = options.scan;
  /** Unscanned-or-retained text: the stream from `bufferStart` on. */
  let buffer = '';
  let bufferStart = 0;
  let released = 0;
  let ended = false;
  const reported: Finding[] = [];

  const seenBefore = (f: Finding) =>
    reported.some((r) => r.detector === f.detector && r.type === f.type && r.start < f.end && f.start < r.end);

  const release = (upTo: number, findings: Finding[]): StreamUpdate => {
    const from = released;
    const to = Math.max(from, upTo);
    released = to;
    const text = buffer.slice(from - bufferStart, to - bufferStart);
    // Keep the unreleased text and the last `window` characters, whichever is longer.
    const keepFrom = Math.min(released, bufferStart + buffer.length - window);
    if (keepFrom > bufferStart) {
      buffer = buffer.slice(keepFrom - bufferStart);
      bufferStart = keepFrom;
    }
    return { findings, release: text, releaseStart: from, released };
  };

  return {
    get length() {
      return bufferStart + buffer.length;
    },
    get findings() {
      return reported;
    },
    push(chunk: string): StreamUpdate {
      if (ended) throw new Error('stream already ended');
      buffer += chunk;
      const fresh: Finding[] = [];
      if (chunk.length > 0) {
        for (const f of scan(buffer)) {
          const abs: Finding = { ...f, start: f.start + bufferStart, end: f.end + bufferStart };
          if (seenBefore(abs)) continue;
          reported.push(abs);
          fresh.push(abs);
        }
      }
      return release(bufferStart + buffer.length - window, fresh);
    },
    end(): StreamUpdate {
      if (ended) return { findings: [], release: '', releaseStart: released, released };
      ended = true;
      return release(bufferStart + buffer.length, []);
    },
  };
}
