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

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

export interface ProbeStyle {
  style: string;
  label: 'attack' | 'benign';
  n: number;
  /** Share flagged, pattern-only and combined. */
  pattern: number;
  combined: number;
}

/** One hand-written probe set: its attack and benign files scored together. */
export interface ProbeSetMetrics {
  set: string;
  attacks: number;
  benign: number;
  tpr: Record<Method, number>;
  fpr: Record<Method, number>;
  balancedAccuracy: Record<Method, number>;
  styles: ProbeStyle[];
}

export interface InjectionEvaluation {
  sources: SourceMetrics[];
  probes: ProbeSetMetrics[];
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

function judge(ex: Pick<Example, 'text' | 'label'>, source: string): Judged {
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

export const PROBES_DIR = join(import.meta.dirname, 'probes');

/** Reads `<set>-attacks.jsonl` / `<set>-benign.jsonl` lines of `{"text", "style"}`; a malformed line is an error. */
export function loadProbeSets(
  dir: string = PROBES_DIR,
): Map<string, Array<{ text: string; style: string; label: 0 | 1 }>> {
  const sets = new Map<string, Array<{ text: string; style: string; label: 0 | 1 }>>();
  for (const file of readdirSync(dir).sort()) {
    const m = /^(.+)-(attacks|benign)\.jsonl$/.exec(file);
    if (!m) continue;
    const label = m[2] === 'attacks' ? 1 : 0;
    const rows = sets.get(m[1]!) ?? [];
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        const row: unknown = JSON.parse(line);
        const { text, style } = (row ?? {}) as { text?: unknown; style?: unknown };
        if (typeof text !== 'string' || text === '' || typeof style !== 'string' || style === '') {
          throw new Error(`${file}:${i + 1}: expected {"text": string, "style": string}`);
        }
        rows.push({ text, style, label });
      });
    sets.set(m[1]!, rows);
  }
  return sets;
}

function rates(items: Judged[]) {
  const attacks = items.filter((j) => j.label === 1);
  const benign = items.filter((j) => j.label === 0);
  const tpr = Object.fromEntries(METHODS.map((m) => [m, share(attacks, m)])) as Record<Method, number>;
  const fpr = Object.fromEntries(METHODS.map((m) => [m, share(benign, m)])) as Record<Method, number>;
  const balancedAccuracy = Object.fromEntries(METHODS.map((m) => [m, (tpr[m] + 1 - fpr[m]) / 2])) as Record<
    Method,
    number
  >;
  return { attacks, benign, tpr, fpr, balancedAccuracy };
}

/**
 * Scores the hand-written probe sets (eval/probes/README.md): prompts in the styles of public injection and
 * benign sets we do not have, written by people who had not seen the detector.
 */
export function evaluateProbes(dir: string = PROBES_DIR): ProbeSetMetrics[] {
  const out: ProbeSetMetrics[] = [];
  for (const [set, rows] of loadProbeSets(dir)) {
    const judged = rows.map((r) => ({
      ...judge(r, r.label === 1 ? 'attack' : 'benign'),
      style: r.style,
    }));
    const { attacks, benign, tpr, fpr, balancedAccuracy } = rates(judged);
    const byStyle = new Map<string, typeof judged>();
    for (const j of judged) {
      const key = `${j.label}\u0000${j.style}`;
      byStyle.set(key, [...(byStyle.get(key) ?? []), j]);
    }
    const styles: ProbeStyle[] = [...byStyle.values()]
      .map((items) => ({
        style: items[0]!.style,
        label: items[0]!.label === 1 ? ('attack' as const) : ('benign' as const),
        n: items.length,
        pattern: share(items, 'pattern'),
        combined: share(items, 'combined'),
      }))
      .sort((a, b) => a.label.localeCompare(b.label) || a.style.localeCompare(b.style));
    out.push({ set, attacks: attacks.length, benign: benign.length, tpr, fpr, balancedAccuracy, styles });
  }
  return out;
}

/** Evaluates the shipped detector on the validation split and the red-team sets, per source. */
export function evaluateInjection(datasetsDir: string = defaultDatasetsDir()): InjectionEvaluation {
  const corpus = buildCorpus(resolve(datasetsDir));
  const judged: Judged[] = [];
  for (const { ex, split } of corpus.assigned) {
    if (split !== 'val') continue;
    judged.push(judge(ex, ex.group));
  }
  const redteam = corpus.redteam.map((ex) => judge(ex, ex.group));
  const { attacks, benign, tpr, fpr, balancedAccuracy } = rates(judged);

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
  return { sources, probes: evaluateProbes(), overall: { tpr, fpr, balancedAccuracy }, markdown: lines.join('\n') };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = evaluateInjection(process.argv[2] ?? defaultDatasetsDir());
  console.log('## Prompt injection (validation split + red-team sets)\n');
  console.log(result.markdown);
}
