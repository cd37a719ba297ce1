// Error classification shared by every adapter, kept free of I/O so the in-process mock and the
// HTTP adapters agree on exactly what a status code or an abort means to the router.

import { ProviderError } from './types.ts';

export function kindForStatus(status: number): ProviderError['kind'] {
  // A redirect or other non-2xx success means the base URL points somewhere wrong, not that the request is.
  if (status < 400) return 'upstream_error';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'upstream_error';
  return 'bad_request';
}

const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Reads `retry-after-ms` (sent by OpenAI, more precise) or `Retry-After` (seconds or an HTTP date).
 * Anything unparseable or absurd yields undefined rather than a wrong wait.
 */
export function parseRetryAfter(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | undefined {
  const ms = firstHeader(headers['retry-after-ms']);
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) {
    return clampRetryAfter(Number(ms));
  }
  const value = firstHeader(headers['retry-after'])?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return clampRetryAfter(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return clampRetryAfter(date - now);
}

function clampRetryAfter(ms: number): number | undefined {
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS);
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** True when an abort reason says a deadline passed rather than someone giving up. */
export function isTimeoutReason(reason: unknown): boolean {
  return (
    typeof reason === 'object' &&
    reason !== null &&
    'name' in reason &&
    (reason as { name: unknown }).name === 'TimeoutError'
  );
}

/** The error a provider throws when its call was stopped through the signal. */
export function abortError(providerName: string, signal: AbortSignal, cause?: unknown): ProviderError {
  if (isTimeoutReason(signal.reason)) {
    return new ProviderError('timeout', `${providerName}: upstream call timed out`, { cause: cause ?? signal.reason });
  }
  return new ProviderError('cancelled', `${providerName}: upstream call cancelled`, { cause: cause ?? signal.reason });
}

/**
 * Picks a short machine-readable reason (e.g. `rate_limit_exceeded`) out of an upstream error body.
 * Only identifier-shaped strings survive: upstream messages can echo the request, including the key.
 */
export function safeReason(body: unknown, secret: string | undefined): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const err = (body as { error?: unknown }).error;
  const candidates: unknown[] = [];
  if (typeof err === 'object' && err !== null) {
    candidates.push((err as { code?: unknown }).code, (err as { type?: unknown }).type);
  } else {
    candidates.push((body as { code?: unknown }).code, (body as { type?: unknown }).type);
  }
  for (const c of candidates) {
    if (typeof c !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{0,47}$/.test(c)) continue;
    if (secret && secret.length >= 4 && (c.includes(secret) || secret.includes(c))) continue;
    // Identifier-shaped tokens that look like credentials are dropped too (other keys than ours).
    if (/^(sk|pk|rk|key|api|pcx)[-_]/i.test(c) && /\d/.test(c)) continue;
    return c;
  }
  return undefined;
}

export function statusError(
  providerName: string,
  status: number,
  opts: { retryAfterMs?: number; reason?: string; cause?: unknown } = {},
): ProviderError {
  const kind = kindForStatus(status);
  const reason = opts.reason ? ` (${opts.reason})` : '';
  return new ProviderError(kind, `${providerName}: upstream returned HTTP ${status}${reason}`, {
    status,
    // Retry-After is only meaningful as back-pressure: on 429, and on 503 per RFC 9110.
    retryAfterMs: status === 429 || status === 503 ? opts.retryAfterMs : undefined,
    cause: opts.cause,
  });
}

/** Resolves after `ms`, or rejects at once with the signal's reason when it aborts first. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
