import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Anchored on '@' and grown outwards with bounded loops, instead of one regular expression, so a megabyte of
// letters without an '@' costs one indexOf and no backtracking.
const LOCAL = /[\p{L}\p{N}._%+'!#$&*=?^`{|}~-]/u;
const DOMAIN = /[\p{L}\p{N}.-]/u;
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const TLD = /^\p{L}{2,24}$/u;

const RULES: readonly ContextRule[] = [
  { name: 'email', pattern: words(['email', 'e-mail', 'mail', 'contact', 'reach', 'write', 'send']), weight: 0.05 },
];

export function findEmails(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  let at = text.indexOf('@');
  while (at !== -1) {
    let s = at;
    while (s > 0 && at - s < 64 && LOCAL.test(text[s - 1]!)) s--;
    while (s < at && text[s] === '.') s++;
    let e = at + 1;
    while (e < text.length && e - at <= 253 && DOMAIN.test(text[e]!)) e++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    const next = text.indexOf('@', Math.max(e, at + 1));
    if (s < at && e > at + 1 && !text.slice(s, at).includes('..')) {
      const labels = text.slice(at + 1, e).split('.');
      const tld = labels[labels.length - 1]!;
      if (labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(tld)) {
        const c = applyContext(text, s, e, RULES);
        const signals = ['pattern:email'];
        for (let i = 0; i < c.signals.length; i++) signals.push(c.signals[i]!);
        out.push({ type: 'EMAIL_ADDRESS', start: s, end: e, score: clamp01(0.9 + c.delta), signals });
      }
    }
    at = next;
  }
}
