import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeySecret, isWellFormedKey, KEY_PREFIX, visiblePrefix } from '../src/identity/key-format.ts';
import { KeyService } from '../src/identity/keys.ts';
import { hasScope, modelAllowed } from '../src/identity/scopes.ts';
import { SecretBox } from '../src/security/envelope.ts';
import { openSqliteStore } from '../src/store/index.ts';
import type { Store } from '../src/store/types.ts';

describe('key format', () => {
  it('has the visible prefix, 256 random bits and a valid checksum', () => {
    const a = generateKeySecret();
    const b = generateKeySecret();
    expect(a.startsWith(KEY_PREFIX)).toBe(true);
    expect(a).toHaveLength(KEY_PREFIX.length + 49);
    expect(a).not.toBe(b);
    expect(isWellFormedKey(a)).toBe(true);
    expect(visiblePrefix(a)).toHaveLength(KEY_PREFIX.length + 4);
  });

  it('rejects a mistyped key by its checksum', () => {
    const k = generateKeySecret();
    const i = KEY_PREFIX.length + 10;
    const typo = k.slice(0, i) + (k[i] === 'a' ? 'b' : 'a') + k.slice(i + 1);
    expect(isWellFormedKey(typo)).toBe(false);
    expect(isWellFormedKey(`${k}x`)).toBe(false);
    expect(isWellFormedKey('sk-not-ours')).toBe(false);
  });
});

describe('scopes', () => {
  it('grants by scope and model allowlist', () => {
    expect(hasScope(['chat'], 'chat')).toBe(true);
    expect(hasScope(['chat'], 'models')).toBe(false);
    expect(hasScope(['*'], 'metrics')).toBe(true);
    expect(modelAllowed(['gpt-4o*'], 'gpt-4o-mini')).toBe(true);
    expect(modelAllowed(['gpt-4o*'], 'gpt-5')).toBe(false);
    expect(modelAllowed(['mock-1'], 'mock-10')).toBe(false);
  });
});

describe('KeyService', () => {
  let store: Store;
  let svc: KeyService;
  let now = Date.now();

  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    await store.migrate();
    const box = await SecretBox.open(randomBytes(32), store.meta);
    now = Date.now();
    svc = new KeyService(store.keys, box, () => now);
  });
  afterEach(() => store.close());

  it('stores only a keyed hash, never the secret', async () => {
    const { key, secret } = await svc.create({ name: 'app' });
    const stored = await store.keys.get('default', key.id);
    expect(stored).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(KEY_PREFIX.length));
    expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('authenticates valid keys and names each failure', async () => {
    const { key, secret } = await svc.create({ name: 'app' });
    const ok = await svc.authenticate(secret);
    expect(ok.ok && ok.key.id).toBe(key.id);
    expect(await svc.authenticate(undefined)).toEqual({ ok: false, code: 'missing_api_key' });
    expect(await svc.authenticate('garbage')).toEqual({ ok: false, code: 'invalid_api_key' });
    expect(await svc.authenticate(generateKeySecret())).toEqual({ ok: false, code: 'invalid_api_key' });
  });

  it('refuses revoked keys at once in this process', async () => {
    const { key, secret } = await svc.create({ name: 'app' });
    expect((await svc.authenticate(secret)).ok).toBe(true);
    expect(await svc.revoke(key.id)).toBe(true);
    expect(await svc.authenticate(secret)).toEqual({ ok: false, code: 'revoked_api_key' });
    expect(await svc.revoke('key_doesnotexist')).toBe(false);
  });

  it('refuses expired keys', async () => {
    const { secret } = await svc.create({ name: 'app', expiresAt: new Date(now + 1000) });
    expect((await svc.authenticate(secret)).ok).toBe(true);
    now += 1001;
    expect(await svc.authenticate(secret)).toEqual({ ok: false, code: 'expired_api_key' });
  });

  it('rotates with a grace period', async () => {
    const old = await svc.create({ name: 'app', scopes: ['chat'], models: ['mock-1'] });
    const next = await svc.rotate(old.key.id, 60_000);
    expect(next).toBeDefined();
    expect(next!.key.scopes).toEqual(['chat']);
    expect(next!.key.models).toEqual(['mock-1']);
    expect((await svc.authenticate(old.secret)).ok).toBe(true);
    expect((await svc.authenticate(next!.secret)).ok).toBe(true);
    now += 60_001;
    expect(await svc.authenticate(old.secret)).toEqual({ ok: false, code: 'expired_api_key' });
    expect((await svc.authenticate(next!.secret)).ok).toBe(true);
    const stored = await svc.get(old.key.id);
    expect(stored?.replacedBy).toBe(next!.key.id);
  });

  it('keeps tenants apart', async () => {
    const { key } = await svc.create({ name: 'a', tenantId: 'tenant-a' });
    expect(await svc.get(key.id, 'tenant-b')).toBeUndefined();
    expect(await svc.revoke(key.id, 'tenant-b')).toBe(false);
    expect(await svc.list('tenant-b')).toEqual([]);
  });
});
