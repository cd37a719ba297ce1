// Evaluates the secrets detector on the labelled credential cases: recall on `secret` cases, false
// positive rate on `clean` cases, overall, per origin and per credential family.
//
//   npm exec -- node packages/guard/eval/secrets-eval.ts [datasetsDir] [--list] [--write]
//
// The datasets directory defaults to $PORTCULLIS_DATASETS, else <repo>/../shared/datasets.
// `--list` also prints the rule and line number of every miss and false positive (never the text).
// `--write` replaces the "### Secrets" subsection of bench/RESULTS.md (inside "Guard evaluation")
// with these figures, per family, leaving the other evaluations' subsections as they are.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanSecrets } from '../src/secrets/index.ts';

interface Case {
  rule: string;
  text: string;
  expect: 'secret' | 'clean';
  origin: string;
}

export interface Tally {
  secretCases: number;
  detected: number;
  recall: number;
  cleanCases: number;
  falsePositives: number;
  falsePositiveRate: number;
}

export interface SecretsEvalReport {
  dataset: string;
  cases: number;
  overall: Tally;
  byOrigin: Record<string, Tally>;
  byFamily: Record<string, Tally>;
  /** Line numbers (1-based) in cases.jsonl and the dataset's rule id; no case text. */
  misses: { line: number; rule: string }[];
  falsePositives: { line: number; rule: string; reportedAs: string[] }[];
  /** Total time spent in scanSecrets, and the bytes scanned. */
  scanMs: number;
  scannedBytes: number;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function defaultDatasetsDir(): string {
  return process.env['PORTCULLIS_DATASETS'] ?? join(repoRoot, '..', 'shared', 'datasets');
}

// Dataset rule ids are gitleaks ids such as `github-fine-grained-pat`; their first word names the
// provider, except for providers whose name is two words.
const TWO_WORD_PROVIDERS = new Set([
  'new-relic',
  'cisco-meraki',
  'microsoft-teams',
  'defined-networking',
  'octopus-deploy',
]);

export function familyOf(rule: string): string {
  const parts = rule.split('-');
  const two = parts.slice(0, 2).join('-');
  if (TWO_WORD_PROVIDERS.has(two)) return two;
  if (rule === 'private-key') return 'private-key';
  return parts[0]!;
}

function emptyTally(): Tally {
  return { secretCases: 0, detected: 0, recall: 0, cleanCases: 0, falsePositives: 0, falsePositiveRate: 0 };
}

function finish(t: Tally): Tally {
  t.recall = t.secretCases === 0 ? 0 : t.detected / t.secretCases;
  t.falsePositiveRate = t.cleanCases === 0 ? 0 : t.falsePositives / t.cleanCases;
  return t;
}

export function evaluateSecrets(datasetsDir: string = defaultDatasetsDir()): SecretsEvalReport {
  const file = join(datasetsDir, 'secrets', 'cases.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  const overall = emptyTally();
  const byOrigin: Record<string, Tally> = {};
  const byFamily: Record<string, Tally> = {};
  const misses: SecretsEvalReport['misses'] = [];
  const falsePositives: SecretsEvalReport['falsePositives'] = [];
  let scanMs = 0;
  let scannedBytes = 0;
  let cases = 0;

  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const c = JSON.parse(line) as Case;
    cases++;
    const t0 = performance.now();
    const findings = scanSecrets(c.text);
    scanMs += performance.now() - t0;
    scannedBytes += Buffer.byteLength(c.text);
    // A case is one short snippet: any finding inside it counts as flagging the case.
    const flagged = findings.some((f) => f.end > 0 && f.start < c.text.length);
    const family = familyOf(c.rule);
    byOrigin[c.origin] ??= emptyTally();
    byFamily[family] ??= emptyTally();
    for (const t of [overall, byOrigin[c.origin]!, byFamily[family]!]) {
      if (c.expect === 'secret') {
        t.secretCases++;
        if (flagged) t.detected++;
      } else {
        t.cleanCases++;
        if (flagged) t.falsePositives++;
      }
    }
    if (c.expect === 'secret' && !flagged) misses.push({ line: i + 1, rule: c.rule });
    if (c.expect === 'clean' && flagged) {
      falsePositives.push({ line: i + 1, rule: c.rule, reportedAs: [...new Set(findings.map((f) => f.type))] });
    }
  });

  finish(overall);
  for (const t of Object.values(byOrigin)) finish(t);
  for (const t of Object.values(byFamily)) finish(t);
  return {
    dataset: file,
    cases,
    overall,
    byOrigin,
    byFamily,
    misses,
    falsePositives,
    scanMs: Math.round(scanMs * 100) / 100,
    scannedBytes,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function row(name: string, t: Tally): string {
  const recall = t.secretCases > 0 ? `${t.detected}/${t.secretCases} (${pct(t.recall)})` : '–';
  const fp = t.cleanCases > 0 ? `${t.falsePositives}/${t.cleanCases} (${pct(t.falsePositiveRate)})` : '–';
  return `| ${name} | ${recall} | ${fp} |`;
}

export function formatMarkdown(report: SecretsEvalReport, list = false): string {
  const out: string[] = [];
  out.push(`## Secrets detector — ${report.cases} cases`);
  out.push('');
  out.push('| slice | recall (secret cases) | false positives (clean cases) |');
  out.push('| --- | --- | --- |');
  out.push(row('**overall**', report.overall));
  for (const [origin, t] of Object.entries(report.byOrigin).sort()) out.push(row(`origin: ${origin}`, t));
  out.push('');
  out.push('| family | recall | false positives |');
  out.push('| --- | --- | --- |');
  for (const [family, t] of Object.entries(report.byFamily).sort(([a], [b]) => a.localeCompare(b))) {
    out.push(row(family, t));
  }
  out.push('');
  const mbps = report.scannedBytes / 1e6 / (report.scanMs / 1000);
  out.push(`scan time: ${report.scanMs} ms for ${report.scannedBytes} bytes (${mbps.toFixed(1)} MB/s on short cases)`);
  if (list) {
    out.push('');
    out.push('misses (line: rule): ' + report.misses.map((m) => `${m.line}:${m.rule}`).join(', '));
    out.push(
      'false positives (line: rule -> reported as): ' +
        report.falsePositives.map((f) => `${f.line}:${f.rule}->${f.reportedAs.join('+')}`).join(', '),
    );
  }
  return out.join('\n');
}

const RECALL_TARGET = 0.98;
const FP_TARGET = 0.02;

/** The "### Secrets" subsection of bench/RESULTS.md: overall, per origin, per family, targets. */
export function formatResultsSubsection(report: SecretsEvalReport, when: string): string {
  const met = (ok: boolean) => (ok ? '**met**' : '**missed**');
  const families = Object.entries(report.byFamily).sort(([a], [b]) => a.localeCompare(b));
  const below = families.filter(
    ([, t]) => (t.secretCases > 0 && t.recall < RECALL_TARGET) || (t.cleanCases > 0 && t.falsePositiveRate > FP_TARGET),
  );
  const out: string[] = [
    '### Secrets',
    '',
    `Last run: ${when} · command: \`node packages/guard/eval/secrets-eval.ts --write\` (also part of \`npm run eval\`).`,
    '',
    `${report.cases} labelled cases from secrets/cases.jsonl, ${families.length} credential families; a case counts as flagged when any finding falls in it.`,
    '',
    '| slice | recall (secret cases) | false positives (clean cases) |',
    '| --- | --- | --- |',
    row('**overall**', report.overall),
  ];
  for (const [origin, t] of Object.entries(report.byOrigin).sort(([a], [b]) => a.localeCompare(b))) {
    out.push(row(`origin: ${origin}`, t));
  }
  out.push(
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    `| recall ≥ 98% | ${pct(report.overall.recall)} | ${met(report.overall.recall >= RECALL_TARGET)} |`,
    `| false positives ≤ 2% | ${pct(report.overall.falsePositiveRate)} | ${met(report.overall.falsePositiveRate <= FP_TARGET)} |`,
    '',
    `Families below the recall target or above the false-positive target (${below.length}):`,
    '',
    '| family | recall | false positives |',
    '| --- | --- | --- |',
    ...below.map(([family, t]) => row(family, t)),
    '',
    `Missed secret cases (dataset line: rule): ${report.misses.map((m) => `${m.line}: ${m.rule}`).join(', ') || 'none'}.`,
    `False positives (dataset line: rule → reported as): ${report.falsePositives.map((f) => `${f.line}: ${f.rule} → ${f.reportedAs.join(', ')}`).join('; ') || 'none'}.`,
    '',
    '<details><summary>All families</summary>',
    '',
    '| family | recall | false positives |',
    '| --- | --- | --- |',
    ...families.map(([family, t]) => row(family, t)),
    '',
    '</details>',
  );
  return out.join('\n');
}

/** Replaces the `### Secrets` subsection (up to the next `##`/`###` heading), or appends it. */
export function writeSecretsSubsection(body: string, path: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === '### Secrets');
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${body.trim()}\n`);
    return;
  }
  let end = lines.findIndex((l, i) => i > start && /^#{2,3} /.test(l));
  if (end < 0) end = lines.length;
  const before = lines.slice(0, start).join('\n').trimEnd();
  const after = lines.slice(end).join('\n').trim();
  writeFileSync(path, `${before}\n\n${body.trim()}\n${after ? `\n${after}\n` : ''}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  const report = evaluateSecrets(dir ?? defaultDatasetsDir());
  console.log(formatMarkdown(report, args.includes('--list')));
  if (args.includes('--write')) {
    const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const file = join(repoRoot, 'bench', 'RESULTS.md');
    writeSecretsSubsection(formatResultsSubsection(report, when), file);
    console.error(`wrote "### Secrets" in ${file}`);
  }
}
