import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_RETRY_TIMING, isRetryableStatus, parseRetryAfterMs } from '../src/retry.ts';

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs(' 0.25 ', now)).toBe(250);
    expect(parseRetryAfterMs('0', now)).toBe(0);
  });
  it('reads an HTTP date, never negative', () => {
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores an absent or malformed value', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-3', now)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('doubles per retry within the upper half of each step, up to the ceiling', () => {
    const t = DEFAULT_RETRY_TIMING;
    expect(backoffDelayMs(0, t, () => 0)).toBe(250);
    expect(backoffDelayMs(0, t, () => 1)).toBe(500);
    expect(backoffDelayMs(1, t, () => 0)).toBe(500);
    expect(backoffDelayMs(3, t, () => 1)).toBe(4000);
    expect(backoffDelayMs(10, t, () => 1)).toBe(8000);
    expect(backoffDelayMs(10, t, () => 0)).toBe(4000);
  });
  it('retries only statuses that say nothing about the request itself', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(isRetryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false);
  });
});
