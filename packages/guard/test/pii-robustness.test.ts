import { describe, expect, it } from 'vitest';
import { ALL_PII_ENTITIES, createPiiVault, detectPii, maskPii, unmaskPii } from '../src/pii/index.ts';
import { SHAPES, shapeMatches, wordStarts } from '../src/pii/recognizers/address.ts';

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

  it('reads a typographic apostrophe as the ASCII one', () => {
    const ascii = "My driver's license number is F162823540116. Call me, I'm Anna O'Neill, at 212-555-0123.";
    const typographic = ascii.replaceAll("'", '\u2019');
    expect(detectPii(typographic, ALL)).toEqual(detectPii(ascii, ALL));
    expect(detectPii(typographic, ALL).map((f) => f.type)).toContain('US_DRIVER_LICENSE');
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

describe('street shapes tried only where a word starts', () => {
  const texts = [
    'Send it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 or to 221B Baker Street, London NW1 6XE.',
    'Ship to 31 Rue Al Imam; Via Franscini 71, 6900 Lugano; Rua do Arenque 1634; 26 rue des Lilas, 75019 Paris',
    'Brucker Bundesstrasse 31, 6750 Koskikatu 25 Apt. 864; Andrássy út 12; Rákóczi u. 97.; PSC 1234, Box 5678',
    'He lives at Abbey Road near Herceg Gateway; Allika 46; Dobrovského 1394; 19902 Joaquin Suarez 2906',
    'ÉCOLE 12 Straße 1 Ελευθερίου Βενιζέλου 3, Λεωφόρος Κηφισίας 4 — 😀12 Main Street x12 Oak Lane 3rd Ave',
    'windows 11 and Chapter 5, version 2 of Table 3: 45 Main st. apt 4, 12 main street, 7 OAK AVENUE',
  ];
  it('finds what a scan of the whole window finds', () => {
    for (const text of texts) {
      const starts = wordStarts(text);
      for (const shape of SHAPES) {
        const anchored: [number, string][] = [];
        shapeMatches(shape, text, starts, (at, length) => anchored.push([at, text.slice(at, at + length)]));
        const scanned = [...text.matchAll(shape.re)].map((m): [number, string] => [m.index, m[0]]);
        expect(anchored, `${shape.name} in ${text}`).toEqual(scanned);
      }
    }
  });
});
