import { ibanChecksumValid, ibanLength } from '../checksums.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Country code and check digits start a candidate; the rest is read by hand to the country's exact length,
// allowing single spaces between characters (print format groups by four), so no regex has to guess the grouping.
const HEAD = /(?<![\p{L}\p{N}])([A-Z]{2}|[a-z]{2})(\d{2})(?= ?[A-Za-z0-9])/gu;
const ALNUM = /[A-Za-z0-9]/;

const RULES: readonly ContextRule[] = [
  { name: 'iban', pattern: words(['iban', 'account', 'bank', 'transfer', 'wire', 'sepa']), weight: 0.05, before: 50 },
];

export function findIbans(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  for (const m of text.matchAll(HEAD)) {
    const country = m[1]!.toUpperCase();
    const len = ibanLength(country);
    if (len === undefined) continue;
    const start = m.index;
    let compact = country + m[2]!;
    let i = start + 4;
    while (compact.length < len && i < text.length) {
      const ch = text[i]!;
      if (ALNUM.test(ch)) {
        compact += ch;
        i++;
      } else if (ch === ' ' && i + 1 < text.length && ALNUM.test(text[i + 1]!)) {
        i++;
      } else {
        break;
      }
    }
    if (compact.length !== len) continue;
    if (i < text.length && /[\p{L}\p{N}]/u.test(text[i]!)) continue;
    const upper = compact.toUpperCase();
    if (!ibanChecksumValid(upper)) continue;
    const c = applyContext(text, start, i, RULES);
    out.push({
      type: 'IBAN_CODE',
      start,
      end: i,
      score: clamp01(0.9 + c.delta),
      signals: ['checksum:mod97', ...c.signals],
    });
  }
}
