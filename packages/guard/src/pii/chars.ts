// Unicode property tests on single code points, memoised for the BMP. The recognisers that scan text by hand
// classify every character, and a property regex per character would cost more than the rest of their loops.

/** `re`, a test of one code point (anchored, `u`), as a function of the code point. */
export function memo(re: RegExp): (cp: number) => boolean {
  // 0: not looked up yet, 1: in the class, 2: not. Filled lazily: only characters that occur are ever tested.
  const table = new Uint8Array(0x10000);
  return (cp) => {
    if (cp > 0xffff) return re.test(String.fromCodePoint(cp));
    let v = table[cp]!;
    if (v === 0) {
      v = re.test(String.fromCharCode(cp)) ? 1 : 2;
      table[cp] = v;
    }
    return v === 1;
  };
}

const letter = memo(/^\p{L}$/u);
const letterOrMark = memo(/^[\p{L}\p{M}]$/u);
const letterOrNumber = memo(/^[\p{L}\p{N}]$/u);
const upper = memo(/^\p{Lu}$/u);
const lower = memo(/^\p{Ll}$/u);

const asciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** `\p{L}`, as a `u` regex reads code point `cp`. */
export const isLetter = (cp: number): boolean => (cp < 0x80 ? asciiLetter(cp) : letter(cp));

/** `\p{L}` or `\p{M}`, as a `u` regex reads code point `cp`. */
export const isLetterOrMark = (cp: number): boolean => (cp < 0x80 ? asciiLetter(cp) : letterOrMark(cp));

/** `\p{L}` or `\p{N}`. */
export const isLetterOrNumber = (cp: number): boolean =>
  cp < 0x80 ? asciiLetter(cp) || (cp >= 48 && cp <= 57) : letterOrNumber(cp);

/** `\p{Lu}`. */
export const isUpper = (cp: number): boolean => (cp < 0x80 ? cp >= 65 && cp <= 90 : upper(cp));

/** `\p{Ll}`. */
export const isLower = (cp: number): boolean => (cp < 0x80 ? cp >= 97 && cp <= 122 : lower(cp));

/** The code point at `i` as a `u` regex steps over it: a surrogate pair is one, a lone surrogate stands alone. */
export function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff ? text.codePointAt(i)! : c;
}

/**
 * A zeroed byte per character of a text of length `n`, from one buffer reused by every caller: each use runs to
 * completion synchronously and nothing keeps the view. A fresh Uint8Array per call is an off-heap buffer that
 * every young-generation collection then has to sweep.
 */
let scratch = new Uint8Array(4096);
export function scratchBytes(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  const view = scratch.subarray(0, n);
  view.fill(0);
  return view;
}

const SPACE = /\s/;

/** `\s`, on one UTF-16 unit. */
export const isSpace = (c: number): boolean =>
  c < 0x80 ? c === 32 || (c >= 9 && c <= 13) : SPACE.test(String.fromCharCode(c));
