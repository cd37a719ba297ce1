// Keyword prefilter: one pass over the text with an Aho-Corasick automaton over ASCII-lowercased
// characters, reporting where each keyword occurs. Rules only run at those positions, so the cost of
// a scan is one table lookup per character plus work proportional to the number of keyword hits.
//
// The automaton is built once per keyword set and never changes afterwards. Case folding is done per
// character (A-Z only), so offsets are the caller's UTF-16 offsets; no lowercased copy is allocated.

export interface KeywordAutomaton {
  readonly keywords: readonly string[];
  /** Calls `onHit(keywordIndex, start)` for every occurrence, in order of the occurrence's end. */
  scan(text: string, onHit: (keyword: number, start: number) => void): void;
}

export function buildAutomaton(keywords: readonly string[]): KeywordAutomaton {
  for (const k of keywords) {
    if (k.length === 0) throw new Error('empty keyword');
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (c >= 128 || (c >= 65 && c <= 90)) throw new Error(`keyword must be lowercase ASCII: ${k}`);
    }
  }

  // Character classes: every character that occurs in a keyword gets its own class; class 0 is
  // "anything else". Upper-case ASCII letters share the class of their lower-case form.
  const classOf = new Uint8Array(128);
  let classCount = 1;
  for (const k of keywords) {
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      if (classOf[c] === 0) classOf[c] = classCount++;
    }
  }
  for (let c = 65; c <= 90; c++) classOf[c] = classOf[c + 32]!;
  if (classCount > 255) throw new Error('too many distinct keyword characters');

  // Trie.
  const children: Map<number, number>[] = [new Map()];
  const outputs: number[][] = [[]];
  keywords.forEach((k, index) => {
    let s = 0;
    for (let i = 0; i < k.length; i++) {
      const cls = classOf[k.charCodeAt(i)]!;
      let next = children[s]!.get(cls);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        outputs.push([]);
        children[s]!.set(cls, next);
      }
      s = next;
    }
    outputs[s]!.push(index);
  });

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

  // Store row offsets instead of state numbers so the inner loop needs no multiplication; 16-bit
  // entries keep the table small enough to stay in cache when they fit.
  const rows = stateCount * classCount <= 0xffff ? new Uint16Array(delta.length) : new Int32Array(delta.length);
  for (let i = 0; i < delta.length; i++) rows[i] = delta[i]! * classCount;
  const outputAt: (readonly number[] | undefined)[] = new Array(stateCount * classCount);
  const hasOutput = new Uint8Array(stateCount * classCount);
  for (let s = 0; s < stateCount; s++) {
    const out = outputs[s]!;
    if (out.length > 0) {
      outputAt[s * classCount] = out;
      hasOutput[s * classCount] = 1;
    }
  }
  const lengths = keywords.map((k) => k.length);

  return {
    keywords,
    scan(text, onHit) {
      const n = text.length;
      const d = rows;
      const cls = classOf;
      const out = hasOutput;
      let row = 0;
      for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        row = d[row + (c < 128 ? cls[c]! : 0)]!;
        if (out[row] !== 0) {
          for (const k of outputAt[row]!) onHit(k, i + 1 - lengths[k]!);
        }
      }
    },
  };
}
