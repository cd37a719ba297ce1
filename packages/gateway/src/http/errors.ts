// One error type for everything the gateway refuses or fails, with a stable machine-readable
// code. Routes and the pipeline throw it; the app renders it in the caller's API shape.

export const ERROR_CODES = {
  invalid_json: 400,
  invalid_request: 400,
  content_blocked: 400,
  invalid_variables: 400,
  invalid_prompt: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  expired_api_key: 401,
  invalid_client_token: 401,
  invalid_token: 401,
  expired_token: 401,
  expired_client_token: 401,
  scope_denied: 403,
  model_not_allowed: 403,
  forbidden: 403,
  prompt_not_allowed: 403,
  // A budget is used up: not 429, because retrying soon cannot help and clients retry 429s on their own.
  budget_exceeded: 402,
  tenant_paused: 403,
  ip_not_allowed: 403,
  not_found: 404,
  model_not_found: 404,
  prompt_not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  conflict: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  upstream_rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  unavailable: 503,
  guard_unavailable: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | undefined;
  readonly retryAfterS: number | undefined;
  /** Per-field problems (variable validation), shown to the caller as `error.details`. */
  readonly details: ReadonlyArray<Record<string, string>> | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    opts: {
      param?: string;
      retryAfterS?: number;
      cause?: unknown;
      details?: ReadonlyArray<Record<string, string>>;
    } = {},
  ) {
    super(message, { cause: opts.cause });
    this.details = opts.details;
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.param = opts.param;
    this.retryAfterS = opts.retryAfterS;
  }
}

export type ErrorShape = 'openai' | 'anthropic';

/** The error `type` names both APIs use, by HTTP status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 409) return 'conflict_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

export function renderError(err: GatewayError, shape: ErrorShape, requestId: string): Record<string, unknown> {
  const type = errorType(err.status);
  if (shape === 'anthropic') {
    return { type: 'error', error: { type, message: err.message, code: err.code }, request_id: requestId };
  }
  return {
    error: {
      message: err.message,
      type,
      param: err.param ?? null,
      code: err.code,
      ...(err.details ? { details: err.details } : {}),
    },
    request_id: requestId,
  };
}

/** Anthropic's API lives under /v1/messages; everything else answers in OpenAI's shape. */
export function shapeForUrl(url: string): ErrorShape {
  return url.startsWith('/v1/messages') ? 'anthropic' : 'openai';
}
