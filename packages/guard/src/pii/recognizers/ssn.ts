import { digitsOf, ssnValid } from '../checksums.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// 3-2-4 digits with one consistent separator (or none); the lookarounds keep it out of longer numbers.
const SSN = /(?<![\p{N}\p{L}]|\p{N}[-. ])\d{3}([- .]?)\d{2}\1\d{4}(?![\p{N}]|[-.]\d)/gu;

const RULES: readonly ContextRule[] = [
  {
    name: 'ssn',
    pattern: words([
      'ssn',
      'ssns',
      'social security',
      'social sec',
      'soc sec',
      'ss#',
      'ss #',
      'ss no',
      'ss number',
      'taxpayer',
      'tin',
    ]),
    weight: 0.35,
    before: 50,
  },
  {
    name: 'not_ssn',
    pattern: words([
      'license',
      'licence',
      'driver',
      'dl',
      'phone',
      'tel',
      'fax',
      'call',
      'mobile',
      'order',
      'invoice',
      'account',
      'routing',
      'zip',
      'isbn',
      'part',
      'model',
    ]),
    weight: -0.35,
    before: 40,
  },
];

export function findSsns(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  for (const m of text.matchAll(SSN)) {
    const raw = m[0];
    const digits = digitsOf(raw);
    if (!ssnValid(digits)) continue;
    const sep = m[1]!;
    const base = sep === '-' ? 0.65 : sep === ' ' ? 0.45 : sep === '.' ? 0.4 : 0.25;
    const start = m.index;
    const end = start + raw.length;
    const c = applyContext(text, start, end, RULES);
    out.push({
      type: 'US_SSN',
      start,
      end,
      score: clamp01(base + c.delta),
      signals: [sep === '' ? 'pattern:ssn_plain' : 'pattern:ssn_formatted', ...c.signals],
    });
  }
}
