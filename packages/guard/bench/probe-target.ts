// The call the diagnostic probes (latency-probe, alloc-sites, space-growth) measure: positional arguments
// `[target] [bytes] [calls]`, a prose input of that size, and one guard entry point to call on it.

import { analyzeInjectionText } from '../src/injection/index.ts';
import { moderate } from '../src/moderation/index.ts';
import { normalizeForDetection } from '../src/normalize/index.ts';
import { detectPii } from '../src/pii/index.ts';
import { findAddresses } from '../src/pii/recognizers/address.ts';
import { findPersons } from '../src/pii/recognizers/person.ts';
import { DEFAULT_POLICY } from '../src/policy/index.ts';
import { screenInput } from '../src/screen/index.ts';
import { prose } from './pipeline-bench.ts';

export interface ProbeTarget {
  what: string;
  bytes: number;
  calls: number;
  /** Positional arguments after `[target] [bytes] [calls]`. */
  rest: string[];
  fn: () => unknown;
}

export function probeTarget(defaultCalls: number): ProbeTarget {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const what = args[0] ?? 'pipeline';
  const bytes = Number(args[1] ?? 4096);
  const calls = Number(args[2] ?? defaultCalls);
  const text = prose(bytes, bytes);
  const normalized = normalizeForDetection(text);
  const policy = { ...DEFAULT_POLICY, budgetMs: Number.POSITIVE_INFINITY };
  const targets: Record<string, () => unknown> = {
    pipeline: () => screenInput([{ role: 'user', content: text }], policy),
    pii: () => detectPii(text),
    address: () => findAddresses({ text } as never, []),
    person: () => findPersons({ text } as never, []),
    moderation: () => moderate(text, { normalized }),
    injection: () => analyzeInjectionText(text),
    normalize: () => normalizeForDetection(text),
  };
  const fn = targets[what];
  if (fn === undefined) throw new Error(`unknown target ${what}; one of ${Object.keys(targets).join(', ')}`);
  return { what, bytes, calls, rest: args.slice(3), fn };
}
