import {
  type AppliedFinding,
  createCanary,
  createOutputStream,
  createStreamingUnmasker,
  GuardBudgetError,
  type GuardPolicy,
  type OutputStream,
  type PiiVault,
  plantCanary,
  type ScreenMessage,
  screenInput,
  screenOutput,
} from '@portcullis/guard';
import { GatewayError } from '../http/errors.ts';
import type { ChatMessage, ChatRequest } from '../providers/types.ts';
import type { RequestContext } from './context.ts';

/** What the input stage hands to the output stage of the same request. */
export interface GuardState {
  policy: GuardPolicy;
  /** Undefined when guards are off entirely. */
  vault: PiiVault | undefined;
  canary: string | undefined;
  systemPrompt: string | undefined;
}

const MAX_RECORDED_FINDINGS = 50;

/** Findings as they go into the request record: rule, span, score and action — never the matched text. */
function record(ctx: RequestContext, direction: 'input' | 'output', findings: readonly AppliedFinding[]): void {
  if (findings.length === 0) return;
  const detail = ctx.detail ?? {};
  const list = (detail.findings as unknown[] | undefined) ?? [];
  for (const f of findings) {
    if (list.length >= MAX_RECORDED_FINDINGS) break;
    list.push({
      direction,
      detector: f.detector,
      type: f.type,
      action: f.action,
      score: Math.round(f.score * 1000) / 1000,
      message: f.message,
      start: f.start,
      end: f.end,
    });
  }
  detail.findings = list;
  if (findings.some((f) => f.action === 'flag' || f.action === 'block')) detail.flagged = true;
  ctx.detail = detail;
}

/** Names what a blocked input finding is in, for the error's `param` (a message, or a prompt's variable). */
export type ParamOf = (f: AppliedFinding) => string | undefined;

function blockedError(f: AppliedFinding, direction: 'input' | 'output', paramOf?: ParamOf): GatewayError {
  const where = direction === 'input' ? (paramOf ? paramOf(f) : `messages.${f.message}`) : undefined;
  const what =
    direction === 'input'
      ? `The request was blocked by the ${f.detector} guard (rule: ${f.type})`
      : `The model's answer was blocked by the ${f.detector} guard (rule: ${f.type})`;
  return new GatewayError('content_blocked', what, where ? { param: where } : {});
}

function outputChecksOff(policy: GuardPolicy): boolean {
  return Object.values(policy.output).every((rule) => rule.action === 'allow');
}

/** A guard that throws or runs over budget refuses the request: never pass it through unchecked. */
function failClosed(err: unknown): never {
  if (err instanceof GatewayError) throw err;
  const reason = err instanceof GuardBudgetError ? 'took longer than its time budget' : 'failed';
  throw new GatewayError('guard_unavailable', `Content screening ${reason}; the request was refused`, { cause: err });
}

function toScreen(messages: ChatMessage[]): ScreenMessage[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

function inputChecksOff(policy: GuardPolicy): boolean {
  return Object.values(policy.input).every((rule) => rule.action === 'allow');
}

/** Checks for attacks (rather than for data to protect): they judge what a caller wrote, not a reviewed template. */
const ATTACK_CHECKS = new Set<keyof GuardPolicy['input']>(['injection', 'moderation', 'unicode']);

/** The policy with either the attack checks or the data checks (PII, secrets) switched to allow. */
function onlyChecks(policy: GuardPolicy, keep: 'attacks' | 'data'): GuardPolicy {
  const input = { ...policy.input } as Record<string, GuardPolicy['input'][keyof GuardPolicy['input']]>;
  for (const [name, rule] of Object.entries(input)) {
    if (ATTACK_CHECKS.has(name as keyof GuardPolicy['input']) === (keep === 'attacks')) continue;
    const categories = 'categories' in rule && rule.categories ? rule.categories : undefined;
    input[name] = {
      ...rule,
      action: 'allow',
      ...(categories ? { categories: Object.fromEntries(Object.keys(categories).map((c) => [c, 'allow'])) } : {}),
    };
  }
  return { ...policy, input: input as unknown as GuardPolicy['input'] };
}

/** Where an untrusted value sits in the rendered messages (prompt execute). */
export interface UntrustedSpan {
  message: number;
  start: number;
  end: number;
}

/** A rendered prompt's untrusted values, and how to name the one a finding is in. */
export interface PromptValues {
  spans: readonly UntrustedSpan[];
  paramOf: ParamOf;
}

/**
 * Prompt execute: attacks are looked for in each untrusted value on its own, since the template around it is the
 * prompt author's reviewed text and its delimiters would otherwise read as an attacker's fake "end of input".
 * Findings are reported at the value's place in the rendered message.
 */
function screenValues(
  ctx: RequestContext,
  req: ChatRequest,
  policy: GuardPolicy,
  spans: readonly UntrustedSpan[],
  paramOf?: ParamOf,
): void {
  const attacks = onlyChecks(policy, 'attacks');
  if (inputChecksOff(attacks)) return;
  for (const span of spans) {
    const value = req.messages[span.message]?.content.slice(span.start, span.end) ?? '';
    let screened: ReturnType<typeof screenInput>;
    try {
      screened = screenInput([{ role: 'user', content: value }], attacks);
    } catch (err) {
      failClosed(err);
    }
    const placed = screened.findings.map((f) => ({
      ...f,
      message: span.message,
      start: f.start + span.start,
      end: f.end + span.start,
    }));
    record(ctx, 'input', placed);
    const blocked = placed.find((f) => f.action === 'block');
    if (blocked) throw blockedError(blocked, 'input', paramOf);
  }
}

export function guardInput(
  ctx: RequestContext,
  req: ChatRequest,
  policy: GuardPolicy,
  values?: PromptValues,
): { req: ChatRequest; state: GuardState } {
  const paramOf = values?.paramOf;
  const untrusted = values?.spans;
  // With every rule on allow there is nothing to do: no vault, no canary, no copies of the messages.
  if (inputChecksOff(policy) && outputChecksOff(policy)) {
    return { req, state: { policy, vault: undefined, canary: undefined, systemPrompt: undefined } };
  }
  if (untrusted) screenValues(ctx, req, policy, untrusted, paramOf);
  let screened: ReturnType<typeof screenInput>;
  try {
    // With the values screened for attacks, the whole text is still screened for data to mask or redact.
    screened = screenInput(toScreen(req.messages), untrusted ? onlyChecks(policy, 'data') : policy);
  } catch (err) {
    failClosed(err);
  }
  record(ctx, 'input', screened.findings);
  if (screened.blocked) throw blockedError(screened.blocked, 'input', paramOf);

  let messages = screened.messages;
  let canary: string | undefined;
  if (policy.output.canary.action !== 'allow') {
    canary = createCanary();
    messages = plantCanary(messages, canary);
  }
  const systemPrompt = messages.find((m) => m.role === 'system')?.content;
  const out: ChatRequest = {
    ...req,
    messages: messages.map((m, i) => ({ ...req.messages[i], role: m.role, content: m.content })),
  };
  return { req: out, state: { policy, vault: screened.vault, canary, systemPrompt } };
}

function outputContext(state: GuardState & { vault: PiiVault }) {
  return {
    vault: state.vault,
    ...(state.canary ? { canary: state.canary } : {}),
    ...(state.systemPrompt ? { systemPrompt: state.systemPrompt } : {}),
  };
}

/**
 * Screens a whole answer; returns what the caller may see (sanitized, PII restored) and the same text with the
 * personal data still masked (what may be stored).
 */
export function guardOutput(
  ctx: RequestContext,
  content: string,
  state: GuardState,
): { caller: string; masked: string } {
  const vault = state.vault;
  if (!vault) return { caller: content, masked: content };
  let screened: ReturnType<typeof screenOutput>;
  try {
    screened = screenOutput(content, state.policy, outputContext({ ...state, vault }));
  } catch (err) {
    failClosed(err);
  }
  record(ctx, 'output', screened.findings);
  if (screened.blocked) throw blockedError(screened.blocked, 'output');
  return { caller: screened.callerText, masked: screened.text };
}

/** Screens a streamed answer as it streams; `push` and `end` return text safe to send now. */
export function guardOutputStream(
  ctx: RequestContext,
  state: GuardState,
): { push(chunk: string): string; end(): string } {
  const vault = state.vault;
  if (!vault) return { push: (chunk) => chunk, end: () => '' };
  if (outputChecksOff(state.policy)) {
    // Nothing to scan: only restore PII placeholders, holding back no more than a partial placeholder.
    const unmask = createStreamingUnmasker(vault);
    return { push: (chunk) => unmask.push(chunk), end: () => unmask.flush() };
  }
  let stream: OutputStream;
  try {
    stream = createOutputStream(state.policy, outputContext({ ...state, vault }));
  } catch (err) {
    failClosed(err);
  }
  const step = (run: () => ReturnType<OutputStream['push']>): string => {
    let s: ReturnType<OutputStream['push']>;
    try {
      s = run();
    } catch (err) {
      failClosed(err);
    }
    record(ctx, 'output', s.findings);
    if (s.blocked) throw blockedError(s.blocked, 'output');
    return s.text;
  };
  return {
    push: (chunk: string) => step(() => stream.push(chunk)),
    end: () => step(() => stream.end()),
  };
}
