// @portcullis/sdk: the typed client for the Portcullis gateway. No runtime dependencies; Node ≥ 20 and browsers.

export { DEFAULT_BASE_URL, Portcullis, type PortcullisOptions } from './client.ts';
export {
  AbortError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  PortcullisError,
  type PortcullisErrorInit,
  RateLimitError,
  ServerError,
  TimeoutError,
  type VariableProblem,
} from './errors.ts';
export type { RetryTiming } from './retry.ts';
export { type SseEvent, SseParser } from './sse.ts';
export { ExecuteStream } from './stream.ts';
export type * from './types.ts';
