// Typed errors. Every failure the client reports is a PortcullisError carrying the gateway's stable
// error `code`, so callers branch on codes and classes instead of parsing messages.

/** One bad field of an `invalid_variables` refusal. */
export interface VariableProblem {
  field: string;
  problem: string;
}

export interface PortcullisErrorInit {
  /** HTTP status; undefined when no response was received (timeouts, connection errors, aborts). */
  status?: number | undefined;
  code: string;
  message: string;
  type?: string | undefined;
  requestId?: string | undefined;
  param?: string | undefined;
  details?: VariableProblem[] | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

export class PortcullisError extends Error {
  readonly status: number | undefined;
  /** The gateway's machine-readable code (`prompt_not_found`, `rate_limited`, …) or the client's own (`timeout`, …). */
  readonly code: string;
  /** The gateway's error `type` (`invalid_request_error`, …) when it sent one. */
  readonly type: string | undefined;
  readonly requestId: string | undefined;
  readonly param: string | undefined;
  /** Every bad field, for `invalid_variables`. */
  readonly details: VariableProblem[] | undefined;
  /** How long the gateway asked to wait (`Retry-After`), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(init: PortcullisErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.type = init.type;
    this.requestId = init.requestId;
    this.param = init.param;
    this.details = init.details;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** 400, 413, 415, 422: the request is wrong (includes `invalid_variables` and mid-stream `content_blocked`). */
export class InvalidRequestError extends PortcullisError {}
/** 401: missing, invalid, revoked or expired key or client token. */
export class AuthenticationError extends PortcullisError {}
/** 403: the key or token may not do this. */
export class PermissionError extends PortcullisError {}
/** 404: no such prompt, version, label or endpoint. */
export class NotFoundError extends PortcullisError {}
/** 409: `idempotency_conflict`. */
export class ConflictError extends PortcullisError {}
/** 429: rate limited; `retryAfterMs` says when to come back. */
export class RateLimitError extends PortcullisError {}
/** 5xx: the gateway or the provider behind it failed. */
export class ServerError extends PortcullisError {}
/** No complete answer within `timeoutMs` (code `timeout`). */
export class TimeoutError extends PortcullisError {}
/** The gateway could not be reached, or the connection broke before the answer was complete. */
export class ConnectionError extends PortcullisError {}
/** The caller's AbortSignal fired (code `aborted`); named like the DOM's AbortError so existing checks keep working. */
export class AbortError extends PortcullisError {}

type ErrorClass = new (init: PortcullisErrorInit) => PortcullisError;

export function errorClassForStatus(status: number | undefined): ErrorClass {
  if (status === undefined) return PortcullisError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return ServerError;
  if (status >= 400) return InvalidRequestError;
  return PortcullisError;
}

// Statuses of the codes a stream's `event: error` can carry. The HTTP status of a stream is already 200 by then,
// so the class is chosen by code; an unknown code still surfaces, as the base class.
const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  invalid_variables: 400,
  content_blocked: 400,
  rate_limited: 429,
  upstream_rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  unavailable: 503,
  guard_unavailable: 503,
  upstream_timeout: 504,
};

export function statusForCode(code: string): number | undefined {
  return STATUS_BY_CODE[code];
}

export function makeError(init: PortcullisErrorInit): PortcullisError {
  const Cls = errorClassForStatus(init.status);
  return new Cls(init);
}
