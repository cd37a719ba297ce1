import { applyContext, type ContextRule, clamp01, phrases, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Identifiers with no shape of their own: only reported right after a word that names them.

const LICENSE_CUE = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(?:${phrases([
    "driver's license",
    'drivers license',
    'driver license',
    "driver's licence",
    'driving licence',
    'driving license',
    'dl',
    'dl#',
    'dl no',
  ])})[\\s:#.]*(?:(?:number|no|is)[\\s:#.]*){0,3}$`,
  'iu',
);
const LICENSE_VALUE = /(?<![\p{L}\p{N}])(?=[A-Z0-9-]*\d[A-Z0-9-]*\d)[A-Z]{0,2}\d[A-Z0-9-]{3,18}(?![\p{L}\p{N}-])/gu;

const ZIP_CUE =
  /(?:zip|zip code|zipcode|postal code|postcode|post code|plz|código postal|code postal)[\s:#.]*(?:is[\s:]+)?$/iu;
const ZIP_VALUE =
  /(?<![\p{L}\p{N}])(?:\d{5}(?:-\d{4})?|\d{3,4}(?:[ -]\d{2,3})?(?: [A-Z]{2})?|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})(?![\p{L}\p{N}])/gu;

const NOT_ZIP: readonly ContextRule[] = [
  { name: 'not_zip', pattern: words(['phone', 'tel', 'card', 'order', 'year']), weight: -0.4, before: 20 },
];

const MAY_HAVE_LICENSE = /licen[cs]e|\bdl\b/i;
const MAY_HAVE_ZIP = /zip|post|plz|código|code/i;

export function findLicenses(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  if (!MAY_HAVE_LICENSE.test(text)) return;
  for (const m of text.matchAll(LICENSE_VALUE)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (!LICENSE_CUE.test(before)) continue;
    out.push({
      type: 'US_DRIVER_LICENSE',
      start: m.index,
      end: m.index + m[0].length,
      score: 0.8,
      signals: ['context:+driver_license'],
    });
  }
}

export function findZips(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  if (!MAY_HAVE_ZIP.test(text)) return;
  for (const m of text.matchAll(ZIP_VALUE)) {
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (!ZIP_CUE.test(before)) continue;
    const start = m.index;
    const end = start + m[0].length;
    const c = applyContext(text, start, end, NOT_ZIP);
    out.push({ type: 'ZIP_CODE', start, end, score: clamp01(0.75 + c.delta), signals: ['context:+zip', ...c.signals] });
  }
}
