// Unsafe markup in model output: what a chat UI that renders markdown or HTML would execute or fetch on its own.
//
// - markdown_exfiltration: an image (markdown `![](url)`, a reference-style image, or HTML <img>/<video>/...
//   with a source) on a host that is not allowed. Rendering it sends a request with no click, and its URL can
//   carry whatever an injected instruction told the model to put in it.
// - url_not_allowed: a link (markdown, autolink, bare URL, HTML <a>) to a host that is not allowed. Needs a click;
//   `query_data` among the signals when its query string looks like it carries data.
// - unsafe_link: a javascript:, vbscript: or data: (other than a raster image) URL, however encoded: entities
//   (`javascript&#58;`, `&#106;avascript`), mixed case, whitespace, newlines and control characters inside the
//   scheme, \x / \u / percent escapes.
// - script: a <script> element, an event-handler attribute (onerror=...), or a quote followed by one (an attempt to
//   break out of an attribute of the page the output is inserted into).
// - html_injection: elements that embed or redirect (iframe, object, embed, form, base, meta refresh, style, ...),
//   and HTML tags written with entities (`&lt;script`), which a second decoding turns into markup.
//
// Code (fenced blocks and inline code spans) is skipped: renderers show it as text, and code answers are full of
// <script> tags that are the answer, not an attack. Relative links are never flagged.

import type { Finding } from '../types.ts';

export type MarkupFindingType =
  | 'markdown_exfiltration'
  | 'unsafe_link'
  | 'script'
  | 'html_injection'
  | 'url_not_allowed';

export interface MarkupOptions {
  /**
   * Hosts that links and images may point to. An entry matches the host and its subdomains (`example.com`
   * allows `cdn.example.com`); a leading `*.` is accepted and means the same. Empty: no external host is allowed.
   */
  allowedHosts: readonly string[];
  /** Report links and bare URLs to hosts not allowed (`url_not_allowed`). Default true; images are always checked. */
  checkLinks?: boolean;
}

interface Range {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding URLs as a browser would before deciding on the scheme

const NAMED: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  lpar: '(',
  rpar: ')',
  sol: '/',
  bsol: '\\',
  period: '.',
  comma: ',',
  amp: '&',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  excl: '!',
  num: '#',
  percnt: '%',
  equals: '=',
  quest: '?',
  semi: ';',
  nbsp: ' ',
};

const ENTITY_RE = /&(?:#x([0-9a-f]{1,6})|#(\d{1,7})|([a-z]{2,8}));?/gi;
const ESCAPE_RE = /\\(?:x([0-9a-f]{2})|u\{?([0-9a-f]{4,6})\}?)|%([0-9a-f]{2})/gi;

function fromCode(n: number): string {
  return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
}

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex) return fromCode(Number.parseInt(hex, 16));
    if (dec) return fromCode(Number.parseInt(dec, 10));
    return NAMED[name!.toLowerCase()] ?? m;
  });
}

/** The URL as a browser might end up reading it, lower case, with everything a scheme may hide behind removed. */
function canonicalUrl(raw: string): string {
  let s = raw;
  for (let round = 0; round < 2; round++) {
    const before = s;
    s = decodeEntities(s).replace(ESCAPE_RE, (_m, x?: string, u?: string, p?: string) =>
      fromCode(Number.parseInt((x ?? u ?? p)!, 16)),
    );
    if (s === before) break;
  }
  // Browsers drop ASCII whitespace and control characters inside a scheme; zero-width ones hide it from people.
  return s.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g, '').toLowerCase();
}

const DANGEROUS_SCHEME = /(?:^|[^a-z0-9+.-])(?:javascript|vbscript|livescript|mocha):/;
const SAFE_DATA = /^data:image\/(?:png|gif|jpe?g|webp|bmp|avif|x-icon)[;,]/;

function isDangerousUrl(canonical: string): boolean {
  if (DANGEROUS_SCHEME.test(canonical)) return true;
  return canonical.startsWith('data:') && !SAFE_DATA.test(canonical);
}

/** Host of an absolute http(s) or protocol-relative URL; undefined for relative URLs and other schemes. */
function hostOf(canonical: string): string | undefined {
  const url = canonical.replace(/\\/g, '/');
  const m = /^(?:(?:https?|ftp|wss?):)?\/\/([^/?#]*)/.exec(url);
  if (!m) return undefined;
  let authority = m[1]!;
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0]!;
  return host.replace(/\.+$/, '');
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  for (const entry of allowed) {
    const e = entry.toLowerCase().replace(/^\*\./, '').replace(/\.+$/, '');
    if (e === '' || e === '*') continue;
    if (host === e || host.endsWith(`.${e}`)) return true;
  }
  return false;
}

/** A query string or fragment that looks like it carries data rather than a page address. */
function carriesData(canonical: string): boolean {
  const q = canonical.search(/[?#]/);
  if (q < 0) return /\/[a-z0-9+/=_-]{40,}/i.test(canonical);
  const query = canonical.slice(q + 1);
  if (query.length >= 48) return true;
  return query.split(/[&;]/).some((kv) => (kv.split('=')[1] ?? '').length >= 16);
}

// ---------------------------------------------------------------------------------------------------------------
// Where not to look: code

function codeRanges(text: string): Range[] {
  const ranges: Range[] = [];
  if (!text.includes('`') && !text.includes('~~~')) return ranges;
  const fence = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*$/gm;
  let m: RegExpExecArray | null;
  let open: { marker: string; start: number } | undefined;
  for (;;) {
    m = fence.exec(text);
    if (!m) break;
    const marker = m[1]!;
    if (!open) {
      open = { marker, start: m.index };
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length && m[0].trim() === marker) {
      ranges.push({ start: open.start, end: m.index + m[0].length });
      open = undefined;
    }
  }
  if (open) ranges.push({ start: open.start, end: text.length });
  const inline = /(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g;
  for (;;) {
    m = inline.exec(text);
    if (!m) break;
    if (!inside(ranges, m.index)) ranges.push({ start: m.index, end: m.index + m[0].length });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function inside(ranges: readonly Range[], at: number): boolean {
  for (const r of ranges) if (at >= r.start && at < r.end) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Detection

const QUICK = /[<\]]|&#|&lt;|script|data:|https?:|\/\/|on\w+\s*=/i;

/** Inline markdown link or image; the destination is read loosely (spaces, newlines, one level of parentheses). */
const MD_INLINE =
  /(!?)\[((?:[^[\]\\\n]|\\.|\[[^\]\n]*\]){0,500})\]\(([^()]{0,2048}(?:\([^()]{0,2048}\)[^()]{0,2048})*)\)/g;
const MD_REF_DEF = /^[ \t]{0,3}\[([^\]\n]{1,200})\]:[ \t]*<?([^\s>]+)>?[^\n]*$/gm;
const MD_REF_USE = /!\[[^\]\n]{0,500}\]\[([^\]\n]{0,200})\]|!\[([^\]\n]{1,200})\](?![[(])/g;
const AUTOLINK = /<((?:https?|ftp):\/\/[^\s<>]{1,2048})>/gi;
const BARE_URL = /\b(?:https?|ftp):\/\/[^\s<>()"'`\]]{1,2048}/gi;
const TAG = /<\s*([a-z][\w:-]{0,30})\b((?:[^>"']|"[^"]*"|'[^']*'){0,4096})>?/gi;
const ATTR = /([^\s"'>/=]+)\s*=\s*("[^"]*"|'[^']*'|`[^`]*`|[^\s>]+)/g;
const EVENT_ATTR = /(?:^|[\s"'/]|\\x[0-9a-f]{2}|\\u[0-9a-f]{4})on[a-z]{3,}\s*=/i;
/** Dangerous elements, found on their own as well: a malformed tag before them can hide them from TAG. */
const DANGEROUS_OPEN = /<\s*(script|iframe|frame|object|embed|applet|form|base|style|link|meta|svg)\b[^<>]{0,2048}>?/gi;
const BREAKOUT = /["'`][^<>\n]{0,3}\bon[a-z]{3,}\s*=/gi;
const ENCODED_TAG =
  /&lt;\s*\/?\s*(?:script|iframe|img|a|svg|object|embed|style|form|meta|base|link|body|input)\b[^\n]{0,300}?(?:&gt;|$)/gim;
const BARE_SCHEME =
  /(?:java|vb|live)\s*script\s*(?::|&#0*58;?|&#x0*3a;?|&colon;)\s*(?:[\w$.%]+\s*[(=`]|\/\/|void\b|%[0-9a-f]{2})[^\s<>"'`]*|data:\s*(?:text\/html|application\/(?:x-)?javascript|image\/svg\+xml)[^\s<>"'`]*/gi;

const EMBED_TAGS = new Set([
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'form',
  'base',
  'style',
  'link',
  'xml',
  'portal',
  'noembed',
]);
const IMAGE_TAGS = new Set([
  'img',
  'image',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'input',
  'body',
  'table',
  'td',
]);
const URL_ATTRS = new Set([
  'src',
  'href',
  'action',
  'formaction',
  'data',
  'background',
  'poster',
  'xlink:href',
  'srcset',
  'lowsrc',
  'dynsrc',
  'codebase',
  'cite',
  'ping',
]);

interface Collector {
  findings: Finding[];
  code: Range[];
  opts: MarkupOptions;
}

function add(
  c: Collector,
  type: MarkupFindingType,
  start: number,
  end: number,
  score: number,
  signals: string[],
): void {
  for (const f of c.findings) if (f.type === type && f.start === start && f.end === end) return;
  c.findings.push({ detector: 'output', type, start, end, score, signals });
}

function covered(c: Collector, start: number, end: number): boolean {
  return c.findings.some((f) => f.start <= start && end <= f.end);
}

/** Checks one URL found at [start, end) in a construct of kind `image` (auto-loaded) or `link`. */
function checkUrl(c: Collector, raw: string, kind: 'image' | 'link', start: number, end: number, via: string): void {
  const url = canonicalUrl(raw);
  if (isDangerousUrl(url)) {
    add(c, 'unsafe_link', start, end, 0.95, [via, url.startsWith('data:') ? 'data_url' : 'script_url']);
    return;
  }
  const host = hostOf(url);
  if (host === undefined || hostAllowed(host, c.opts.allowedHosts)) return;
  const data = carriesData(url);
  if (kind === 'image') {
    add(c, 'markdown_exfiltration', start, end, data ? 0.95 : 0.8, [via, ...(data ? ['query_data'] : [])]);
  } else if (c.opts.checkLinks !== false) {
    add(c, 'url_not_allowed', start, end, data ? 0.7 : 0.5, [via, ...(data ? ['query_data'] : [])]);
  }
}

function scanMarkdown(c: Collector, text: string): void {
  if (text.includes('](')) {
    for (const m of text.matchAll(MD_INLINE)) {
      if (inside(c.code, m.index)) continue;
      // The destination may be followed by a title: `(url "title")`.
      const dest = m[3]!.trim().replace(/^<([^>]*)>.*$/s, '$1');
      const url = /\s["'(]/.test(dest) ? dest.slice(0, dest.search(/\s["'(]/)) : dest;
      const image = m[1] === '!';
      checkUrl(
        c,
        url,
        image ? 'image' : 'link',
        m.index,
        m.index + m[0].length,
        image ? 'markdown_image' : 'markdown_link',
      );
    }
  }
  if (text.includes(']:')) {
    const images = new Set<string>();
    for (const m of text.matchAll(MD_REF_USE)) images.add((m[1] || m[2] || '').toLowerCase().trim());
    for (const m of text.matchAll(MD_REF_DEF)) {
      if (inside(c.code, m.index)) continue;
      const label = m[1]!.toLowerCase().trim();
      const start = m.index + (m[0].length - m[0].trimStart().length);
      checkUrl(c, m[2]!, images.has(label) ? 'image' : 'link', start, m.index + m[0].length, 'markdown_reference');
    }
  }
  if (text.includes('<')) {
    for (const m of text.matchAll(AUTOLINK)) {
      if (inside(c.code, m.index)) continue;
      checkUrl(c, m[1]!, 'link', m.index, m.index + m[0].length, 'autolink');
    }
  }
  for (const m of text.matchAll(BARE_URL)) {
    const start = m.index;
    const end = start + m[0].length;
    if (inside(c.code, start) || c.findings.some((f) => f.start <= start && end <= f.end)) continue;
    // Part of a link or image destination already checked, or an attribute of a tag checked below.
    const before = text.slice(Math.max(0, start - 2), start);
    if (before.endsWith('(') || before.endsWith('<') || /["'=]$/.test(before)) continue;
    checkUrl(c, m[0].replace(/[.,;:!?]+$/, ''), 'link', start, end, 'bare_url');
  }
}

function scanHtml(c: Collector, text: string): void {
  if (!text.includes('<')) return;
  for (const m of text.matchAll(TAG)) {
    if (inside(c.code, m.index)) continue;
    const name = m[1]!.toLowerCase();
    const attrs = m[2] ?? '';
    const start = m.index;
    let end = start + m[0].length;
    if (name === 'script') {
      const close = /<\s*\/\s*script\s*>/gi;
      close.lastIndex = end;
      const cm = close.exec(text);
      if (cm) end = cm.index + cm[0].length;
      add(c, 'script', start, end, 0.95, ['script_tag']);
      continue;
    }
    if (EMBED_TAGS.has(name)) add(c, 'html_injection', start, end, 0.85, [`${name}_tag`]);
    if (name === 'meta' && /http-equiv|url\s*=/i.test(attrs))
      add(c, 'html_injection', start, end, 0.85, ['meta_refresh']);
    if (EVENT_ATTR.test(attrs)) add(c, 'script', start, end, 0.95, ['event_handler']);
    if (/expression\s*\(|behaviou?r\s*:|-moz-binding/i.test(decodeEntities(attrs))) {
      add(c, 'html_injection', start, end, 0.85, ['style_script']);
    }
    for (const a of attrs.matchAll(ATTR)) {
      const attr = a[1]!.toLowerCase();
      if (!URL_ATTRS.has(attr) && attr !== 'style') continue;
      const value = a[2]!.replace(/^["'`]|["'`]$/g, '');
      if (attr === 'style') {
        const u = /url\s*\(\s*["']?([^"')]+)/i.exec(decodeEntities(value));
        if (u) checkUrl(c, u[1]!, 'image', start, end, 'css_url');
        continue;
      }
      const kind = IMAGE_TAGS.has(name) && attr !== 'href' ? 'image' : 'link';
      for (const part of attr === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]!) : [value]) {
        checkUrl(c, part, kind, start, end, kind === 'image' ? 'html_image' : 'html_link');
      }
    }
  }
}

function scanElements(c: Collector, text: string): void {
  if (!text.includes('<')) return;
  for (const m of text.matchAll(DANGEROUS_OPEN)) {
    const start = m.index;
    if (inside(c.code, start) || c.findings.some((f) => f.start <= start && start < f.end)) continue;
    const name = m[1]!.toLowerCase();
    let end = start + m[0].length;
    if (name === 'script') {
      const close = /<\s*\/\s*script\s*>/gi;
      close.lastIndex = end;
      const cm = close.exec(text);
      if (cm) end = cm.index + cm[0].length;
      add(c, 'script', start, end, 0.95, ['script_tag']);
    } else if (name === 'svg' || name === 'meta') {
      if (EVENT_ATTR.test(m[0]) || /http-equiv|url\s*=/i.test(m[0]))
        add(c, 'html_injection', start, end, 0.85, [`${name}_tag`]);
    } else {
      add(c, 'html_injection', start, end, 0.85, [`${name}_tag`]);
    }
  }
}

function scanLoose(c: Collector, text: string): void {
  for (const m of text.matchAll(BREAKOUT)) {
    const start = m.index;
    const end = start + m[0].length;
    if (inside(c.code, start) || covered(c, start, end)) continue;
    add(c, 'script', start, end, 0.6, ['attribute_breakout']);
  }
  if (text.includes('&lt;') || text.includes('&LT;')) {
    for (const m of text.matchAll(ENCODED_TAG)) {
      if (inside(c.code, m.index)) continue;
      add(c, 'html_injection', m.index, m.index + m[0].length, 0.5, ['entity_encoded_tag']);
    }
  }
  for (const m of text.matchAll(BARE_SCHEME)) {
    const start = m.index;
    const end = start + m[0].length;
    if (inside(c.code, start) || c.findings.some((f) => f.start < end && start < f.end)) continue;
    add(c, 'unsafe_link', start, end, 0.6, ['bare_scheme']);
  }
}

/** Findings (detector `output`) for unsafe markup in `output`; see the header for the types. */
export function detectUnsafeMarkup(output: string, opts: MarkupOptions): Finding[] {
  if (!QUICK.test(output) && !/(?:java|vb)\s*script/i.test(output)) return [];
  const c: Collector = { findings: [], code: codeRanges(output), opts };
  scanMarkdown(c, output);
  scanHtml(c, output);
  scanElements(c, output);
  scanLoose(c, output);
  return c.findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

// ---------------------------------------------------------------------------------------------------------------
// Neutralising

const MARKUP_TYPES = new Set<string>([
  'markdown_exfiltration',
  'unsafe_link',
  'script',
  'html_injection',
  'url_not_allowed',
]);

/** What a flagged span becomes: the visible text of a link or image, nothing for a tag, a marker for a URL. */
function neutralise(span: string): string {
  if (span.startsWith('![') || span.startsWith('[')) {
    if (/^\s{0,3}\[[^\]\n]+\]:/.test(span)) return '';
    const label = /^!?\[((?:[^[\]\\]|\\.|\[[^\]]*\])*)\]/.exec(span);
    return label ? label[1]! : '';
  }
  if (/^<\s*script\b/i.test(span)) return '';
  if (span.startsWith('<') && /^<(?:https?|ftp):/i.test(span)) return '[link removed]';
  if (span.startsWith('<')) return '';
  if (/^(?:https?|ftp):/i.test(span)) return '[link removed]';
  return '[removed]';
}

/**
 * `output` with every markup finding neutralised: a markdown link or image keeps its text and loses its target, a
 * dangerous tag or script element is removed, a URL is replaced by `[link removed]`. Findings of other types are
 * ignored; overlapping findings are handled once, the outermost winning.
 */
export function sanitizeMarkup(output: string, findings: readonly Finding[]): string {
  const spans = findings
    .filter((f) => f.detector === 'output' && MARKUP_TYPES.has(f.type) && f.end > f.start)
    .map((f) => ({ start: Math.max(0, f.start), end: Math.min(output.length, f.end) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += output.slice(at, s.start) + neutralise(output.slice(s.start, s.end));
    at = s.end;
  }
  return out + output.slice(at);
}
