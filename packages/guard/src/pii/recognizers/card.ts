import { cardBrand, digitsOf } from '../checksums.ts';
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

/** Groups split by single spaces or hyphens are 3-6 digits long each (an ungrouped run always passes). */
function groupsPlausible(text: string, start: number, end: number): boolean {
  let grouped = false;
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 45) {
      if (run < 3 || run > 6) return false;
      grouped = true;
      run = 0;
    } else {
      run++;
    }
  }
  return !grouped || (run >= 3 && run <= 6);
}

/** Luhn over the ASCII digits of a span, without building the digit string; false when every digit is the same. */
function luhnSpanValid(text: string, start: number, end: number): boolean {
  let sum = 0;
  let double = false;
  let count = 0;
  let first = -1;
  let mixed = false;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (first < 0) first = d;
    else if (d !== first) mixed = true;
    count++;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return count > 0 && sum % 10 === 0 && mixed;
}

export function findCards(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!groupsPlausible(text, start, end) || !luhnSpanValid(text, start, end)) continue;
    const digits = digitsOf(m[0]);
    const brand = cardBrand(digits);
    let base: number;
    let signals: string[];
    if (brand) {
      base = digits.length >= 14 ? 0.8 : 0.6;
      signals = ['checksum:luhn', `iin:${brand}`];
    } else {
      base = 0.3;
      signals = ['checksum:luhn'];
    }
    const c = applyContext(text, start, end, RULES);
    for (const s of c.signals) signals.push(s);
    out.push({ type: 'CREDIT_CARD', start, end, score: clamp01(base + c.delta), signals });
  }
}
