import { describe, expect, it } from 'vitest';
import { ALL_PII_ENTITIES, createPiiVault, detectPii, maskPii, unmaskPii } from '../src/pii/index.ts';

const ALL = { entities: ALL_PII_ENTITIES };

describe('unicode', () => {
  it('reads fullwidth digits and keeps the span on the original text', () => {
    const text = 'card ４１１１ １１１１ １１１１ １１１１ ok';
    const f = detectPii(text, ALL);
    expect(f.map((x) => [x.type, text.slice(x.start, x.end)])).toEqual([
      ['CREDIT_CARD', '４１１１ １１１１ １１１１ １１１１'],
    ]);
  });

  it('sees through zero-width characters inside an e-mail address', () => {
    const text = 'mail jane\u200b.doe@exa\u200dmple.com now';
    const f = detectPii(text, ALL);
    expect(f).toHaveLength(1);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe('jane\u200b.doe@exa\u200dmple.com');
    const vault = createPiiVault();
    const masked = maskPii(text, f, vault);
    expect(masked).toBe('mail [EMAIL_ADDRESS_1] now');
    expect(unmaskPii(masked, vault)).toBe(text);
  });

  it('reads other-script digits, unicode dashes and no-break spaces in numbers', () => {
    expect(detectPii('SSN ٥٣٦-٢٢-١٧٨٤', ALL).map((f) => f.type)).toEqual(['US_SSN']);
    expect(detectPii('SSN 536\u201122\u20111784', ALL).map((f) => f.type)).toEqual(['US_SSN']);
    const text = 'call +44\u00a020\u00a07946\u00a00958';
    expect(detectPii(text, ALL).map((f) => text.slice(f.start, f.end))).toEqual(['+44\u00a020\u00a07946\u00a00958']);
  });

  it('handles astral characters, accents and right-to-left text around findings', () => {
    const text = '😀 José Müller\u200f écrit à josé@example.com 😀';
    const f = detectPii(text, ALL).find((x) => x.type === 'EMAIL_ADDRESS')!;
    expect(text.slice(f.start, f.end)).toBe('josé@example.com');
  });
});

describe('bounded time on hostile input', () => {
  const MB = 1 << 20;
  const cases: [string, string][] = [
    ['letters', 'a'.repeat(MB)],
    ['digits', '7'.repeat(MB)],
    ['spaced digits', '1 '.repeat(MB / 2)],
    ['dotted digits', '1.'.repeat(MB / 2)],
    ['at signs', 'a@'.repeat(MB / 2)],
    ['hex and colons', 'ab:'.repeat(MB / 3)],
    ['capitalised words', 'Aaaa '.repeat(MB / 5)],
    ['address-like', '12 Main Street, '.repeat(MB / 16)],
    ['brackets', '[EMAIL_ADDRESS_'.repeat(MB / 15)],
    ['one long line of prose', 'Anna paid 12 dollars to Bob at 4 Elm St on 2020-01-02. '.repeat(MB / 56)],
  ];

  it.each(cases)('scans a megabyte of %s in bounded time', (_name, text) => {
    const t0 = performance.now();
    detectPii(text, ALL);
    // Generous for a shared two-core machine; catastrophic backtracking would take minutes.
    expect(performance.now() - t0).toBeLessThan(15_000);
  });

  it('unmasks a megabyte of placeholder-like text in bounded time', () => {
    const vault = createPiiVault();
    maskPii('a@example.com', detectPii('a@example.com'), vault);
    const t0 = performance.now();
    unmaskPii('[EMAIL_ADDRESS_1] [EMAIL_ADDRESS_'.repeat(MB / 32), vault);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
