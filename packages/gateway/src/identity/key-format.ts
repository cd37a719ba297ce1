import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

// API key format: `pcx_live_` + 43 base62 characters (256 random bits) + 6 base62 characters
// of CRC32 over the random part. The prefix makes leaked keys recognisable to scanners; the
// checksum lets the gateway and scanners reject typos and random strings without a database hit.

export const KEY_PREFIX = 'pcx_live_';
const BODY_LEN = 43;
const CHECK_LEN = 6;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_PATTERN = /^pcx_live_[0-9A-Za-z]{49}$/;

function base62(value: bigint, width: number): string {
  let out = '';
  let v = value;
  while (v > 0n) {
    out = ALPHABET[Number(v % 62n)] + out;
    v /= 62n;
  }
  return out.padStart(width, '0');
}

function checksum(body: string): string {
  return base62(BigInt(crc32(body)), CHECK_LEN);
}

export function generateKeySecret(): string {
  const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LEN);
  return KEY_PREFIX + body + checksum(body);
}

/** True when the string has our key shape and its checksum holds. */
export function isWellFormedKey(secret: string): boolean {
  if (!KEY_PATTERN.test(secret)) return false;
  const body = secret.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LEN);
  return secret.slice(KEY_PREFIX.length + BODY_LEN) === checksum(body);
}

/** What is safe to show and store about a key: the prefix and the first four characters. */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + 4);
}

export function newKeyId(): string {
  return `key_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}
