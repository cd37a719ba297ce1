import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { MetaStore } from '../store/types.ts';

// Envelope encryption: secrets are sealed with a data key (DEK); the DEK is stored in the
// database only wrapped (encrypted) by the master key, which never touches the database.
// Rotating the master key means re-wrapping one small value, not re-encrypting every secret.

const DEK_META_KEY = 'secrets.dek.v1';
const VERSION = 'v1';

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new Error('unrecognised ciphertext format');
  const [, iv, tag, ct] = parts as [string, string, string, string];
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
}

export class SecretBox {
  readonly #dek: Buffer;
  // A KeyObject, not a Buffer: createHmac would otherwise import the raw key on every request.
  readonly #hashKey: KeyObject;

  private constructor(dek: Buffer, hashKey: KeyObject) {
    this.#dek = dek;
    this.#hashKey = hashKey;
  }

  /**
   * Loads the data key, creating and wrapping it on first start. Several replicas may start at
   * once: setIfAbsent makes exactly one wrapped key win and everybody reads it back.
   */
  static async open(masterKey: Buffer, meta: MetaStore): Promise<SecretBox> {
    let wrapped = await meta.get(DEK_META_KEY);
    if (!wrapped) {
      await meta.setIfAbsent(DEK_META_KEY, seal(masterKey, randomBytes(32), DEK_META_KEY));
      wrapped = await meta.get(DEK_META_KEY);
    }
    if (!wrapped) throw new Error('data key could not be stored');
    let dek: Buffer;
    try {
      dek = open(masterKey, wrapped, DEK_META_KEY);
    } catch {
      throw new Error(
        'the master key does not match this database (its data key cannot be unwrapped); use the master key this database was created with',
      );
    }
    // A separate key for hashing API keys, derived so a hash leak says nothing about the DEK.
    const hashKey = createSecretKey(
      Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'portcullis api-key hash v1', 32)),
    );
    return new SecretBox(dek, hashKey);
  }

  /** `context` binds the ciphertext to its owner (e.g. `provider:<tenant>:<name>`) so rows can't be swapped. */
  encrypt(plaintext: string, context: string): string {
    return seal(this.#dek, Buffer.from(plaintext, 'utf8'), context);
  }

  decrypt(sealed: string, context: string): string {
    return open(this.#dek, sealed, context).toString('utf8');
  }

  /** Keyed hash for API key lookup: a database dump alone cannot be used to test guesses. */
  hashApiKey(secret: string): string {
    return createHmac('sha256', this.#hashKey).update(secret, 'utf8').digest('hex');
  }

  /**
   * A 256-bit key for one purpose (e.g. signing client tokens), derived from the data key: the same on every replica,
   * and unrelated to any other purpose's key.
   */
  subkey(purpose: string): KeyObject {
    return createSecretKey(Buffer.from(hkdfSync('sha256', this.#dek, Buffer.alloc(0), `portcullis ${purpose}`, 32)));
  }
}
