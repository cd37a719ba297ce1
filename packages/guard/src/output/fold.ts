// A "skeleton" of a text for finding a known string however it was dressed up: letters and digits only, lower
// case, look-alikes folded, with every character's offset in the original. Spaces, punctuation, zero-width and
// other invisible characters inserted between the characters of a secret all disappear from the skeleton.

export interface Skeleton {
  text: string;
  /** offsets[i]: index in the original text of skeleton character i. */
  offsets: Int32Array;
}

// Cyrillic and Greek letters that look like Latin ones (the ones that matter for hex digits and short tokens).
const LOOKALIKE: Record<number, string> = {
  1072: 'a',
  1074: 'b',
  1089: 'c',
  1077: 'e',
  1086: 'o',
  1088: 'p',
  1093: 'x',
  1091: 'y',
  1110: 'i',
  1112: 'j',
  1109: 's',
  1040: 'a',
  1042: 'b',
  1057: 'c',
  1045: 'e',
  1054: 'o',
  1056: 'p',
  1061: 'x',
  959: 'o',
  927: 'o',
  945: 'a',
  913: 'a',
  914: 'b',
  917: 'e',
  929: 'p',
  935: 'x',
};

function foldChar(c: number): number {
  if (c >= 97 && c <= 122) return c;
  if (c >= 65 && c <= 90) return c + 32;
  if (c >= 48 && c <= 57) return c;
  if (c < 0x80) return -1;
  // Fullwidth digits and letters.
  if (c >= 0xff10 && c <= 0xff19) return c - 0xff10 + 48;
  if (c >= 0xff21 && c <= 0xff3a) return c - 0xff21 + 97;
  if (c >= 0xff41 && c <= 0xff5a) return c - 0xff41 + 97;
  const l = LOOKALIKE[c];
  return l === undefined ? -1 : l.charCodeAt(0);
}

export function skeleton(text: string): Skeleton {
  const n = text.length;
  const offsets = new Int32Array(n);
  const codes = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const f = foldChar(text.charCodeAt(i));
    if (f < 0) continue;
    offsets[m] = i;
    codes[m++] = f;
  }
  return { text: asciiString(codes, m), offsets: offsets.subarray(0, m) };
}

const LATIN1 = new TextDecoder('latin1');

/** The string of the first `m` bytes of `codes`, all ASCII. */
export function asciiString(codes: Uint8Array, m: number): string {
  return LATIN1.decode(codes.subarray(0, m));
}

/** Span in the original text of skeleton characters [start, end). */
export function skeletonSpan(s: Skeleton, start: number, end: number): { start: number; end: number } {
  return { start: s.offsets[start]!, end: s.offsets[end - 1]! + 1 };
}
