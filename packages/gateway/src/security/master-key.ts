import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) {
    throw new MasterKeyError(`master key from ${where} must be 32 bytes, as 64 hex characters or base64`);
  }
  return buf;
}

/**
 * The master key never lives in the database: it comes from the environment or from a file
 * readable only by the gateway's user, created on first start.
 */
export function loadMasterKey(opts: { masterKey?: string | undefined; masterKeyFile: string }): {
  key: Buffer;
  source: 'env' | 'file' | 'created';
} {
  if (opts.masterKey) return { key: decodeKey(opts.masterKey, 'the environment'), source: 'env' };
  const file = opts.masterKeyFile;
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new MasterKeyError(
        `master key file ${file} is readable by other users (mode ${mode.toString(8)}); run: chmod 600 ${file}`,
      );
    }
    return { key: decodeKey(readFileSync(file, 'utf8'), file), source: 'file' };
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx' so two processes starting together cannot overwrite each other's key.
  try {
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadMasterKey(opts);
    throw err;
  }
  chmodSync(file, 0o600);
  return { key, source: 'created' };
}
