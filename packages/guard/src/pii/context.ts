// Context words: the few words around a candidate that say what a bare number is. A window is cut around the
// candidate and tested with one precompiled expression per list, so the cost does not grow with the input.

export interface ContextRule {
  /** Signal name, e.g. `phone` gives `context:+phone` or `context:-phone`. */
  name: string;
  pattern: RegExp;
  /** Added to the score when the pattern is found (negative to lower it). */
  weight: number;
  /** Characters looked at before the candidate (default 40). */
  before?: number;
  /** Characters looked at after the candidate (default 0). */
  after?: number;
}

/** Regex source for an alternation of phrases, longest first; a space in a phrase matches a short run of spaces or punctuation. */
export function phrases(list: readonly string[]): string {
  return list
    .map((w) =>
      w
        .split(' ')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join("[\\s'’._-]{0,3}"),
    )
    .sort((a, b) => b.length - a.length)
    .join('|');
}

/** A case-insensitive, word-bounded test for any of the phrases. */
export function words(list: readonly string[]): RegExp {
  const re = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${phrases(list)})(?![\\p{L}])`, 'iu');
  WORDS.add(re);
  return re;
}

// Patterns built by `words` cannot match across the ' \u0000 ' that joins the two sides of a window (no phrase holds
// U+0000, the separator class between parts matches zero or more, and a string's edges satisfy both the leading
// `^` and the trailing lookahead), so testing each side on its own gives the same answer without joining them.
const WORDS = new WeakSet<RegExp>();
const NO_SIGNALS: readonly string[] = Object.freeze([]);
const SIGNAL_NAMES = new WeakMap<ContextRule, string>();

function signalOf(rule: ContextRule): string {
  let s = SIGNAL_NAMES.get(rule);
  if (s === undefined) {
    s = `context:${rule.weight >= 0 ? '+' : '-'}${rule.name}`;
    SIGNAL_NAMES.set(rule, s);
  }
  return s;
}

export interface ContextResult {
  delta: number;
  /** Shared (frozen) when empty: read or copy it, never push to it. */
  signals: readonly string[];
}

export function applyContext(text: string, start: number, end: number, rules: readonly ContextRule[]): ContextResult {
  let delta = 0;
  let signals: string[] | undefined;
  for (const rule of rules) {
    const before = rule.before ?? 40;
    const after = rule.after ?? 0;
    const s = Math.max(0, start - before);
    const e = Math.min(text.length, end + after);
    let hit: boolean;
    if (WORDS.has(rule.pattern)) {
      hit =
        (s < start && rule.pattern.test(text.slice(s, start))) || (end < e && rule.pattern.test(text.slice(end, e)));
    } else {
      hit = rule.pattern.test(text.slice(s, start) + ' \u0000 ' + text.slice(end, e));
    }
    if (hit) {
      delta += rule.weight;
      if (signals === undefined) signals = [];
      signals.push(signalOf(rule));
    }
  }
  return signals === undefined ? NO_CONTEXT : { delta, signals };
}

/** The result when no rule hit, shared (frozen): read it, never change it. */
const NO_CONTEXT: ContextResult = Object.freeze({ delta: 0, signals: NO_SIGNALS });

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Math.round(x * 1000) / 1000;
}
