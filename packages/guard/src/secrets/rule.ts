import type { KeywordGate } from './prefilter.ts';

// The shape of a secret rule. A rule is either a regular expression that is tried (sticky) at
// positions derived from its keyword hits, or a custom matcher called at those hits. Either way the
// engine only visits a rule where one of its keywords occurs.

/** A candidate produced by a rule: the span of the secret itself plus what fired. */
export interface Candidate {
  start: number;
  end: number;
  score: number;
  signals: string[];
  /** For custom rules that report several ids: which one this is (default the rule's own id). */
  ruleId?: string;
}

/** Catalogue entry for a rule id. */
export interface RuleInfo {
  readonly id: string;
  readonly family: string;
  readonly description: string;
  /** Higher wins when findings of different rules overlap. */
  readonly specificity: number;
}

/** What a validator says about a regex match: reject it, or accept with extra signals / a score. */
export type Verdict = false | { signal?: string; score?: number } | undefined;

export interface MatchContext {
  readonly text: string;
  /** Span of the secret (the `secret` group, or the whole match). */
  readonly start: number;
  readonly end: number;
  /** The random part used for entropy and placeholder checks (the `body` group, or the secret). */
  readonly body: string;
  readonly secret: string;
  readonly groups: Readonly<Record<string, string | undefined>>;
}

interface RuleBase {
  /** Stable snake_case id; becomes Finding.type. */
  readonly id: string;
  /** Provider or credential family, for grouping in reports. */
  readonly family: string;
  readonly description: string;
  /** Lowercase literals; the rule runs only where one occurs. */
  readonly keywords: readonly string[];
  /** Base confidence. */
  readonly score: number;
  /** Higher wins when findings of different rules overlap. */
  readonly specificity: number;
}

export interface RegexRule extends RuleBase {
  readonly kind: 'regex';
  /**
   * Tried sticky at `hit - back` for each back offset. Named groups: `secret` (the span reported;
   * default the whole match) and `body` (the random part; default the secret).
   */
  readonly pattern: RegExp;
  /** Offsets before the keyword hit where the match may start, smallest first. Default [0]. */
  readonly back: readonly number[];
  /** Minimum Shannon entropy of the body in bits per char; 0 disables. */
  readonly minEntropy: number;
  /** Run the placeholder/look-alike checks on the body (default true). */
  readonly placeholderCheck: boolean;
  readonly validate?: (ctx: MatchContext) => Verdict;
  /**
   * One character class the character just before the keyword hit must match (`|` in tables and
   * shell pipes is only an app token after a digit). Checked inside the keyword pass, so a hit that
   * fails it costs a table lookup; a hit at the start of the text fails it.
   */
  readonly precededBy?: RegExp;
}

export interface CustomRule extends RuleBase {
  readonly kind: 'custom';
  /** Ids this matcher may report through Candidate.ruleId, when it reports more than its own id. */
  readonly emits?: readonly RuleInfo[];
  /**
   * Called once per keyword hit; returns candidates found there. `state` lives for one scan; a rule
   * sets `skipUntil` to have hits before that offset skipped (e.g. the rest of a name it examined).
   */
  readonly match: (
    text: string,
    hit: number,
    keyword: string,
    state: { skipUntil: number },
  ) => Candidate[] | Candidate | undefined;
  /**
   * Characters allowed just before / after each of the rule's keywords, for keywords common in
   * ordinary text; a hit outside the gate is dropped in the keyword pass and never reaches `match`.
   * Must only exclude hits where `match` finds nothing.
   */
  readonly gate?: KeywordGate;
}

export type SecretRule = RegexRule | CustomRule;

export interface RegexRuleSpec {
  id: string;
  family: string;
  description: string;
  keywords: readonly string[];
  pattern: RegExp;
  back?: number | readonly number[];
  minEntropy?: number;
  placeholderCheck?: boolean;
  score?: number;
  specificity?: number;
  validate?: (ctx: MatchContext) => Verdict;
  precededBy?: RegExp;
}

export function regexRule(spec: RegexRuleSpec): RegexRule {
  if (spec.pattern.flags.replace(/[dyi]/g, '') !== '') throw new Error(`${spec.id}: unsupported pattern flags`);
  const back = spec.back === undefined ? [0] : typeof spec.back === 'number' ? [spec.back] : spec.back;
  const rule: RegexRule = {
    kind: 'regex',
    id: spec.id,
    family: spec.family,
    description: spec.description,
    keywords: spec.keywords,
    pattern: spec.pattern,
    back,
    minEntropy: spec.minEntropy ?? 3,
    placeholderCheck: spec.placeholderCheck ?? true,
    score: spec.score ?? 0.9,
    specificity: spec.specificity ?? 80,
  };
  return {
    ...rule,
    ...(spec.validate !== undefined ? { validate: spec.validate } : {}),
    ...(spec.precededBy !== undefined ? { precededBy: spec.precededBy } : {}),
  };
}
