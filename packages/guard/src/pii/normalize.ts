// A deliberately narrow normaliser for PII matching. The shared normaliser in ../normalize folds case, leetspeak and
// look-alike letters, which would turn phone digits into letters and erase the capitalisation that name detection
// relies on; here only the tricks that hide structured identifiers are undone: invisible characters inside a value,
// fullwidth or other-script digits, exotic spaces and dashes; and the typographic apostrophe reads as the ASCII one,
// as the word lists and patterns spell it ("driver's license", "d'"). Every character of the copy maps back to the
// input.

import { Buffer } from 'node:buffer';
import { codePointAt, memo } from './chars.ts';

export interface PiiText {
  /** The copy that recognisers scan. */
  text: string;
  /** For each UTF-16 unit of `text`, the index in the input it came from; absent when `text` equals the input. */
  from?: Int32Array;
  /** For each UTF-16 unit of `text`, the input index just past its source character. */
  to?: Int32Array;
  inputLength: number;
}

// Zero-width, bidi controls, soft hyphen, word joiner, BOM: characters a reader does not see inside a value.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
// Anything the loop below would change: invisible and format characters, exotic spaces and dashes, fullwidth forms,
// and non-ASCII decimal digits. Accented letters alone do not need a copy.
const NEEDS_WORK =
  /[\u00a0\u00ad\u180e\u2000-\u2015\u2024\u2028-\u202f\u205f-\u206f\u2212\u3000\ufe52\ufe63\ufe6b\ufeff\uff01-\uff5e]|(?![0-9])\p{Nd}/u;

// First code point of each run of ten decimal digits outside ASCII that people actually type or paste.
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0e50, 0x0ed0,
  0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6,
];

function mapCodePoint(cp: number): string | null {
  if (cp === APOSTROPHE) return "'";
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0);
  for (const zero of DIGIT_ZEROS) {
    if (cp >= zero && cp < zero + 10) return String.fromCharCode(48 + cp - zero);
  }
  if (cp === 0x00a0 || cp === 0x3000 || cp === 0x202f || cp === 0x205f || (cp >= 0x2000 && cp <= 0x200a)) return ' ';
  if ((cp >= 0x2010 && cp <= 0x2015) || cp === 0x2212 || cp === 0xfe63) return '-';
  if (cp === 0xfe6b) return '@';
  if (cp === 0x2024 || cp === 0xfe52) return '.';
  return null;
}

// NEEDS_WORK as a test of one character: every character it matches is outside ASCII, so a scan only has to look
// up the few that are, instead of running the regex at every position.
const needsWork = memo(new RegExp(`^(?:${NEEDS_WORK.source})$`, 'u'));

const APOSTROPHE = 0x2019;

/** 0: the input can be scanned as it is; 1: only typographic apostrophes to fold; 2: NEEDS_WORK. */
function workNeeded(input: string): 0 | 1 | 2 {
  let work: 0 | 1 = 0;
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) < 0x80) continue;
    const cp = codePointAt(input, i);
    if (cp === APOSTROPHE) work = 1;
    else if (needsWork(cp)) return 2;
    if (cp > 0xffff) i++;
  }
  return work;
}

const WIDE = /[^\x00-\xff]/;

/**
 * The same string, stored one byte per character when it can be: V8 keeps a string derived from a two-byte input
 * two-byte, and the recognisers' regexes run markedly slower over two-byte strings. A JSON round trip is an exact
 * identity that yields a one-byte string.
 */
function compact(s: string): string {
  return WIDE.test(s) ? s : (JSON.parse(JSON.stringify(s)) as string);
}

// Reused between calls (toPiiText runs to completion synchronously): one byte per character of the copy.
let latin1 = Buffer.allocUnsafe(0);

/**
 * `compact(input.replaceAll('\u2019', "'"))` without its intermediates: replaceAll builds a two-byte copy that the
 * WIDE test then flattens, and the JSON round trip makes two more; here the bytes are written once and decoded as
 * Latin-1 (an exact identity for code units up to U+00FF), which gives the one-byte string directly.
 */
function foldApostrophes(input: string): string {
  const n = input.length;
  if (latin1.length < n) latin1 = Buffer.allocUnsafe(Math.max(n, latin1.length * 2));
  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    if (c === APOSTROPHE) latin1[i] = 39;
    else if (c <= 0xff) latin1[i] = c;
    // Something wider than Latin-1 stays: the copy cannot be one byte per character.
    else return input.replaceAll('\u2019', "'");
  }
  return latin1.toString('latin1', 0, n);
}

export function toPiiText(input: string): PiiText {
  const work = workNeeded(input);
  if (work === 0) return { text: input, inputLength: input.length };
  // Same length, every character where it was: no offset map.
  if (work === 1) return { text: foldApostrophes(input), inputLength: input.length };
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let changed = false;
  for (let i = 0; i < input.length; ) {
    const cp = input.codePointAt(i)!;
    if (cp < 0x80) {
      out.push(input[i]!);
      from.push(i);
      to.push(i + 1);
      i++;
      continue;
    }
    const width = cp > 0xffff ? 2 : 1;
    const ch = input.slice(i, i + width);
    if (INVISIBLE.test(ch)) {
      changed = true;
    } else {
      const mapped = mapCodePoint(cp);
      if (mapped !== null) changed = true;
      const piece = mapped ?? ch;
      for (let k = 0; k < piece.length; k++) {
        out.push(piece[k]!);
        from.push(i);
        to.push(i + width);
      }
    }
    i += width;
  }
  if (!changed) return { text: input, inputLength: input.length };
  return {
    text: compact(out.join('')),
    from: Int32Array.from(from),
    to: Int32Array.from(to),
    inputLength: input.length,
  };
}

/** Maps a span of the scanned copy back onto the input. */
export function toInputSpan(t: PiiText, start: number, end: number): { start: number; end: number } {
  if (!t.from || !t.to) return { start, end };
  if (end <= start) {
    const at = start < t.from.length ? t.from[start]! : t.inputLength;
    return { start: at, end: at };
  }
  return { start: t.from[start]!, end: t.to[end - 1]! };
}
