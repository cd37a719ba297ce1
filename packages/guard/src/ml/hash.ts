// String hashing for hashed features and hashed word lists. FNV-1a over UTF-16 units with a murmur3 finaliser:
// FNV alone mixes the last characters poorly, which would put words that differ only in their ending (the very
// thing a bag of n-grams has to tell apart) into neighbouring buckets.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string, stable across platforms and releases (the committed weights and word lists depend on it). */
export function hashString(s: string, seed = FNV_OFFSET): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/**
 * Raw FNV-1a of text[start, end) with ASCII capitals folded to lower case, without a finaliser: for exact look-ups
 * of ASCII words in tables built from the same function, without slicing or lower-casing the text.
 */
export function fnvLowerAscii(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}
