// Evaluation of the shipped injection detector, per data source: the pattern-only baseline, the model alone and
// the combined detector.
//
//   npm exec -- node packages/guard/eval/injection-eval.ts [datasetsDir]
//
// Data: the validation split of the training corpus (rebuilt exactly as the training script builds it; the shipped
// model was not trained on it, only its threshold was chosen on it), plus the red-team attack sets
// redteam/cyberseceval_prompt_injection.json (user_input) and redteam/sysprompt_extraction.json. Note that every
// text of those two red-team files also occurs in injection/attacks.jsonl, so for them the figures are not out of
// distribution; the training report's cross-source table has the honest ones.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeInjectionText } from '../src/injection/index.ts';
import { buildCorpus } from '../train/corpus.ts';
import { datasetsDir as defaultDatasetsDir, type Example } from '../train/data.ts';

export interface Rate {
  /** Share of the source's texts flagged: TPR for attack sources, FPR for benign ones. */
  flagged: number;
  /**
   * Balanced accuracy of the source against the other side: for an attack source (TPR + 1 - FPR of all benign
   * texts) / 2, for a benign source (TPR of all attack texts + 1 - FPR of the source) / 2.
   */
  balancedAccuracy: number;
}

export interface SourceMetrics {
  source: string;
  label: 'attack' | 'benign';
  n: number;
  pattern: Rate;
  model: Rate;
  combined: Rate;
}

export interface InjectionEvaluation {
  sources: SourceMetrics[];
  overall: { tpr: Record<Method, number>; fpr: Record<Method, number>; balancedAccuracy: Record<Method, number> };
  markdown: string;
}

type Method = 'pattern' | 'model' | 'combined';
const METHODS: readonly Method[] = ['pattern', 'model', 'combined'];

interface Judged {
  source: string;
  label: 0 | 1;
  flags: Record<Method, boolean>;
}

function judge(ex: Example, source: string): Judged {
  const a = analyzeInjectionText(ex.text);
  return {
    source,
    label: ex.label,
    flags: { pattern: a.patternScore >= 0.5, model: a.modelScore >= 0.5, combined: a.flagged },
  };
}

const share = (items: Judged[], m: Method) =>
  items.length === 0 ? 0 : items.filter((j) => j.flags[m]).length / items.length;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Evaluates the shipped detector on the validation split and the red-team sets, per source. */
export function evaluateInjection(datasetsDir: string = defaultDatasetsDir()): InjectionEvaluation {
  const corpus = buildCorpus(resolve(datasetsDir));
  const judged: Judged[] = [];
  for (const { ex, split } of corpus.assigned) {
    if (split !== 'val') continue;
    judged.push(judge(ex, ex.group));
  }
  const redteam = corpus.redteam.map((ex) => judge(ex, ex.group));
  const attacks = judged.filter((j) => j.label === 1);
  const benign = judged.filter((j) => j.label === 0);
  const tpr = Object.fromEntries(METHODS.map((m) => [m, share(attacks, m)])) as Record<Method, number>;
  const fpr = Object.fromEntries(METHODS.map((m) => [m, share(benign, m)])) as Record<Method, number>;
  const balancedAccuracy = Object.fromEntries(METHODS.map((m) => [m, (tpr[m] + 1 - fpr[m]) / 2])) as Record<
    Method,
    number
  >;

  const bySource = new Map<string, Judged[]>();
  for (const j of [...judged, ...redteam]) {
    const list = bySource.get(j.source) ?? [];
    list.push(j);
    bySource.set(j.source, list);
  }
  const sources: SourceMetrics[] = [...bySource.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([source, items]) => {
      const label = items[0]!.label === 1 ? 'attack' : 'benign';
      const rate = (m: Method): Rate => {
        const flagged = share(items, m);
        const balanced = label === 'attack' ? (flagged + 1 - fpr[m]) / 2 : (tpr[m] + 1 - flagged) / 2;
        return { flagged, balancedAccuracy: balanced };
      };
      return {
        source,
        label,
        n: items.length,
        pattern: rate('pattern'),
        model: rate('model'),
        combined: rate('combined'),
      };
    });

  const lines = [
    '| source | label | n | flagged: pattern | model | combined | balanced acc.: pattern | combined |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of sources) {
    lines.push(
      `| ${s.source} | ${s.label === 'attack' ? 'attack (TPR)' : 'benign (FPR)'} | ${s.n} | ${pct(s.pattern.flagged)} | ${pct(s.model.flagged)} | **${pct(s.combined.flagged)}** | ${s.pattern.balancedAccuracy.toFixed(3)} | **${s.combined.balancedAccuracy.toFixed(3)}** |`,
    );
  }
  lines.push('');
  lines.push(
    `Validation split overall (${attacks.length} attacks, ${benign.length} benign): ` +
      METHODS.map(
        (m) => `${m} TPR ${pct(tpr[m])}, FPR ${pct(fpr[m])}, balanced accuracy ${balancedAccuracy[m].toFixed(3)}`,
      ).join('; ') +
      '. The redteam/ rows are attack-only sets whose texts also occur in the training data.',
  );
  return { sources, overall: { tpr, fpr, balancedAccuracy }, markdown: lines.join('\n') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = evaluateInjection(process.argv[2] ?? defaultDatasetsDir());
  console.log('## Prompt injection (validation split + red-team sets)\n');
  console.log(result.markdown);
}
