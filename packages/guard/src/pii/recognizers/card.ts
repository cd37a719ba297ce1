import { cardBrand, digitsOf, luhnValid } from '../checksums.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// 12-19 digits, optionally grouped by single spaces or hyphens. The quantifier is bounded and the lookarounds stop a
// match from starting or ending inside a longer run, so each start position costs a few dozen steps at most.
const CARD = /(?<![\p{N}.,]|\p{N}[ -])\d(?:[ -]?\d){11,18}(?![\p{N}]|[ -]\d)/gu;

const RULES: readonly ContextRule[] = [
  {
    name: 'card',
    pattern: words([
      'card',
      'credit',
      'debit',
      'visa',
      'mastercard',
      'master card',
      'amex',
      'american express',
      'discover',
      'maestro',
      'jcb',
      'diners',
      'cc',
      'ccn',
      'pan',
      'cvv',
      'cvc',
      'expiry',
      'expires',
      'exp',
      'payment',
      'pay',
      'charge',
      'billing',
    ]),
    weight: 0.2,
    before: 50,
    after: 30,
  },
  {
    name: 'not_card',
    pattern: words([
      'order',
      'tracking',
      'invoice',
      'reference',
      'ref',
      'isbn',
      'serial',
      'transaction id',
      'account number',
      'acct',
      'imei',
      'phone',
      'tel',
      'fax',
      'id',
    ]),
    weight: -0.4,
    before: 30,
  },
];

function groupsPlausible(raw: string): boolean {
  if (!/[ -]/.test(raw)) return true;
  return raw.split(/[ -]/).every((g) => g.length >= 3 && g.length <= 6);
}

export function findCards(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  for (const m of text.matchAll(CARD)) {
    const raw = m[0];
    const digits = digitsOf(raw);
    if (!groupsPlausible(raw) || !luhnValid(digits)) continue;
    if (/^(\d)\1+$/.test(digits)) continue;
    const brand = cardBrand(digits);
    const signals = ['checksum:luhn'];
    let base: number;
    if (brand) {
      signals.push(`iin:${brand}`);
      base = digits.length >= 14 ? 0.8 : 0.6;
    } else {
      base = 0.3;
    }
    const start = m.index;
    const end = start + raw.length;
    const c = applyContext(text, start, end, RULES);
    out.push({ type: 'CREDIT_CARD', start, end, score: clamp01(base + c.delta), signals: [...signals, ...c.signals] });
  }
}
