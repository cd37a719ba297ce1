// The scan: one keyword pass over the text, rule attempts at the hits, validation, then overlap
// resolution (the most specific rule wins a contested span).

import type { Finding } from '../types.ts';
import { CUSTOM_RULES } from './custom.ts';
import { assignmentRule } from './generic.ts';
import {
  buildAutomaton,
  GATE_EDGE,
  GATE_NON_ASCII,
  GATE_SIZE,
  gateTable,
  type KeywordAutomaton,
  type KeywordGate,
  type ScanCursor,
} from './prefilter.ts';
import type { Candidate, RegexRule, RuleInfo, SecretRule } from './rule.ts';
import { REGEX_RULES } from './rules.ts';
import { placeholderReason, shannonEntropy } from './validators.ts';

export interface ScanOptions {
  /** Only these rule ids (Finding.type values); default all. */
  rules?: readonly string[];
  /** Skip these rule ids. */
  exclude?: readonly string[];
  /** Drop findings scored below this (0..1). Default 0. */
  minScore?: number;
}

/** All matchers, most specific formats first. */
export const MATCHERS: readonly SecretRule[] = [...REGEX_RULES, ...CUSTOM_RULES, assignmentRule];

function infosOf(rule: SecretRule): readonly RuleInfo[] {
  if (rule.kind === 'custom' && rule.emits !== undefined) return rule.emits;
  return [{ id: rule.id, family: rule.family, description: rule.description, specificity: rule.specificity }];
}

/** Every rule id the scanner can report, with its family and description (first definition wins). */
export const RULE_CATALOGUE: readonly RuleInfo[] = (() => {
  const seen = new Map<string, RuleInfo>();
  for (const rule of MATCHERS) for (const info of infosOf(rule)) if (!seen.has(info.id)) seen.set(info.id, info);
  return [...seen.values()];
})();

interface Compiled {
  automaton: KeywordAutomaton;
  /** For each keyword index, the matchers that listen to it. */
  listeners: number[][];
  /** For regex rules: ASCII chars that may not precede a match (from the leading look-behind). */
  notBefore: (Uint8Array | undefined)[];
  /** For regex rules with `precededBy`: the gate table the character before the hit must pass. */
  hitBefore: (Uint8Array | undefined)[];
  /** For regex rules: exact text every match starts with, when the pattern begins with a literal. */
  literal: (string | undefined)[];
}

// Cheap tests derived from each pattern, run before the regex: most keyword hits sit inside longer
// words ("task" for `sk`) or lack the exact-case prefix, and are rejected without entering the
// regex engine.
function leadingLookbehind(source: string): Uint8Array | undefined {
  const m = /^\(\?<!\[([^\]]+)\]\)/.exec(source);
  if (m === null) return undefined;
  const cls = new RegExp(`^[${m[1]}]$`);
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) if (cls.test(String.fromCharCode(c))) table[c] = 1;
  return table;
}

function leadingLiteral(source: string): string | undefined {
  const rest = source.replace(/^\(\?<!\[[^\]]+\]\)/, '');
  const m = /^(?:[A-Za-z0-9_~@#-]|\\[.$|/])+/.exec(rest);
  if (m === null) return undefined;
  const literal = m[0].replace(/\\(.)/g, '$1');
  // A quantifier right after the literal applies to its last character.
  const next = rest.charAt(m[0].length);
  const usable = next === '{' || next === '?' || next === '*' || next === '+' ? literal.slice(0, -1) : literal;
  return usable.length > 0 ? usable : undefined;
}

// Built once at module load from constant tables and never mutated afterwards.
const COMPILED: Compiled = (() => {
  const keywordIndex = new Map<string, number>();
  const keywords: string[] = [];
  const listeners: number[][] = [];
  MATCHERS.forEach((rule, ruleIndex) => {
    for (const k of rule.keywords) {
      let index = keywordIndex.get(k);
      if (index === undefined) {
        index = keywords.length;
        keywordIndex.set(k, index);
        keywords.push(k);
        listeners.push([]);
      }
      if (!listeners[index]!.includes(ruleIndex)) listeners[index]!.push(ruleIndex);
    }
  });
  const notBefore = MATCHERS.map((r) => (r.kind === 'regex' ? leadingLookbehind(r.pattern.source) : undefined));
  const literal = MATCHERS.map((r) =>
    r.kind === 'regex' && !r.pattern.flags.includes('i') ? leadingLiteral(r.pattern.source) : undefined,
  );
  const hitBefore = MATCHERS.map((r) => {
    if (r.kind !== 'regex' || r.precededBy === undefined) return undefined;
    const cls = new RegExp(`^(?:${r.precededBy.source})$`, r.precededBy.flags.replace(/[gyd]/g, ''));
    return gateTable((c) => c !== GATE_EDGE && (c === GATE_NON_ASCII || cls.test(String.fromCharCode(c))));
  });
  // The keyword pass drops a hit when no rule listening to its keyword can match there: the gate of
  // a keyword is the union of what its rules allow.
  const ruleGate = (ruleIndex: number): KeywordGate | undefined => {
    const rule = MATCHERS[ruleIndex]!;
    if (rule.kind === 'custom') return rule.gate;
    const noLookbehind = notBefore[ruleIndex];
    const before =
      rule.back.length === 1 && rule.back[0] === 0 && noLookbehind !== undefined
        ? gateTable((c) => c >= 128 || noLookbehind[c] === 0)
        : undefined;
    const hit = hitBefore[ruleIndex];
    if (before === undefined) return hit === undefined ? undefined : { before: hit };
    if (hit !== undefined) for (let c = 0; c < GATE_SIZE; c++) before[c]! &= hit[c]!;
    return { before };
  };
  const union = (tables: (Uint8Array | undefined)[]): Uint8Array | undefined => {
    if (tables.some((t) => t === undefined)) return undefined;
    const out = new Uint8Array(GATE_SIZE);
    for (const t of tables) for (let c = 0; c < GATE_SIZE; c++) out[c]! |= t![c]!;
    return out;
  };
  const gates = listeners.map((rules): KeywordGate => {
    const ruleGates = rules.map(ruleGate);
    const before = union(ruleGates.map((g) => g?.before));
    const after = union(ruleGates.map((g) => g?.after));
    return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
  });
  return { automaton: buildAutomaton(keywords, gates), listeners, notBefore, hitBefore, literal };
})();

/**
 * Sticky copies of the rules' patterns (with match indices), created once for the rules that get a
 * hit. Scans run to completion and never nest, and every attempt sets lastIndex first, so they are
 * shared.
 */
const REGEXES: (RegExp | undefined)[] = new Array(MATCHERS.length);

const ALL_ENABLED: readonly boolean[] = MATCHERS.map(() => true);
const SPECIFICITY: ReadonlyMap<string, number> = new Map(
  MATCHERS.flatMap((rule) => infosOf(rule).map((info) => [`${rule.id}\0${info.id}`, info.specificity] as const)),
);

interface Scored extends Candidate {
  type: string;
  specificity: number;
}

function tryRegex(rule: RegexRule, re: RegExp, text: string, pos: number): Scored | undefined {
  re.lastIndex = pos;
  const m = re.exec(text);
  if (m === null) return undefined;
  const indices = m.indices;
  const groups = m.groups ?? {};
  const secretSpan = indices?.groups?.['secret'];
  const start = secretSpan?.[0] ?? m.index;
  const end = secretSpan?.[1] ?? m.index + m[0].length;
  const secret = text.slice(start, end);
  const body = groups['body'] ?? secret;
  const signals = [`pattern:${rule.id}`];
  if (rule.placeholderCheck) {
    const reason = placeholderReason(body, { chunks: body.length <= 64 });
    if (reason !== undefined) return undefined;
  }
  if (rule.minEntropy > 0) {
    if (shannonEntropy(body) < rule.minEntropy) return undefined;
    signals.push('entropy');
  }
  let score = rule.score;
  if (rule.validate !== undefined) {
    const verdict = rule.validate({ text, start, end, body, secret, groups });
    if (verdict === false) return undefined;
    if (verdict?.signal !== undefined) signals.push(verdict.signal);
    if (verdict?.score !== undefined) score = verdict.score;
  }
  return { start, end, score, signals, type: rule.id, specificity: rule.specificity };
}

/** Scans `text` for credentials. Findings carry spans and rule ids, never the secret text. */
export function scanSecrets(text: string, opts: ScanOptions = {}): Finding[] {
  if (text.length === 0) return [];
  const include = opts.rules === undefined ? undefined : new Set(opts.rules);
  const exclude = new Set(opts.exclude ?? []);
  const enabledId = (id: string) => (include === undefined || include.has(id)) && !exclude.has(id);
  const ruleEnabled =
    include === undefined && exclude.size === 0
      ? ALL_ENABLED
      : MATCHERS.map((rule) => infosOf(rule).some((info) => enabledId(info.id)));

  // Per-scan state only.
  const regexes = REGEXES;
  const lastEnd = new Int32Array(MATCHERS.length).fill(-1);
  const candidates: Scored[] = [];
  const { automaton, listeners, notBefore, hitBefore, literal } = COMPILED;
  const states: ({ skipUntil: number } | undefined)[] = [];
  const keywords = automaton.keywords;
  const cursor: ScanCursor = { pos: 0, row: 0 };
  automaton.start(cursor);

  while (cursor.pos < text.length) {
    const count = automaton.collect(text, cursor);
    const hits = automaton.hits;
    for (let h = 0; h < count; h += 2) {
      const keyword = hits[h]!;
      const hit = hits[h + 1]!;
      for (const ruleIndex of listeners[keyword]!) {
        if (!ruleEnabled[ruleIndex]) continue;
        // A hit inside this rule's previous match adds nothing (e.g. keywords repeated in one token).
        if (hit < lastEnd[ruleIndex]!) continue;
        const rule = MATCHERS[ruleIndex]!;
        if (rule.kind === 'regex') {
          const gate = hitBefore[ruleIndex];
          if (gate !== undefined) {
            const p = hit > 0 ? text.charCodeAt(hit - 1) : 0;
            if (gate[hit === 0 ? GATE_EDGE : p < 128 ? p : GATE_NON_ASCII] === 0) continue;
          }
          const before = notBefore[ruleIndex];
          const lit = literal[ruleIndex];
          for (const back of rule.back) {
            const pos = hit - back;
            if (pos < 0) break;
            if (before !== undefined && pos > 0) {
              const p = text.charCodeAt(pos - 1);
              if (p < 128 && before[p] === 1) continue;
            }
            if (lit !== undefined && !text.startsWith(lit, pos)) continue;
            let re = regexes[ruleIndex];
            if (re === undefined) {
              re = new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[dy]/g, '')}dy`);
              regexes[ruleIndex] = re;
            }
            const found = tryRegex(rule, re, text, pos);
            if (found !== undefined) {
              candidates.push(found);
              lastEnd[ruleIndex] = found.end;
              break;
            }
          }
        } else {
          let state = states[ruleIndex];
          if (state === undefined) {
            state = { skipUntil: -1 };
            states[ruleIndex] = state;
          }
          if (hit < state.skipUntil) continue;
          const result = rule.match(text, hit, keywords[keyword]!, state);
          if (result === undefined) continue;
          for (const c of Array.isArray(result) ? result : [result]) {
            const type = c.ruleId ?? rule.id;
            if (!enabledId(type)) continue;
            const specificity = SPECIFICITY.get(`${rule.id}\0${type}`) ?? rule.specificity;
            candidates.push({ ...c, type, specificity });
            if (c.end > lastEnd[ruleIndex]!) lastEnd[ruleIndex] = c.end;
          }
        }
      }
    }
  }

  const minScore = opts.minScore ?? 0;
  const kept = resolveOverlaps(candidates.filter((c) => enabledId(c.type) && c.score >= minScore));
  return kept.map((c) => ({
    detector: 'secrets',
    type: c.type,
    start: c.start,
    end: c.end,
    score: Math.round(c.score * 100) / 100,
    signals: c.signals,
  }));
}

/** Keeps, among overlapping candidates, the most specific (then highest scoring, then longest). */
function resolveOverlaps(candidates: Scored[]): Scored[] {
  if (candidates.length <= 1) return candidates;
  const ranked = [...candidates].sort(
    (a, b) =>
      b.specificity - a.specificity || b.score - a.score || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Scored[] = [];
  // Kept spans sorted by start, for a binary-search overlap test.
  const starts: number[] = [];
  for (const c of ranked) {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < c.end) lo = mid + 1;
      else hi = mid;
    }
    // kept[lo - 1] is the last kept span starting before c ends; spans are disjoint, so it is the
    // only one that can overlap c.
    const prev = lo > 0 ? kept[lo - 1]! : undefined;
    if (prev !== undefined && prev.end > c.start) continue;
    kept.splice(lo, 0, c);
    starts.splice(lo, 0, c.start);
  }
  return kept;
}
