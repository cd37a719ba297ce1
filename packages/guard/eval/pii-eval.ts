// PII evaluation: precision, recall and F2 per entity type, with span-overlap matching (a predicted span counts
// when it overlaps a gold span of the same type). Runs on the Presidio synthetic set (split by template into dev
// and test) and on text generated from the same templates by our own fake-data generator (generate-pii.ts), which
// shares no values with the dataset.
//
//   npm exec -- node packages/guard/eval/pii-eval.ts [datasetsDir]

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectPii } from '../src/pii/index.ts';
import { ALL_PII_ENTITIES } from '../src/pii/types.ts';
import { generateFromTemplates } from './pii-fake.ts';

export interface GoldSpan {
  type: string;
  start: number;
  end: number;
}

export interface Sample {
  text: string;
  spans: GoldSpan[];
  /** Used to split dev/test by template, so that near-duplicates never straddle the split. */
  group: number;
}

export interface TypeScore {
  predicted: number;
  truePositives: number;
  gold: number;
  found: number;
  precision: number;
  recall: number;
  f2: number;
}

export interface SetReport {
  name: string;
  samples: number;
  perType: Record<string, TypeScore>;
  /** Any predicted span overlapping any gold span, regardless of type. */
  typeAgnostic: TypeScore;
  /** Mean time per sample, milliseconds. */
  msPerSample: number;
}

export interface PiiEvalReport {
  sets: SetReport[];
  markdown: string;
}

// Our DATE_OF_BIRTH is a Presidio DATE_TIME.
const GOLD_TYPE: Readonly<Record<string, string>> = { DATE_OF_BIRTH: 'DATE_TIME' };
const EVALUATED = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'STREET_ADDRESS',
  'PERSON',
  'DATE_TIME',
  'US_DRIVER_LICENSE',
  'ZIP_CODE',
];

function score(predicted: number, truePositives: number, gold: number, found: number): TypeScore {
  const precision = predicted === 0 ? 1 : truePositives / predicted;
  const recall = gold === 0 ? 1 : found / gold;
  const f2 = precision + recall === 0 ? 0 : (5 * precision * recall) / (4 * precision + recall);
  return { predicted, truePositives, gold, found, precision, recall, f2 };
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

export function evaluateSamples(name: string, samples: readonly Sample[]): SetReport {
  const counts = new Map<string, { p: number; tp: number; g: number; f: number }>();
  const bump = (t: string) => {
    let c = counts.get(t);
    if (!c) {
      c = { p: 0, tp: 0, g: 0, f: 0 };
      counts.set(t, c);
    }
    return c;
  };
  for (const t of EVALUATED) bump(t);
  const agnostic = { p: 0, tp: 0, g: 0, f: 0 };
  const t0 = performance.now();
  for (const s of samples) {
    const preds = detectPii(s.text, { entities: ALL_PII_ENTITIES }).map((f) => ({
      type: GOLD_TYPE[f.type] ?? f.type,
      start: f.start,
      end: f.end,
    }));
    const gold = s.spans.filter((g) => EVALUATED.includes(g.type));
    for (const p of preds) {
      const c = bump(p.type);
      c.p++;
      if (gold.some((g) => g.type === p.type && overlaps(g, p))) c.tp++;
      agnostic.p++;
      if (s.spans.some((g) => overlaps(g, p))) agnostic.tp++;
    }
    for (const g of gold) {
      const c = bump(g.type);
      c.g++;
      if (preds.some((p) => p.type === g.type && overlaps(g, p))) c.f++;
      agnostic.g++;
      if (preds.some((p) => overlaps(g, p))) agnostic.f++;
    }
  }
  const elapsed = performance.now() - t0;
  const perType: Record<string, TypeScore> = {};
  for (const [t, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    if (c.g === 0 && c.p === 0) continue;
    perType[t] = score(c.p, c.tp, c.g, c.f);
  }
  return {
    name,
    samples: samples.length,
    perType,
    typeAgnostic: score(agnostic.p, agnostic.tp, agnostic.g, agnostic.f),
    msPerSample: samples.length === 0 ? 0 : elapsed / samples.length,
  };
}

interface PresidioRow {
  full_text: string;
  template_id: number;
  spans: { entity_type: string; start_position: number; end_position: number }[];
}

export function loadPresidio(datasetsDir: string): Sample[] {
  const rows = JSON.parse(readFileSync(join(datasetsDir, 'pii', 'presidio_synth_v2.json'), 'utf8')) as PresidioRow[];
  return rows.map((r) => ({
    text: r.full_text,
    group: r.template_id,
    spans: r.spans.map((s) => ({ type: s.entity_type, start: s.start_position, end: s.end_position })),
  }));
}

/** Stable split by template: ids whose hash falls in the last quarter are test. */
export function isTestGroup(group: number): boolean {
  let h = 2166136261;
  for (const ch of String(group)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h % 4 === 3;
}

const pct = (x: number) => (x * 100).toFixed(1);

function table(r: SetReport): string {
  const lines = [
    `### ${r.name} (${r.samples} texts, ${r.msPerSample.toFixed(3)} ms/text)`,
    '',
    '| entity | gold | predicted | precision | recall | F2 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const row = (name: string, s: TypeScore) =>
    `| ${name} | ${s.gold} | ${s.predicted} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f2)} |`;
  for (const [t, s] of Object.entries(r.perType)) lines.push(row(t, s));
  lines.push(row('**any type**', r.typeAgnostic));
  return lines.join('\n');
}

export function evaluatePii(datasetsDir: string): PiiEvalReport {
  const presidio = loadPresidio(datasetsDir);
  const templates = readFileSync(join(datasetsDir, 'pii', 'templates.txt'), 'utf8');
  const generated = generateFromTemplates(templates, 1500, 20240611);
  const sets = [
    evaluateSamples('presidio_synth_v2 — all', presidio),
    evaluateSamples(
      'presidio_synth_v2 — dev templates',
      presidio.filter((s) => !isTestGroup(s.group)),
    ),
    evaluateSamples(
      'presidio_synth_v2 — test templates',
      presidio.filter((s) => isTestGroup(s.group)),
    ),
    evaluateSamples(
      'generated from templates.txt (own fake data) — test templates',
      generated.filter((s) => isTestGroup(s.group)),
    ),
    evaluateSamples('generated from templates.txt (own fake data) — all', generated),
  ];
  const markdown = [
    '## PII detection',
    '',
    'Span-overlap matching; DATE_OF_BIRTH counts as DATE_TIME. "any type": a prediction is right when it overlaps',
    'any gold span; recall over gold spans of the types listed. Test templates (a fixed quarter, by hash of the',
    'template id) were not used for tuning.',
    '',
    ...sets.map(table).flatMap((t) => [t, '']),
  ].join('\n');
  return { sets, markdown };
}

function defaultDatasetsDir(): string {
  if (process.env.PORTCULLIS_DATASETS) return process.env.PORTCULLIS_DATASETS;
  const here = fileURLToPath(new URL('.', import.meta.url));
  return resolve(here, '..', '..', '..', '..', 'shared', 'datasets');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = evaluatePii(process.argv[2] ?? defaultDatasetsDir());
  console.log(report.markdown);
  if (process.env.PII_EVAL_JSON) console.log(JSON.stringify(report.sets, null, 2));
}
