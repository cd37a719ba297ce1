import type { AppliedFinding, PiiVault } from '@portcullis/guard';
import type { VariableSpan } from '../prompts/render.ts';
import type { TokenUsage } from '../providers/types.ts';
import type { RequestContext } from './context.ts';
import type { PromptValues } from './guards.ts';

// What an execute returns besides the text, built from what the pipeline recorded about the request.

export interface ExecuteFinding {
  direction: 'input' | 'output';
  detector: string;
  type: string;
  action: string;
  score: number;
  /** The variable the span is in (offsets inside its value); absent for the prompt's own text and the output. */
  variable?: string;
  start: number;
  end: number;
}

export interface ExecuteMeta {
  usage: TokenUsage;
  cost: number | null;
  model: string;
  promptId: string;
  promptVersion: number;
  requestId: string;
  findings: ExecuteFinding[];
}

export interface ExecuteResult extends ExecuteMeta {
  output: string;
}

interface RecordedFinding {
  direction: 'input' | 'output';
  detector: string;
  type: string;
  action: string;
  score: number;
  message: number;
  start: number;
  end: number;
}

/** The variable whose value a finding overlaps most (a finding's window may reach into the template around it). */
function spanOf(spans: readonly VariableSpan[], message: number, start: number, end: number): VariableSpan | undefined {
  let best: VariableSpan | undefined;
  let bestOverlap = 0;
  for (const s of spans) {
    if (s.message !== message) continue;
    const overlap = Math.min(end, s.end) - Math.max(start, s.start);
    if (overlap > bestOverlap || (overlap === 0 && bestOverlap === 0 && start === s.start && !best)) {
      best = s;
      bestOverlap = overlap;
    }
  }
  return best;
}

/**
 * Findings as the caller of execute sees them: input spans are moved from the rendered prompt into the variable
 * they fall in, so a caller can point at its own field. Like every finding, they never carry the matched text.
 */
export function executeFindings(ctx: RequestContext, spans: readonly VariableSpan[]): ExecuteFinding[] {
  const recorded = (ctx.detail?.findings as RecordedFinding[] | undefined) ?? [];
  return recorded.map((f) => {
    const base = { direction: f.direction, detector: f.detector, type: f.type, action: f.action, score: f.score };
    if (f.direction !== 'input') return { ...base, start: f.start, end: f.end };
    const span = spanOf(spans, f.message, f.start, f.end);
    if (!span) return { ...base, start: f.start, end: f.end };
    return {
      ...base,
      variable: span.variable,
      start: Math.max(f.start, span.start) - span.start,
      end: Math.min(f.end, span.end) - span.start,
    };
  });
}

/** The untrusted values of a rendered prompt for the input guards, which name the variable a block is in. */
export function promptValues(spans: readonly VariableSpan[]): PromptValues {
  return {
    spans,
    paramOf: (f: AppliedFinding) => {
      const span = spanOf(spans, f.message, f.start, f.end);
      return span ? `variables.${span.variable}` : undefined;
    },
  };
}

/** Puts placeholders back over restored personal data, for storing an answer without it. */
export function remask(text: string, vault: PiiVault | undefined): string {
  if (!vault || vault.size === 0) return text;
  const pairs = [...vault.values].sort((a, b) => b[1].length - a[1].length);
  let out = text;
  for (const [placeholder, value] of pairs) if (value) out = out.split(value).join(placeholder);
  return out;
}
