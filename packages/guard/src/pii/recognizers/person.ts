import { codePointAt, isLetter, isLetterOrMark, isSpace, memo } from '../chars.ts';
import { clamp01 } from '../context.ts';
import { COMMON_WORDS, foldWord, GIVEN_NAMES, PLACE_NAMES, SURNAMES } from '../lexicon.ts';
import type { Candidate, ScanContext } from '../types.ts';

// Names are found as runs of capitalised words (with initials and particles such as "van der" inside), trimmed of
// ordinary words, places and titles at their edges, then scored: a known given name or surname, the shape of a full
// name, and the words around the run ("my name is", "Dr.", "said", a line of its own in a signature) push the score
// up; sentence-initial single words, "the", and organisation words ("Inc", "University") push it down. Casing is the
// main evidence, so an all-lower-case line is only searched for names the lexicon knows.

/** Lower-cased phrases; with `copula`, each also followed by "is" or "was" ("my name is", "maiden name was"). */
function cueSet(list: readonly string[], copula: boolean): ReadonlySet<string> {
  const out = new Set<string>();
  for (const p of list) {
    const norm = p.toLowerCase().replace(/’/g, "'");
    out.add(norm);
    if (copula) {
      out.add(`${norm} is`);
      out.add(`${norm} was`);
    }
  }
  return out;
}

const CUE_TAIL = /[\s:,?"'“”-]/u;

// Expressions used per word and per candidate, compiled once: a regular expression literal inside a function is a
// new object every time it is evaluated.
const APOSTROPHES = /’/g;
const WORD_EDGES = /^[^\p{L}]+|[.,;]+$/gu;
const HAS_UPPER = /\p{Lu}/u;
const HAS_LOWER = /\p{Ll}/u;
const STARTS_UPPER = /^\p{Lu}/u;
const POSSESSIVE = /['’]s$/u;
const TRAILING_MARKS = /['’-]+$/;
const LINE_LEAD = /^[\s>?*-]*$/;
const SPEAKER_COLON = /^\s?:/;
const LINE_BREAK_END = /\n\s*$/;
const NUMBER_AFTER = /^ \d/;
const ENDS_SPACE = /\s$/;
const ARTICLE_BEFORE = /(?:^|[^\p{L}])(?:the|The)\s$/u;
const PLACE_PREPOSITION_BEFORE = /(?:^|[^\p{L}])(?:in|at|of|from|near|across|into|visit|visited|to)\s$/iu;
const TITLE_BEFORE = /(?:^|[^\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Madam|Lady|Lord|Rev)\.?\s$/iu;

/**
 * The last one to four words before a name, lower-cased, for lookup in the cue sets: a walk back over at most a few
 * dozen characters instead of a regular expression over the window.
 */
function wordsBefore(before: string): string[] {
  let end = before.length;
  while (end > 0 && CUE_TAIL.test(before[end - 1]!)) end--;
  // Only the last four words are used: start at the fourth from the end. It starts after white space (or at the
  // window's start), so lower-casing from there reads every character as lower-casing the whole window would.
  let start = end;
  for (let seen = 0; seen < 4 && start > 0; seen++) {
    while (start > 0 && isSpace(before.charCodeAt(start - 1))) start--;
    while (start > 0 && !isSpace(before.charCodeAt(start - 1))) start--;
  }
  const lowered = before.slice(start, end).toLowerCase().replace(APOSTROPHES, "'");
  // The last four white-space separated words of `lowered`, cleaned, as the phrases of the last one, two, three
  // and four of them: found from the end, without splitting the whole string.
  const out: string[] = [];
  let phrase = '';
  let e = lowered.length;
  for (let k = 0; k < 4; k++) {
    while (e > 0 && isSpace(lowered.charCodeAt(e - 1))) e--;
    if (e === 0) break;
    let s = e;
    while (s > 0 && !isSpace(lowered.charCodeAt(s - 1))) s--;
    const w = lowered.slice(s, e);
    const clean = plainWord(w) ? w : w.replace(WORD_EDGES, '');
    phrase = k === 0 ? clean : `${clean} ${phrase}`;
    out.push(phrase);
    e = s;
  }
  return out;
}

const NO_CUES: readonly string[] = Object.freeze([]);
// The last word of every cue phrase: a phrase of wordsBefore ends in the (cleaned) last word before the name, so
// when that word ends no cue phrase, none of the phrases can be a cue, and they need not be built.
let lastCueWords: ReadonlySet<string> | undefined;

/**
 * wordsBefore(before) where it can matter: when the last word before the name is ASCII and ends no cue phrase,
 * the empty list, which every use of the phrases reads as wordsBefore's (no set holds any of them).
 */
function cuesBefore(before: string): readonly string[] {
  lastCueWords ??= new Set(
    [STRONG_CUE, MEDIUM_CUE, WEAK_CUE, ORG_CUE, STREET_PREFIX_BEFORE].flatMap((set) =>
      [...set].map((p) => p.slice(p.lastIndexOf(' ') + 1)),
    ),
  );
  let end = before.length;
  while (end > 0 && CUE_TAIL.test(before[end - 1]!)) end--;
  while (end > 0 && isSpace(before.charCodeAt(end - 1))) end--;
  if (end === 0) return NO_CUES;
  let start = end;
  while (start > 0 && !isSpace(before.charCodeAt(start - 1))) start--;
  // The clean-up of the word (WORD_EDGES): letters are ASCII letters here, so by hand.
  let s = start;
  let e = end;
  for (let i = start; i < end; i++) if (before.charCodeAt(i) >= 0x80) return wordsBefore(before);
  while (s < e && !isAsciiLetterCode(before.charCodeAt(s))) s++;
  while (e > s) {
    const c = before.charCodeAt(e - 1);
    if (c !== 46 && c !== 44 && c !== 59) break;
    e--;
  }
  return lastCueWords.has(before.slice(s, e).toLowerCase()) ? wordsBefore(before) : NO_CUES;
}

const isAsciiLetterCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A word the clean-up in wordsBefore leaves as it is: it starts with a letter and does not end in . , or ;. */
function plainWord(w: string): boolean {
  const first = w.charCodeAt(0);
  const last = w.charCodeAt(w.length - 1);
  return first >= 97 && first <= 122 && last !== 46 && last !== 44 && last !== 59;
}

function hasCue(phrasesBefore: readonly string[], set: ReadonlySet<string>): boolean {
  for (let i = 0; i < phrasesBefore.length; i++) if (set.has(phrasesBefore[i]!)) return true;
  return false;
}

// TOKEN, what tokenize() reads as a word (matched by hand, see tokenEnd): /[\p{L}\p{M}][\p{L}\p{M}'’-]{0,40}\.?/gu.
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'del',
  'della',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'du',
  'le',
  'la',
  'ten',
  'ter',
  'bin',
  'ibn',
  'al',
  'el',
  'y',
  'zu',
]);
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'madam',
  'madame',
  'mme',
  'mlle',
  'monsieur',
  'herr',
  'frau',
  'senor',
  'senora',
  'sra',
  'sr',
  'jr',
  'lady',
  'lord',
  'rev',
  'reverend',
  'fr',
  'father',
  'sister',
  'brother',
  'capt',
  'captain',
  'sgt',
  'sergeant',
  'lt',
  'lieutenant',
  'col',
  'colonel',
  'gen',
  'general',
  'officer',
  'detective',
  'judge',
  'justice',
  'senator',
  'rep',
  'governor',
  'mayor',
  'president',
  'uncle',
  'aunt',
  'auntie',
  'grandma',
  'grandpa',
  'nurse',
  'coach',
  'agent',
]);
// Words after a capitalised run that make it an organisation, a place or a thing rather than a person.
const NOT_PERSON_AFTER = new Set([
  'inc',
  'ltd',
  'llc',
  'plc',
  'corp',
  'corporation',
  'co',
  'company',
  'group',
  'holdings',
  'bank',
  'university',
  'college',
  'school',
  'academy',
  'institute',
  'hospital',
  'clinic',
  'foundation',
  'association',
  'society',
  'orchestra',
  'band',
  'records',
  'studios',
  'street',
  'st',
  'road',
  'rd',
  'avenue',
  'ave',
  'boulevard',
  'lane',
  'drive',
  'square',
  'city',
  'county',
  'airport',
  'hotel',
  'church',
  'center',
  'centre',
  'club',
  'team',
  'party',
  'ministry',
  'agency',
  'council',
  'department',
  'museum',
  'park',
  'lake',
  'river',
  'mountain',
  'island',
  'islands',
  'bridge',
  'station',
  'stadium',
  'hall',
  'house',
  'tower',
  'building',
  'mall',
  'market',
  'restaurant',
  'cafe',
  'bar',
  'pub',
  'country',
  'state',
  'province',
  'region',
  'valley',
  'beach',
  'bay',
  'technologies',
  'systems',
  'solutions',
  'services',
  'partners',
  'labs',
  'software',
  'games',
  'motors',
  'airlines',
  'pharmaceuticals',
  'project',
  'program',
  'act',
  'award',
  'awards',
  'prize',
  'festival',
  'conference',
  'summit',
  'cup',
  'league',
  'series',
  'show',
  'magazine',
  'times',
  'news',
  'post',
  'journal',
  'weekly',
  'daily',
  'review',
  'capital',
  'investments',
  'investment',
  'associates',
  'sons',
  'brothers',
  'lines',
  'movers',
  'markets',
  'transit',
  'insight',
  'media',
  'digital',
  'global',
  'international',
  'consulting',
  'ventures',
  'analytics',
  'energy',
  'financial',
  'insurance',
  'logistics',
  'foods',
  'industries',
  'enterprises',
  'incorporated',
  'limited',
  'gmbh',
  'version',
  'novel',
  'album',
  'song',
  'film',
  'movie',
]);

// Street-type words: "Elisabeth Parks" or "Philip Bypass" at the end of a run is a street, not a person.
const STREET_WORDS = new Set(
  (
    'street streets st road rd avenue ave boulevard blvd lane ln drive dr court ct place pl square sq terrace way ' +
    'parkway highway circle crescent close grove gardens row mews trail alley plaza loop bypass union unions radial ' +
    'forge forges fort gateway flat flats park parks pass path pike isle island lodge hill hills dale glen green ' +
    'greens heights hollow junction knoll lake lakes landing manor meadow meadows mill mills mount orchard oval ' +
    'point points port ridge river run shore shores spring springs station summit trace track valley view views ' +
    'village ville vista walk walks well wells crossing creek cove course corner corners burg branch brook brooks ' +
    'canyon cape causeway center centre cliff cliffs common estate estates expressway extension falls ferry field ' +
    'fields ford forest fork forks freeway garden harbor haven inlet key keys light lights lock locks mall mission ' +
    'motorway neck overpass passage pine pines plain plains prairie ramp ranch rapid rapids rest shoal skyway spur ' +
    'stream stravenue throughway trafficway tunnel turnpike underpass viaduct vale'
  ).split(' '),
);

const STRONG_CUE = cueSet(
  [
    'my name is',
    'my name\u2019s',
    "my name's",
    'name is',
    'names are',
    'i am',
    "i'm",
    'i\u2019m',
    'im',
    'call me',
    'calls me',
    'this is',
    'it is',
    "it's",
    'it\u2019s',
    'signed',
    'aka',
    'a.k.a.',
    'first name',
    'last name',
    'surname',
    'full name',
    'maiden name',
    'nickname',
    'name',
    'named',
    'named him',
    'named her',
    'call him',
    'call her',
    'called him',
    'called her',
    'maiden name is',
    'patient',
    'cardholder',
    'account holder',
    'attn',
    'contact person',
    'applicant',
    'employee',
  ],
  true,
);
const MEDIUM_CUE = cueSet(
  [
    'hi',
    'hello',
    'hey',
    'dear',
    'thanks',
    'thank you',
    'regards',
    'sincerely',
    'cheers',
    'best',
    'love',
    'ask',
    'asked',
    'tell',
    'told',
    'meet',
    'met',
    'contact',
    'cc',
    'said',
    'says',
    'speak to',
    'talk to',
    'spoke to',
    'spoke with',
    'married',
    'wife',
    'husband',
    'son',
    'daughter',
    'mother',
    'mom',
    'mum',
    'dad',
    'friend',
    'partner',
    'colleague',
    'boss',
    'manager',
    'kid',
    'child',
    'guardian',
    'beneficiary',
    'client',
    'customer',
    'change it to',
    'correct it to',
    'under the name',
    'account name',
    'directed by',
    'starring',
    'featuring',
    'written by',
    'produced by',
    'author',
    'follow up with',
    'founder',
    'founders',
    'co-founder',
    'ceo',
    'chairman',
    'producer',
    'director',
    'singer',
    'songwriter',
    'musician',
    'composer',
    'guitarist',
    'player',
    'writer',
    'actor',
    'actress',
    'artist',
    'journalist',
    'reporter',
    'commenter',
    'teacher',
    'student',
    'leave me',
    'gender of',
    'remove my kid',
    'heard',
    'fan',
    'shouted at',
  ],
  false,
);
const WEAK_CUE = cueSet(['by', 'under', 'add', 'user', 'called', 'with'], false);
// Endings that mark family names in many languages (patronymics, Slavic, Greek, Romanian, Nordic, Finnish, Turkish).
const SURNAME_ENDING =
  /(?:sson|ssen|dottir|ovic|evic|ovich|evich|ov|ova|ev|eva|ski|ska|sky|cki|cka|enko|chuk|yan|poulos|opoulou|akis|idis|escu|elli|etti|ini|ez|oglu|nen|inen|gaard|strom|qvist|kvist|mann|stein|baum|berg|feld|witz|shvili|dze)$/;
// Words before a capitalised run that make it an employer or a venue.
const ORG_CUE = cueSet(
  [
    'work for',
    'works for',
    'worked for',
    'working for',
    'work at',
    'works at',
    'worked at',
    'employed by',
    'employed at',
    'joined',
    'recorded for',
    'invested in',
    'subsidiary of',
    'acquired by',
    'shares of',
    'stock of',
    'company',
    'brand',
  ],
  false,
);
// "rue Victor Hugo", "Via Garibaldi": a name after a street-type word is the street's.
const STREET_PREFIX_BEFORE = cueSet(
  'rue via viale calle rua avenida avenue av boulevard bd piazza plaza strada ulica ul corso largo place paseo praça travessa chemin allée quai impasse'.split(
    ' ',
  ),
  false,
);
const ORG_ABBREVIATIONS = new Set(['AS', 'AB', 'AG', 'SA', 'BV', 'NV', 'OY', 'SE', 'KG', 'SpA', 'SAS', 'SL', 'Oyj']);
const AFTER_CUE =
  /^(?:, (?:can|could|would|will|please|i|you|we|thank|thanks|are|do|did|have|is|how|what|where|when|why|come|let)\b|['’]s\b|,? (?:said|says|wrote|writes|asked|replied|told|explained|added|noted|shouted|answered|tweeted)\b|,? (?:who|whose)\b| (?:is|was) (?:a|an|the|very|so|born|from)\b| (?:has|had|will|would|can|could|lives|lived|works|worked|spent|began|listed|employs|shouted|explained|points)\b|\s?:\s?["“])/u;

interface Token {
  start: number;
  /** End without a sentence-final period. */
  end: number;
  /** End including a trailing period, for joining tokens. */
  outer: number;
  raw: string;
  folded: string;
  initial: boolean;
  capitalised: boolean;
  title: boolean;
  lineStart: number;
  lineEnd: number;
  /** The token's line has no capital letter at all. */
  lowerLine: boolean;
  given: boolean | undefined;
  surname: boolean | undefined;
  common: boolean | undefined;
  /** Ended with a period or a possessive: a run does not continue past it (except after an initial or a title). */
  closed: boolean;
}

function surnamePart(p: string): boolean {
  return SURNAMES.has(p) || (p.length >= 5 && SURNAME_ENDING.test(p) && !COMMON_WORDS.has(p) && !PLACE_NAMES.has(p));
}

/**
 * Whether `test` holds for the folded word or, for a hyphenated one, for any of its parts (what split('-') gives,
 * empty parts included). Parts are sliced only for hyphenated words, and no array is built.
 */
function anyPart(folded: string, test: (p: string) => boolean): boolean {
  if (test(folded)) return true;
  let from = 0;
  let dash = folded.indexOf('-');
  if (dash === -1) return false;
  for (;;) {
    if (test(folded.slice(from, dash === -1 ? folded.length : dash))) return true;
    if (dash === -1) return false;
    from = dash + 1;
    dash = folded.indexOf('-', from);
  }
}

const givenPart = (p: string): boolean => GIVEN_NAMES.has(p);

function isGiven(t: Token): boolean {
  t.given ??= anyPart(t.folded, givenPart);
  return t.given;
}

function isSurname(t: Token): boolean {
  t.surname ??= anyPart(t.folded, surnamePart);
  return t.surname;
}

function isCommon(t: Token): boolean {
  // Adverbs ("Secretly") are not names; the names that end in -ly are in the lexicon.
  t.common ??=
    COMMON_WORDS.has(t.folded) ||
    (t.folded.length > 4 && t.folded.endsWith('ly') && !GIVEN_NAMES.has(t.folded) && !SURNAMES.has(t.folded));
  return t.common;
}

function isPlace(t: Token): boolean {
  return PLACE_NAMES.has(t.folded);
}

const number = memo(/^\p{N}$/u);
/** /[@/_\p{N}.#]/u on one UTF-16 unit (a lone surrogate is no number, as the regex reads it). */
const notWordBefore = (c: number): boolean =>
  c < 0x80 ? c === 64 || c === 47 || c === 95 || c === 46 || c === 35 || (c >= 48 && c <= 57) : number(c);
/** /[@/_\p{N}]/u on one UTF-16 unit. */
const notWordAfter = (c: number): boolean =>
  c < 0x80 ? c === 64 || c === 47 || c === 95 || (c >= 48 && c <= 57) : number(c);

/**
 * Words that may be part of a name, with the bounds of their line. Lower-case words are skipped (they only break
 * runs, which a gap does as well) unless they are particles or their line is all lower case.
 */
/**
 * The end of the TOKEN match that starts at `start` (a letter or mark): up to 40 more code points of the class,
 * then a period. Scanned by hand, since most words are lower case and skipped before they are ever sliced.
 */
// ASCII characters that continue a token: letters, apostrophe and hyphen.
const TOKEN_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) TOKEN_ASCII[c] = isLetterOrMark(c) || c === 39 || c === 45 ? 1 : 0;

function tokenEnd(text: string, start: number): number {
  const n = text.length;
  let i = start + (codePointAt(text, start) > 0xffff ? 2 : 1);
  for (let k = 0; k < 40 && i < n; k++) {
    const c = codePointAt(text, i);
    if (c < 0x80 ? TOKEN_ASCII[c] === 0 : c !== 0x2019 && !isLetterOrMark(c)) break;
    i += c > 0xffff ? 2 : 1;
  }
  return i < n && text.charCodeAt(i) === 46 ? i + 1 : i;
}

// PARTICLES by first letter, for isParticleAt.
const PARTICLES_BY_FIRST = new Map<number, string[]>();
for (const p of PARTICLES) {
  const list = PARTICLES_BY_FIRST.get(p.charCodeAt(0)) ?? [];
  list.push(p);
  PARTICLES_BY_FIRST.set(p.charCodeAt(0), list);
}

/** PARTICLES.has(text.slice(start, end)), without a string for every short lower-case word. */
function isParticleAt(text: string, start: number, end: number): boolean {
  const len = end - start;
  if (len > 5) return false;
  const list = PARTICLES_BY_FIRST.get(text.charCodeAt(start));
  if (list === undefined) return false;
  for (const p of list) if (p.length === len && text.startsWith(p, start)) return true;
  return false;
}

// Tokens reused from call to call (they live in the old generation instead of being allocated per word):
// findPersons runs to completion synchronously and keeps no token past its end (runs, candidates and the scored
// list hold spans, strings and copies of token arrays only until it returns).
const TOKEN_POOL: Token[] = [];

function blankToken(): Token {
  return {
    start: 0,
    end: 0,
    outer: 0,
    raw: '',
    folded: '',
    initial: false,
    capitalised: false,
    title: false,
    lineStart: 0,
    lineEnd: 0,
    lowerLine: false,
    given: undefined,
    surname: undefined,
    common: undefined,
    closed: false,
  };
}

/** The words of `text` as tokens, in TOKEN_POOL[0..count); returns the count. */
function tokenize(text: string): number {
  let count = 0;
  let lineStart = 0;
  let lineEnd = -1;
  let lowerLine = false;
  // The matches of TOKEN, in order: each starts at the first letter or mark at or after the end of the last.
  for (let start = 0, next = 0; start < text.length; start = next) {
    const cp = codePointAt(text, start);
    if (!isLetterOrMark(cp)) {
      next = start + (cp > 0xffff ? 2 : 1);
      continue;
    }
    next = tokenEnd(text, start);
    if (start > lineEnd) {
      lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const e = text.indexOf('\n', start);
      lineEnd = e === -1 ? text.length : e;
      const line = text.slice(lineStart, lineEnd);
      lowerLine = !HAS_UPPER.test(line) && HAS_LOWER.test(line);
    }
    const c = text.charCodeAt(start);
    if (c >= 97 && c <= 122 && !lowerLine && !isParticleAt(text, start, next)) continue;
    // Parts of e-mail addresses, URLs, identifiers and numbers are not words. Checked on the neighbouring
    // characters before the word is sliced.
    if (start > 0 && notWordBefore(text.charCodeAt(start - 1))) continue;
    if (next < text.length && notWordAfter(text.charCodeAt(next))) continue;
    const outer = next;
    const dotted = text.charCodeAt(next - 1) === 46;
    const wordEnd = dotted ? next - 1 : next;
    // POSSESSIVE and TRAILING_MARKS can only match a word ending in "s" or a mark: most words are sliced as they are.
    const lastUnit = text.charCodeAt(wordEnd - 1);
    let possessive = false;
    let raw: string;
    if (lastUnit === 115 || lastUnit === 39 || lastUnit === 0x2019 || lastUnit === 45) {
      raw = text.slice(start, wordEnd);
      possessive = POSSESSIVE.test(raw);
      raw = raw.replace(POSSESSIVE, '').replace(TRAILING_MARKS, '');
      if (raw === '') continue;
    } else {
      if (wordEnd === start) continue;
      raw = text.slice(start, wordEnd);
    }
    const folded = foldWord(raw);
    const initial = raw.length === 1 && HAS_UPPER.test(raw);
    const capitalised = STARTS_UPPER.test(raw) && (HAS_LOWER.test(raw) || initial);
    let t = TOKEN_POOL[count];
    if (t === undefined) {
      t = blankToken();
      TOKEN_POOL.push(t);
    }
    t.start = start;
    t.end = start + raw.length;
    t.outer = outer;
    t.raw = raw;
    t.folded = folded;
    t.initial = initial;
    t.capitalised = capitalised;
    t.title = TITLES.has(folded);
    t.closed = possessive || (dotted && !initial && !TITLES.has(folded));
    t.lineStart = lineStart;
    t.lineEnd = lineEnd;
    t.lowerLine = lowerLine;
    t.given = undefined;
    t.surname = undefined;
    t.common = undefined;
    count++;
  }
  return count;
}

interface Run {
  tokens: Token[];
  titled: boolean;
  /** An organisation word followed the run inside the same capitalised sequence. */
  organisation: boolean;
  /** The first token of the capitalised sequence the run was cut from is on an all-lower-case line. */
  lower: boolean;
}

interface Scored {
  c: Candidate;
  given: boolean;
}

// Last characters of the titles in TITLE_BEFORE (or its optional period), as its case-insensitive `u` matching
// reads them (U+017F folds to s).
const TITLE_LAST = new Set([...'.rsxfemydv', ...'RSXFEMYDV'].map((c) => c.charCodeAt(0)).concat(0x17f));

/** TITLE_BEFORE on the 12 characters before `at`, sliced only when its last two characters can match. */
function titleBefore(text: string, at: number): boolean {
  if (at < 2 || !isSpace(text.charCodeAt(at - 1)) || !TITLE_LAST.has(text.charCodeAt(at - 2))) return false;
  return TITLE_BEFORE.test(text.slice(Math.max(0, at - 12), at));
}

/** `test` holds for one of the tokens that are not initials. */
function someName(toks: readonly Token[], test: (t: Token) => boolean): boolean {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!t.initial && test(t)) return true;
  }
  return false;
}

const givenOrSurname = (t: Token): boolean => isGiven(t) || isSurname(t);

// What the text before a run may end in (after its white space) for the run to open a sentence: /[.!?:\n"“]$/.
const SENTENCE_END_CHARS = new Set([46, 33, 63, 58, 10, 34, 0x201c]);

/** `[\s>?*-]` on one UTF-16 unit: the leading class of the line clean-up /^[\s>?*-]+|[\s,.;:]+$/g. */
const isLineLead = (c: number): boolean => c === 62 || c === 63 || c === 42 || c === 45 || isSpace(c);
/** `[\s,.;:]`: its trailing class. */
const isLineTail = (c: number): boolean => c === 44 || c === 46 || c === 59 || c === 58 || isSpace(c);

/**
 * Whether the line lineStart..lineEnd, stripped by that clean-up, is exactly text[start..end): compared in
 * place instead of slicing and stripping the line. The clean-up removes one run of its leading class from the start
 * and, from what is left, one run of its trailing class from the end (an all-lead line is left empty).
 */
function ownLine(text: string, lineStart: number, lineEnd: number, start: number, end: number): boolean {
  let s = lineStart;
  while (s < lineEnd && isLineLead(text.charCodeAt(s))) s++;
  let e = lineEnd;
  while (e > s && isLineTail(text.charCodeAt(e - 1))) e--;
  if (e - s !== end - start) return false;
  for (let k = 0; k < end - start; k++) if (text.charCodeAt(s + k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/**
 * /^\s([\p{L}]+)/u on the 30 characters after `end`: one white space, then the letters that follow it (undefined
 * if none), read in place instead of slicing the 30 characters and building a match array.
 */
function nextWordAfter(text: string, end: number): string | undefined {
  const limit = Math.min(text.length, end + 30);
  if (end >= limit || !isSpace(text.charCodeAt(end))) return undefined;
  let i = end + 1;
  while (i < limit) {
    const cp = codePointAt(text, i);
    const w = cp > 0xffff ? 2 : 1;
    if (i + w > limit || !isLetter(cp)) break;
    i += w;
  }
  return i > end + 1 ? text.slice(end + 1, i) : undefined;
}

function scoreRun(text: string, run: Run, lowerLine: boolean): Candidate | null {
  const toks = run.tokens;
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const start = first.start;
  const end = last.end;
  // The tokens that are not initials ("names"), counted and tested in place rather than filtered into an array.
  let nameCount = 0;
  let onlyName: Token | undefined;
  let hasInitial = false;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.initial) hasInitial = true;
    else {
      nameCount++;
      onlyName ??= t;
    }
  }
  if (onlyName === undefined) return null;
  const signals: string[] = [];
  const firstGiven = isGiven(first);
  const ambiguous = firstGiven && (isCommon(first) || isPlace(first));
  const lastSurname = toks.length > 1 && isSurname(last);
  let score: number;
  if (nameCount === 1) {
    const t = onlyName;
    if (isGiven(t)) score = isCommon(t) || isPlace(t) ? 0.15 : 0.4;
    else if (isSurname(t)) score = isCommon(t) ? 0.1 : 0.3;
    else score = 0.1;
  } else if (firstGiven) {
    score = (ambiguous ? 0.35 : 0.55) + (lastSurname ? 0.2 : 0.1);
  } else if (someName(toks, givenOrSurname)) {
    score = 0.4;
  } else {
    score = 0.3;
  }
  if (firstGiven) signals.push('lexicon:given_name');
  if (someName(toks, isSurname)) signals.push('lexicon:surname');
  if (toks.length > 1 && hasInitial) score += 0.05;

  const before = text.slice(Math.max(0, start - 40), start);
  // The end of `before` without its trailing white space (what replacing /\s+$/ would leave).
  let trimmed = before.length;
  while (trimmed > 0 && isSpace(before.charCodeAt(trimmed - 1))) trimmed--;
  const cues = cuesBefore(before);
  let cued = true;
  if (run.titled) {
    score += 0.5;
    signals.push('context:+title');
  } else if (hasCue(cues, STRONG_CUE)) {
    score += 0.5;
    signals.push('context:+name_cue');
  } else if (hasCue(cues, MEDIUM_CUE)) {
    score += 0.3;
    signals.push('context:+person_cue');
  } else if (hasCue(cues, WEAK_CUE)) {
    score += 0.15;
    signals.push('context:+weak_person_cue');
  } else {
    cued = false;
  }
  const afterText = text.slice(end, end + 24);
  if (AFTER_CUE.test(afterText)) {
    score += 0.15;
    signals.push('context:+person_after');
  }
  const line = { start: first.lineStart, end: first.lineEnd };
  // Only short lines are signature or header lines; long ones are not sliced at all.
  if (toks.length >= 2 && line.end - line.start <= 120 && ownLine(text, line.start, line.end, start, end)) {
    score += someName(toks, givenOrSurname) ? 0.25 : 0.1;
    signals.push('layout:own_line');
  }
  const lineStart = start - line.start <= 8 && LINE_LEAD.test(text.slice(line.start, start));
  if (lineStart && SPEAKER_COLON.test(afterText)) {
    score += 0.2;
    signals.push('layout:speaker');
  }
  const sentenceStart =
    trimmed === 0 || SENTENCE_END_CHARS.has(before.charCodeAt(trimmed - 1)) || LINE_BREAK_END.test(before);
  if (!sentenceStart && !lowerLine) score += 0.1;
  else if (nameCount === 1 && !firstGiven && !cued) score -= 0.1;
  if (run.organisation) {
    score -= 0.6;
    signals.push('context:-organisation');
  }
  if (toks.length > 1 && STREET_WORDS.has(last.folded)) {
    score -= 0.6;
    signals.push('context:-street');
  }
  if (NUMBER_AFTER.test(afterText)) score -= 0.3;
  if (ENDS_SPACE.test(before) && cues.length > 0 && STREET_PREFIX_BEFORE.has(cues[0]!)) {
    score -= 0.5;
    signals.push('context:-street');
  }
  if (ENDS_SPACE.test(before) && hasCue(cues, ORG_CUE)) {
    score -= 0.3;
    signals.push('context:-organisation_cue');
  }
  if (ARTICLE_BEFORE.test(before)) {
    score -= 0.3;
    signals.push('context:-article');
  }
  const nextWord = nextWordAfter(text, end);
  if (nextWord !== undefined && (NOT_PERSON_AFTER.has(foldWord(nextWord)) || ORG_ABBREVIATIONS.has(nextWord))) {
    score -= 0.6;
    signals.push('context:-organisation');
  }
  if (!firstGiven && PLACE_PREPOSITION_BEFORE.test(before)) {
    score -= 0.15;
  }
  return { type: 'PERSON', start, end, score: clamp01(score), signals };
}

/**
 * The tokens `from`..`to` of `run` less the particles at their end, as a Run in `out` (nothing when none is left).
 * Runs are built from index ranges so that only the runs kept get an array.
 */
function flushRun(
  run: Token[],
  from: number,
  to: number,
  titled: boolean,
  organisation: boolean,
  lower: boolean,
  out: Run[],
): void {
  while (to > from && PARTICLES.has(run[to - 1]!.folded)) to--;
  if (to > from) out.push({ tokens: run.slice(from, to), titled, organisation, lower });
}

/**
 * Splits a run at ordinary words, places and titles, and trims them from its edges. The run being built is always
 * a contiguous stretch of `run` (tokens are only ever appended to it, and every token that is not appended flushes
 * it or is an initial or particle skipped while it is empty), so it is kept as the index range cur..i.
 */
function cleanRuns(run: Token[], from: number, to: number, out: Run[]): void {
  const lower = run[from]!.lowerLine;
  let cur = from;
  let len = 0;
  let titled = false;
  for (let i = from; i < to; i++) {
    const t = run[i]!;
    if (len === 0) cur = i;
    if (t.title) {
      flushRun(run, cur, cur + len, titled, false, lower, out);
      len = 0;
      titled = true;
      continue;
    }
    if (t.initial) {
      if (len > 0 || t.outer > t.end) len++;
      continue;
    }
    const particle = PARTICLES.has(t.folded) && !t.capitalised;
    if (particle) {
      if (len > 0) len++;
      continue;
    }
    if (len > 0 && NOT_PERSON_AFTER.has(t.folded)) {
      flushRun(run, cur, cur + len, titled, true, lower, out);
      len = 0;
      titled = false;
      continue;
    }
    // A surname that is also a word ("Brown", "Love") counts only after a given name.
    let afterGiven = false;
    for (let k = cur; k < cur + len && !afterGiven; k++) afterGiven = isGiven(run[k]!);
    const blocked = (isPlace(t) && !isGiven(t)) || (isCommon(t) && !isGiven(t) && !(afterGiven && isSurname(t)));
    if (blocked) {
      flushRun(run, cur, cur + len, titled, false, lower, out);
      len = 0;
      titled = false;
      continue;
    }
    len++;
  }
  flushRun(run, cur, cur + len, titled, false, lower, out);
}

export function findPersons(ctx: ScanContext, out: Candidate[]): void {
  const { text } = ctx;
  const tokenCount = tokenize(text);
  const tokens = TOKEN_POOL;
  // The run being collected is tokens[runFrom..runFrom+runLen): consecutive tokens, so an index range suffices.
  let runFrom = 0;
  let runLen = 0;
  // Cleaned runs; every run of one collected stretch shares its first token's lowerLine, which scoreRun reads.
  const runs: Run[] = [];
  const finish = (): void => {
    if (runLen === 0) return;
    cleanRuns(tokens, runFrom, runFrom + runLen, runs);
    runLen = 0;
  };
  for (let i = 0; i < tokenCount; i++) {
    const t = tokens[i]!;
    const prev = runLen > 0 ? tokens[i - 1] : undefined;
    const joined =
      prev !== undefined && !prev.closed && t.start - prev.outer === 1 && text.charCodeAt(prev.outer) === 32;
    if (!joined) finish();
    let nameLike = t.capitalised || t.title || (PARTICLES.has(t.folded) && runLen > 0);
    if (!nameLike && t.lowerLine) {
      // In an all-lower-case line only names the lexicon knows, and the word after a known given name.
      const prevGiven = prev !== undefined && joined && isGiven(prev);
      nameLike = (isGiven(t) || (prevGiven && !isCommon(t))) && !isCommon(t);
    }
    if (!nameLike) {
      finish();
      continue;
    }
    if (runLen === 0) runFrom = i;
    runLen++;
    // A title ending in a period ("Dr.") still joins the name after it.
    if (runLen > 6) finish();
  }
  finish();
  // A title that ended the previous run marks the run that follows it directly.
  const scored: Scored[] = [];
  for (const r of runs) {
    if (r.tokens.length > 4) continue;
    const first = r.tokens[0]!;
    if (!r.titled && titleBefore(text, first.start)) r.titled = true;
    const c = scoreRun(text, r, r.lower);
    if (c) scored.push({ c, given: isGiven(first) });
  }
  boostNameLists(text, scored);
  for (const s of scored) out.push(s.c);
}

const LIST_GAP = /^(?:\s{0,2},\s{0,2}(?:(?:and|or|&)\s{1,2})?|\s{1,2}(?:and|or|&)\s{1,2})$/iu;

/** "Anna, Derek, Hannah and Leif": in an enumeration led by known given names, the unknown members are names too. */
function boostNameLists(text: string, scored: { c: Candidate; given: boolean }[]): void {
  let i = 0;
  while (i < scored.length) {
    let j = i + 1;
    while (j < scored.length && listGap(text, scored[j - 1]!.c.end, scored[j]!.c.start)) j++;
    // The group is scored[i..j), read in place.
    let given = 0;
    for (let k = i; k < j; k++) if (scored[k]!.given) given++;
    const size = j - i;
    if (size >= 3 && given >= 2 && given * 2 >= size) {
      for (let k = i; k < j; k++) {
        const g = scored[k]!;
        g.c.score = clamp01(g.c.score + 0.3);
        g.c.signals.push('layout:name_list');
      }
    }
    i = j;
  }
}

/** LIST_GAP on text[from, to), sliced only when its length allows a match (1 to 10 characters). */
function listGap(text: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 1 || len > 10) return false;
  return LIST_GAP.test(text.slice(from, to));
}
