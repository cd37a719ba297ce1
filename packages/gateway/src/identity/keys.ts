import { timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../security/envelope.ts';
import { type ApiKeyRecord, type ApiKeyStore, DEFAULT_TENANT } from '../store/types.ts';
import { generateKeySecret, isWellFormedKey, newKeyId, visiblePrefix } from './key-format.ts';

export type AuthFailure = 'missing_api_key' | 'invalid_api_key' | 'revoked_api_key' | 'expired_api_key';

export type AuthResult = { ok: true; key: ApiKeyRecord } | { ok: false; code: AuthFailure };

export interface CreateKeyInput {
  tenantId?: string;
  name: string;
  role?: 'admin' | 'user';
  scopes?: string[];
  models?: string[];
  prompts?: string[];
  policy?: Record<string, unknown> | null;
  adminRole?: string | null;
  userId?: string | null;
  projectId?: string | null;
  ipAllowlist?: string[];
  expiresAt?: Date | null;
}

/** How long an authenticated key is trusted from memory; bounds how late a revocation from another process lands. */
const CACHE_TTL_MS = 1000;
const TOUCH_EVERY_MS = 60_000;
/** Bounds the presented-key cache; only well-formed keys (checksum passed) get here. */
const MAX_CACHED = 10_000;

export class KeyService {
  readonly #store: ApiKeyStore;
  readonly #box: SecretBox;
  readonly #cache = new Map<string, { key: ApiKeyRecord; until: number }>();
  readonly #touched = new Map<string, number>();
  readonly #hashes = new Map<string, { hash: string; until: number }>();
  readonly #now: () => number;

  constructor(store: ApiKeyStore, box: SecretBox, now: () => number = Date.now) {
    this.#store = store;
    this.#box = box;
    this.#now = now;
  }

  /** Returns the secret once; only its keyed hash is stored. */
  async create(input: CreateKeyInput): Promise<{ key: ApiKeyRecord; secret: string }> {
    const secret = generateKeySecret();
    const key: ApiKeyRecord = {
      id: newKeyId(),
      tenantId: input.tenantId ?? DEFAULT_TENANT,
      name: input.name,
      prefix: visiblePrefix(secret),
      hash: this.#box.hashApiKey(secret),
      role: input.role ?? 'user',
      scopes: input.scopes ?? ['chat', 'messages', 'models'],
      models: input.models ?? ['*'],
      prompts: input.prompts ?? ['*'],
      policy: input.policy ?? null,
      adminRole: input.adminRole ?? (input.role === 'admin' ? 'admin' : null),
      userId: input.userId ?? null,
      projectId: input.projectId ?? null,
      ipAllowlist: input.ipAllowlist ?? [],
      createdAt: new Date(this.#now()),
      expiresAt: input.expiresAt ?? null,
      revokedAt: null,
      replacedBy: null,
      lastUsedAt: null,
    };
    await this.#store.insert(key);
    return { key, secret };
  }

  async authenticate(secret: string | undefined): Promise<AuthResult> {
    if (!secret) return { ok: false, code: 'missing_api_key' };
    // Shape and checksum first: random strings never reach the database.
    if (!isWellFormedKey(secret)) return { ok: false, code: 'invalid_api_key' };
    const now = this.#now();
    // The HMAC was the largest single cost of authentication; remember it for the presented key
    // as long as the record itself is trusted from memory (the key is in this process's memory anyway).
    const seen = this.#hashes.get(secret);
    let hash: string;
    if (seen && seen.until > now) {
      hash = seen.hash;
    } else {
      hash = this.#box.hashApiKey(secret);
      if (this.#hashes.size >= MAX_CACHED) this.#hashes.clear();
      this.#hashes.set(secret, { hash, until: now + CACHE_TTL_MS });
    }
    const cached = this.#cache.get(hash);
    let record = cached && cached.until > now ? cached.key : undefined;
    if (!record) {
      record = await this.#store.findByHash(hash);
      if (record) this.#cache.set(hash, { key: record, until: now + CACHE_TTL_MS });
    }
    if (!record || !timingSafeEqual(Buffer.from(record.hash, 'hex'), Buffer.from(hash, 'hex'))) {
      return { ok: false, code: 'invalid_api_key' };
    }
    if (record.revokedAt && record.revokedAt.getTime() <= now) return { ok: false, code: 'revoked_api_key' };
    if (record.expiresAt && record.expiresAt.getTime() <= now) return { ok: false, code: 'expired_api_key' };
    this.#touch(record.id, now);
    return { ok: true, key: record };
  }

  #touch(id: string, now: number): void {
    const last = this.#touched.get(id) ?? 0;
    if (now - last < TOUCH_EVERY_MS) return;
    this.#touched.set(id, now);
    // Usage timestamps are informational: a failed write must not fail the request.
    this.#store.touch(id, new Date(now)).catch(() => {});
  }

  list(tenantId = DEFAULT_TENANT): Promise<ApiKeyRecord[]> {
    return this.#store.list(tenantId);
  }

  get(id: string, tenantId = DEFAULT_TENANT): Promise<ApiKeyRecord | undefined> {
    return this.#store.get(tenantId, id);
  }

  /** Like get, trusted from memory as briefly as authenticate's cache (client tokens look up their issuer). */
  async byId(id: string, tenantId: string): Promise<ApiKeyRecord | undefined> {
    const now = this.#now();
    const cacheKey = `id:${tenantId}:${id}`;
    const hit = this.#cache.get(cacheKey);
    if (hit && hit.until > now) return hit.key;
    const key = await this.#store.get(tenantId, id);
    if (key) this.#cache.set(cacheKey, { key, until: now + CACHE_TTL_MS });
    return key;
  }

  async revoke(id: string, tenantId = DEFAULT_TENANT): Promise<boolean> {
    const done = await this.#store.revoke(tenantId, id, new Date(this.#now()));
    this.#cache.clear();
    return done;
  }

  /**
   * Issues a replacement with the same rights; the old key keeps working for `graceMs` so
   * deployments can roll over, then expires.
   */
  async rotate(
    id: string,
    graceMs: number,
    tenantId = DEFAULT_TENANT,
  ): Promise<{ key: ApiKeyRecord; secret: string } | undefined> {
    const old = await this.#store.get(tenantId, id);
    if (!old || old.revokedAt) return undefined;
    const next = await this.create({
      tenantId,
      name: old.name,
      role: old.role,
      scopes: old.scopes,
      models: old.models,
      prompts: old.prompts,
      policy: old.policy,
      adminRole: old.adminRole,
      userId: old.userId,
      projectId: old.projectId,
      ipAllowlist: old.ipAllowlist,
      expiresAt: old.expiresAt,
    });
    const graceEnd = new Date(this.#now() + graceMs);
    const until = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    await this.#store.setExpiry(tenantId, id, until, next.key.id);
    this.#cache.clear();
    return next;
  }

  /**
   * Forgets every cached key record, so the next request re-reads the store. Called when another process announces
   * a revocation, rotation or paused tenant (events/), which makes those land at once instead of within the TTL.
   */
  invalidate(): void {
    this.#cache.clear();
  }

  countAdmins(tenantId = DEFAULT_TENANT): Promise<number> {
    return this.#store.countAdmins(tenantId);
  }
}
