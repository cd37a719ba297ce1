import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../src/security/envelope.ts';
import { loadMasterKey } from '../src/security/master-key.ts';
import { openSqliteStore } from '../src/store/index.ts';
import type { Store } from '../src/store/types.ts';

describe('master key', () => {
  it('creates a 0600 key file on first start and reads it back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pcx-mk-')), 'sub', 'master.key');
    const a = loadMasterKey({ masterKeyFile: file });
    expect(a.source).toBe('created');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const b = loadMasterKey({ masterKeyFile: file });
    expect(b.source).toBe('file');
    expect(b.key.equals(a.key)).toBe(true);
  });

  it('refuses a key file other users can read', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pcx-mk-')), 'master.key');
    writeFileSync(file, randomBytes(32).toString('base64'));
    chmodSync(file, 0o644);
    expect(() => loadMasterKey({ masterKeyFile: file })).toThrow(/chmod 600/);
  });

  it('takes the key from the environment and validates its length', () => {
    const hex = randomBytes(32).toString('hex');
    expect(loadMasterKey({ masterKey: hex, masterKeyFile: '/nonexistent' }).source).toBe('env');
    expect(() => loadMasterKey({ masterKey: 'c2hvcnQ=', masterKeyFile: '/nonexistent' })).toThrow(/32 bytes/);
  });
});

describe('SecretBox', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(() => store.close());

  it('round-trips, binds ciphertext to its context and never stores plaintext', async () => {
    const box = await SecretBox.open(randomBytes(32), store.meta);
    const sealed = box.encrypt('sk-live-secret-value', 'provider:default:openai');
    expect(sealed).not.toContain('sk-live');
    expect(box.decrypt(sealed, 'provider:default:openai')).toBe('sk-live-secret-value');
    expect(() => box.decrypt(sealed, 'provider:default:other')).toThrow();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => box.decrypt(tampered, 'provider:default:openai')).toThrow();
    expect(box.encrypt('x', 'c')).not.toBe(box.encrypt('x', 'c'));
  });

  it('keeps one data key per database, wrapped, and refuses the wrong master key', async () => {
    const master = randomBytes(32);
    const a = await SecretBox.open(master, store.meta);
    const sealed = a.encrypt('value', 'ctx');
    const b = await SecretBox.open(master, store.meta);
    expect(b.decrypt(sealed, 'ctx')).toBe('value');
    await expect(SecretBox.open(randomBytes(32), store.meta)).rejects.toThrow(/master key does not match/);
    const wrapped = await store.meta.get('secrets.dek.v1');
    expect(wrapped).toMatch(/^v1\./);
  });

  it('hashes API keys with a key only the server knows', async () => {
    const a = await SecretBox.open(randomBytes(32), store.meta);
    const other = await openSqliteStore(':memory:');
    await other.migrate();
    const b = await SecretBox.open(randomBytes(32), other.meta);
    expect(a.hashApiKey('pcx_live_x')).not.toBe(b.hashApiKey('pcx_live_x'));
    expect(a.hashApiKey('pcx_live_x')).toBe(a.hashApiKey('pcx_live_x'));
    await other.close();
  });
});
