import type { ClientTokenPrincipal } from '../identity/client-tokens.ts';
import type { TokenUsage } from '../providers/types.ts';
import type { ApiKeyRecord } from '../store/types.ts';

/** What the pipeline learns about one request; the request record is written from it. */
export interface RequestContext {
  id: string;
  /** performance.now() at arrival. */
  startedAt: number;
  route: string;
  method: string;
  ip: string | null;
  key: ApiKeyRecord | undefined;
  /** Set when the caller presented a client token; `key` is then the key that minted it. */
  clientToken: ClientTokenPrincipal | undefined;
  /**
   * The end user the request is made for (a client token's subject, or a verified JWT's `sub`): limits, audit and
   * privacy requests are per subject. Pseudonymous ids chosen by the application, never looked up.
   */
  subject: string | undefined;
  /** The caller's administrative permissions, resolved for admin routes only. */
  permissions: readonly string[] | undefined;
  publicModel: string | null;
  provider: string | null;
  upstreamModel: string | null;
  usage: TokenUsage;
  stream: boolean;
  errorCode: string | null;
  detail: Record<string, unknown> | null;
  /** Aborted when the client disconnects: the upstream call stops with it. */
  signal: AbortSignal;
  /** Set once the record is written, so hijacked (streamed) responses are never recorded twice. */
  recorded: boolean;
}

export function newContext(init: {
  id: string;
  route: string;
  method: string;
  ip: string | null;
  signal: AbortSignal;
}) {
  const ctx: RequestContext = {
    ...init,
    startedAt: performance.now(),
    key: undefined,
    clientToken: undefined,
    subject: undefined,
    permissions: undefined,
    publicModel: null,
    provider: null,
    upstreamModel: null,
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    stream: false,
    errorCode: null,
    detail: null,
    recorded: false,
  };
  return ctx;
}
