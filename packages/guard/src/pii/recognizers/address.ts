import { fnvLowerAscii } from '../../ml/hash.ts';
import { isLetterOrMark, isSpace } from '../chars.ts';
import { applyContext, type ContextRule, clamp01, words } from '../context.ts';
import type { Candidate, ScanContext } from '../types.ts';

// A street line is found by its shape (a house number next to a street name that carries a street-type word), then
// grown over the unit, city, state and postal-code lines that follow it. Shapes without a street-type word are
// too common in prose ("Windows 11", "Chapter 5") to stand alone; they need a unit, a postal tail or a cue such as
// "lives at". Every quantifier is bounded, so a long input costs a constant per position.

/** The words as given, in upper case, and (when `lower`) in lower case. */
function caseVariants(list: readonly string[], lower = true): string {
  const out = new Set<string>();
  for (const w of list) {
    out.add(w);
    if (lower) out.add(w.toLowerCase());
    out.add(w.toUpperCase());
    out.add(w[0]!.toUpperCase() + w.slice(1).toLowerCase());
  }
  return [...out]
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .sort((a, b) => b.length - a.length)
    .join('|');
}

// Street-type words that, after a house number and a name, all but settle the question (USPS primary suffixes and
// their common abbreviations, plus the British ones).
const STRONG_LIST = [
  'Street',
  'Streets',
  'St',
  'Str',
  'Avenue',
  'Ave',
  'Av',
  'Road',
  'Rd',
  'Boulevard',
  'Blvd',
  'Lane',
  'Ln',
  'Drive',
  'Dr',
  'Court',
  'Ct',
  'Place',
  'Pl',
  'Square',
  'Sq',
  'Terrace',
  'Ter',
  'Way',
  'Parkway',
  'Pkwy',
  'Highway',
  'Hwy',
  'Circle',
  'Cir',
  'Crescent',
  'Cres',
  'Close',
  'Grove',
  'Gardens',
  'Row',
  'Mews',
  'Trail',
  'Trl',
  'Alley',
  'Plaza',
  'Loop',
  'Expressway',
  'Freeway',
  'Turnpike',
  'Causeway',
  'Esplanade',
  'Embankment',
  'Quay',
  'Wharf',
  'Crossing',
  'Route',
  'Rte',
  'Squares',
  'Lanes',
  'Roads',
  'Drives',
  'Courts',
  'Ways',
];
const STRONG_SUFFIX = caseVariants(STRONG_LIST, false);
const STRONG_SUFFIX_LOWER = STRONG_LIST.map((w) => w.toLowerCase()).join('|');

// The rest of the USPS suffix list: real street types, but also ordinary nouns.
const WEAK_LIST = [
  'Branch',
  'Bridge',
  'Brook',
  'Brooks',
  'Burg',
  'Bypass',
  'Camp',
  'Canyon',
  'Cape',
  'Center',
  'Centre',
  'Cliff',
  'Cliffs',
  'Club',
  'Common',
  'Corner',
  'Corners',
  'Course',
  'Cove',
  'Coves',
  'Creek',
  'Crest',
  'Curve',
  'Dale',
  'Dam',
  'Divide',
  'Estate',
  'Estates',
  'Extension',
  'Falls',
  'Ferry',
  'Field',
  'Fields',
  'Flat',
  'Flats',
  'Ford',
  'Forest',
  'Forge',
  'Fork',
  'Forks',
  'Fort',
  'Garden',
  'Gateway',
  'Glen',
  'Green',
  'Greens',
  'Harbor',
  'Harbour',
  'Haven',
  'Heights',
  'Hill',
  'Hills',
  'Hollow',
  'Inlet',
  'Island',
  'Islands',
  'Isle',
  'Junction',
  'Key',
  'Knoll',
  'Knolls',
  'Lake',
  'Lakes',
  'Landing',
  'Light',
  'Lights',
  'Lock',
  'Locks',
  'Lodge',
  'Mall',
  'Manor',
  'Manors',
  'Meadow',
  'Meadows',
  'Mill',
  'Mills',
  'Mission',
  'Motorway',
  'Mount',
  'Mountain',
  'Neck',
  'Orchard',
  'Oval',
  'Park',
  'Parks',
  'Pass',
  'Passage',
  'Path',
  'Pike',
  'Pine',
  'Pines',
  'Plains',
  'Point',
  'Points',
  'Port',
  'Prairie',
  'Ramp',
  'Ranch',
  'Rapids',
  'Rest',
  'Ridge',
  'Ridges',
  'Rise',
  'River',
  'Run',
  'Shoal',
  'Shoals',
  'Shore',
  'Shores',
  'Skyway',
  'Spring',
  'Springs',
  'Spur',
  'Station',
  'Stravenue',
  'Stream',
  'Summit',
  'Trace',
  'Track',
  'Tunnel',
  'Underpass',
  'Union',
  'Unions',
  'Vale',
  'Valley',
  'Valleys',
  'Via',
  'Viaduct',
  'View',
  'Views',
  'Village',
  'Villages',
  'Ville',
  'Vista',
  'Walk',
  'Walks',
  'Wall',
  'Well',
  'Wells',
  'Gate',
];
const WEAK_SUFFIX = caseVariants(WEAK_LIST, false);

// Street-type words that come before the name in Romance, Slavic, Greek, Turkish and other languages.
const PREFIX_LIST = [
  'Rue',
  'Rua',
  'Via',
  'Viale',
  'Vicolo',
  'Corso',
  'Piazza',
  'Piazzale',
  'Largo',
  'Strada',
  'Calle',
  'Carrer',
  'Carretera',
  'Camino',
  'Paseo',
  'Plaza',
  'Avenida',
  'Avda.',
  'Av.',
  'Avenue',
  'Boulevard',
  'Bd',
  'Chemin',
  'Allée',
  'Impasse',
  'Quai',
  'Place',
  'Travessa',
  'Praça',
  'Estrada',
  'Alameda',
  'Rambla',
  'Ulica',
  'ul.',
  'Aleja',
  'al.',
  'Bulevardul',
  'Calea',
  'Str.',
  'Odos',
  'Οδός',
  'Λεωφόρος',
  'Λ.',
  'Jalan',
  'Jl.',
  'C/',
  'Trg',
  'Av',
  'Avinguda',
  'Rruga',
];
const PREFIX_TYPE = caseVariants(PREFIX_LIST, false);

// Endings of one-word street names in Germanic, Nordic, Finnic, Dutch and other languages ("Hauptstraße",
// "Storgatan", "Mannerheimintie"), and standalone street words that follow the name ("Andrássy út", "Rákóczi u.").
const MORPHEMES = [
  'straße',
  'strasse',
  'gasse',
  'weg',
  'allee',
  'platz',
  'damm',
  'ufer',
  'steig',
  'pfad',
  'chaussee',
  'markt',
  'straat',
  'laan',
  'plein',
  'gracht',
  'kade',
  'singel',
  'dreef',
  'dijk',
  'gatan',
  'gata',
  'vägen',
  'väg',
  'gränd',
  'stigen',
  'torget',
  'leden',
  'gade',
  'vej',
  'vænget',
  'stræde',
  'torv',
  'plads',
  'allé',
  'gate',
  'gaten',
  'veien',
  'vei',
  'vegen',
  'katu',
  'tie',
  'kuja',
  'polku',
  'kaari',
  'väylä',
  'raitti',
  'rinne',
  'tori',
  'aukio',
  'stræti',
  'vegur',
  'braut',
  'stígur',
  'tänav',
  'maantee',
  'puiestee',
  'iela',
  'gatvė',
  'ulica',
  'ulice',
  'cesta',
  'caddesi',
  'sokak',
  'sokağı',
];
// A whole word, then one look back at its ending: far cheaper than trying every ending at every length.
const MORPHEME_WORD = `[\\p{L}][\\p{L}\\p{M}'’-]{2,40}(?<=[\\p{L}\\p{M}'’-]{2}(?:${MORPHEMES.join('|')}))`;
const STANDALONE_LIST = [
  'utca',
  'u.',
  'út',
  'útja',
  'tér',
  'körút',
  'köz',
  'fasor',
  'sor',
  'ulica',
  'ul.',
  'náměstí',
  'nám.',
  'třída',
  'nábřeží',
  'cesta',
  'iela',
  'gatvė',
  'g.',
  'tänav',
  'mnt',
  'caddesi',
  'cad.',
  'sokak',
  'sk.',
  'str.',
  'str',
  'straat',
  'laan',
  'weg',
  'vej',
  'gade',
  'calle',
  'strasse',
  'straße',
  'gasse',
  'allee',
  'platz',
  'terrasse',
  'vei',
  'veien',
  'gate',
  'gata',
  'gatan',
  'vägen',
  'plass',
  'bakken',
  'tie',
  'katu',
  'kuja',
  'tee',
  'trg',
  'rkp.',
  'sétány',
  'kapu',
  'rakpart',
  'dvor',
  'ulitsa',
];
const STANDALONE_AFTER = caseVariants(STANDALONE_LIST);

const UNIT_WORDS = caseVariants([
  'Apt.',
  'Apt',
  'Apartment',
  'Suite',
  'Ste.',
  'Ste',
  'Unit',
  'Flat',
  'Floor',
  'Fl.',
  'Room',
  'Rm.',
  'Bldg.',
  'Building',
  'Lot',
  'Box',
  'Piso',
  'Étage',
  'App.',
  'Wohnung',
]);

const UPPER_START = "[\\p{Lu}][\\p{L}\\p{M}'’.-]{0,30}";
const PARTICLE = caseVariants([
  'de',
  'del',
  'della',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'des',
  'du',
  'la',
  'le',
  'les',
  'los',
  'las',
  'van',
  'von',
  'der',
  'den',
  'ten',
  'ter',
  'of',
  'the',
  'al',
  'el',
  'y',
  'e',
  'and',
  'sur',
  'am',
  'an',
  'im',
  'upon',
  'on',
  'saint',
  'st.',
  'delle',
  'dello',
  'degli',
  'dei',
  "d'",
  'nad',
  'pod',
  'na',
  'u',
  'bei',
  'en',
]);
// A word of a street or place name: capitalised, an ordinal ("5th"), or a particle.
const NAME_CORE = `(?:${UPPER_START}|\\d{1,3}(?:st|nd|rd|th))`;
const NAME_WORD = `(?:${NAME_CORE}|(?:${PARTICLE})(?=\\s))`;
const LOWER_WORD = "[\\p{Ll}][\\p{L}\\p{M}'’-]{1,30}";
const HOUSE = '\\d{1,6}[A-Za-z]?(?:[-/]\\d{1,4}[A-Za-z]?)?';
const DIRECTION = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?';
// The lookahead on the first character lets the engine skip most positions before paying for the lookbehind.
const B = '(?=[\\p{Lu}\\p{Ll}\\d])(?<![\\p{L}\\p{N}])';
const BD = '(?=\\d)(?<![\\p{L}\\p{N}])';
const BU = '(?=\\p{Lu})(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

const GENERIC_WORD = `(?!(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Room|Box|Lot|Bldg|Building)(?![\\p{L}]))${UPPER_START}`;
// Romance street types written in lower case ("26 rue des Lilas"), only after a house number.
const PREFIX_LOWER =
  'rue|avenue|av\\.|av|boulevard|bd|chemin|allée|impasse|place|quai|via|viale|piazza|corso|calle|avenida|avda\\.|rua|praça|travessa|estrada|rúa|ulica|ul\\.';

const keySet = (...lists: readonly (readonly string[])[]): ReadonlySet<string> =>
  new Set(lists.flat().map((w) => w.toLowerCase().replace(/\.$/, '')));
const STRONG_KEYS = keySet(STRONG_LIST);
const SUFFIX_KEYS = keySet(STRONG_LIST, WEAK_LIST);
const PREFIX_KEYS = keySet(PREFIX_LIST);
const PREFIX_LOWER_KEYS = keySet(PREFIX_LOWER.replace(/\\/g, '').split('|'));
const STANDALONE_KEYS = keySet(STANDALONE_LIST);
const MORPHEME_PRESENT = new RegExp(`(?:${MORPHEMES.join('|')})\\.? \\d`, 'iu');

// The shapes' keyword lists as bits, so that one pass over a window's words answers every shape's keyword test.
const KEY_SETS: readonly ReadonlySet<string>[] = [
  STRONG_KEYS,
  SUFFIX_KEYS,
  PREFIX_KEYS,
  PREFIX_LOWER_KEYS,
  STANDALONE_KEYS,
];
const KEY_BITS = new Map<string, number>();
KEY_SETS.forEach((set, bit) => {
  for (const k of set) KEY_BITS.set(k, (KEY_BITS.get(k) ?? 0) | (1 << bit));
});
const keyBit = (set: ReadonlySet<string>): number => 1 << KEY_SETS.indexOf(set);

const KEY_CHAR = /[\p{L}\p{M}’]/u;

/**
 * The key bits of a window's words: the words are what `split(/[^\p{L}\p{M}'’./-]+/u)` of the lower-cased window
 * gives, without a final period. A scan by hand: the split and a Set of every word cost more than the regexes they
 * gate.
 */
// The ASCII keys in an open-addressing table of their FNV-1a hashes, so that an ASCII window's words are looked up
// from the window's characters (folded on the fly) without lower-casing the window or slicing a string per word.
const KEY_TABLE_BITS = 12;
const KEY_HASHES = new Int32Array(1 << KEY_TABLE_BITS);
const KEY_SLOT = new Int32Array(1 << KEY_TABLE_BITS).fill(-1);
const KEY_WORDS: string[] = [];
const KEY_WORD_BITS: number[] = [];
const keyHash = (h: number) => Math.imul(h, 0x9e3779b1) >>> (32 - KEY_TABLE_BITS);
for (const [k, bits] of KEY_BITS) {
  if (!/^[\x00-\x7f]*$/.test(k)) continue;
  // Keys are lower case already, so folding them changes nothing: the same hash as asciiKeyBits computes.
  const h = fnvLowerAscii(k, 0, k.length);
  let slot = keyHash(h);
  while (KEY_SLOT[slot] !== -1) slot = (slot + 1) & ((1 << KEY_TABLE_BITS) - 1);
  KEY_HASHES[slot] = h;
  KEY_SLOT[slot] = KEY_WORDS.length;
  KEY_WORDS.push(k);
  KEY_WORD_BITS.push(bits);
}

/** KEY_BITS of the lower-cased ASCII text[start, end), or 0. */
function asciiKeyBits(text: string, start: number, end: number): number {
  const h = fnvLowerAscii(text, start, end);
  const len = end - start;
  for (let slot = keyHash(h); ; slot = (slot + 1) & ((1 << KEY_TABLE_BITS) - 1)) {
    const idx = KEY_SLOT[slot]!;
    if (idx === -1) return 0;
    if (KEY_HASHES[slot] !== h) continue;
    const k = KEY_WORDS[idx]!;
    if (k.length !== len) continue;
    let same = true;
    for (let i = 0; i < len; i++) {
      let c = text.charCodeAt(start + i);
      if (c >= 65 && c <= 90) c += 32;
      if (c !== k.charCodeAt(i)) {
        same = false;
        break;
      }
    }
    if (same) return KEY_WORD_BITS[idx]!;
  }
}

/** windowKeys of a window that is all ASCII (where lower-casing is per character and keeps every offset). */
function asciiWindowKeys(text: string, from: number, to: number): number {
  let mask = 0;
  let start = -1;
  for (let i = from; i <= to; i++) {
    const c = i < to ? text.charCodeAt(i) : 32;
    const inWord = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 46 || c === 47 || c === 45;
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const end = text.charCodeAt(i - 1) === 46 ? i - 1 : i;
      if (end > start) mask |= asciiKeyBits(text, start, end);
      start = -1;
    }
  }
  return mask;
}

function windowKeysOf(text: string, from: number, to: number, windowText: string): number {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) >= 0x80) return windowKeys(windowText);
  return asciiWindowKeys(text, from, to);
}

function windowKeys(windowText: string): number {
  const lower = windowText.toLowerCase();
  let mask = 0;
  let start = -1;
  for (let i = 0; i <= lower.length; ) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    let w = 1;
    let inWord: boolean;
    if (c < 0x80) {
      inWord = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 46 || c === 47 || c === 45;
    } else {
      const cp = lower.codePointAt(i)!;
      if (cp > 0xffff) w = 2;
      inWord = KEY_CHAR.test(String.fromCodePoint(cp));
    }
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const end = lower.charCodeAt(i - 1) === 46 ? i - 1 : i;
      const bits = KEY_BITS.get(lower.slice(start, end));
      if (bits !== undefined) mask |= bits;
      start = -1;
    }
    i += w;
  }
  return mask;
}

function shapeApplies(shape: Shape, windowText: string, keys: number): boolean {
  if (shape.test && !shape.test.test(windowText)) return false;
  return shape.keys === undefined || (keys & shape.keys) !== 0;
}

// Classes of a character that can start a match, for the boundaries B, BD and BU that start the shapes.
const DIGIT_START = 1;
const UPPER_START_CHAR = 2;
const LOWER_START_CHAR = 4;
const FIRST_B = DIGIT_START | UPPER_START_CHAR | LOWER_START_CHAR;

/**
 * Where a word starts in a window (a letter or number with none before it), with the class of its first character.
 * Every shape starts with such a boundary, so trying each shape only there, anchored, finds what a scan of the
 * whole window finds, without paying the boundary's lookbehind at every letter.
 */
export interface WordStarts {
  /** Offsets of the word starts, in `at[0..length)`. */
  at: Int32Array;
  cls: Uint8Array;
  length: number;
}

// One-character tests (a letter or number; an upper-case, a lower-case letter), as sticky expressions tried at an
// offset of the window: no string per character.
const IS_LN_AT = /[\p{L}\p{N}]/uy;
const IS_LU_AT = /\p{Lu}/uy;
const IS_LL_AT = /\p{Ll}/uy;
const testAt = (re: RegExp, text: string, i: number) => {
  re.lastIndex = i;
  return re.test(text);
};

export function wordStarts(windowText: string, into?: WordStarts): WordStarts {
  const out = into ?? { at: new Int32Array(64), cls: new Uint8Array(64), length: 0 };
  let count = 0;
  let prevLN = false;
  for (let i = 0; i < windowText.length; ) {
    const c = windowText.charCodeAt(i);
    let w = 1;
    let ln: boolean;
    let k = 0;
    if (c < 0x80) {
      if (c >= 48 && c <= 57) k = DIGIT_START;
      else if (c >= 65 && c <= 90) k = UPPER_START_CHAR;
      else if (c >= 97 && c <= 122) k = LOWER_START_CHAR;
      ln = k !== 0;
    } else {
      if (c >= 0xd800 && c <= 0xdbff && windowText.codePointAt(i)! > 0xffff) w = 2;
      ln = testAt(IS_LN_AT, windowText, i);
      if (ln)
        k = testAt(IS_LU_AT, windowText, i) ? UPPER_START_CHAR : testAt(IS_LL_AT, windowText, i) ? LOWER_START_CHAR : 0;
    }
    if (ln && !prevLN && k !== 0) {
      if (count === out.at.length) {
        const at = new Int32Array(count * 2);
        const cls = new Uint8Array(count * 2);
        at.set(out.at);
        cls.set(out.cls);
        out.at = at;
        out.cls = cls;
      }
      out.at[count] = i;
      out.cls[count] = k;
      count++;
    }
    prevLN = ln;
    i += w;
  }
  out.length = count;
  return out;
}

/**
 * Calls `fn` for each match of the shape in the window, exactly as `windowText.matchAll(shape.re)` would find them:
 * leftmost first, each search resuming where the last match ended.
 */
export function shapeMatches(
  shape: Shape,
  windowText: string,
  starts: WordStarts,
  fn: (at: number, length: number) => void,
): void {
  if (shape.first === undefined) {
    for (const m of windowText.matchAll(shape.re)) fn(m.index, m[0].length);
    return;
  }
  const re = shape.sticky;
  let from = 0;
  for (let k = 0; k < starts.length; k++) {
    const p = starts.at[k]!;
    if (p < from || (starts.cls[k]! & shape.first) === 0) continue;
    re.lastIndex = p;
    // test, not exec: a sticky match ends at lastIndex, and the match is sliced only by whoever reads it.
    if (!re.test(windowText)) continue;
    const len = re.lastIndex - p;
    fn(p, len);
    from = p + Math.max(1, len);
  }
}

// The state of the shape being matched, so that one module-level callback serves every shape and window (a closure
// per shape and window was a measurable share of the detector's allocation).
const NO_CANDIDATES: Candidate[] = [];
const matching: { text: string; shape: Shape | null; offset: number; found: Candidate[] } = {
  text: '',
  shape: null,
  offset: 0,
  found: NO_CANDIDATES,
};
const addMatch = (at: number, length: number) => {
  add(matching.text, matching.shape!, matching.offset + at, length, matching.found);
};

function addShapeMatches(
  text: string,
  shape: Shape,
  offset: number,
  windowText: string,
  starts: WordStarts,
  found: Candidate[],
): void {
  matching.text = text;
  matching.shape = shape;
  matching.offset = offset;
  matching.found = found;
  shapeMatches(shape, windowText, starts, addMatch);
  // Let go of this call's text and candidates, so that nothing of it outlives the call.
  matching.text = '';
  matching.shape = null;
  matching.found = NO_CANDIDATES;
}

interface ShapeSpec {
  name: string;
  re: RegExp;
  base: number;
  /** Built from capitalised words alone: rejected when one of them is an ordinary word. */
  generic?: boolean;
  /** Shapes without a house number only count after a cue, so they are only searched near one. */
  needsCue?: boolean;
  /** Lower-cased words one of which must occur in a window for the shape to be tried there. */
  keys?: ReadonlySet<string>;
  /** Or a cheap test the window must pass. */
  test?: RegExp;
  /**
   * The classes the first character of a match can be in: what the B, BD or BU starting every alternative of `re`
   * allows, narrowed where the next element allows less (a house number, a capitalised word).
   */
  first?: number;
}

export interface Shape extends Omit<ShapeSpec, 'keys'> {
  /** Bits of KEY_SETS. */
  keys?: number;
  /** `re`, anchored: tried only where a match may start. */
  sticky: RegExp;
  /** `pattern:` and the name: the signal of the shape's candidates. */
  signal: string;
}

// Capitalised words that precede or follow numbers in prose and are not street names.
const NOT_STREET = new Set(
  (
    'in on at to of for by from with and or but the a an as is it its if so no not this that these those then than ' +
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec person people ' +
    'user bot chapter section part page pages figure fig table step level stage phase round day days week weeks ' +
    'month months year years hour hours minute minutes room class grade item items version windows iphone ' +
    'android ios apollo season episode vol volume issue number no top rank score team group player game ' +
    'question answer option test lesson unit suite apt apartment floor box psc cmr po total price size model ' +
    'type list order rule article act law title verse psalm genesis exodus john luke mark matthew revelation ' +
    'http https www covid mp gpt python java node ubuntu debian macos'
  ).split(' '),
);

// Compiled once: a regular expression literal inside a function is a new object every time it is evaluated.
const WORD_SEPARATORS = /[\s,]+/;
const HAS_LETTER = /\p{L}/u;
const FINAL_PERIOD = /\.$/;
const SHORT_CAPITALS = /^\p{Lu}{2,3}$/u;
const STARTS_UPPER = /^\p{Lu}/u;
const HAS_UPPER = /\p{Lu}/u;
const ONLY_SEPARATORS = /^[ ,]*$/;

// NOT_STREET by FNV-1a hash of the word, for looking ASCII words up without slicing and lower-casing them (a hit is
// confirmed on the string).
const NOT_STREET_HASHES = new Set([...NOT_STREET].map((w) => fnvLowerAscii(w, 0, w.length)));

/** genericWordsOk(text.slice(start, end)), read in place when the match is ASCII. */
function genericWordsOkAt(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 0x80) return genericWordsOk(text.slice(start, end));
  // The words of split(/[\s,]+/); letters, upper case and the final period as ASCII reads them.
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    const ws = i;
    let letters = false;
    let upper = 0;
    while (i < end) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 32 || (d >= 9 && d <= 13)) break;
      if (d >= 65 && d <= 90) {
        letters = true;
        upper++;
      } else if (d >= 97 && d <= 122) letters = true;
      i++;
    }
    if (!letters) continue;
    const keyEnd = text.charCodeAt(i - 1) === 46 ? i - 1 : i;
    if (
      NOT_STREET_HASHES.has(fnvLowerAscii(text, ws, keyEnd)) &&
      NOT_STREET.has(text.slice(ws, keyEnd).toLowerCase())
    ) {
      return false;
    }
    const len = i - ws;
    if ((len === 2 || len === 3) && upper === len) return false;
  }
  return true;
}

function genericWordsOk(match: string): boolean {
  for (const w of match.split(WORD_SEPARATORS)) {
    if (!HAS_LETTER.test(w)) continue;
    if (NOT_STREET.has(w.toLowerCase().replace(FINAL_PERIOD, ''))) return false;
    // All-capital two or three letters: a state or an acronym, not a street name.
    if (SHORT_CAPITALS.test(w)) return false;
  }
  return true;
}

// States, territories and provinces: a tail that ends in one of these is an address even without a postal code.
const REGIONS = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK ' +
    'OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AB BC MB NB NL NS NT NU ON PE QC SK YT'
  ).split(' '),
);

const SHAPE_SPECS: readonly ShapeSpec[] = [
  // 1600 Pennsylvania Avenue NW; 221B Baker Street; 3911 Fourth Avenue
  {
    name: 'number_name_suffix',
    keys: STRONG_KEYS,
    re: new RegExp(
      `${BD}${HOUSE}(?: ${HOUSE})? (?:${NAME_WORD} ){0,2}?${NAME_CORE} (?:${STRONG_SUFFIX})\\.?(?: ${DIRECTION})?${E}`,
      'gu',
    ),
    first: DIGIT_START,
    base: 0.7,
  },
  // the same in an all-lowercase text
  {
    name: 'number_name_suffix_lower',
    keys: STRONG_KEYS,
    re: new RegExp(`${BD}${HOUSE}(?: ${HOUSE})? (?:${LOWER_WORD} ){1,3}?(?:${STRONG_SUFFIX_LOWER})\\.?${E}`, 'gu'),
    first: DIGIT_START,
    base: 0.1,
  },
  {
    name: 'number_name_weak_suffix',
    keys: SUFFIX_KEYS,
    re: new RegExp(`${BD}${HOUSE}(?: ${HOUSE})? (?:${NAME_WORD} ){0,2}?${NAME_CORE} (?:${WEAK_SUFFIX})${E}`, 'gu'),
    first: DIGIT_START,
    base: 0.4,
  },
  // 31 Rue Al Imam; Via Franscini 71; Rua do Arenque 1634
  {
    name: 'prefix_type',
    keys: PREFIX_KEYS,
    re: new RegExp(
      `${B}(?:${HOUSE},? ){1,2}(?:${PREFIX_TYPE}) (?:${NAME_WORD} ){0,4}${NAME_CORE}${E}|${B}(?:${PREFIX_TYPE}) (?:${NAME_WORD} ){0,4}${NAME_CORE},? ${HOUSE}\\.?${E}`,
      'gu',
    ),
    first: FIRST_B,
    base: 0.55,
  },
  {
    name: 'prefix_type_lower',
    keys: PREFIX_LOWER_KEYS,
    re: new RegExp(
      `${B}(?:${HOUSE},? ){1,2}(?:${PREFIX_LOWER}) (?:(?:${NAME_WORD}|${LOWER_WORD}) ){0,3}(?:${NAME_CORE}|${LOWER_WORD})${E}`,
      'gu',
    ),
    first: DIGIT_START,
    base: 0.4,
  },
  {
    name: 'prefix_type_no_number',
    keys: PREFIX_KEYS,
    re: new RegExp(`${BU}(?:${PREFIX_TYPE}) (?:${NAME_WORD} ){0,3}${NAME_CORE}${E}`, 'gu'),
    first: UPPER_START_CHAR,
    base: 0.3,
    needsCue: true,
  },
  // Brucker Bundesstrasse 31; Kiannonkatu 98; 6750 Koskikatu 25
  {
    name: 'morpheme_number',
    test: MORPHEME_PRESENT,
    re: new RegExp(`${B}(?:${HOUSE} )?(?:${NAME_CORE} ){0,2}${MORPHEME_WORD}\\.? ${HOUSE}\\.?${E}`, 'gu'),
    first: FIRST_B,
    base: 0.6,
  },
  // Andrássy út 12; Rákóczi u. 97.
  {
    name: 'name_street_word_number',
    keys: STANDALONE_KEYS,
    re: new RegExp(
      `${B}(?:${HOUSE} )?${NAME_CORE} (?:(?:${NAME_WORD}|${LOWER_WORD}) ){0,2}(?:${STANDALONE_AFTER}) ${HOUSE}\\.?${E}`,
      'gu',
    ),
    first: DIGIT_START | UPPER_START_CHAR,
    base: 0.6,
  },
  // Military and post-office boxes: PSC 1234, Box 5678 / APO AE 09012; USNS Bergman / FPO AP 93757; PO Box 12
  {
    name: 'military',
    test: /(?:APO|FPO|DPO|apo|fpo|dpo) /,
    re: /(?<![\p{L}\p{N}])(?:(?:PSC|CMR|Unit|psc|cmr|unit) \d{1,5},? (?:Box|box) \d{1,5}|(?:USNS|USNV|USS|USCGC|usns|usnv|uss|uscgc) [\p{L}'-]{2,30}(?: [\p{L}'-]{2,30})?)\s{0,3}\n?\s{0,3}(?:APO|FPO|DPO|apo|fpo|dpo) (?:AA|AE|AP|aa|ae|ap) \d{5}(?![\p{N}])/gu,
    base: 0.9,
  },
  {
    name: 'po_box',
    test: /box/i,
    re: /(?<![\p{L}\p{N}])(?:P\.? ?O\.?|Post Office|p\.? ?o\.?) ?(?:Box|BOX|box) \d{1,6}(?![\p{N}])/gu,
    base: 0.7,
  },
  // Shapes without a street word: Allika 46; Dobrovského 1394; 19902 Joaquin Suarez 2906. Need support to count.
  {
    name: 'name_number',
    generic: true,
    re: new RegExp(`${B}(?:${HOUSE} )?(?:${GENERIC_WORD} ){0,2}${GENERIC_WORD} ${HOUSE}\\.?${E}`, 'gu'),
    first: DIGIT_START | UPPER_START_CHAR,
    base: 0.2,
  },
  {
    name: 'number_name',
    generic: true,
    re: new RegExp(`${BD}${HOUSE} (?:${GENERIC_WORD} ){0,2}${GENERIC_WORD}${E}`, 'gu'),
    first: DIGIT_START,
    base: 0.15,
  },
  // Abbey Road; Herceg Gateway: a name and a street word, no number
  {
    name: 'name_street',
    keys: STRONG_KEYS,
    re: new RegExp(
      `${BU}(?:${UPPER_START} ){1,2}(?:Street|Avenue|Road|Boulevard|Lane|Drive|Terrace|Parkway)${E}`,
      'gu',
    ),
    first: UPPER_START_CHAR,
    base: 0.35,
    needsCue: true,
  },
  {
    name: 'name_street_abbreviated',
    keys: STRONG_KEYS,
    re: new RegExp(`${BU}(?:${GENERIC_WORD} ){1,2}(?:${STRONG_SUFFIX})\\.?${E}`, 'gu'),
    first: UPPER_START_CHAR,
    base: 0.25,
    needsCue: true,
  },
  {
    name: 'name_suffix',
    keys: SUFFIX_KEYS,
    re: new RegExp(`${BU}(?:${UPPER_START} ){1,2}(?:${STRONG_SUFFIX}|${WEAK_SUFFIX})${E}`, 'gu'),
    first: UPPER_START_CHAR,
    base: 0.15,
    needsCue: true,
  },
];

/** Exported for the test that checks anchored matching against a plain scan. */
export const SHAPES: readonly Shape[] = SHAPE_SPECS.map((spec) => ({
  ...spec,
  keys: spec.keys === undefined ? undefined : keyBit(spec.keys),
  sticky: new RegExp(spec.re.source, 'uy'),
  signal: `pattern:${spec.name}`,
}));

const LINE_BREAK = '[ \\t]{0,3},?[ \\t]{0,3}(?:\\n[ \\t>?]{0,4})?';
const UNIT = new RegExp(
  `${LINE_BREAK}(?:${UNIT_WORDS}) ?#? ?[A-Za-z]?\\d{1,6}[A-Za-z]?${E}|[ \\t]{0,3},? ?#\\d{1,6}${E}`,
  'y',
);

const POSTAL =
  '(?:\\d{5}(?:-\\d{4})?|\\d{4}(?: ?[A-Z]{2})?|\\d{3} ?\\d{2}|\\d{2}-\\d{3}|\\d{4}-\\d{3}|\\d{5}-\\d{3}|[A-Z]\\d[A-Z] ?\\d[A-Z]\\d|[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2})';
const CITY_WORD = `(?:${UPPER_START}|\\(${UPPER_START}\\)|\\p{Ll}{1,4}(?= ))`;
// One line or comma-separated part of the city/state/country/postal tail.
const TAIL_PART = new RegExp(
  `(?:[ \\t]{0,3},[ \\t]{0,3}|[ \\t]{0,3}\\n[ \\t>?]{0,4},?[ \\t]{0,3}|[ \\t]{1,3})` +
    `(?:(${UPPER_START}(?: ${CITY_WORD}){0,4})(?:,? ([A-Z]{2,3}))?(?:,? (${POSTAL}))?|([A-Z]{2,3})(?: (${POSTAL}))?|(${POSTAL})(?: ${UPPER_START}(?: ${CITY_WORD}){0,3})?)${E}(?![ \\t]?\\d)`,
  'yu',
);

const CUES = words([
  'address',
  'addresses',
  'addr',
  'live at',
  'lives at',
  'lived at',
  'living at',
  'live on',
  'lives on',
  'lived on',
  'living on',
  'lived in',
  'located at',
  'located on',
  'location',
  'send to',
  'sent to',
  'ship to',
  'shipped to',
  'deliver to',
  'delivered to',
  'delivery to',
  'mail to',
  'post to',
  'meet me at',
  'meet you at',
  'meet at',
  'meeting at',
  'moved to',
  'move to',
  'moving to',
  'return to',
  'arrived at',
  'arrive at',
  'drop off at',
  'drops you off at',
  'dropped off at',
  'pick me up at',
  'pick up at',
  'taxi to',
  'stop at',
  'corner of',
  'side of',
  'office is at',
  'offices are at',
  'is at',
  'are at',
  'residence',
  'resides at',
  'reside at',
  'headquarters',
  'headquartered at',
  'home at',
  'house at',
  'street',
  'avenue',
  'road',
]);

const RULES: readonly ContextRule[] = [
  { name: 'address', pattern: CUES, weight: 0.3, before: 40 },
  {
    name: 'street_after',
    pattern: /\u0000 (?:street|road|avenue|st\.)(?![\p{L}])/iu,
    weight: 0.3,
    before: 0,
    after: 10,
  },
  {
    name: 'not_address',
    pattern: words([
      'version',
      'chapter',
      'section',
      'page',
      'figure',
      'table',
      'episode',
      'season',
      'volume',
      'vol',
      'model',
      'windows',
      'iphone',
      'item',
      'step',
      'level',
      'grade',
      'score',
      'rank',
      'top',
    ]),
    weight: -0.3,
    before: 16,
  },
];

interface Grown {
  end: number;
  unit: boolean;
  postal: boolean;
  lines: number;
}

const UNIT_BEFORE = new RegExp(`(?:${UNIT_WORDS}) ?#? ?\\d{1,6}[ ,]{1,2}$`, 'u');

/** Extends a street line over units and a city/state/postal tail, up to the last part that carries a code. */
function grow(text: string, end: number): Grown {
  let unit = false;
  for (let k = 0; k < 2; k++) {
    UNIT.lastIndex = end;
    const u = UNIT.exec(text);
    if (!u) break;
    end = UNIT.lastIndex;
    unit = true;
  }
  let confirmed = end;
  let postal = false;
  let at = end;
  let parts = 0;
  let lines = 0;
  for (let k = 0; k < 5; k++) {
    TAIL_PART.lastIndex = at;
    const t = TAIL_PART.exec(text);
    if (!t) break;
    at = TAIL_PART.lastIndex;
    parts++;
    if (t[3] || t[5] || t[6] || (t[2] && REGIONS.has(t[2])) || (t[4] && REGIONS.has(t[4]))) {
      confirmed = at;
      postal = true;
      lines = parts;
    }
    UNIT.lastIndex = at;
    const u = UNIT.exec(text);
    if (u) {
      at = UNIT.lastIndex;
      confirmed = at;
      unit = true;
    }
  }
  return { end: confirmed, unit, postal, lines };
}

interface Window {
  start: number;
  end: number;
}

/** Merged ranges around each anchor, widened to whitespace so that word boundaries survive slicing. */
function windows(text: string, anchors: readonly number[], before: number, after: number): Window[] {
  const out: Window[] = [];
  for (let a = 0; a < anchors.length; a += 2) {
    let s = Math.max(0, anchors[a]! - before);
    let e = Math.min(text.length, anchors[a + 1]! + after);
    // Widen to whitespace, but only so far: text without spaces must not make every window the whole input.
    const sMin = Math.max(0, s - 40);
    const eMax = Math.min(text.length, e + 40);
    while (s > sMin && !isSpace(text.charCodeAt(s - 1))) s--;
    while (e < eMax && !isSpace(text.charCodeAt(e))) e++;
    const last = out[out.length - 1];
    if (last && s <= last.end) last.end = Math.max(last.end, e);
    else out.push({ start: s, end: e });
  }
  return out;
}

// Digit runs that may be house numbers: /\d{1,6}(?:[A-Za-z](?![\p{L}]))?/gu, scanned by hand in houseNumbers.
const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isAsciiLetterCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const LETTER_AT = /\p{L}/uy;
/** Whether a letter (\p{L}, a whole code point) starts at `i`. */
function letterAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiLetterCode(c);
  LETTER_AT.lastIndex = i;
  return LETTER_AT.test(text);
}
// Lower-case street words that may sit next to a house number ("26 rue des Lilas", "Luite tee 87").
const LOWER_STREET_WORD =
  /^(?:rue|via|viale|calle|avenida|avenue|rua|rúa|ul\.?|ulica|str\.?|straat|laan|weg|vej|gade|gata|gate|tee|tie|katu|trg|apt\.?|suite|unit|box|u\.|utca|út|útja|tér|körút|rkp\.)$/u;

const SEP = (c: string | undefined) => c === ' ' || c === ',';
const DIGIT = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** `/[\p{L}\p{M}'’.-]/u` on one UTF-16 unit. */
const isLetter = (c: number) => c === 39 || c === 0x2019 || c === 46 || c === 45 || isLetterOrMark(c);

/** The word next to position `at` going in direction `step`, skipping one separator run and one more number. */
function neighbourWord(text: string, at: number, step: 1 | -1): string | null {
  let i = step === 1 ? at : at - 1;
  for (let hop = 0; hop < 2; hop++) {
    let seps = 0;
    while (seps < 2 && SEP(text[i])) {
      i += step;
      seps++;
    }
    if (seps === 0) return null;
    if (!DIGIT(text[i])) break;
    let n = 0;
    while (n < 6 && DIGIT(text[i])) {
      i += step;
      n++;
    }
  }
  let j = i;
  let n = 0;
  while (n < 40 && j >= 0 && j < text.length && isLetter(text.charCodeAt(j))) {
    j += step;
    n++;
  }
  if (n === 0) return null;
  return step === 1 ? text.slice(i, j) : text.slice(j + 1, i + 1);
}

/** A house number sits next to a capitalised word, a street word, or in an all-lower-case line; prose numbers do not. */
interface Lines {
  /** Offsets of every newline, ascending. */
  breaks: number[];
  /**
   * Per line (index into breaks + 1): 0 not looked at yet, 1 all lower-case, 2 not. An array, not a Map: LINES lives
   * in the old generation, and V8 allocates the tables of an old Map there too when it is cleared or grows, so a
   * Map cleared per call made old-generation garbage on every call (and brought the next mark-compact closer).
   */
  lower: number[];
}

/** The index of the line holding offset `at`: how many newlines come before it. */
function lineIndexOf(lines: Lines, at: number): number {
  let lo = 0;
  let hi = lines.breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines.breaks[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function plausibleHouseNumber(text: string, start: number, end: number, lines: Lines): boolean {
  const before = neighbourWord(text, start, -1);
  const after = neighbourWord(text, end, 1);
  if (before && (STARTS_UPPER.test(before) || LOWER_STREET_WORD.test(before.toLowerCase()))) return true;
  if (after && (STARTS_UPPER.test(after) || LOWER_STREET_WORD.test(after.toLowerCase()))) return true;
  if (before || after) {
    // Looked up once per line: a long single-line input must not be rescanned for every number in it.
    const line = lineIndexOf(lines, start);
    let lower = lines.lower[line]!;
    if (lower === 0) {
      const ls = line === 0 ? 0 : lines.breaks[line - 1]! + 1;
      const le = text.indexOf('\n', ls);
      lower = HAS_UPPER.test(text.slice(ls, le === -1 ? text.length : le)) ? 2 : 1;
      lines.lower[line] = lower;
    }
    return lower === 1;
  }
  return false;
}

// Anchor spans (start, end pairs) and line data, reused between calls: findAddresses runs to completion
// synchronously and leaves nothing in them that a later call reads.
const ANCHORS: number[] = [];
// One window's word starts, refilled for each window (windows are searched one after another).
const STARTS: WordStarts = { at: new Int32Array(256), cls: new Uint8Array(256), length: 0 };
const LINES: Lines = { breaks: [], lower: [] };

/** Digit runs that could be house numbers, as start/end pairs in ANCHORS, for the window search. */
function houseNumbers(text: string): number[] {
  const out = ANCHORS;
  out.length = 0;
  const lines = LINES;
  lines.breaks.length = 0;
  lines.lower.length = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.breaks.push(i);
  for (let k = 0; k <= lines.breaks.length; k++) lines.lower.push(0);
  // The matches of DIGITS, found by hand (no match array per number): up to six digits, and a letter after them
  // that no letter follows.
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && i - start < 6 && isDigitCode(text.charCodeAt(i))) i++;
    if (i < n && isAsciiLetterCode(text.charCodeAt(i)) && !letterAt(text, i + 1)) i++;
    if (plausibleHouseNumber(text, start, i, lines)) out.push(start, i);
  }
  return out;
}

/** The matches of CUE_ANCHOR, as start/end pairs in ANCHORS. */
function cueAnchors(text: string): number[] {
  const out = ANCHORS;
  out.length = 0;
  CUE_ANCHOR.lastIndex = 0;
  for (let m = CUE_ANCHOR.exec(text); m !== null; m = CUE_ANCHOR.exec(text)) {
    out.push(m.index, m.index + m[0].length);
    if (m[0].length === 0) CUE_ANCHOR.lastIndex++;
  }
  return out;
}
// Where to look for street names without a number: near the distinctive words of the cues (not "is at").
const CUE_ANCHOR =
  /address|addr\b|\bliv(?:e|es|ed|ing)\b|locat|\bsen[dt]\b|\bship|deliver|\bmail|\bpost\b|\bmeet|\bmov(?:e|ed|ing)\b|return|arriv|\bdrop|\bpick|taxi|\bstop\b|corner|side of|offices?\b|resid|headquarter|street|avenue|\broad\b/gi;

function add(text: string, shape: Shape, at: number, length: number, found: Candidate[]): void {
  if (shape.generic && !genericWordsOkAt(text, at, at + length)) return;
  let start = at;
  const lineEnd = start + length;
  const g = grow(text, lineEnd);
  // UNIT_BEFORE ends with a space or comma: only then is it worth cutting the text before the match.
  const prevChar = start > 0 ? text.charCodeAt(start - 1) : 0;
  const before =
    prevChar === 32 || prevChar === 44 ? UNIT_BEFORE.exec(text.slice(Math.max(0, start - 24), start)) : null;
  if (before) start -= before[0].length;
  const c = applyContext(text, start, lineEnd, RULES);
  let score = shape.base + c.delta;
  const unit = g.unit || before !== null;
  if (unit) score += 0.3;
  if (g.postal) score += g.lines >= 2 ? 0.35 : 0.25;
  const clamped = clamp01(score);
  // Candidates below the bar are dropped by findAddresses: not built at all.
  if (clamped < MIN_ADDRESS_SCORE) return;
  const signals = [shape.signal];
  for (let i = 0; i < c.signals.length; i++) signals.push(c.signals[i]!);
  if (unit) signals.push('unit');
  if (g.postal) signals.push('postal_tail');
  found.push({ type: 'STREET_ADDRESS', start, end: g.end, score: clamped, signals });
}

/** Candidates scoring less are not reported (nor merged with others). */
const MIN_ADDRESS_SCORE = 0.35;

export function findAddresses(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  const found: Candidate[] = [];
  // Every shape but a few has a house number: search only the text around digits, and around cues for the rest.
  const digits = windows(text, houseNumbers(text), 110, 16);
  const cues = windows(text, cueAnchors(text), 40, 90);
  for (let pass = 0; pass < 2; pass++) {
    const cue = pass === 1;
    const list = cue ? cues : digits;
    for (let wi = 0; wi < list.length; wi++) {
      const w = list[wi]!;
      const windowText = text.slice(w.start, w.end);
      const keys = windowKeysOf(text, w.start, w.end, windowText);
      let starts: WordStarts | undefined;
      for (let si = 0; si < SHAPES.length; si++) {
        const shape = SHAPES[si]!;
        if (Boolean(shape.needsCue) !== cue || !shapeApplies(shape, windowText, keys)) continue;
        starts ??= wordStarts(windowText, STARTS);
        addShapeMatches(text, shape, w.start, windowText, starts, found);
      }
    }
  }
  // Pieces of one address found by different shapes ("Brucker Bundesstrasse 31" and "31 Zezig Streets") become one.
  const kept = found.filter((f) => f.score >= MIN_ADDRESS_SCORE).sort((a, b) => a.start - b.start || b.end - a.end);
  let cur: Candidate | null = null;
  for (const f of kept) {
    if (cur && f.start <= cur.end + 1 && ONLY_SEPARATORS.test(text.slice(cur.end, f.start))) {
      cur.end = Math.max(cur.end, f.end);
      cur.score = Math.max(cur.score, f.score);
      for (const s of f.signals) if (!cur.signals.includes(s)) cur.signals.push(s);
    } else {
      if (cur) out.push(cur);
      cur = { ...f, signals: [...f.signals] };
    }
  }
  if (cur) out.push(cur);
}
