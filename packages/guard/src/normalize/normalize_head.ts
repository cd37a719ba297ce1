// Builds the detection copy of a text: what a model would "see" once the usual obfuscations are undone. The copy is
// only ever scanned, never sent anywhere, so it may be lossy (accents, case variants and look-alikes all collapse)
// as long as every character can be traced back to the span of the input it came from.

import { Buffer } from 'node:buffer';
import { CONFUSABLES, LATIN_CONFUSABLES } from './confusables.ts';
import { findEncodedPayloads, looksLikeText, type PayloadKind, utf8 } from './decode_head.ts';

export type { PayloadKind } from './decode_head.ts';

export type NormalizationSignal =
  | 'zero_width'
  | 'bidi_control'
  | 'bidi_override'
  | 'bidi_mark'
  | 'tag_chars'
  | 'variation_selectors'
  | 'variation_selector_payload'
  | 'control_chars'
  | 'invisible_chars'
  | 'fullwidth'
  | 'math_alphanumeric'
  | 'enclosed_alphanumeric'
  | 'combining_marks'
  | 'homoglyph'
  | 'spaced_letters'
  | 'leetspeak'
  | PayloadKind;

/** For each UTF-16 unit of the normalised text, the span of the input it was derived from (end exclusive). */
export interface OffsetMap {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

export interface DecodedPayload {
  kind: PayloadKind;
  /** Span of the encoded run in the input. */
  start: number;
  end: number;
  /** 1 for a payload found in the input, 2 for one found inside a decoded payload, and so on. */
  depth: number;
}

/** Where an obfuscation was found in the input, so that a detector can point at it. */
export interface ObfuscationSpan {
  signal: NormalizationSignal;
  start: number;
  end: number;
}

export interface NormalizedText {
  /** The detection copy: the normalised input, then each decoded payload on its own line. */
  text: string;
  /** Absent when every character of `text` sits at its own offset in the input (same length, 1:1). */
  map?: OffsetMap;
  /** Sorted, unique. */
  signals: NormalizationSignal[];
  payloads: DecodedPayload[];
  /** Length of the part of `text` that normalises the input itself; decoded payloads follow it. */
  mainLength: number;
  obfuscations: ObfuscationSpan[];
}

export interface NormalizeOptions {
  /** How many layers of encoding to peel (a base64 payload holding hex is depth 2). Default 2. */
  maxDepth?: number;
  /** Most payloads decoded per call, over all depths. Default 8. */
  maxPayloads?: number;
  /** Most decoded characters appended per call. Default 8192. */
  maxDecodedChars?: number;
}

/** Text with its offset map; null maps mean the identity (character i came from input character i). */
interface Mapped {
  text: string;
  starts: Int32Array | null;
  ends: Int32Array | null;
}

const startOf = (m: Mapped, i: number) => (m.starts ? m.starts[i]! : i);
const endOf = (m: Mapped, i: number) => (m.ends ? m.ends[i]! : i + 1);

// The builder's text, as UTF-16 code units, in a buffer reused from call to call (one builder is filled and built
// at a time, synchronously), and a byte buffer to turn it into a one-byte string when it fits in Latin-1. Outputs
// longer than this get buffers of their own, so that a rare huge input is not kept alive.
const UNITS_MAX = 1 << 16;
let scratchUnits = Buffer.allocUnsafeSlow(2 * 1024);
let scratchBytes = Buffer.allocUnsafeSlow(1024);

/**
 * Accumulates output text with the input span of every UTF-16 unit, in growable typed arrays. The text is written
 * unit by unit into a buffer and decoded once: no string per piece, no join, and a one-byte string directly when
 * every unit fits in one byte (V8 would keep a string built from pieces of a two-byte input two-byte, and the
 * regexes of this file and of every detector run markedly slower over that).
 */
class Builder {
  private units: Uint16Array;
  private unitsBuffer: Buffer;
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;
  private wide = false;

  /** `capacity`: the expected length of the output, so that a long text is not copied on every doubling. */
  constructor(capacity = 256) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.unitsBuffer = scratchUnits;
    this.units = new Uint16Array(scratchUnits.buffer, scratchUnits.byteOffset, scratchUnits.length >> 1);
  }

  private reserve(need: number): void {
    if (need > this.units.length) {
      const size = Math.max(need, this.units.length * 2);
      const buffer = Buffer.allocUnsafeSlow(2 * size);
      const units = new Uint16Array(buffer.buffer, buffer.byteOffset, size);
      units.set(this.units.subarray(0, this.length));
      this.units = units;
      this.unitsBuffer = buffer;
      if (size <= UNITS_MAX) scratchUnits = buffer;
    }
    if (need <= this.starts.length) return;
    const size = Math.max(need, this.starts.length * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts.subarray(0, this.length));
    ends.set(this.ends.subarray(0, this.length));
    this.starts = starts;
    this.ends = ends;
  }

  push(s: string, start: number, end: number): void {
    const need = this.length + s.length;
    this.reserve(need);
    // A plain loop: most pushes are one character, where a fill() call costs more than the writes.
    for (let k = this.length, at = 0; k < need; k++, at++) {
      const c = s.charCodeAt(at);
      if (c > 0xff) this.wide = true;
      this.units[k] = c;
      this.starts[k] = start;
      this.ends[k] = end;
    }
    this.length = need;
  }

  /** Characters `from`..`to` of `text`, each mapped to itself: the common case, without a string per character. */
  pushRun(text: string, from: number, to: number): void {
    const need = this.length + (to - from);
    this.reserve(need);
    for (let k = this.length, at = from; k < need; k++, at++) {
      const c = text.charCodeAt(at);
      if (c > 0xff) this.wide = true;
      this.units[k] = c;
      this.starts[k] = at;
      this.ends[k] = at + 1;
    }
    this.length = need;
  }

  /** The result; the maps are views of the builder's arrays (no copy), so the builder is not used afterwards. */
  build(): Mapped {
    const n = this.length;
    let text: string;
    if (this.wide) {
      text = this.unitsBuffer.toString('utf16le', 0, 2 * n);
    } else {
      if (scratchBytes.length < n) {
        const bytes = Buffer.allocUnsafeSlow(Math.max(n, 2 * scratchBytes.length));
        if (bytes.length > UNITS_MAX) {
          for (let k = 0; k < n; k++) bytes[k] = this.units[k]!;
          return { text: bytes.toString('latin1', 0, n), ...this.maps() };
        }
        scratchBytes = bytes;
      }
      const bytes = scratchBytes;
      for (let k = 0; k < n; k++) bytes[k] = this.units[k]!;
      text = bytes.toString('latin1', 0, n);
    }
    return { text, ...this.maps() };
  }

  private maps(): { starts: Int32Array; ends: Int32Array } {
    return { starts: this.starts.subarray(0, this.length), ends: this.ends.subarray(0, this.length) };
  }
}

function identity(text: string): Mapped {
  return { text, starts: null, ends: null };
}

const ZERO_WIDTH = new Set([
  0x00ad, 0x034f, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2062, 0x2063,
  0x2064, 0x3164, 0xfeff, 0xffa0,
]);
const BIDI_OVERRIDE = new Set([0x202d, 0x202e]);
const BIDI_EMBED = new Set([0x202a, 0x202b, 0x202c, 0x2066, 0x2067, 0x2068, 0x2069]);
const BIDI_MARK = new Set([0x200e, 0x200f, 0x061c]);
const FORMAT_RE = /^\p{Cf}$/u;
const MARK_RE = /^\p{M}$/u;
const LETTER_RE = /^\p{L}$/u;

const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
const isAsciiAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// Cheap pre-check before the Unicode property regex: every combining mark lives at or above U+0300.
const isMark = (cp: number) => cp >= 0x300 && MARK_RE.test(String.fromCodePoint(cp));
const isInvisible = (cp: number) =>
  ZERO_WIDTH.has(cp) || BIDI_OVERRIDE.has(cp) || BIDI_EMBED.has(cp) || BIDI_MARK.has(cp) || isTag(cp);

interface Collector {
  signals: Set<NormalizationSignal>;
  obfuscations: ObfuscationSpan[];
  /** Inside a decoded payload, offsets refer to the decoded text; findings point at the encoded run instead. */
  override?: readonly [number, number];
}

const MAX_OBFUSCATION_SPANS = 64;

function note(col: Collector, signal: NormalizationSignal, at: number, to: number): void {
  col.signals.add(signal);
  const start = col.override ? col.override[0] : at;
  const end = col.override ? col.override[1] : to;
  const last = col.obfuscations[col.obfuscations.length - 1];
  if (last && last.signal === signal && last.end >= start) {
    last.end = Math.max(last.end, end);
  } else if (col.obfuscations.length < MAX_OBFUSCATION_SPANS) {
    col.obfuscations.push({ signal, start, end });
  }
}

/** Nearest visible code unit at or after `i`, skipping at most a few invisible characters. */
function neighbour(text: string, i: number, step: 1 | -1): number {
  for (let k = i, seen = 0; k >= 0 && k < text.length && seen < 8; k += step, seen++) {
    const cp = text.codePointAt(k)!;
    if (!isInvisible(cp) && !isVariationSelector(cp)) return text.charCodeAt(k);
    if (cp > 0xffff) k += step;
  }
  return -1;
}

/** Variation-selector smuggling: each selector after a base character carries one byte of a hidden message. */
function variationSelectorByte(cp: number): number {
  return cp <= 0xfe0f ? cp - 0xfe00 : cp - 0xe0100 + 16;
}

// Typographic quotes and dashes: the copy uses the ASCII ones so that patterns and word boundaries see one form.
const PUNCTUATION: ReadonlyMap<number, string> = new Map([
  [0x2018, "'"],
  [0x2019, "'"],
  [0x201a, "'"],
  [0x201b, "'"],
  [0x2032, "'"],
  [0x201c, '"'],
  [0x201d, '"'],
  [0x201e, '"'],
  [0x201f, '"'],
  [0x2033, '"'],
  [0x00ab, '"'],
  [0x00bb, '"'],
  [0x2010, '-'],
  [0x2011, '-'],
  [0x2012, '-'],
  [0x2013, '-'],
  [0x2014, '-'],
  [0x2015, '-'],
  [0x2212, '-'],
]);

function foldSegment(seg: string): string {
  const punct = seg.length === 1 ? PUNCTUATION.get(seg.charCodeAt(0)) : undefined;
  if (punct !== undefined) return punct;
  const decomposed = seg.normalize('NFKD');
  // Latin letters lose their accents (and zalgo marks) in the copy; other scripts keep their composed form.
  if (decomposed.charCodeAt(0) < 0x80) return decomposed.replace(/\p{M}/gu, '');
  return seg.normalize('NFKC');
}

interface Stage1 extends Mapped {
  ascii: boolean;
  confusables: boolean;
  confusableLetters: number;
  asciiLetters: number;
  otherLetters: number;
}

const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;
const isPlainAscii = (c: number) => (c >= 0x20 && c <= 0x7e) || c === 9 || c === 10 || c === 13;

/** Invisible characters, tag and variation-selector smuggling, compatibility forms and accents. */
function stage1(input: string, col: Collector): Stage1 {
  if (PLAIN_ASCII.test(input)) {
    return {
      ...identity(input),
      ascii: true,
      confusables: false,
      confusableLetters: 0,
      asciiLetters: 1,
      otherLetters: 0,
    };
  }
  const n = input.length;
  const b = new Builder(n + 16);
  let confusables = false;
  // Whether the copy is plain ASCII after all (typographic quotes folded): the spaced-letter scan has a fast path.
  let asciiOut = true;
  let confusableLetters = 0;
  let asciiLetters = 0;
  let otherLetters = 0;
  let zalgo = 0;
  const folded = new Map<string, string>();
  let i = 0;
  while (i < n) {
    const cp = input.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    if (cp < 0x80) {
      if ((cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || cp === 0x7f) {
        note(col, 'control_chars', i, i + 1);
        i++;
        continue;
      }
      // A run of printable ASCII is copied as it is. A character followed by one at U+0300 or above (which may be a
      // combining mark) is left to the general path below, which folds a base character with its marks.
      let j = i;
      for (;;) {
        const c = input.charCodeAt(j);
        if (isAsciiLetter(c)) asciiLetters++;
        j++;
        const next = j < n ? input.charCodeAt(j) : 0;
        if (next >= 0x300 || j >= n || !isPlainAscii(next)) break;
      }
      const next = j < n ? input.charCodeAt(j) : 0;
      if (next >= 0x300) {
        // The run's last character takes the marks that follow it: back off one, it is copied below with them.
        j--;
        if (isAsciiLetter(input.charCodeAt(j))) asciiLetters--;
      }
      if (j > i) {
        b.pushRun(input, i, j);
        i = j;
        continue;
      }
    }
    if (isTag(cp)) {
      let j = i;
      let hidden = '';
      while (j < n) {
        const t = input.codePointAt(j)!;
        if (!isTag(t)) break;
        if (t >= 0xe0020 && t <= 0xe007e) hidden += String.fromCharCode(t - 0xe0000);
        j += 2;
      }
      note(col, 'tag_chars', i, j);
      // The hidden ASCII is what a model reads, so it goes into the copy where it was hidden.
      if (hidden) b.push(` ${hidden} `, i, j);
      i = j;
      continue;
    }
    if (isVariationSelector(cp)) {
      let j = i;
      const bytes: number[] = [];
      while (j < n) {
        const v = input.codePointAt(j)!;
        if (!isVariationSelector(v)) break;
        bytes.push(variationSelectorByte(v));
        j += v > 0xffff ? 2 : 1;
      }
      if (bytes.length >= 4) {
        const hidden = utf8(Uint8Array.from(bytes));
        if (hidden !== null && looksLikeText(hidden)) {
          note(col, 'variation_selector_payload', i, j);
          if (/[^\x00-\x7f]/.test(hidden)) asciiOut = false;
          b.push(` ${hidden} `, i, j);
        } else {
          note(col, 'variation_selectors', i, j);
        }
      } else if (bytes.length >= 2) {
        note(col, 'variation_selectors', i, j);
      }
      i = j;
      continue;
    }
    if (ZERO_WIDTH.has(cp)) {
      // A whole run at once (zero-width characters are all BMP): looking for neighbours per character would be
      // quadratic in a run of them.
      let j = i + 1;
      while (j < n && ZERO_WIDTH.has(input.charCodeAt(j))) j++;
      // Joiners inside emoji sequences and non-joiners in Persian or Indic text are legitimate; next to ASCII
      // letters they only serve to split a keyword.
      const before = i > 0 ? input.charCodeAt(i - 1) : -1;
      const after = neighbour(input, j, 1);
      const bom = cp === 0xfeff && i === 0 && j === 1;
      if (!bom && ((before >= 0 && isAsciiAlnum(before)) || (after >= 0 && isAsciiAlnum(after)))) {
        note(col, 'zero_width', i, j);
      }
      i = j;
      continue;
    }
    if (BIDI_OVERRIDE.has(cp)) {
      note(col, 'bidi_override', i, i + w);
      col.signals.add('bidi_control');
      i += w;
      continue;
    }
    if (BIDI_EMBED.has(cp)) {
      note(col, 'bidi_control', i, i + w);
      i += w;
      continue;
    }
    if (BIDI_MARK.has(cp)) {
      col.signals.add('bidi_mark');
      i += w;
      continue;
    }
    if ((cp >= 0x80 && cp < 0xa0) || (cp >= 0x2000 && FORMAT_RE.test(String.fromCodePoint(cp)))) {
      note(col, cp < 0xa0 ? 'control_chars' : 'invisible_chars', i, i + w);
      i += w;
      continue;
    }
    // A base character and the combining marks that follow it normalise together.
    let j = i + w;
    let marks = 0;
    let overlays = 0;
    while (j < n) {
      const m = input.codePointAt(j)!;
      // Variation selectors are marks too, but a run of them is handled (and decoded) on its own.
      if (!isMark(m) || isVariationSelector(m)) break;
      marks++;
      if (m >= 0x334 && m <= 0x338) overlays++;
      j += m > 0xffff ? 2 : 1;
    }
    if (marks >= 3 || overlays > 0) {
      zalgo++;
      if (zalgo >= 3) note(col, 'combining_marks', i, j);
    }
    if (cp >= 0xff01 && cp <= 0xff5e) note(col, 'fullwidth', i, j);
    else if (cp >= 0x1d400 && cp <= 0x1d7ff) note(col, 'math_alphanumeric', i, j);
    else if ((cp >= 0x24b6 && cp <= 0x24e9) || (cp >= 0x1f130 && cp <= 0x1f189))
      note(col, 'enclosed_alphanumeric', i, j);
    const seg = input.slice(i, j);
    let out = cp < 0x80 && marks === 0 ? seg : folded.get(seg);
    if (out === undefined) {
      out = foldSegment(seg);
      // Unicode normalisation is the slow part of this loop; texts repeat the same few characters.
      if (marks === 0) folded.set(seg, out);
    }
    for (let k = 0; k < out.length; k++) {
      const c = out.charCodeAt(k);
      if (isAsciiLetter(c)) asciiLetters++;
      else if (c >= 0x80) {
        asciiOut = false;
        if (CONFUSABLES.has(c)) {
          confusables = true;
          confusableLetters++;
        } else if (LETTER_RE.test(out[k]!)) otherLetters++;
      }
    }
    b.push(out, i, j);
    i = j;
  }
  // One-byte whenever every character of the copy fits (see Builder).
  const built = b.build();
  return { ...built, ascii: asciiOut, confusables, confusableLetters, asciiLetters, otherLetters };
}

/** Folds look-alike letters in words that mix scripts, or in all-look-alike words set among Latin words. */
function foldHomoglyphs(s: Stage1, col: Collector): Mapped {
  if (!s.confusables) return s;
  // Per word: where it starts and ends, and how many ASCII letters, look-alikes and other letters it has.
  const at: number[] = [];
  const end: number[] = [];
  const ascii: number[] = [];
  const look: number[] = [];
  const other: number[] = [];
  for (const m of s.text.matchAll(/[\p{L}\p{M}]+/gu)) {
    let a = 0;
    let l = 0;
    let o = 0;
    for (let k = m.index; k < m.index + m[0].length; k++) {
      const c = s.text.charCodeAt(k);
      if (isAsciiLetter(c)) a++;
      else if (CONFUSABLES.has(c)) l++;
      else o++;
    }
    at.push(m.index);
    end.push(m.index + m[0].length);
    ascii.push(a);
    look.push(l);
    other.push(o);
  }
  const latinDoc = s.asciiLetters > 2 * (s.otherLetters + s.confusableLetters);
  const foreign = (w: number) => w >= 0 && w < at.length && other[w]! > 0;
  const latin = (w: number) => w >= 0 && w < at.length && ascii[w]! > 0 && other[w] === 0;
  let chars: string[] | null = null;
  for (let w = 0; w < at.length; w++) {
    if (look[w] === 0) continue;
    const mixed = ascii[w]! > 0;
    // Real Russian or Greek words come with neighbours in the same script; a disguise sits among Latin words.
    const disguised =
      ascii[w] === 0 &&
      other[w] === 0 &&
      !foreign(w - 1) &&
      !foreign(w + 1) &&
      (latin(w - 1) || latin(w + 1) || latinDoc);
    for (let k = at[w]!; k < end[w]!; k++) {
      const c = s.text.charCodeAt(k);
      const to = CONFUSABLES.get(c);
      if (to !== undefined && (mixed || disguised || LATIN_CONFUSABLES.has(c))) {
        chars ??= s.text.split('');
        chars[k] = to;
      }
    }
    if (mixed || disguised) note(col, 'homoglyph', startOf(s, at[w]!), endOf(s, end[w]! - 1));
  }
  // Every look-alike is one UTF-16 unit and folds to one ASCII letter, so the offsets stay valid.
  return chars ? { text: chars.join(''), starts: s.starts, ends: s.ends } : s;
}

const SPACED_RE = /(?<![\p{L}\p{N}])[\p{L}\p{N}](?:[ .\-_*|+~/·•']{1,3}[\p{L}\p{N}](?![\p{L}\p{N}])){3,}/gu;
const SPACED_PRECHECK_RE = new RegExp(SPACED_RE.source, 'u');

const isSpacedSep = (c: number) =>
  c === 32 ||
  c === 46 ||
  c === 45 ||
  c === 95 ||
  c === 42 ||
  c === 124 ||
  c === 43 ||
  c === 126 ||
  c === 47 ||
  c === 39;

/** Runs of at least four single letters or digits with 1-3 separators between them, in ASCII text (fast path). */
function spacedRunsAscii(text: string): Array<[number, number]> {
  const n = text.length;
  const runs: Array<[number, number]> = [];
  let i = 0;
  while (i < n) {
    if (!isAsciiAlnum(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isAsciiAlnum(text.charCodeAt(j))) j++;
    if (j - i !== 1) {
      i = j;
      continue;
    }
    // A one-character token: extend over "separator(s) + one-character token" steps.
    let count = 1;
    let end = j;
    for (;;) {
      let k = end;
      while (k < n && k - end < 3 && isSpacedSep(text.charCodeAt(k))) k++;
      if (k === end || k >= n || !isAsciiAlnum(text.charCodeAt(k))) break;
      if (k + 1 < n && isAsciiAlnum(text.charCodeAt(k + 1))) break;
      count++;
      end = k + 1;
    }
    if (count >= 4) runs.push([i, end]);
    i = end;
  }
  return runs;
}

function spacedRuns(text: string, ascii: boolean): Array<[number, number]> {
  if (ascii) return spacedRunsAscii(text);
  if (!SPACED_PRECHECK_RE.test(text)) return [];
  return [...text.matchAll(SPACED_RE)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
}

/** "i g n o r e" and "i.g.n.o.r.e" become "ignore"; a wider gap than the usual one separates words. */
function collapseSpaced(m: Mapped, ascii: boolean, col: Collector): Mapped {
  const runs = spacedRuns(m.text, ascii);
  if (runs.length === 0) return m;
  const b = new Builder();
  let last = 0;
  const copy = (from: number, to: number) => {
    for (let k = from; k < to; k++) b.push(m.text[k]!, startOf(m, k), endOf(m, k));
  };
  for (const [at, runEnd] of runs) {
    const run = m.text.slice(at, runEnd);
    // Letters and separators alternate; measure the separators to find the narrowest one.
    const pieces: Array<{ ch: number; sepLen: number }> = [];
    let k = 0;
    let letters = 0;
    while (k < run.length) {
      const cp = run.codePointAt(k)!;
      const w = cp > 0xffff ? 2 : 1;
      let s = k + w;
      while (s < run.length && /[ .\-_*|+~/·•']/.test(run[s]!)) s++;
      pieces.push({ ch: k, sepLen: s - k - w });
      if (!/\p{N}/u.test(String.fromCodePoint(cp))) letters++;
      k = s;
    }
    if (letters < 4) continue;
    copy(last, at);
    let minSep = Number.POSITIVE_INFINITY;
    for (let p = 0; p < pieces.length - 1; p++) minSep = Math.min(minSep, pieces[p]!.sepLen);
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p]!;
      const cp = run.codePointAt(piece.ch)!;
      const w = cp > 0xffff ? 2 : 1;
      const g = at + piece.ch;
      b.push(run.slice(piece.ch, piece.ch + w), startOf(m, g), endOf(m, g + w - 1));
      if (p < pieces.length - 1 && piece.sepLen > minSep) {
        b.push(' ', startOf(m, g + w), endOf(m, g + w + piece.sepLen - 1));
      }
    }
    note(col, 'spaced_letters', startOf(m, at), endOf(m, at + run.length - 1));
    last = at + run.length;
  }
  if (last === 0) return m;
  copy(last, m.text.length);
  return b.build();
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '2': 'z',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'l',
};
// The tokens looked at: /[A-Za-z0-9@$!|]{4,}/g (found by leetTokens from the hits of the pre-check).
const LEET_PRECHECK_RE = /[A-Za-z][0-9@$!|]+[A-Za-z]/;

/** "1gn0r3" becomes "ignore" when a token has substitutes between its letters; numbers and ids are left alone. */
const LEET_HIT_RE = new RegExp(LEET_PRECHECK_RE.source, 'g');
const isLeetChar = (c: number) => isAsciiAlnum(c) || c === 64 || c === 36 || c === 33 || c === 124;

/**
 * The tokens of the pattern above (runs of at least four letters, digits and substitutes) that hold a substitute between
 * letters: only those can be leetspeak, and finding them from those hits skips every ordinary word.
 */
function leetTokens(text: string): Array<{ index: number; t: string }> {
  const out: Array<{ index: number; t: string }> = [];
  let done = 0;
  LEET_HIT_RE.lastIndex = 0;
  for (let hit = LEET_HIT_RE.exec(text); hit !== null; hit = LEET_HIT_RE.exec(text)) {
    if (hit.index < done) continue;
    let s = hit.index;
    let e = hit.index + hit[0].length;
    while (s > 0 && isLeetChar(text.charCodeAt(s - 1))) s--;
    while (e < text.length && isLeetChar(text.charCodeAt(e))) e++;
    done = e;
    if (e - s >= 4) out.push({ index: s, t: text.slice(s, e) });
  }
  return out;
}

function foldLeet(m: Mapped, col: Collector): Mapped {
  if (!LEET_PRECHECK_RE.test(m.text)) return m;
  let chars: string[] | undefined;
  for (const match of leetTokens(m.text)) {
    const t = match.t;
    let letters = 0;
    let digits = 0;
    for (let k = 0; k < t.length; k++) {
      const c = t.charCodeAt(k);
      if (isAsciiLetter(c)) letters++;
      else if (c >= 48 && c <= 57) digits++;
    }
    if (letters < 3 || digits > t.length * 0.6 || t.length > 16) continue;
    // Case changes inside a token mean an identifier or an encoded blob, not a disguised word.
    if (/[a-z][A-Z]/.test(t)) continue;
    if (t.length >= 6 && /^[0-9a-fA-F]+$/.test(t)) continue;
    // Substitutes must sit between letters somewhere: "covid19", "sha256" or "x86" have none.
    if (!/[A-Za-z][0-9@$!|]+[A-Za-z]/.test(t)) continue;
    // An address or a handle is not leetspeak.
    const after = m.text.charCodeAt(match.index + t.length);
    if (t.includes('@') && (after === 46 || t.startsWith('@'))) continue;
    for (let k = 0; k < t.length; k++) {
      const ch = t[k]!;
      const to = LEET[ch];
      if (to === undefined) continue;
      // Punctuation only counts inside the word; at its edges it is punctuation.
      if ((ch === '!' || ch === '|' || ch === '@' || ch === '$') && (k === 0 || k === t.length - 1)) continue;
      chars ??= m.text.split('');
      chars[match.index + k] = to;
    }
    note(col, 'leetspeak', startOf(m, match.index), endOf(m, match.index + t.length - 1));
  }
  return chars ? { text: chars.join(''), starts: m.starts, ends: m.ends } : m;
}

interface Budget {
  payloads: number;
  chars: number;
  maxDepth: number;
}

interface Internal {
  mapped: Mapped;
  payloads: DecodedPayload[];
  mainLength: number;
}

function normalizeInternal(input: string, depth: number, budget: Budget, col: Collector): Internal {
  const s1 = stage1(input, col);
  const folded = foldLeet(collapseSpaced(foldHomoglyphs(s1, col), s1.ascii, col), col);
  const payloads: DecodedPayload[] = [];
  if (depth > budget.maxDepth || budget.payloads <= 0 || budget.chars <= 0) {
    return { mapped: folded, payloads, mainLength: folded.text.length };
  }
  // Payloads are searched before the letter folds: those would corrupt the case-sensitive encodings.
  const found = findEncodedPayloads(s1.text, budget.payloads);
  if (found.length === 0) return { mapped: folded, payloads, mainLength: folded.text.length };
  const parts: Array<{ mapped: Mapped; start: number; end: number }> = [];
  for (const p of found) {
    if (budget.payloads <= 0 || budget.chars <= 0) break;
    budget.payloads--;
    const decoded = p.decoded.slice(0, budget.chars);
    budget.chars -= decoded.length;
    const start = startOf(s1, p.start);
    const end = endOf(s1, p.end - 1);
    note(col, p.kind, start, end);
    payloads.push({ kind: p.kind, start, end, depth });
    const child: Collector = {
      signals: col.signals,
      obfuscations: col.obfuscations,
      override: col.override ?? [start, end],
    };
    const inner = normalizeInternal(decoded, depth + 1, budget, child);
    // Nested payloads point at the outer encoded run: that is the part of the input they came from.
    for (const q of inner.payloads) payloads.push({ ...q, start, end });
    parts.push({ mapped: inner.mapped, start, end });
  }
  const text = [folded.text, ...parts.map((part) => `\n${part.mapped.text}`)].join('');
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  const mainLength = folded.text.length;
  if (folded.starts && folded.ends) {
    starts.set(folded.starts);
    ends.set(folded.ends);
  } else {
    for (let k = 0; k < mainLength; k++) {
      starts[k] = k;
      ends[k] = k + 1;
    }
  }
  let k = mainLength;
  for (const part of parts) {
    const len = part.mapped.text.length + 1;
    starts.fill(part.start, k, k + len);
    ends.fill(part.end, k, k + len);
    k += len;
  }
  return { mapped: { text, starts, ends }, payloads, mainLength };
}

/**
 * Normalises `text` for detection: NFKC, invisible and bidi controls removed, tag-smuggled ASCII revealed,
 * look-alike letters, spaced-out words and leetspeak folded, and encoded payloads (base64, hex, binary, URL
 * encoding, HTML entities, \u escapes, rot13) decoded and appended on their own lines. Pure and bounded.
 */
export function normalizeForDetection(text: string, options: NormalizeOptions = {}): NormalizedText {
  const col: Collector = { signals: new Set(), obfuscations: [] };
  const budget: Budget = {
    payloads: options.maxPayloads ?? 8,
    chars: options.maxDecodedChars ?? 8192,
    maxDepth: options.maxDepth ?? 2,
  };
  const r = normalizeInternal(text, 1, budget, col);
  const signals = [...col.signals].sort();
  const out: NormalizedText = {
    text: r.mapped.text,
    signals,
    payloads: r.payloads,
    mainLength: r.mainLength,
    obfuscations: col.obfuscations,
  };
  if (r.mapped.starts && r.mapped.ends) out.map = { starts: r.mapped.starts, ends: r.mapped.ends };
  return out;
}

/** Maps a span of the normalised text back to the smallest span of the input that produced it. */
export function toOriginalSpan(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  const map = n.map;
  if (!map) return { start: Math.max(0, start), end: Math.min(n.text.length, end) };
  const len = map.starts.length;
  const s = Math.max(0, Math.min(start, len - 1));
  const e = Math.max(s + 1, Math.min(end, len));
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (let k = s; k < e; k++) {
    lo = Math.min(lo, map.starts[k]!);
    hi = Math.max(hi, map.ends[k]!);
  }
  if (len === 0) return { start: 0, end: 0 };
  return { start: lo, end: hi };
}
