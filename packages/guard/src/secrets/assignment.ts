// Finds "name <operator> value" around a keyword hit, in the shapes secrets are usually written in:
// env files (`API_KEY=...`), code (`apiKey = "..."`, `"api_key": "..."`, `api_key => '...'`), YAML
// (`token: ...`), HTTP headers (`Authorization: Bearer ...`), CLI flags (`--password ...`) and XML
// attributes (`<add key="password" value="..."/>`). Everything here is bounded by small constants so
// the cost per keyword hit is constant.

const MAX_IDENT = 64;
const MAX_VALUE = 300;

export function isIdentCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 /* _ */ ||
    c === 45 /* - */ ||
    c === 46 /* . */
  );
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

export function isQuote(c: number): boolean {
  return c === 34 || c === 39 || c === 96;
}

export interface Identifier {
  start: number;
  end: number;
  /** Lowercased words: `AWS_SECRET_ACCESS_KEY` and `awsSecretAccessKey` give aws, secret, access, key. */
  words: readonly string[];
  /** Written as a command-line flag (`--password`). */
  flag: boolean;
}

/**
 * The identifier around `[from, to)`, or undefined when the run is too long to be a name. `wordsOf`
 * splits the name (default splitWords; callers may pass a cached equivalent).
 */
export function identifierAt(
  text: string,
  from: number,
  to: number,
  wordsOf: (name: string) => readonly string[] = splitWords,
): Identifier | undefined {
  let start = from;
  const minStart = Math.max(0, from - MAX_IDENT);
  while (start > minStart && isIdentCode(text.charCodeAt(start - 1))) start--;
  if (start === minStart && start > 0 && isIdentCode(text.charCodeAt(start - 1))) return undefined;
  let end = to;
  const maxEnd = Math.min(text.length, to + MAX_IDENT);
  while (end < maxEnd && isIdentCode(text.charCodeAt(end))) end++;
  if (end === maxEnd && end < text.length && isIdentCode(text.charCodeAt(end))) return undefined;
  let flag = false;
  while (start < end && (text.charCodeAt(start) === 45 || text.charCodeAt(start) === 46)) {
    if (text.charCodeAt(start) === 45) flag = true;
    start++;
  }
  while (end > start && (text.charCodeAt(end - 1) === 45 || text.charCodeAt(end - 1) === 46)) end--;
  if (end <= start) return undefined;
  return { start, end, words: wordsOf(text.slice(start, end)), flag };
}

/** Splits on `_ - .` and on camelCase, letter/digit boundaries; lowercases. */
export function splitWords(name: string): string[] {
  const words: string[] = [];
  let start = 0;
  const n = name.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? name.charCodeAt(i) : 95;
    if (c === 95 || c === 45 || c === 46) {
      if (i > start) words.push(name.slice(start, i).toLowerCase());
      start = i + 1;
      continue;
    }
    if (i === start) continue;
    const prev = name.charCodeAt(i - 1);
    const next = i + 1 < n ? name.charCodeAt(i + 1) : 0;
    const isUpper = c >= 65 && c <= 90;
    const isDigit = c >= 48 && c <= 57;
    const prevLower = prev >= 97 && prev <= 122;
    const prevUpper = prev >= 65 && prev <= 90;
    const prevDigit = prev >= 48 && prev <= 57;
    const nextLower = next >= 97 && next <= 122;
    const boundary =
      (isUpper && (prevLower || prevDigit)) ||
      (isUpper && prevUpper && nextLower) ||
      (isDigit && !prevDigit) ||
      (!isDigit && prevDigit);
    if (boundary) {
      words.push(name.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return words;
}

export interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
}

export interface Assignment {
  ident: Identifier;
  /** The operator that joined name and value (`=`, `:`, `=>`, ` ` for flags, `value=` for XML). */
  operator: string;
  /** Auth scheme word skipped before the value (`bearer`, `basic`, `token`, ...), lowercased. */
  scheme: string | undefined;
  /** The value directly assigned, when there is one. */
  value: ValueSpan | undefined;
  /** Where the value part begins; the rest of the line from here may be scanned for tokens. */
  rest: number;
}

const OPERATORS = ['||=', '??=', '===', ':=', '=>', '==', '?=', '+=', '<-', '=', ':'];
const AUTH_SCHEMES = new Set([
  'bearer',
  'basic',
  'token',
  'bot',
  'ssws',
  'digest',
  'apikey',
  'api-key',
  'api-token',
  'key',
  'jwt',
  'oauth',
]);

const MAX_SCHEME = Math.max(...[...AUTH_SCHEMES].map((w) => w.length));

/** Characters an operator can start with. */
const OPERATOR_START = new Set(OPERATORS.map((op) => op.charCodeAt(0)));

function readOperator(text: string, at: number): string | undefined {
  if (!OPERATOR_START.has(text.charCodeAt(at))) return undefined;
  for (const op of OPERATORS) if (text.startsWith(op, at)) return op;
  return undefined;
}

/**
 * Cheap test run before anything else: does an assignment operator (or, for `--flag value`, a
 * space) follow the name that ends at `nameEnd`? Most keyword hits in code (`token.value`,
 * `keyboard)`) fail here.
 */
export function operatorFollows(text: string, nameEnd: number, hit: number): boolean {
  const n = text.length;
  let i = nameEnd;
  let quoted = false;
  if (i < n && isQuote(text.charCodeAt(i))) {
    quoted = true;
    i++;
  }
  if (i < n && text.charCodeAt(i) === 93 /* ] */) {
    quoted = false;
    i++;
  }
  const afterName = i;
  while (i < n && i - afterName < 8 && isSpace(text.charCodeAt(i))) i++;
  if (i >= n) return false;
  const c = text.charCodeAt(i);
  if (c === 61 /* = */ || c === 58 /* : */) return true;
  const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
  if ((c === 63 || c === 124 || c === 43) && (next === 61 || next === 124 || next === 63)) return true;
  if (c === 60 /* < */ && next === 45) return true;
  if (quoted && (c === 118 || c === 86) /* v V: value= */) return true;
  if (quoted && c === 44 /* , */) return openedByCall(text, hit);
  if (i > afterName && isProseVerb(text, i)) return true;
  if (i > afterName) {
    // `--password value`: only for names written as flags.
    let s = hit;
    while (s > 0 && hit - s < 64 && isIdentCode(text.charCodeAt(s - 1))) s--;
    return text.charCodeAt(s) === 45 /* - */;
  }
  return false;
}

/** "my password is ...", "the token was ...": a credential disclosed in prose. */
function isProseVerb(text: string, at: number): boolean {
  const c = text.charCodeAt(at) | 0x20;
  if (c === 105 /* i */) return (text.charCodeAt(at + 1) | 0x20) === 115 && isSpace(text.charCodeAt(at + 2));
  if (c === 119 /* w */) return /^was[ \t]/i.test(text.slice(at, at + 4));
  return false;
}

/** `define('API_KEY', ...)`, `getenv("TOKEN", ...)`: the quoted name is a call's first argument. */
function openedByCall(text: string, inside: number): boolean {
  let i = inside;
  while (i > 0 && inside - i < 64 && isIdentCode(text.charCodeAt(i - 1))) i--;
  i--; // the opening quote
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  return i > 0 && text.charCodeAt(i - 1) === 40 /* ( */;
}

/**
 * True when the name starts its line (after indentation, `export `, `set `, a YAML `- ` or an
 * opening quote) and the value runs to the end of the line: env files, YAML, INI and properties,
 * where an unquoted value is a literal string rather than code.
 */
export function lineLiteral(text: string, nameStart: number, valueEnd: number): boolean {
  if (!startsLine(text, nameStart)) return false;
  let j = valueEnd;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  if (j >= text.length) return true;
  const c = text.charCodeAt(j);
  // A comment may follow after whitespace (`KEY=value  # note`); `value;` is a statement in code.
  const comment = j > valueEnd && (c === 35 /* # */ || c === 59) /* ; */;
  return c === 10 || c === 13 || comment || escapedLineBreak(text, j);
}

/** `?password=...` / `&api_key=...`: a URL query parameter, whose value is literal text. */
export function inQuery(text: string, nameStart: number): boolean {
  if (nameStart === 0) return false;
  const c = text.charCodeAt(nameStart - 1);
  return c === 63 /* ? */ || c === 38 /* & */;
}

/** `PGPASSWORD=s3cret psql ...`: a shell variable assignment, `NAME=value` with no spaces. */
export function shellAssignment(text: string, nameStart: number, nameEnd: number, valueStart: number): boolean {
  if (valueStart !== nameEnd + 1 || text.charCodeAt(nameEnd) !== 61 /* = */) return false;
  if (nameStart > 0) {
    const before = text.charCodeAt(nameStart - 1);
    if (!(before === 32 || before === 9 || before === 10 || before === 13)) return false;
  }
  return /^[A-Z][A-Z0-9_]*$/.test(text.slice(nameStart, nameEnd));
}

/**
 * `--set db.password=value`, `--from-literal=password=value`, `--build-arg api_key=value`: a
 * `name=value` argument (no spaces) given to a command-line flag, which the shell passes on as
 * literal text rather than code.
 */
export function flagArgument(text: string, nameStart: number, nameEnd: number, valueStart: number): boolean {
  if (valueStart !== nameEnd + 1 || text.charCodeAt(nameEnd) !== 61 /* = */ || nameStart < 3) return false;
  let i = nameStart - 1;
  const sep = text.charCodeAt(i);
  if (isSpace(sep)) {
    while (i > 0 && nameStart - i < 8 && isSpace(text.charCodeAt(i - 1))) i--;
  } else if (sep !== 61 /* = */) {
    return false;
  }
  // The flag itself: `-x` or `--word-word`, preceded by a blank, a quote or the start of the text.
  let f = i;
  while (f > 0 && i - f < 40 && isIdentCode(text.charCodeAt(f - 1)) && text.charCodeAt(f - 1) !== 46) f--;
  if (f === i || text.charCodeAt(f) !== 45 /* - */) return false;
  const flag = text.slice(f, i);
  if (!/^--?[A-Za-z][A-Za-z0-9-]*$/.test(flag)) return false;
  return f === 0 || isSpace(text.charCodeAt(f - 1)) || isQuote(text.charCodeAt(f - 1));
}

/** `export`, the longest word startsLine accepts before a name. */
const LONGEST_LEADING_WORD = 6;

/** True when the name is the first thing on its line (after indentation, `export `, `- `, a quote). */
export function startsLine(text: string, nameStart: number): boolean {
  let i = nameStart;
  // An opening quote, then indentation.
  if (i > 0 && isQuote(text.charCodeAt(i - 1))) i--;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  if (lineBreakBefore(text, i)) return true;
  // One leading word: `export`, `set`, `env`, a YAML list dash, PowerShell's `$env:`.
  let w = i;
  while (w > 0 && i - w < 8 && !isSpace(text.charCodeAt(w - 1)) && !lineBreakBefore(text, w)) w--;
  if (i - w > LONGEST_LEADING_WORD) return false;
  const word = text.slice(w, i).toLowerCase();
  if (!(word === '-' || word === 'export' || word === 'set' || word === 'env' || word === '$env:')) return false;
  while (w > 0 && isSpace(text.charCodeAt(w - 1))) w--;
  return lineBreakBefore(text, w);
}

/** `-H "X-Api-Key: value"`: a header written inside a string, quote before the name and after the value. */
export function quotedPair(text: string, nameStart: number, valueEnd: number): boolean {
  if (nameStart === 0) return false;
  const q = text.charCodeAt(nameStart - 1);
  if (!isQuote(q)) return false;
  let j = valueEnd;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === q;
}

// A literal "\n" (backslash, n) counts as a line break: env files embedded in JSON strings.
function escapedLineBreak(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 92) return false;
  const next = text.charCodeAt(at + 1) | 0x20;
  return next === 110 /* n */ || next === 114 /* r */;
}

function lineBreakBefore(text: string, at: number): boolean {
  if (at === 0) return true;
  const c = text.charCodeAt(at - 1);
  return c === 10 || c === 13 || (at >= 2 && escapedLineBreak(text, at - 2));
}

/** Parses the assignment whose name contains the keyword at `[from, to)`. */
export function assignmentAt(text: string, ident: Identifier): Assignment | undefined {
  const n = text.length;
  let i = ident.end;
  // Closing quote or bracket of a quoted key: "api_key": / ['api_key'] = / $_ENV['KEY'] =
  let quotedKey = false;
  if (i < n && isQuote(text.charCodeAt(i))) {
    quotedKey = ident.start > 0 && text.charCodeAt(ident.start - 1) === text.charCodeAt(i);
    i++;
  }
  if (i < n && text.charCodeAt(i) === 93 /* ] */) {
    quotedKey = false;
    i++;
  }
  const afterName = i;
  while (i < n && i - afterName < 8 && isSpace(text.charCodeAt(i))) i++;

  let operator = readOperator(text, i);
  if (operator !== undefined) {
    i += operator.length;
  } else if (quotedKey && i < n && text.charCodeAt(i) === 44 /* , */ && openedByCall(text, ident.start)) {
    // define('API_KEY', 'value') / getenv("TOKEN", "default")
    operator = ',';
    i++;
  } else if (quotedKey && /^value\s{0,3}=/i.test(text.slice(i, i + 10))) {
    operator = 'value=';
    i = text.indexOf('=', i) + 1;
  } else if (ident.flag && i > afterName) {
    operator = ' ';
  } else if (i > afterName && isProseVerb(text, i)) {
    operator = 'is';
    i += text.charCodeAt(i + 2) === 115 /* s: was */ || text.charCodeAt(i + 2) === 83 ? 3 : 2;
  } else {
    return undefined;
  }
  const rest = i;

  while (i < n && i - rest < 12 && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 61)) i++;
  let scheme: string | undefined;
  let value = readValue(text, i);
  if (value !== undefined && !value.quoted && inQuery(text, ident.start)) {
    // ?token=abc&next=... : the value ends at the next parameter.
    const inner = text.slice(value.start, value.end);
    const cut = inner.search(/[&#]/);
    if (cut === 0) value = undefined;
    else if (cut > 0) value = { start: value.start, end: value.start + cut, quoted: false };
  }
  if (value !== undefined && !value.quoted) {
    // A scheme word is short and followed by a blank; test that before building the lowercase word.
    const word =
      value.end - value.start <= MAX_SCHEME && value.end < n && isSpace(text.charCodeAt(value.end))
        ? text.slice(value.start, value.end).toLowerCase()
        : '';
    if (AUTH_SCHEMES.has(word)) {
      scheme = word;
      let j = value.end;
      while (j < n && j - value.end < 8 && isSpace(text.charCodeAt(j))) j++;
      return { ident, operator, scheme, value: readValue(text, j), rest };
    }
  } else if (value?.quoted) {
    // "Bearer abc..." inside quotes
    const inner = text.slice(value.start, value.end);
    const space = inner.indexOf(' ');
    if (space > 0 && AUTH_SCHEMES.has(inner.slice(0, space).toLowerCase())) {
      scheme = inner.slice(0, space).toLowerCase();
      let s = value.start + space;
      while (s < value.end && isSpace(text.charCodeAt(s))) s++;
      return { ident, operator, scheme, value: { start: s, end: value.end, quoted: true }, rest };
    }
  }
  return { ident, operator, scheme, value, rest };
}

// Characters that end an unquoted value. Symbols that passwords commonly contain are allowed.
function endsUnquoted(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 44 /* , */ ||
    c === 59 /* ; */ ||
    c === 41 /* ) */ ||
    c === 93 /* ] */ ||
    c === 125 /* } */ ||
    c === 92 /* \ */
  );
}

/** Reads one value starting at `at`: a quoted string (without its quotes) or an unquoted run. */
export function readValue(text: string, at: number): ValueSpan | undefined {
  const n = text.length;
  if (at >= n) return undefined;
  const open = text.charCodeAt(at);
  if (isQuote(open)) {
    const limit = Math.min(n, at + 1 + MAX_VALUE);
    for (let j = at + 1; j < limit; j++) {
      const c = text.charCodeAt(j);
      if (c === 10 || c === 13) break;
      if (c === 92 /* \ */) {
        j++;
        continue;
      }
      if (c === open) return j > at + 1 ? { start: at + 1, end: j, quoted: true } : undefined;
    }
    // No closing quote on this line: fall back to an unquoted read after the quote.
    return readValue(text, at + 1);
  }
  let j = at;
  const limit = Math.min(n, at + MAX_VALUE);
  while (j < limit && !endsUnquoted(text.charCodeAt(j))) j++;
  return j > at ? { start: at, end: j, quoted: false } : undefined;
}

function isTokenCode(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 95 ||
    c === 45 ||
    c === 46 ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 126 ||
    c === 37
  );
}

/**
 * The last token-character run on the line after `from` (at most `limit` characters away), skipping
 * escape sequences such as a literal `\n`. Values written after junk or wrapping usually end a line.
 */
export function lastTokenOnLine(text: string, from: number, limit: number): ValueSpan | undefined {
  const end = Math.min(text.length, from + limit);
  let last: ValueSpan | undefined;
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (!isTokenCode(c)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && i - start < MAX_VALUE && isTokenCode(text.charCodeAt(i))) i++;
    last = { start, end: i, quoted: false };
  }
  return last;
}

/**
 * Whether lastTokenOnLine, scanning through `from` (a position it reaches between tokens: not inside
 * a token run or an escape), would find a token starting at or after `from` and before `limit`.
 */
export function tokenFollows(text: string, from: number, limit: number): boolean {
  const end = Math.min(text.length, limit);
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return false;
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (isTokenCode(c)) return true;
    i++;
  }
  return false;
}
