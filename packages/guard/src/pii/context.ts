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
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${phrases(list)})(?![\\p{L}])`, 'iu');
}

export interface ContextResult {
  delta: number;
  signals: string[];
}

export function applyContext(text: string, start: number, end: number, rules: readonly ContextRule[]): ContextResult {
  let delta = 0;
  const signals: string[] = [];
  for (const rule of rules) {
    const before = rule.before ?? 40;
    const after = rule.after ?? 0;
    const windowText =
      text.slice(Math.max(0, start - before), start) + ' \u0000 ' + text.slice(end, Math.min(text.length, end + after));
    if (rule.pattern.test(windowText)) {
      delta += rule.weight;
      signals.push(`context:${rule.weight >= 0 ? '+' : '-'}${rule.name}`);
    }
  }
  return { delta, signals };
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Math.round(x * 1000) / 1000;
}
