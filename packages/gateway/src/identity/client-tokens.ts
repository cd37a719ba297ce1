import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { GatewayError } from '../http/errors.ts';
import type { ApiKeyRecord } from '../store/types.ts';
import type { KeyService } from './keys.ts';
import { hasScope, promptAllowed } from './scopes.ts';

// Browser-safe access: a backend holding a real key mints a short-lived, signed token that can only execute the
// named prompts, at a small rate. The token holds no secret; revoking the issuing key ends all of its tokens.

export const CLIENT_TOKEN_PREFIX = 'pct_';
const ISSUER = 'portcullis';
const TYP = 'pct+jwt';
/** Allowed clock difference between replicas when checking expiry. */
const CLOCK_SKEW_S = 5;

export const mintRequestSchema = z
  .object({
    prompts: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a prompt id'))
      .min(1)
      .max(20),
    ttlSeconds: z.number().int().min(30).max(3600).default(600),
    subject: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
      .optional(),
    rateLimit: z
      .object({
        requests: z.number().int().min(1).max(60),
        perSeconds: z.number().int().min(1).max(3600),
      })
      .strict()
      .refine((r) => r.requests / r.perSeconds <= 1, 'may allow at most 60 requests per 60 seconds')
      .default({ requests: 10, perSeconds: 60 }),
  })
  .strict();
export type MintRequest = z.infer<typeof mintRequestSchema>;

const claimsSchema = z.object({
  tid: z.string().min(1),
  key: z.string().min(1),
  prm: z.array(z.string()).min(1).max(20),
  rl: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
  jti: z.string().min(1),
  sub: z.string().optional(),
  exp: z.number(),
});

/** Who is calling when the credential is a client token. */
export interface ClientTokenPrincipal {
  tokenId: string;
  prompts: string[];
  subject: string | undefined;
  expiresAt: Date;
  rateLimit: { requests: number; perSeconds: number };
}

function mayMint(key: ApiKeyRecord): boolean {
  return key.role === 'admin' || (hasScope(key.scopes, 'tokens') && hasScope(key.scopes, 'execute'));
}

export class ClientTokenService {
  readonly #key: KeyObject;
  readonly #keys: KeyService;
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #now: () => number;
  #limiterFor: (name: string, points: number, durationS: number) => RateLimiterAbstract = (name, points, durationS) =>
    new RateLimiterMemory({ points, duration: durationS, keyPrefix: name });

  constructor(signingKey: KeyObject, keys: KeyService, now: () => number = Date.now) {
    this.#key = signingKey;
    this.#keys = keys;
    this.#now = now;
  }

  /** Counts token use where the other rate limits count (Redis when scaled out, so every replica agrees). */
  useCounters(limiterFor: (name: string, points: number, durationS: number) => RateLimiterAbstract): void {
    this.#limiterFor = limiterFor;
    this.#limiters.clear();
  }

  static looksLikeToken(credential: string): boolean {
    return credential.startsWith(CLIENT_TOKEN_PREFIX);
  }

  async mint(issuer: ApiKeyRecord, req: MintRequest): Promise<{ token: string; expiresAt: Date; prompts: string[] }> {
    if (!mayMint(issuer)) {
      throw new GatewayError(
        'scope_denied',
        'Minting client tokens needs a key with both the tokens and execute scopes',
      );
    }
    const refused = req.prompts.find((p) => !promptAllowed(issuer.prompts, p));
    if (refused) {
      throw new GatewayError('prompt_not_allowed', `This API key may not execute prompt "${refused}"`, {
        param: 'prompts',
      });
    }
    const nowS = Math.floor(this.#now() / 1000);
    const exp = nowS + req.ttlSeconds;
    const jwt = await new SignJWT({
      tid: issuer.tenantId,
      key: issuer.id,
      prm: req.prompts,
      rl: [req.rateLimit.requests, req.rateLimit.perSeconds],
    })
      .setProtectedHeader({ alg: 'HS256', typ: TYP })
      .setIssuer(ISSUER)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .setJti(randomBytes(12).toString('base64url'))
      .setSubject(req.subject ?? '')
      .sign(this.#key);
    return { token: `${CLIENT_TOKEN_PREFIX}${jwt}`, expiresAt: new Date(exp * 1000), prompts: req.prompts };
  }

  /** Verifies signature, expiry and the issuing key; returns the issuing key and what the token allows. */
  async verify(credential: string): Promise<{ key: ApiKeyRecord; principal: ClientTokenPrincipal }> {
    const jwt = credential.slice(CLIENT_TOKEN_PREFIX.length);
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(jwt, this.#key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        typ: TYP,
        clockTolerance: CLOCK_SKEW_S,
        currentDate: new Date(this.#now()),
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) {
        throw new GatewayError('expired_client_token', 'The client token has expired; ask the backend for a new one');
      }
      throw new GatewayError('invalid_client_token', 'The client token is not valid');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new GatewayError('invalid_client_token', 'The client token is not valid');
    const c = claims.data;
    const key = await this.#keys.byId(c.key, c.tid);
    // The issuer must still be trusted and still allowed to mint: revoking it ends its tokens.
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= this.#now()) || !mayMint(key)) {
      throw new GatewayError(
        'invalid_client_token',
        'The client token is no longer valid (its issuing key was revoked)',
      );
    }
    return {
      key,
      principal: {
        tokenId: c.jti,
        prompts: c.prm,
        subject: c.sub || undefined,
        expiresAt: new Date(c.exp * 1000),
        rateLimit: { requests: c.rl[0], perSeconds: c.rl[1] },
      },
    };
  }

  /** The token's own small rate limit, counted per token id. */
  async consume(p: ClientTokenPrincipal): Promise<void> {
    const { requests, perSeconds } = p.rateLimit;
    const id = `${requests}/${perSeconds}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      limiter = this.#limiterFor(`pct:${id}`, requests, perSeconds);
      this.#limiters.set(id, limiter);
    }
    try {
      await limiter.consume(p.tokenId);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        throw new GatewayError('unavailable', 'The rate-limit store cannot be reached; try again shortly', {
          cause: res,
        });
      }
      throw new GatewayError('rate_limited', `This client token allows ${requests} requests per ${perSeconds} s`, {
        retryAfterS: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
      });
    }
  }
}
