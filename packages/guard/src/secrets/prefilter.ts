// Keyword prefilter: one pass over the text with an Aho-Corasick automaton over ASCII-lowercased
// characters, reporting where each keyword occurs. Rules only run at those positions, so the cost of
// a scan is one table lookup per character plus work proportional to the number of keyword hits.
//
// Some keywords are common in ordinary text (`s.` in `rows.map`, `|` in tables and pipes). A keyword
// may carry a gate: the characters allowed just before and just after the occurrence. Occurrences
// that fail the gate are dropped inside the pass, before any rule sees them, which costs two table
// lookups instead of a call into the rules.
//
// The automaton is built once per keyword set and never changes afterwards. Case folding is done per
// character (A-Z only), so offsets are the caller's UTF-16 offsets; no lowercased copy is allocated.

import { Buffer } from 'node:buffer';

/**
 * Keywords up to this length with a gate on the preceding character are matched together with that
 * character (longer ones are rare enough by chance that checking the gate afterwards is cheaper than
 * the states it would add).
 */
const SHORT_KEYWORD = 2;

/** Index of a gate table entry for "any non-ASCII character". */
export const GATE_NON_ASCII = 128;
/** Index of a gate table entry for "no character": the start (before) or the end (after) of the text. */
export const GATE_EDGE = 129;
/** Size of a gate table: ASCII, non-ASCII, edge. */
export const GATE_SIZE = 130;

export interface KeywordGate {
  /** `before[c]` is 1 when character class c may precede the keyword (see GATE_*). */
  readonly before?: Uint8Array;
  /** `after[c]` is 1 when character class c may follow the keyword. */
  readonly after?: Uint8Array;
}

/** A gate table built from a predicate over characters (ASCII code, GATE_NON_ASCII or GATE_EDGE). */
export function gateTable(allowed: (c: number) => boolean): Uint8Array {
  const table = new Uint8Array(GATE_SIZE);
  for (let c = 0; c < GATE_SIZE; c++) table[c] = allowed(c) ? 1 : 0;
  return table;
}

/** Where a collection pass stands: the next offset to read and the automaton's row there. */
export interface ScanCursor {
  pos: number;
  row: number;
}

export interface KeywordAutomaton {
  readonly keywords: readonly string[];
  /** Sets `cursor` to the start of a text. */
  start(cursor: ScanCursor): void;
  /**
   * Collects the occurrences that end in the next block of the text (from `cursor`) and pass their
   * keyword's gate, in order of the occurrence's end, as pairs (keyword index, start offset) in
   * `hits`. Returns the number of ints written; `cursor` is advanced so the next call resumes. The
   * text is done when `cursor.pos === text.length`.
   */
  collect(text: string, cursor: ScanCursor): number;
  /** The buffer `collect` writes to (replaced when it grows; read it after each call). */
  readonly hits: Int32Array;
  /** Calls `onHit(keywordIndex, start)` for every occurrence that passes its gate, in order of end. */
  scan(text: string, onHit: (keyword: number, start: number) => void): void;
}

export function buildAutomaton(
  keywords: readonly string[],
  gates: readonly (KeywordGate | undefined)[] = [],
): KeywordAutomaton {
  for (const k of keywords) {
    if (k.length === 0) throw new Error('empty keyword');
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c >= 128 || (c >= 65 && c <= 90)) throw new Error(`keyword must be lowercase ASCII: ${k}`);
    }
  }

  // Character classes: every character that occurs in a keyword gets its own class; class 0 is
  // "anything else" (and every character outside ASCII). Upper-case ASCII letters share the class of
  // their lower-case form.
  //
  // A short keyword whose gate restricts the character before it (`s.`, `|`: hundreds of thousands
  // of occurrences in ordinary code, nearly all after a letter) is matched by the automaton itself
  // with that character in front: one pattern per class of allowed characters, so the occurrences
  // the gate drops never leave the automaton. For that, characters the gate treats differently get
  // classes of their own. A gate that would split a keyword letter from its upper-case form (a
  // case-sensitive gate) is left to the check after the automaton.
  const isKeywordChar = new Uint8Array(128);
  for (const k of keywords) for (let i = 0; i < k.length; i++) isKeywordChar[k.charCodeAt(i)] = 1;
  const encoded = keywords
    .map((_, k) => k)
    .filter((k) => {
      const table = gates[k]?.before;
      if (table === undefined || !table.includes(0) || keywords[k]!.length > SHORT_KEYWORD) return false;
      for (let c = 97; c <= 122; c++) if (isKeywordChar[c] === 1 && table[c] !== table[c - 32]) return false;
      return true;
    });
  const signature = (c: number): string => {
    const base =
      c < 128 && isKeywordChar[c >= 65 && c <= 90 ? c + 32 : c] === 1 ? String(c >= 65 && c <= 90 ? c + 32 : c) : '';
    return `${base}/${encoded.map((k) => gates[k]!.before![c]).join('')}`;
  };
  const classOf = new Uint8Array(128);
  const classBySignature = new Map<string, number>([[signature(GATE_NON_ASCII), 0]]);
  for (let c = 0; c < 128; c++) {
    const sig = signature(c);
    let cls = classBySignature.get(sig);
    if (cls === undefined) {
      cls = classBySignature.size;
      classBySignature.set(sig, cls);
    }
    classOf[c] = cls;
  }
  // A class no character has: the edge of the text, read once before its first character.
  const edgeClass = classBySignature.size;
  const classCount = edgeClass + 1;
  if (classCount > 255) throw new Error('too many character classes');

  // Patterns, as class sequences, each with the keyword it reports.
  const patterns: { classes: number[]; keyword: number }[] = [];
  keywords.forEach((k, index) => {
    const classes = Array.from(k, (ch) => classOf[ch.charCodeAt(0)]!);
    if (!encoded.includes(index)) {
      patterns.push({ classes, keyword: index });
      return;
    }
    const table = gates[index]!.before!;
    const allowed = new Set<number>();
    if (table[GATE_NON_ASCII] === 1) allowed.add(0);
    for (let c = 0; c < 128; c++) if (table[c] === 1) allowed.add(classOf[c]!);
    if (table[GATE_EDGE] === 1) allowed.add(edgeClass);
    for (const cls of allowed) patterns.push({ classes: [cls, ...classes], keyword: index });
  });

  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  for (const { classes, keyword } of patterns) {
    let s = 0;
    for (const cls of classes) {
      let next = children[s]!.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        children[s]!.set(cls, next);
      }
      s = next;
    }
    if (!outputs[s]!.includes(keyword)) outputs[s]!.push(keyword);
  }

  // Failure links, breadth first, folded into a complete transition table (a DFA).
  const stateCount = children.length;
  const fail = new Int32Array(stateCount);
  const delta = new Int32Array(stateCount * classCount);
  const queue: number[] = [];
  for (let cls = 0; cls < classCount; cls++) {
    const next = children[0]!.get(cls);
    if (next !== undefined) {
      delta[cls] = next;
      fail[next] = 0;
      queue.push(next);
    }
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    const out = outputs[s]!;
    for (const o of outputs[fail[s]!]!) if (!out.includes(o)) out.push(o);
    for (let cls = 0; cls < classCount; cls++) {
      const next = children[s]!.get(cls);
      if (next !== undefined) {
        fail[next] = delta[fail[s]! * classCount + cls]!;
        delta[s * classCount + cls] = next;
        queue.push(next);
      } else {
        delta[s * classCount + cls] = delta[fail[s]! * classCount + cls]!;
      }
    }
  }

  // States are renumbered so that those with outputs come last: "row >= firstOutputRow" is then the
  // only test per character. Rows are stored as offsets into the table (state * classCount), so the
  // inner loop needs no multiplication; 16-bit entries keep the table small enough to stay in cache.
  const order: number[] = [];
  for (let s = 0; s < stateCount; s++) if (outputs[s]!.length === 0) order.push(s);
  const firstOutputState = order.length;
  for (let s = 0; s < stateCount; s++) if (outputs[s]!.length > 0) order.push(s);
  const renumbered = new Int32Array(stateCount);
  order.forEach((s, index) => {
    renumbered[s] = index;
  });
  const tableSize = stateCount * classCount;
  const rows = tableSize <= 0xffff ? new Uint16Array(tableSize) : new Int32Array(tableSize);
  for (let s = 0; s < stateCount; s++) {
    for (let cls = 0; cls < classCount; cls++) {
      rows[renumbered[s]! * classCount + cls] = renumbered[delta[s * classCount + cls]!]! * classCount;
    }
  }
  const rootRow = renumbered[0]! * classCount;
  // Where a text starts: the root after the edge class.
  const startRow = renumbered[delta[edgeClass]!]! * classCount;
  const firstOutputRow = firstOutputState * classCount;
  // Outputs of the state at row r (r >= firstOutputRow), flattened: outputKeyword[outputStart[j]..
  // outputStart[j + 1]) with j = outputIndex[r - firstOutputRow].
  const outputStart = new Int32Array(stateCount - firstOutputState + 1);
  const outputList: number[] = [];
  let maxOutputs = 1;
  for (let j = 0; j < stateCount - firstOutputState; j++) {
    outputStart[j] = outputList.length;
    const out = outputs[order[firstOutputState + j]!]!;
    for (const o of out) outputList.push(o);
    if (out.length > maxOutputs) maxOutputs = out.length;
  }
  outputStart[stateCount - firstOutputState] = outputList.length;
  // j for a row, without a division in the expansion loop.
  const outputIndex = new Int32Array((stateCount - firstOutputState) * classCount);
  for (let j = 0; j < stateCount - firstOutputState; j++) outputIndex[j * classCount] = j;
  const outputKeyword = Int32Array.from(outputList);
  const lengths = Int32Array.from(keywords, (k) => k.length);
  // The longest pattern (a gated keyword has its preceding character in front).
  const maxLength = Math.max(1, ...patterns.map((p) => p.classes.length));

  // Gates, flattened: keyword k's tables at k * GATE_SIZE. A keyword whose tables allow everything
  // is not gated at all.
  const gated = new Uint8Array(keywords.length);
  const before = new Uint8Array(keywords.length * GATE_SIZE).fill(1);
  const after = new Uint8Array(keywords.length * GATE_SIZE).fill(1);
  keywords.forEach((_, k) => {
    const gate = gates[k];
    for (const [table, into] of [
      [gate?.before, before],
      [gate?.after, after],
    ] as const) {
      if (table === undefined) continue;
      if (table.length !== GATE_SIZE) throw new Error(`gate table of ${keywords[k]} must have ${GATE_SIZE} entries`);
      into.set(table, k * GATE_SIZE);
      if (table.includes(0)) gated[k] = 1;
    }
  });

  // The text is read in blocks, copied as UTF-16 code units into a typed array (a native copy; typed
  // array reads are much cheaper than String#charCodeAt in the loop). Each block is walked by two
  // automaton runs at once, one per half: the two chains of dependent table lookups interleave,
  // which nearly halves the time per character. The second run starts `maxLength` characters before
  // its half so that its state is exact when it gets there (an Aho-Corasick state depends only on
  // the last keyword-length characters). Runs record (row, offset) where a state has outputs; the
  // outputs are expanded and gated afterwards, outside the hot loop.
  const BLOCK = 1 << 15;
  const unitBytes = Buffer.allocUnsafeSlow(2 * BLOCK);
  const units = new Uint16Array(unitBytes.buffer, unitBytes.byteOffset, BLOCK);
  const foundBuffer = new Int32Array(2 * BLOCK + 4);
  let hits = new Int32Array(4 * BLOCK);

  function collect(text: string, cursor: ScanCursor): number {
    const n = text.length;
    const blockStart = cursor.pos;
    const blockEnd = Math.min(n, blockStart + BLOCK);
    const length = blockEnd - blockStart;
    if (length <= 0) return 0;
    unitBytes.write(blockStart === 0 && blockEnd === n ? text : text.slice(blockStart, blockEnd), 0, 'utf16le');
    // Locals, so the loops keep them in registers.
    const d = rows;
    const cls = classOf;
    const out = firstOutputRow;
    const u = units;
    const found = foundBuffer;
    let a = cursor.row;
    let count = 0;
    if (length < 8 * maxLength) {
      // Too short to split: one run.
      for (let i = 0; i < length; i++) {
        const c = u[i]!;
        a = d[a + (c < 128 ? cls[c]! : 0)]!;
        if (a >= out) {
          found[count++] = a;
          found[count++] = i;
        }
      }
      cursor.row = a;
    } else {
      const mid = length >> 1;
      // Run B: warm up before the middle, then both runs together.
      let b = rootRow;
      for (let i = mid - maxLength; i < mid; i++) {
        const c = u[i]!;
        b = d[b + (c < 128 ? cls[c]! : 0)]!;
      }
      // Run A records from the front of `found`, run B from the back half.
      let na = 0;
      let nb = length + 2;
      const rest = length - mid;
      for (let k = 0; k < mid; k++) {
        const ca = u[k]!;
        const cb = u[mid + k]!;
        a = d[a + (ca < 128 ? cls[ca]! : 0)]!;
        b = d[b + (cb < 128 ? cls[cb]! : 0)]!;
        if (a >= out) {
          found[na++] = a;
          found[na++] = k;
        }
        if (b >= out) {
          found[nb++] = b;
          found[nb++] = mid + k;
        }
      }
      // Run B's half may be one longer.
      for (let k = mid; k < rest; k++) {
        const cb = u[mid + k]!;
        b = d[b + (cb < 128 ? cls[cb]! : 0)]!;
        if (b >= out) {
          found[nb++] = b;
          found[nb++] = mid + k;
        }
      }
      cursor.row = b;
      // Close the gap between the two runs' records.
      found.copyWithin(na, length + 2, nb);
      count = na + (nb - length - 2);
    }
    cursor.pos = blockEnd;

    // Expand outputs, apply gates. Characters around a hit are read from the block when they are
    // in it.
    let h = 0;
    if (hits.length < h + count * maxOutputs) hits = new Int32Array(2 * (count * maxOutputs + 2));
    const hitBuffer = hits;
    for (let f = 0; f < count; f += 2) {
      const j = outputIndex[found[f]! - out]!;
      const at = found[f + 1]!;
      const last = outputStart[j + 1]!;
      for (let o = outputStart[j]!; o < last; o++) {
        const k = outputKeyword[o]!;
        const size = lengths[k]!;
        if (gated[k] === 1) {
          const b = at - size;
          const p = b >= 0 ? u[b]! : blockStart + b >= 0 ? text.charCodeAt(blockStart + b) : -1;
          if (before[k * GATE_SIZE + (p < 0 ? GATE_EDGE : p < 128 ? p : GATE_NON_ASCII)] === 0) continue;
          const q = at + 1 < length ? u[at + 1]! : blockStart + at + 1 < n ? text.charCodeAt(blockStart + at + 1) : -1;
          if (after[k * GATE_SIZE + (q < 0 ? GATE_EDGE : q < 128 ? q : GATE_NON_ASCII)] === 0) continue;
        }
        hitBuffer[h++] = k;
        hitBuffer[h++] = blockStart + at + 1 - size;
      }
    }
    return h;
  }

  // Run every path once (short and long blocks, odd and even halves, gated hits at the edges of the
  // text and of blocks, non-ASCII neighbours) so the optimizing compiler sees type feedback for all
  // of them; otherwise a path first taken late deoptimizes the hot loop, again and again.
  const sample = keywords
    .map((k, i) => `${i % 2 === 0 ? k.toUpperCase() : k}${i % 3 === 0 ? 'é' : ' '}1${k}_`)
    .join('\n');
  for (const text of [sample, `${sample}x`, sample.slice(0, 7 * maxLength), keywords[0]!, `${sample}${keywords[0]!}`]) {
    const cursor: ScanCursor = { pos: 0, row: startRow };
    while (cursor.pos < text.length) collect(text, cursor);
  }

  return {
    keywords,
    collect,
    get hits() {
      return hits;
    },
    scan(text, onHit) {
      const cursor: ScanCursor = { pos: 0, row: startRow };
      while (cursor.pos < text.length) {
        const count = collect(text, cursor);
        const found = hits;
        for (let h = 0; h < count; h += 2) onHit(found[h]!, found[h + 1]!);
      }
    },
    start(cursor) {
      cursor.pos = 0;
      cursor.row = startRow;
    },
  };
}
