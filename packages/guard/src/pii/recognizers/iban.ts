import { ibanLength } from '../checksums.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Country code and check digits start a candidate; the rest is read by hand to the country's exact length,
// allowing single spaces between characters (print format groups by four), so no regex has to guess the grouping.
const HEAD = /(?<![\p{L}\p{N}])([A-Z]{2}|[a-z]{2})(\d{2})(?= ?[A-Za-z0-9])/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

const RULES: readonly ContextRule[] = [
  { name: 'iban', pattern: words(['iban', 'account', 'bank', 'transfer', 'wire', 'sepa']), weight: 0.05, before: 50 },
];

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Folds one IBAN character (ASCII letter or digit) into a running mod-97 remainder. */
function mod97Step(rem: number, c: number): number {
  if (c <= 57) return (rem * 10 + (c - 48)) % 97;
  return (rem * 100 + ((c >= 97 ? c - 32 : c) - 55)) % 97;
}

export function findIbans(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  HEAD.lastIndex = 0;
  for (let m = HEAD.exec(text); m !== null; m = HEAD.exec(text)) {
    const start = m.index;
    const len = ibanLength(m[1]!.toUpperCase());
    if (len === undefined) continue;
    // Read to the country's length on indices; the checksum is folded in a second pass over the same characters.
    let count = 4;
    let i = start + 4;
    while (count < len && i < text.length) {
      if (isAlnum(text.charCodeAt(i))) {
        count++;
        i++;
      } else if (text.charCodeAt(i) === 32 && i + 1 < text.length && isAlnum(text.charCodeAt(i + 1))) {
        i++;
      } else {
        break;
      }
    }
    if (count !== len) continue;
    if (i < text.length && LETTER_OR_DIGIT.test(text[i]!)) continue;
    let rem = 0;
    for (let k = start + 4; k < i; k++) {
      const c = text.charCodeAt(k);
      if (c !== 32) rem = mod97Step(rem, c);
    }
    for (let k = start; k < start + 4; k++) rem = mod97Step(rem, text.charCodeAt(k));
    if (rem !== 1) continue;
    const c = applyContext(text, start, i, RULES);
    const signals = ['checksum:mod97'];
    for (const s of c.signals) signals.push(s);
    out.push({ type: 'IBAN_CODE', start, end: i, score: clamp01(0.9 + c.delta), signals });
  }
}
