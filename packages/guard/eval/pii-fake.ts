// A small fake-data generator for the PII evaluation: fills the {{placeholders}} of pii/templates.txt with values
// from our own pools and formats (not from the evaluation set, and deliberately including names the detector's
// lexicon does not know), and records the gold spans. Seeded, so every run produces the same samples.

import { seededRandom as rng } from '../src/ml/metrics.ts';
import type { GoldSpan, Sample } from './pii-eval.ts';

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: Rand, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const FIRST_F = [
  'Olivia',
  'Siobhan',
  'Ngozi',
  'Mei',
  'Ingrid',
  'Lucía',
  'Aoife',
  'Priyanka',
  'Fenna',
  'Zofia',
  'Tamsin',
  'Yesenia',
  'Margit',
  'Oona',
  'Kalani',
  'Rosalind',
  'Dagny',
  'Wanjiru',
  'Thandiwe',
  'Emily',
];
const FIRST_M = [
  'Liam',
  'Tendai',
  'Bartholomew',
  'Kenji',
  'Aurelio',
  'Oluwadamilare',
  'Stellan',
  'Radomir',
  'Ewan',
  'Thiago',
  'Dmitri',
  'Caspian',
  'Hamish',
  'Joaquim',
  'Nkemdirim',
  'Torvald',
  'Wendell',
  'Ignatius',
  'Rafferty',
  'Michael',
];
const LAST = [
  'Okonkwo',
  'Fairweather',
  'Lindqvist',
  'Moreau',
  'Castellanos',
  'Nakashima',
  'Brennan',
  'Kowalczyk',
  'Abernathy',
  'Vasconcelos',
  'Oyelaran',
  'Thistlewood',
  'Haraldsen',
  'Petrovic',
  'Quintanilla',
  'Achterberg',
  'Mbeki',
  'Drummond',
  'Szabo',
  'Smith',
  'Garcia',
  'Ivanova',
];
const STREETS = [
  'Maple',
  'Juniper',
  'Harbour View',
  'Old Mill',
  'Kingfisher',
  'Larkspur',
  'Wexford',
  'Cedar Hollow',
  'Saint Albans',
  'Quarry',
  'Briar Patch',
  'Elmhurst',
];
const US_SUFFIX = [
  'Street',
  'St.',
  'Avenue',
  'Ave',
  'Road',
  'Rd',
  'Lane',
  'Drive',
  'Boulevard',
  'Court',
  'Way',
  'Place',
];
const CITIES = ['Springfield', 'Riverton', 'Ashford', 'Lakewood', 'Brookhaven', 'Millbrook', 'Fairview', 'Oakridge'];
const DE_STREETS = ['Linden', 'Berg', 'Garten', 'Schiller', 'Mühlen', 'Kirch'];
const DE_CITIES = ['Leipzig', 'Kassel', 'Freiburg', 'Rostock'];
const FR_STREETS = ['des Lilas', 'de la République', 'Victor Hugo', 'du Moulin', 'des Écoles'];
const FR_CITIES = ['Lyon', 'Nantes', 'Rennes', 'Dijon'];
const STATES = ['CA', 'NY', 'TX', 'WA', 'IL', 'OR', 'MA', 'GA'];
const COUNTRIES = ['Canada', 'Portugal', 'Kenya', 'New Zealand', 'Chile', 'Norway', 'Vietnam', 'Morocco'];
const ORGS = ['Brightline Analytics', 'Northwind Traders', 'Acme Robotics', 'Bluepeak Capital', 'Ferris & Oak LLP'];
const JOBS = ['accountant', 'nurse', 'software engineer', 'librarian', 'electrician'];
const NATIONALITIES = ['Irish', 'Brazilian', 'Kenyan', 'Japanese', 'Polish'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function creditCard(r: Rand): string {
  const kind = pick(r, ['visa', 'mc', 'amex', 'discover'] as const);
  const prefix = kind === 'visa' ? '4' : kind === 'mc' ? String(int(r, 51, 55)) : kind === 'amex' ? '37' : '6011';
  const len = kind === 'amex' ? 15 : 16;
  const body = prefix + digits(r, len - 1 - prefix.length);
  const n = body + luhnDigit(body);
  const style = int(r, 0, 2);
  if (style === 0) return n;
  const sep = style === 1 ? ' ' : '-';
  if (len === 15) return [n.slice(0, 4), n.slice(4, 10), n.slice(10)].join(sep);
  return (n.match(/.{4}/g) ?? []).join(sep);
}

function iban(r: Rand): string {
  const [cc, bban] = pick(r, [
    ['DE', () => digits(r, 18)],
    ['FR', () => digits(r, 23)],
    ['ES', () => digits(r, 20)],
    ['NL', () => `${pick(r, ['ABNA', 'RABO', 'INGB'])}${digits(r, 10)}`],
    ['GB', () => `${pick(r, ['NWBK', 'BARC', 'MIDL'])}${digits(r, 14)}`],
  ] as const);
  const b = bban();
  const rearranged = `${b}${cc}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of rearranged) rem = (rem * 10 + Number(ch)) % 97;
  const check = String(98 - rem).padStart(2, '0');
  const compact = `${cc}${check}${b}`;
  return r() < 0.5 ? compact : (compact.match(/.{1,4}/g) ?? []).join(' ');
}

function phone(r: Rand): string {
  const area = `${int(r, 2, 9)}${digits(r, 2)}`;
  const ex = `${int(r, 2, 9)}${digits(r, 2)}`;
  const line = digits(r, 4);
  return pick(r, [
    () => `(${area}) ${ex}-${line}`,
    () => `${area}-${ex}-${line}`,
    () => `+1 ${area} ${ex} ${line}`,
    () => `${area}.${ex}.${line}`,
    () => `+44 20 ${digits(r, 4)} ${digits(r, 4)}`,
    () => `07${digits(r, 3)} ${digits(r, 6)}`,
    () => `+49 30 ${digits(r, 8)}`,
    () => `+33 ${int(r, 1, 7)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
    () => `0${int(r, 1, 7)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
    () => `+91 9${digits(r, 4)} ${digits(r, 5)}`,
    () => `+61 2 ${digits(r, 4)} ${digits(r, 4)}`,
  ])();
}

function ssn(r: Rand): string {
  let area = int(r, 1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${String(int(r, 1, 99)).padStart(2, '0')}-${String(int(r, 1, 9999)).padStart(4, '0')}`;
}

function ip(r: Rand): string {
  if (r() < 0.2) {
    return Array.from({ length: 8 }, () => int(r, 0, 0xffff).toString(16)).join(':');
  }
  return [int(r, 1, 223), int(r, 0, 255), int(r, 0, 255), int(r, 1, 254)].join('.');
}

function date(r: Rand): string {
  const y = int(r, 1940, 2005);
  const m = int(r, 1, 12);
  const d = int(r, 1, 28);
  return pick(r, [
    () => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    () => `${m}/${d}/${y}`,
    () => `${MONTHS[(m - 1) % MONTHS.length]} ${d}, ${y}`,
    () => `${d} ${MONTHS[(m - 1) % MONTHS.length]} ${y}`,
  ])();
}

function address(r: Rand): string {
  return pick(r, [
    () =>
      `${int(r, 1, 9999)} ${pick(r, STREETS)} ${pick(r, US_SUFFIX)}${r() < 0.3 ? `, Apt ${int(r, 1, 40)}` : ''}, ${pick(r, CITIES)}, ${pick(r, STATES)} ${digits(r, 5)}`,
    () =>
      `${int(r, 1, 300)} ${pick(r, STREETS)} Road, ${pick(r, CITIES)} ${pick(r, ['SW1A 2AA', 'M1 4BT', 'EH8 9YL'])}`,
    () => `${pick(r, DE_STREETS)}straße ${int(r, 1, 120)}, ${digits(r, 5)} ${pick(r, DE_CITIES)}`,
    () => `${int(r, 1, 200)} rue ${pick(r, FR_STREETS)}, ${digits(r, 5)} ${pick(r, FR_CITIES)}`,
    () =>
      `${int(r, 1, 9999)} ${pick(r, STREETS)} ${pick(r, US_SUFFIX)}\n${pick(r, CITIES)}, ${pick(r, STATES)} ${digits(r, 5)}`,
  ])();
}

const person = (r: Rand): string => `${pick(r, [...FIRST_F, ...FIRST_M])} ${pick(r, LAST)}`;

const FILL: Record<string, [string, (r: Rand) => string]> = {
  person: ['PERSON', person],
  name: ['PERSON', person],
  name_female: ['PERSON', (r) => `${pick(r, FIRST_F)} ${pick(r, LAST)}`],
  name_male: ['PERSON', (r) => `${pick(r, FIRST_M)} ${pick(r, LAST)}`],
  first_name: ['PERSON', (r) => pick(r, [...FIRST_F, ...FIRST_M])],
  first_name_female: ['PERSON', (r) => pick(r, FIRST_F)],
  first_name_male: ['PERSON', (r) => pick(r, FIRST_M)],
  first_name_nonbinary: ['PERSON', (r) => pick(r, [...FIRST_F, ...FIRST_M])],
  last_name: ['PERSON', (r) => pick(r, LAST)],
  last_name_female: ['PERSON', (r) => pick(r, LAST)],
  last_name_male: ['PERSON', (r) => pick(r, LAST)],
  prefix: ['TITLE', (r) => pick(r, ['Mr.', 'Ms.', 'Dr.'])],
  prefix_female: ['TITLE', (r) => pick(r, ['Ms.', 'Mrs.', 'Dr.'])],
  prefix_male: ['TITLE', (r) => pick(r, ['Mr.', 'Dr.'])],
  address: ['STREET_ADDRESS', address],
  street_name: ['STREET_ADDRESS', (r) => `${pick(r, STREETS)} ${pick(r, US_SUFFIX)}`],
  building_number: ['STREET_ADDRESS', (r) => String(int(r, 1, 9999))],
  secondary_address: ['STREET_ADDRESS', (r) => `${pick(r, ['Apt.', 'Suite', 'Unit'])} ${int(r, 1, 999)}`],
  city: ['GPE', (r) => pick(r, CITIES)],
  country: ['GPE', (r) => pick(r, COUNTRIES)],
  state_abbr: ['GPE', (r) => pick(r, STATES)],
  postcode: ['ZIP_CODE', (r) => digits(r, 5)],
  zipcode: ['ZIP_CODE', (r) => digits(r, 5)],
  phone_number: ['PHONE_NUMBER', phone],
  credit_card_number: ['CREDIT_CARD', creditCard],
  iban: ['IBAN_CODE', iban],
  email: [
    'EMAIL_ADDRESS',
    (r) =>
      `${pick(r, FIRST_F).toLowerCase()}.${pick(r, LAST).toLowerCase()}${int(r, 1, 99)}@${pick(r, ['example.org', 'mailbox.net', 'post.co.uk'])}`,
  ],
  ip_address: ['IP_ADDRESS', ip],
  ssn: ['US_SSN', ssn],
  us_driver_license: ['US_DRIVER_LICENSE', (r) => `${pick(r, ['D', 'S', 'W', 'K'])}${digits(r, 7)}`],
  date_of_birth: ['DATE_TIME', date],
  date_time: ['DATE_TIME', date],
  year: ['DATE_TIME', (r) => String(int(r, 1950, 2020))],
  day_of_week: ['DATE_TIME', (r) => pick(r, WEEKDAYS)],
  url: ['DOMAIN_NAME', (r) => `https://www.${pick(r, ['brightline', 'northwind', 'acme'])}.example.com/`],
  organization: ['ORGANIZATION', (r) => pick(r, ORGS)],
  job: ['TITLE', (r) => pick(r, JOBS)],
  age: ['AGE', (r) => String(int(r, 18, 90))],
  nationality: ['NRP', (r) => pick(r, NATIONALITIES)],
  nation_woman: ['NRP', (r) => pick(r, NATIONALITIES)],
  nation_plural: ['NRP', (r) => pick(r, NATIONALITIES)],
};

const PLACEHOLDER = /\{\{(\w+)\}\}|\{(\w+)\}/g;

/** `n` samples from the templates (one per line), each template id kept as the sample's group. */
export function generateFromTemplates(templates: string, n: number, seed: number): Sample[] {
  const lines = templates
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
  const r = rng(seed);
  const out: Sample[] = [];
  for (let k = 0; k < n; k++) {
    const group = Math.floor(r() * lines.length);
    const tpl = lines[group]!.replace(/\\n/g, '\n');
    let text = '';
    let at = 0;
    const spans: GoldSpan[] = [];
    for (const m of tpl.matchAll(PLACEHOLDER)) {
      text += tpl.slice(at, m.index);
      const key = m[1] ?? m[2]!;
      const fill = FILL[key];
      const value = fill ? fill[1](r) : key;
      if (fill) spans.push({ type: fill[0], start: text.length, end: text.length + value.length });
      text += value;
      at = m.index + m[0].length;
    }
    text += tpl.slice(at);
    out.push({ text, spans, group });
  }
  return out;
}
