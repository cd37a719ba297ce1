import type { ServerResponse } from 'node:http';

// Cross-origin access for the one API a browser may call directly: prompt execute with a client token.
// Origins are an explicit list from the config (`server.corsOrigins`); nothing is allowed by default.

const EXPOSED = 'x-request-id, retry-after, idempotent-replayed, ratelimit-limit, ratelimit-remaining, ratelimit-reset';
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';
const MAX_AGE_S = 600;

export class CorsPolicy {
  readonly #any: boolean;
  readonly #origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.#any = origins.includes('*');
    this.#origins = new Set(origins.map((o) => o.toLowerCase()));
  }

  allows(origin: string | undefined): origin is string {
    if (!origin) return false;
    return this.#any || this.#origins.has(origin.toLowerCase());
  }

  /** Headers for an actual request; set on the raw response so streamed (hijacked) answers carry them too. */
  apply(origin: string | undefined, res: ServerResponse): void {
    if (!this.allows(origin)) return;
    res.setHeader('access-control-allow-origin', this.#any ? '*' : origin);
    res.setHeader('access-control-expose-headers', EXPOSED);
    if (!this.#any) res.setHeader('vary', 'origin');
  }

  /** The answer to a preflight; without a match the browser gets no permission and blocks the call. */
  preflight(origin: string | undefined, method: string | undefined, res: ServerResponse): void {
    if (!this.allows(origin) || method?.toUpperCase() !== 'POST') return;
    this.apply(origin, res);
    res.setHeader('access-control-allow-methods', 'POST');
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', String(MAX_AGE_S));
  }
}
