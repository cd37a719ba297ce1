// The output side: the model's answer, whole or streamed, through the output checks, then back to the caller with
// the PII placeholders of the input side restored.

import { defaultModerationModel, moderationDetector } from '../moderation/moderate.ts';
import { detectCanaryLeak } from '../output/canary.ts';
import { detectUnsafeMarkup } from '../output/markup.ts';
import { type CompiledPrompt, compilePromptLeak } from '../output/prompt-leak.ts';
import { createStreamScanner, type StreamUpdate } from '../output/stream.ts';
import { detectPii } from '../pii/detect.ts';
import { createStreamingUnmasker, type PiiVault, unmaskPii } from '../pii/transform.ts';
import type { GuardPolicy } from '../policy/types.ts';
import { scanSecrets } from '../secrets/engine.ts';
import type { Finding } from '../types.ts';
import { applyEdits, createEditor } from './edits.ts';
import { moderationThresholds } from './input.ts';
import {
  type Budget,
  type Decisions,
  decide,
  defaultClock,
  isActive,
  isFlagged,
  isTransform,
  startBudget,
} from './rules.ts';
import type { AppliedFinding, OutputContext, OutputScreenResult, OutputStream, StreamStep } from './types.ts';

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*_\d{1,6}\]/g;

/** PII the model produced itself: findings inside one of the vault's placeholders are the input's, not new. */
function newPii(text: string, found: Finding[], vault: PiiVault): Finding[] {
  if (found.length === 0 || vault.size === 0 || !text.includes('[')) return found;
  const spans: Array<[number, number]> = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (vault.get(m[0]) !== undefined) spans.push([m.index, m.index + m[0].length]);
  }
  if (spans.length === 0) return found;
  return found.filter((f) => !spans.some(([s, e]) => f.start < e && s < f.end));
}

function promptLeakOf(policy: GuardPolicy, ctx: OutputContext): CompiledPrompt | undefined {
  if (!isActive(policy.output.promptLeak) || !ctx.systemPrompt) return undefined;
  return compilePromptLeak(ctx.systemPrompt);
}

/** Runs the output checks over `text`, cheapest and most often decisive first; stops at a block. */
function scanOutput(
  text: string,
  policy: GuardPolicy,
  ctx: OutputContext,
  prompt: CompiledPrompt | undefined,
  budget: Budget,
  into: Decisions,
): void {
  const rules = policy.output;
  const steps: Array<[string, () => void]> = [];
  if (isActive(rules.canary) && ctx.canary) {
    const canary = ctx.canary;
    steps.push(['canary', () => decide(detectCanaryLeak(text, canary), rules.canary, -1, into)]);
  }
  if (isActive(rules.secrets)) steps.push(['secrets', () => decide(scanSecrets(text), rules.secrets, -1, into)]);
  if (prompt) steps.push(['promptLeak', () => decide(prompt.detect(text), rules.promptLeak, -1, into)]);
  if (isActive(rules.markup)) {
    const opts = { allowedHosts: rules.markup.allowedHosts ?? [] };
    steps.push(['markup', () => decide(detectUnsafeMarkup(text, opts), rules.markup, -1, into)]);
  }
  if (isActive(rules.moderation)) {
    const thresholds = moderationThresholds(rules.moderation);
    steps.push([
      'moderation',
      () =>
        decide(moderationDetector.detect(text, thresholds ? { thresholds } : {}).findings, rules.moderation, -1, into),
    ]);
  }
  if (isActive(rules.pii)) {
    const opts = {
      ...(rules.pii.entities ? { entities: rules.pii.entities } : {}),
      ...(rules.pii.threshold !== undefined ? { minScore: rules.pii.threshold } : {}),
    };
    steps.push(['pii', () => decide(newPii(text, detectPii(text, opts), ctx.vault), rules.pii, -1, into)]);
  }
  for (const [name, run] of steps) {
    run();
    budget.check(name);
    if (into.blocked !== undefined) return;
  }
}

function budgetOf(policy: GuardPolicy, ctx: OutputContext): () => Budget {
  const clock = ctx.clock ?? defaultClock;
  // Decoding the model once per process is not this request's guard work; keep it out of the budget.
  if (isActive(policy.output.moderation)) defaultModerationModel();
  return () => startBudget(clock, policy.budgetMs);
}

/**
 * Screens a whole model answer. `text` is the answer sanitised (secrets redacted, unsafe markup neutralised, as
 * the policy says) with the input's PII placeholders still in it, for the audit record; `callerText` is the same
 * with the placeholders restored. Both are empty when something blocked.
 */
export function screenOutput(text: string, policy: GuardPolicy, ctx: OutputContext): OutputScreenResult {
  const clock = ctx.clock ?? defaultClock;
  const t0 = clock();
  const budget = budgetOf(policy, ctx)();
  const prompt = promptLeakOf(policy, ctx);
  const into: Decisions = { findings: [], blocked: undefined };
  scanOutput(text, policy, ctx, prompt, budget, into);
  const done = (model: string, caller: string): OutputScreenResult => ({
    text: model,
    callerText: caller,
    findings: into.findings,
    blocked: into.blocked,
    flagged: isFlagged(into.findings),
    elapsedMs: clock() - t0,
  });
  if (into.blocked !== undefined) return done('', '');
  const edited = applyEdits(
    text,
    into.findings.filter((f) => isTransform(f.action)),
    ctx,
  );
  return done(edited, unmaskPii(edited, ctx.vault));
}

const MIN_WINDOW = 512;
const DEFAULT_SCAN_EVERY = 128;

/**
 * Screens a streamed answer. Each step returns the text that is safe to send now: everything but the last
 * `window` characters, which stay back until the next scan has seen what follows them, so a canary or a secret
 * split across chunks is caught before any of it goes out. Released text is sanitised where findings say so and
 * has its PII placeholders restored (a placeholder split across chunks comes out whole). After a block no more text
 * is released, and every later step reports the same block.
 */
export function createOutputStream(policy: GuardPolicy, ctx: OutputContext): OutputStream {
  const window = Math.max(MIN_WINDOW, Math.floor(ctx.stream?.window ?? MIN_WINDOW));
  const scanEvery = Math.max(1, Math.floor(ctx.stream?.scanEvery ?? DEFAULT_SCAN_EVERY));
  const newBudget = budgetOf(policy, ctx);
  // Compiled once for the whole stream: every scan checks the same prompt.
  const prompt = promptLeakOf(policy, ctx);
  const editor = createEditor(ctx);
  const unmasker = createStreamingUnmasker(ctx.vault);
  let budget: Budget = newBudget();
  let blocked: AppliedFinding | undefined;
  let pending = '';
  let ended = false;

  const scanner = createStreamScanner({
    window,
    scan(buffer: string): Finding[] {
      const into: Decisions = { findings: [], blocked: undefined };
      scanOutput(buffer, policy, ctx, prompt, budget, into);
      // Every sighting is an edit, not just the first the scanner reports: a secret first seen cut short at the
      // end of the buffer is seen whole by the next scan, and all of it must go.
      const offset = scanner.length - buffer.length;
      editor.add(
        into.findings
          .filter((f) => isTransform(f.action))
          .map((f) => ({ ...f, start: f.start + offset, end: f.end + offset })),
      );
      return into.findings;
    },
  });

  const quiet = (): StreamStep => ({ text: '', findings: [], blocked });

  const step = (final: boolean): StreamStep => {
    budget = newBudget();
    const findings: AppliedFinding[] = [];
    let text = '';
    const handle = (u: StreamUpdate, last: boolean): boolean => {
      for (const f of u.findings) findings.push(f as AppliedFinding);
      const block = (u.findings as AppliedFinding[]).find((f) => f.action === 'block');
      if (block !== undefined) {
        blocked = block;
        return false;
      }
      text += unmasker.push(editor.take(u.release, last));
      return true;
    };
    if (pending.length > 0) {
      const chunk = pending;
      pending = '';
      if (!handle(scanner.push(chunk), false)) return { text: '', findings, blocked };
    }
    if (final) {
      ended = true;
      if (!handle(scanner.end(), true)) return { text: '', findings, blocked };
      text += unmasker.flush();
    }
    return { text, findings, blocked };
  };

  return {
    push(chunk: string): StreamStep {
      if (blocked !== undefined) return quiet();
      if (ended) throw new Error('stream already ended');
      pending += chunk;
      if (pending.length < scanEvery) return quiet();
      return step(false);
    },
    end(): StreamStep {
      if (blocked !== undefined || ended) return quiet();
      return step(true);
    },
  };
}
