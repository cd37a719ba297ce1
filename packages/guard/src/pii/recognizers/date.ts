import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Only full calendar dates: a bare year or a weekday is too often not about a person to be masked.
const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const MONTH_INDEX: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,6})?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const ISO = new RegExp(`(?<![\\p{N}\\p{L}-])(\\d{4})-(\\d{1,2})-(\\d{1,2})${TIME}(?![\\p{N}]|-\\d)`, 'gu');
const NUMERIC = new RegExp(
  `(?<![\\p{N}\\p{L}./-])(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME}(?![\\p{N}]|[./-]\\d)`,
  'gu',
);
const DAY_MONTH = new RegExp(
  `(?<![\\p{L}\\p{N}])(\\d{1,2})(?:st|nd|rd|th)?(?: of)?[ -](${MONTHS})\\.?,?[ -](\\d{4})(?![\\p{N}])`,
  'giu',
);
// The lookahead repeats what the month names start with: it changes no match, but lets the engine skip most
// positions before it pays for the lookbehind.
const MONTH_DAY = new RegExp(
  `(?=[adfjmnos])(?<![\\p{L}\\p{N}])(${MONTHS})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})(?![\\p{N}])`,
  'giu',
);

const BIRTH = words([
  'born',
  'birth',
  'birthday',
  'birthdate',
  'dob',
  'd.o.b',
  'date of birth',
  'né',
  'née',
  'geboren',
  'nacimiento',
  'naissance',
]);

const RULES: readonly ContextRule[] = [{ name: 'birth', pattern: BIRTH, weight: 0.3, before: 48 }];

function plausible(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const dim = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return day <= dim[month - 1]!;
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n >= 30 ? 1900 + n : 2000 + n;
}

function emit(ctx: ScanContext, out: Candidate[], start: number, end: number, signal: string, twoDigitYear: boolean) {
  const c = applyContext(ctx.text, start, end, RULES);
  const birth = c.delta > 0;
  if (birth) {
    out.push({ type: 'DATE_OF_BIRTH', start, end, score: clamp01(0.6 + c.delta), signals: [signal, ...c.signals] });
  } else if (!twoDigitYear) {
    out.push({ type: 'DATE_TIME', start, end, score: 0.6, signals: [signal] });
  }
}

export function findDates(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  for (const m of text.matchAll(ISO)) {
    if (!plausible(Number(m[1]), Number(m[2]), Number(m[3]))) continue;
    emit(ctx, out, m.index, m.index + m[0].length, 'pattern:date_iso', false);
  }
  for (const m of text.matchAll(NUMERIC)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = fullYear(m[4]!);
    // Either month/day or day/month order may be meant.
    if (!plausible(y, a, b) && !plausible(y, b, a)) continue;
    emit(ctx, out, m.index, m.index + m[0].length, 'pattern:date_numeric', m[4]!.length === 2);
  }
  for (const m of text.matchAll(DAY_MONTH)) {
    const month = MONTH_INDEX[m[2]!.slice(0, 3).toLowerCase()]!;
    if (!plausible(Number(m[3]), month, Number(m[1]))) continue;
    emit(ctx, out, m.index, m.index + m[0].length, 'pattern:date_text', false);
  }
  for (const m of text.matchAll(MONTH_DAY)) {
    const month = MONTH_INDEX[m[1]!.slice(0, 3).toLowerCase()]!;
    if (!plausible(Number(m[3]), month, Number(m[2]))) continue;
    emit(ctx, out, m.index, m.index + m[0].length, 'pattern:date_text', false);
  }
}
