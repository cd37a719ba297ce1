// Turning detector findings into decisions: thresholds, per-category overrides, and the time budget.

import type { Action, RuleSetting } from '../policy/types.ts';
import type { Finding } from '../types.ts';
import { type AppliedFinding, GuardBudgetError } from './types.ts';

export type Rule = RuleSetting & { categories?: Record<string, Action> };

/** A rule that can only ever allow is not worth running its detector for. */
export function isActive(rule: Rule | undefined): rule is Rule {
  if (rule === undefined) return false;
  if (rule.action !== 'allow') return true;
  for (const a of Object.values(rule.categories ?? {})) if (a !== 'allow') return true;
  return false;
}

const TRANSFORMS: ReadonlySet<Action> = new Set<Action>(['mask', 'redact', 'hash', 'sanitize']);

export function isTransform(action: Action): boolean {
  return TRANSFORMS.has(action);
}

export interface Decisions {
  findings: AppliedFinding[];
  blocked: AppliedFinding | undefined;
}

/**
 * Applies `rule` to `found`, appending what survives to `into`. The copy keeps only the Finding fields: a detector
 * that one day attached more (say, the matched value for debugging) must not leak it through here.
 */
export function decide(found: readonly Finding[], rule: Rule, message: number, into: Decisions): void {
  for (const f of found) {
    if (rule.threshold !== undefined && f.score < rule.threshold) continue;
    const action = rule.categories?.[f.type] ?? rule.action;
    if (action === 'allow') continue;
    const applied: AppliedFinding = {
      detector: f.detector,
      type: f.type,
      start: f.start,
      end: f.end,
      score: f.score,
      signals: f.signals.slice(),
      action,
      message,
    };
    into.findings.push(applied);
    if (action === 'block' && into.blocked === undefined) into.blocked = applied;
  }
}

export function isFlagged(findings: readonly AppliedFinding[]): boolean {
  return findings.some((f) => f.action === 'flag' || f.action === 'block');
}

export interface Budget {
  /** Throws GuardBudgetError when the work since the budget started exceeds it. */
  check(detector: string): void;
}

export function startBudget(clock: () => number, budgetMs: number): Budget {
  const start = clock();
  return {
    check(detector: string): void {
      const elapsed = clock() - start;
      if (elapsed > budgetMs) throw new GuardBudgetError(detector, elapsed, budgetMs);
    },
  };
}

export const defaultClock = (): number => performance.now();
