import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { scratchBytes } from '../chars.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Candidates: digit groups joined by one separator, with an optional +CC / 00CC prefix, parenthesised area codes
// or trunk "(0)", and an extension. Every repetition starts with a mandatory separator (or follows a ')'), so a
// long digit run has exactly one way to match and a failed match cannot backtrack through groupings.
const PHONE =
  /(?<![\p{L}\p{N}_+./:@#-])(?:\+ ?|00 ?)?(?:\(\d{1,5}\) ?|\d+)(?:(?:[ .-]|(?<=\)|\) ))(?:\(\d{1,5}\) ?)?\d+){0,7}(?:(?: ?(?:x|ext\.?|extension) ?|#)\d{1,6})?(?![\p{L}\p{N}_]|[.-]\d)/gu;

const STRONG = words([
  'phone',
  'phones',
  'telephone',
  'tel',
  'tel no',
  'mobile',
  'mob',
  'cell',
  'cellphone',
  'cell phone',
  'fax',
  'call',
  'calls',
  'calling',
  'called',
  'ring',
  'dial',
  'text me',
  'sms',
  'whatsapp',
  'signal',
  'telegram',
  'contact',
  'reach',
  'reached',
  'office',
  'desk',
  'home',
  'work',
  'landline',
  'hotline',
  'helpline',
  'answering',
  'answer',
  'message',
  'messages',
  'voicemail',
  'extension',
  'ph',
  'tlf',
  'telefon',
  'telefono',
  'téléphone',
  'handy',
]);

const RULES: readonly ContextRule[] = [
  { name: 'phone', pattern: STRONG, weight: 0.4, before: 48, after: 16 },
  { name: 'number', pattern: words(['number', 'numbers', 'no', 'nr', 'num']), weight: 0.2, before: 24 },
  {
    name: 'not_phone',
    pattern: words([
      'order',
      'invoice',
      'ticket',
      'tracking',
      'reference',
      'ref',
      'account',
      'acct',
      'id',
      'serial',
      'isbn',
      'issn',
      'version',
      'zip',
      'postal',
      'postcode',
      'pin',
      'otp',
      'ssn',
      'social security',
      'card',
      'iban',
      'amount',
      'price',
      'total',
      'balance',
      'usd',
      'eur',
      'gbp',
      'population',
      'license',
      'licence',
      'passport',
      'patent',
      'case',
      'docket',
      'sku',
      'model',
      'part',
      'routing',
      'sort code',
      'swift',
    ]),
    weight: -0.45,
    before: 30,
  },
  { name: 'currency', pattern: /[$€£¥₹]\s*$/u, weight: -0.5, before: 3 },
];

const DATE_SHAPE = /^(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2(?:\d{2}|\d{4}))(?: |$)/;
const YEAR_RANGE = /^(?:1[89]|20)\d\d ?- ?(?:(?:1[89]|20)\d\d|\d\d)$/;
const NANP_SHAPE = /^(?:(?:\+?1|001)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;
// 1 000 000 or 12.345.678: thousands separators, not a phone.
const THOUSANDS = /^\d{1,3}(?:([ .])\d{3})(?:\1\d{3})*$/;

// Compiled once: a regular expression literal inside a function is a new object every time it is evaluated.
const EXTENSION = /(?: ?(?:x|ext\.?|extension) ?|#)\d{1,6}$/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** A character of GROUP_SEPARATORS, /[ .\-()]+/: space, period, hyphen, brackets. */
const isGroupSeparator = (c: number) => c === 32 || c === 46 || c === 45 || c === 40 || c === 41;
const INTERNATIONAL_PREFIX = /^00 ?[1-9]/;

function stripExtension(s: string): string {
  return s.replace(EXTENSION, '');
}

function internationalValid(body: string): boolean {
  // A "(0)" trunk marker after the country code is a national habit that parsers reject.
  const cleaned = body.replace(/^00 ?/, '+').replace(/\(0\)/g, '');
  const p = parsePhoneNumberFromString(cleaned);
  return p?.isValid() ?? false;
}

function nationalValid(body: string, region: string): boolean {
  const p = parsePhoneNumberFromString(body, region as CountryCode);
  return p?.isValid() ?? false;
}

// Validity of a candidate as the phone parser judges it, by `+body` (international) or `region NUL body`, kept
// across calls: the parser allocates several kilobytes per number (it compiles regular expressions as it goes), and
// the same numbers come back again and again (a conversation's history is screened anew with every turn). Bounded;
// the oldest entry goes first.
const VALIDITY = new Map<string, boolean>();
const VALIDITY_MAX = 4096;

function cachedValidity(key: string, body: string, region: string | null): boolean {
  let v = VALIDITY.get(key);
  if (v === undefined) {
    v = region === null ? internationalValid(body) : nationalValid(body, region);
    if (VALIDITY.size >= VALIDITY_MAX) VALIDITY.delete(VALIDITY.keys().next().value!);
    VALIDITY.set(key, v);
  }
  return v;
}

/** Count of `ch` in `s`. */
function countOf(s: string, ch: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === ch) n++;
  return n;
}

/** Count of ASCII digits in `s` (what `s.replace(/\D/g, '').length` gives). */
function digitsIn(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

export function findPhones(ctx: ScanContext, out: Candidate[]): void {
  const { text, region } = ctx;
  // Numbers already claimed with confidence (card, IBAN, address parts of an e-mail) are not parsed again.
  const claimed = scratchBytes(text.length);
  for (const c of out) if (c.score >= 0.8) claimed.fill(1, c.start, c.end);
  // exec in a loop: what matchAll finds (a match is never empty), without an iterator result per match.
  PHONE.lastIndex = 0;
  for (let m = PHONE.exec(text); m !== null; m = PHONE.exec(text)) {
    let raw = m[0];
    const mStart = m.index;
    if (claimed[mStart] || claimed[mStart + raw.length - 1]) continue;
    // An opening bracket the match did not close belongs to the prose around it.
    if (raw.endsWith(' ')) raw = raw.trimEnd();
    const body = stripExtension(raw);
    const digitCount = digitsIn(body);
    if (digitCount < 7 || digitCount > 15) continue;
    if (countOf(body, 40) !== countOf(body, 41)) continue;
    if (DATE_SHAPE.test(body) || YEAR_RANGE.test(body)) continue;
    if (DOTTED_QUAD.test(body)) continue;
    // The groups of split(GROUP_SEPARATORS) without the empty ones, read in place: how many, how many of one
    // character, whether one is longer than five.
    let groupCount = 0;
    let singleGroups = 0;
    let longGroup = false;
    for (let i = 0; i < body.length; ) {
      if (isGroupSeparator(body.charCodeAt(i))) {
        i++;
        continue;
      }
      const from = i;
      while (i < body.length && !isGroupSeparator(body.charCodeAt(i))) i++;
      groupCount++;
      if (i - from === 1) singleGroups++;
      if (i - from > 5) longGroup = true;
    }
    const formatted = groupCount > 1;
    const international = body.startsWith('+') || (INTERNATIONAL_PREFIX.test(body) && digitCount >= 10);
    // Runs of one-digit groups are lists or scores; rejected before the (comparatively slow) phone parser runs.
    if (singleGroups > (international ? 2 : 1)) continue;
    const signals: string[] = [];
    let base: number;
    if (international && cachedValidity(`+${body}`, body, null)) {
      base = 0.85;
      signals.push('libphonenumber:international');
    } else if (cachedValidity(`${region}\u0000${body}`, body, region)) {
      base = formatted ? 0.7 : 0.4;
      signals.push('libphonenumber:national');
    } else if (international) {
      base = 0.55;
      signals.push('pattern:phone_international');
    } else if (NANP_SHAPE.test(body)) {
      base = 0.55;
      signals.push('pattern:phone_nanp');
    } else if (formatted) {
      // Single-digit groups read as lists or scores, long groups as other identifiers.
      const odd = longGroup;
      base = odd ? 0.2 : /^(?:\(|0)/.test(body) ? 0.45 : 0.35;
      signals.push('pattern:phone_grouped');
    } else {
      base = 0.15;
      signals.push('pattern:digits');
    }
    if (formatted && THOUSANDS.test(body)) base -= 0.15;
    const start = m.index;
    const end = start + raw.length;
    const c = applyContext(text, start, end, RULES);
    for (let i = 0; i < c.signals.length; i++) signals.push(c.signals[i]!);
    out.push({ type: 'PHONE_NUMBER', start, end, score: clamp01(base + c.delta), signals });
  }
}
