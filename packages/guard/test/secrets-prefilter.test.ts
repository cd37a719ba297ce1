import { describe, expect, it } from 'vitest';
import { scanSecrets } from '../src/secrets/index.ts';
import { buildAutomaton, GATE_EDGE, GATE_NON_ASCII, gateTable } from '../src/secrets/prefilter.ts';

/** Every occurrence, case-insensitive for A-Z only, in order of end then keyword order: the reference. */
function naive(
  text: string,
  keywords: readonly string[],
  allowed: (k: number, before: number, after: number) => boolean,
): [number, number][] {
  const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
  const out: [number, number, number][] = [];
  keywords.forEach((k, index) => {
    for (let s = 0; s + k.length <= text.length; s++) {
      let ok = true;
      for (let i = 0; i < k.length && ok; i++) ok = fold(text.charCodeAt(s + i)) === k.charCodeAt(i);
      if (!ok) continue;
      const before = s === 0 ? GATE_EDGE : text.charCodeAt(s - 1);
      const end = s + k.length;
      const after = end === text.length ? GATE_EDGE : text.charCodeAt(end);
      if (allowed(index, before, after)) out.push([end, index, s]);
    }
  });
  return out.sort((a, b) => a[0] - b[0]).map(([, k, s]) => [k, s]);
}

function collectAll(automaton: ReturnType<typeof buildAutomaton>, text: string): [number, number][] {
  const out: [number, number][] = [];
  automaton.scan(text, (k, s) => out.push([k, s]));
  return out;
}

let seed = 12345;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}

describe('keyword prefilter', () => {
  const keywords = ['s.', '|', 'key', 'pass', 'secret', 'secret_', 'sk', 'sk-', 'sk-proj-', 'ghp_', 'eaa', 'aa'];
  const digit = (c: number) => c >= 48 && c <= 57;
  const word = (c: number) => c < 128 && /[A-Za-z0-9_.$]/.test(String.fromCharCode(c));
  const gates = keywords.map((k) =>
    k === 's.'
      ? { before: gateTable((c) => c === GATE_NON_ASCII || c === GATE_EDGE || !word(c)) }
      : k === '|'
        ? { before: gateTable((c) => c < 128 && digit(c)) }
        : k === 'key'
          ? { after: gateTable((c) => c !== GATE_EDGE && c < 128 && c !== 59 /* ; */) }
          : undefined,
  );
  const allowed = (k: number, before: number, after: number) => {
    const b = before === GATE_EDGE ? GATE_EDGE : before < 128 ? before : GATE_NON_ASCII;
    const a = after === GATE_EDGE ? GATE_EDGE : after < 128 ? after : GATE_NON_ASCII;
    const gate = gates[k];
    return (gate?.before === undefined || gate.before[b] === 1) && (gate?.after === undefined || gate.after[a] === 1);
  };
  const automaton = buildAutomaton(keywords, gates);
  const alphabet = [
    's',
    'S',
    '.',
    '|',
    '1',
    'k',
    'K',
    'e',
    'y',
    ';',
    'a',
    'A',
    '-',
    '_',
    'p',
    ' ',
    '\n',
    'é',
    '日',
    '\ud83d',
  ];

  it('finds exactly the occurrences a naive search finds, across block boundaries and with gates', () => {
    // Lengths around the block size (32768) and its halves, where the two interleaved runs meet.
    for (const length of [0, 1, 2, 5, 40, 200, 1000, 16383, 16384, 16385, 32767, 32768, 32769, 65536 + 77, 100_001]) {
      let text = '';
      const parts: string[] = [];
      while (text.length < length) {
        const piece =
          rand(4) === 0 ? keywords[rand(keywords.length)]! : alphabet[rand(alphabet.length)]!.repeat(1 + rand(3));
        parts.push(rand(2) === 0 ? piece.toUpperCase() : piece);
        text = parts.join('');
      }
      text = text.slice(0, length);
      expect(collectAll(automaton, text), `length ${length}`).toEqual(naive(text, keywords, allowed));
    }
  });

  it('treats characters outside ASCII as no keyword character', () => {
    // U+212A KELVIN SIGN lowercases to "k" but is not an ASCII K.
    expect(collectAll(automaton, '\u212aey ключ key=')).toEqual([[2, 9]]);
  });
});

describe('scanSecrets over long texts', () => {
  it('finds secrets at every offset around the prefilter block boundaries', () => {
    const secret = 'AKIAQ7ZK3M5N2P4R6TXV';
    const filler = 'const value = compute(rows.map((r) => r.id)); // s. | key\n';
    for (const at of [16_380, 16_384, 32_760, 32_768, 32_770, 65_530]) {
      const head = filler.repeat(Math.ceil(at / filler.length)).slice(0, at);
      // The key starts `at` (after `id: "`), so the keyword crosses the boundary for some offsets.
      const text = `${head.slice(0, -5)}id: "${secret}",\n${filler.repeat(10)}`;
      const found = scanSecrets(text).filter((f) => f.type === 'aws_access_key_id');
      expect(
        found.map((f) => [f.start, f.end]),
        `at ${at}`,
      ).toEqual([[at, at + secret.length]]);
    }
  });
});
