import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { GatewayError } from '../http/errors.ts';
import type { SecretBox } from '../security/envelope.ts';
import type { ApiKeyRecord, SettingsStore } from '../store/types.ts';
import { SCOPES } from './scopes.ts';

// End users authenticate with their application's identity provider: a JWT whose issuer a tenant has registered.
// The token's subject becomes the request's subject (limits, audit, privacy requests), and the tenant decides
// what such callers may do (scopes, models, prompts), like a key shared by all of its end users.

export const JWT_ALGORITHMS = ['RS256', 'ES256', 'EdDSA', 'HS256'] as const;
const SETTINGS_NAME = 'identity';
const MAX_SUBJECT = 256;
const REFRESH_MS = 5000;

const jwkSchema = z
  .object({ kty: z.enum(['RSA', 'EC', 'OKP']), kid: z.string().max(200).optional() })
  .catchall(z.unknown())
  // Only public keys: a private key pasted by mistake must not be stored.
  .refine((k) => !('d' in k), 'must be a public key (no "d" member)');

export const identitySettingsSchema = z
  .object({
    issuer: z.string().min(1).max(500),
    audience: z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1).max(10)]),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    keys: z.array(jwkSchema).min(1).max(20).optional(),
    /** For HS256 only; stored encrypted, never returned. */
    hs256Secret: z.string().min(32, 'at least 32 characters').max(512).optional(),
    algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).default(['RS256', 'ES256', 'EdDSA']),
    clockSkewSeconds: z.number().int().min(0).max(300).default(30),
    subjectClaim: z.string().min(1).max(64).default('sub'),
    scopes: z.array(z.enum(SCOPES)).min(1).default(['execute']),
    models: z.array(z.string().min(1).max(256)).min(1).default(['*']),
    prompts: z.array(z.string().min(1).max(65)).min(1).default(['*']),
  })
  .strict()
  .superRefine((s, ctx) => {
    const sources = [s.jwksUrl, s.keys, s.hs256Secret].filter((x) => x !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({ code: 'custom', path: ['jwksUrl'], message: 'give exactly one of jwksUrl, keys or hs256Secret' });
    }
    const hs = s.algorithms.includes('HS256');
    if (hs !== (s.hs256Secret !== undefined) || (hs && s.algorithms.length > 1)) {
      // Mixing a shared secret with public-key algorithms invites algorithm-confusion attacks.
      ctx.addIssue({
        code: 'custom',
        path: ['algorithms'],
        message: 'HS256 goes with hs256Secret alone; RS256, ES256 and EdDSA with jwksUrl or keys',
      });
    }
  });
export type IdentitySettingsInput = z.input<typeof identitySettingsSchema>;
export type IdentitySettings = z.infer<typeof identitySettingsSchema>;

/** What is stored: the secret sealed, everything else as given. */
type StoredIdentity = Omit<IdentitySettings, 'hs256Secret'> & { hs256SecretSealed?: string };

interface Verifier {
  tenantId: string;
  settings: StoredIdentity;
  key: JWTVerifyGetKey | KeyObject;
  principal: ApiKeyRecord;
}

export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*$/.test(credential);
}

const sealContext = (tenantId: string) => `identity:${tenantId}:hs256`;

export class EndUserJwts {
  readonly #settings: SettingsStore;
  readonly #box: SecretBox;
  readonly #now: () => number;
  #byIssuer = new Map<string, Verifier>();
  #loadedAt = 0;
  #loading: Promise<void> | undefined;

  constructor(settings: SettingsStore, box: SecretBox, now: () => number = Date.now) {
    this.#settings = settings;
    this.#box = box;
    this.#now = now;
  }

  /** The tenant's identity-provider settings, without the secret. */
  async get(
    tenantId: string,
  ): Promise<(Omit<StoredIdentity, 'hs256SecretSealed'> & { hs256Secret?: '[set]' }) | undefined> {
    const stored = (await this.#settings.get(tenantId, SETTINGS_NAME)) as StoredIdentity | undefined;
    if (!stored) return undefined;
    const { hs256SecretSealed, ...rest } = stored;
    return hs256SecretSealed ? { ...rest, hs256Secret: '[set]' } : rest;
  }

  async set(tenantId: string, input: IdentitySettings, actor: string): Promise<void> {
    await this.#load(true);
    const owner = this.#byIssuer.get(input.issuer);
    // The issuer picks the tenant before anything is verified, so two tenants cannot share one.
    if (owner && owner.tenantId !== tenantId) {
      throw new GatewayError('conflict', 'Another tenant already uses this issuer', { param: 'issuer' });
    }
    const { hs256Secret, ...rest } = input;
    const stored: StoredIdentity = {
      ...rest,
      ...(hs256Secret ? { hs256SecretSealed: this.#box.encrypt(hs256Secret, sealContext(tenantId)) } : {}),
    };
    await this.#settings.set(tenantId, SETTINGS_NAME, stored, actor, new Date(this.#now()));
    await this.#load(true);
  }

  async #load(force = false): Promise<void> {
    if (!force && this.#now() - this.#loadedAt < REFRESH_MS) return;
    this.#loading ??= (async () => {
      try {
        const all = await this.#settings.list(SETTINGS_NAME);
        const next = new Map<string, Verifier>();
        for (const { tenantId, value } of all) {
          const s = value as StoredIdentity;
          const previous = this.#byIssuer.get(s.issuer);
          // Keep a remote key set (and its cache of fetched keys) while its settings are unchanged.
          if (previous && previous.tenantId === tenantId && JSON.stringify(previous.settings) === JSON.stringify(s)) {
            next.set(s.issuer, previous);
            continue;
          }
          next.set(s.issuer, {
            tenantId,
            settings: s,
            key: this.#keyFor(tenantId, s),
            principal: principalFor(tenantId, s),
          });
        }
        this.#byIssuer = next;
        this.#loadedAt = this.#now();
      } finally {
        this.#loading = undefined;
      }
    })();
    await this.#loading;
  }

  #keyFor(tenantId: string, s: StoredIdentity): JWTVerifyGetKey | KeyObject {
    if (s.hs256SecretSealed) {
      return createSecretKey(Buffer.from(this.#box.decrypt(s.hs256SecretSealed, sealContext(tenantId)), 'utf8'));
    }
    if (s.keys) return createLocalJWKSet({ keys: s.keys as never[] });
    return createRemoteJWKSet(new URL(s.jwksUrl!), { timeoutDuration: 3000, cooldownDuration: 30_000 });
  }

  /** Verifies an end-user JWT; returns the tenant's end-user principal and the subject. */
  async verify(token: string): Promise<{ key: ApiKeyRecord; subject: string }> {
    const invalid = (why: string) => new GatewayError('invalid_token', `The token is not valid: ${why}`);
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw invalid('not a JWT');
    }
    if (typeof issuer !== 'string') throw invalid('no issuer');
    await this.#load();
    const v = this.#byIssuer.get(issuer);
    if (!v) throw invalid('unknown issuer');
    const s = v.settings;
    let payload: Record<string, unknown>;
    try {
      const verified =
        typeof (v.key as KeyObject).type === 'string'
          ? await jwtVerify(token, v.key as KeyObject, this.#options(s))
          : await jwtVerify(token, v.key as JWTVerifyGetKey, this.#options(s));
      payload = verified.payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new GatewayError('expired_token', 'The token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed)
        throw invalid(`claim "${err.claim}" failed (${err.reason})`);
      if (err instanceof joseErrors.JOSEAlgNotAllowed) throw invalid('algorithm not allowed');
      if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JWKSInvalid) {
        throw new GatewayError('unavailable', "The identity provider's keys could not be fetched; try again");
      }
      throw invalid('signature or format');
    }
    const subject = payload[s.subjectClaim];
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT) {
      throw invalid(`claim "${s.subjectClaim}" must be a string of 1–${MAX_SUBJECT} characters`);
    }
    return { key: v.principal, subject };
  }

  #options(s: StoredIdentity) {
    return {
      algorithms: s.algorithms,
      issuer: s.issuer,
      audience: s.audience,
      clockTolerance: s.clockSkewSeconds,
      currentDate: new Date(this.#now()),
      // Every token must say when it expires: a token without `exp` would be valid forever.
      requiredClaims: ['exp'],
    };
  }
}

/** End users of a tenant act as one virtual caller key with the tenant's chosen rights and no admin role. */
function principalFor(tenantId: string, s: StoredIdentity): ApiKeyRecord {
  const id = `jwt_${createHash('sha256').update(`${tenantId}\u0000${s.issuer}`).digest('hex').slice(0, 16)}`;
  return {
    id,
    tenantId,
    name: `end users of ${s.issuer.slice(0, 100)}`,
    prefix: '',
    hash: '',
    role: 'user',
    scopes: s.scopes,
    models: s.models,
    prompts: s.prompts,
    policy: null,
    adminRole: null,
    userId: null,
    projectId: null,
    ipAllowlist: [],
    createdAt: new Date(0),
    expiresAt: null,
    revokedAt: null,
    replacedBy: null,
    lastUsedAt: null,
  };
}
