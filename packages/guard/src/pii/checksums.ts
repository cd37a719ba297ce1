// Check-digit and range rules for structured identifiers. Facts, not heuristics: a number that fails them is not
// the identifier, whatever its surroundings say.

export function digitsOf(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

interface CardRange {
  brand: string;
  lo: number;
  hi: number;
  /** Number of leading digits `lo`/`hi` are compared with. */
  width: number;
  lengths: readonly number[];
}

// Issuer identification number ranges of the networks in wide use, with the lengths each issues.
// biome-ignore format: one range a line
const CARD_RANGES: readonly CardRange[] = [
  { brand: 'visa', lo: 4, hi: 4, width: 1, lengths: [13, 16, 19] },
  { brand: 'mastercard', lo: 51, hi: 55, width: 2, lengths: [16] },
  { brand: 'mastercard', lo: 2221, hi: 2720, width: 4, lengths: [16] },
  { brand: 'amex', lo: 34, hi: 34, width: 2, lengths: [15] },
  { brand: 'amex', lo: 37, hi: 37, width: 2, lengths: [15] },
  { brand: 'discover', lo: 6011, hi: 6011, width: 4, lengths: [16, 19] },
  { brand: 'discover', lo: 644, hi: 649, width: 3, lengths: [16, 19] },
  { brand: 'discover', lo: 65, hi: 65, width: 2, lengths: [16, 19] },
  { brand: 'discover', lo: 622126, hi: 622925, width: 6, lengths: [16, 19] },
  { brand: 'jcb', lo: 3528, hi: 3589, width: 4, lengths: [16, 17, 18, 19] },
  { brand: 'jcb', lo: 1800, hi: 1800, width: 4, lengths: [15] },
  { brand: 'jcb', lo: 2131, hi: 2131, width: 4, lengths: [15] },
  { brand: 'diners', lo: 300, hi: 305, width: 3, lengths: [14, 16, 19] },
  { brand: 'diners', lo: 3095, hi: 3095, width: 4, lengths: [14, 16, 19] },
  { brand: 'diners', lo: 36, hi: 36, width: 2, lengths: [14, 16, 19] },
  { brand: 'diners', lo: 38, hi: 39, width: 2, lengths: [16, 19] },
  { brand: 'unionpay', lo: 62, hi: 62, width: 2, lengths: [16, 17, 18, 19] },
  { brand: 'maestro', lo: 5018, hi: 5018, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 5020, hi: 5020, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 5038, hi: 5038, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 5893, hi: 5893, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 56, hi: 58, width: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 6304, hi: 6304, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 6759, hi: 6759, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'maestro', lo: 6761, hi: 6763, width: 4, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { brand: 'mir', lo: 2200, hi: 2204, width: 4, lengths: [16, 17, 18, 19] },
  { brand: 'rupay', lo: 60, hi: 60, width: 2, lengths: [16] },
  { brand: 'troy', lo: 9792, hi: 9792, width: 4, lengths: [16] },
];

/** The card network whose IIN range and length fit `digits`, or null. */
export function cardBrand(digits: string): string | null {
  for (const r of CARD_RANGES) {
    if (!r.lengths.includes(digits.length)) continue;
    const head = Number(digits.slice(0, r.width));
    if (head >= r.lo && head <= r.hi) return r.brand;
  }
  return null;
}

// IBAN length per country (ISO 13616 registry).
// biome-ignore format: a table reads better packed
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30,
  KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20,
  MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22,
  RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

export function ibanLength(country: string): number | undefined {
  return IBAN_LENGTHS[country];
}

/** ISO 7064 mod 97-10 over an IBAN without spaces, upper case. */
export function ibanChecksumValid(iban: string): boolean {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      rem = (rem * 10 + (c - 48)) % 97;
    } else if (c >= 65 && c <= 90) {
      rem = (rem * 100 + (c - 55)) % 97;
    } else {
      return false;
    }
  }
  return rem === 1;
}

// Numbers published as examples (advertising, documentation) and never valid for a person.
const KNOWN_INVALID_SSN = new Set(['078051120', '219099999', '123456789', '457555462']);

/** SSA rules: area 001-899 except 666, group 01-99, serial 0001-9999; repeated-digit and published examples out. */
export function ssnValid(digits: string): boolean {
  if (digits.length !== 9) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  if (area === 0 || area === 666 || area >= 900) return false;
  if (group === 0 || serial === 0) return false;
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !KNOWN_INVALID_SSN.has(digits);
}
