// Runs every guard evaluation that exists and writes the "Guard evaluation" section of bench/RESULTS.md, with the
// issue's targets and whether each is met.
//
//   npm run eval                      (all of them; a few minutes on two cores, moderation's nested CV dominates)
//   npm run eval -- --only pii,secrets        (prints only; a partial run never writes the file)
//
// Each evaluation is loaded and run on its own: one that is missing or fails is reported as such in the section
// and the others still run. Progress goes to stderr; the section is also printed to stdout.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { InjectionEvaluation } from './injection-eval.ts';
import type { ModerationEvaluation } from './moderation-eval.ts';
import type { PiiEvalReport, SetReport } from './pii-eval.ts';
import type { SecretsEvalReport, Tally } from './secrets-eval.ts';

const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const RESULTS_FILE = join(REPO, 'bench', 'RESULTS.md');
const HEADING = '## Guard evaluation (npm run eval)';

export function datasetsDir(): string {
  return process.env['PORTCULLIS_DATASETS'] ?? resolve(REPO, '..', 'shared', 'datasets');
}

// ---------------------------------------------------------------------------------------------------------------
// Shared with the latency benchmark: the machine, and replacing one section of RESULTS.md.

export function describeMachine(): string {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // Not Linux: the os module's name will do.
  }
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
  return (
    `${cpus().length} CPUs (${model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${process.platform} ` +
    `${release()}, Node ${process.version}; load average at the start: ${load}`
  );
}

/**
 * Replaces the section that starts with `heading` (up to the next `## ` heading) or appends it; every other section
 * is kept as it is. The file is read just before it is written, since other benchmarks write their own sections.
 */
export function writeResultsSection(heading: string, body: string, path: string = RESULTS_FILE): void {
  const section = `${heading}\n\n${body.trim()}\n`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmark results\n';
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  let next: string;
  if (start < 0) {
    next = `${text.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    next = `${before}\n\n${section}${after ? `\n${after}\n` : ''}`;
  }
  writeFileSync(path, next);
}

export const utcNow = (): string => `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;

// ---------------------------------------------------------------------------------------------------------------

const log = (s: string) => process.stderr.write(`[eval] ${s}\n`);
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const f3 = (x: number) => x.toFixed(3);
const verdict = (ok: boolean) => (ok ? '**met**' : '**missed**');

type Outcome<T> = { ok: true; value: T; seconds: number } | { ok: false; error: string };

async function attempt<T>(name: string, run: () => Promise<T>): Promise<Outcome<T>> {
  log(`${name}: running`);
  const t0 = performance.now();
  try {
    const value = await run();
    const seconds = (performance.now() - t0) / 1000;
    log(`${name}: done in ${seconds.toFixed(1)} s`);
    return { ok: true, value, seconds };
  } catch (err) {
    const error = (err as Error)?.message ?? String(err);
    log(`${name}: failed: ${error}`);
    return { ok: false, error: error.split('\n')[0]!.slice(0, 300) };
  }
}

const failed = (o: { error: string }) =>
  `Not run: the evaluation failed or is not available yet (\`${o.error.replace(/`/g, "'")}\`).`;

// ---------------------------------------------------------------------------------------------------------------
// Injection

const BA_TARGET = 0.97;
const FPR_TARGET = 0.01;

/** The cross-source part of the training report: those figures need a retrained model per fold, not a rerun. */
function crossSourceExcerpt(): string | undefined {
  const path = join(REPO, 'packages', 'guard', 'train', 'injection-report.md');
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const m = /^## Cross-source validation\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
  if (!m) return undefined;
  const blocks = m[1]!.split(/\n\s*\n/).map((b) => b.trim());
  const table = blocks.find((b) => b.startsWith('|'));
  const pooled = blocks.filter((b) => /^(Pooled|The shipped threshold)/.test(b));
  const generated = /Generated by .*? on (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  const intro = `From \`packages/guard/train/injection-report.md\`${generated ? ` (training run of ${generated})` : ''}: each group scored by a model trained and calibrated without it.`;
  if (!table) return `${intro}\n\n${m[1]!.trim()}`;
  return [intro, ...pooled, table].join('\n\n');
}

/** The hand-written probe sets: the closest we have to data from sources nobody tuned on. */
function probesExcerpt(e: InjectionEvaluation): string {
  if (e.probes.length === 0) return '';
  const out = [
    '#### Hand-written probe sets',
    '',
    'Prompts written for this evaluation in the styles of public injection, jailbreak and benign sets we do not have ' +
      '(Gandalf, HackAPrompt, Tensor Trust, deepset, jailbreak-classification, awesome-chatgpt-prompts, developer ' +
      'system prompts, security discussions), by writers who had not seen the detector; never trained on. Set a ' +
      'was used to find gaps after its first run (attack misses of its even lines, false positives of all lines), ' +
      "set b's totals and false positives were looked at, set c's totals chose between training configurations " +
      "once set d existed, set d's misses were read once set e existed, set e's misses and false positives were " +
      "read once set f existed, only set f's totals have been read, and set g, written after the work, is blind " +
      '(its totals were read once); see `packages/guard/eval/probes/README.md`.',
    '',
    '| set | attacks | benign | TPR: pattern-only | TPR: combined | FPR: pattern-only | FPR: combined | balanced acc.: combined |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const p of e.probes) {
    out.push(
      `| ${p.set} | ${p.attacks} | ${p.benign} | ${pct(p.tpr.pattern)} | **${pct(p.tpr.combined)}** | ${pct(p.fpr.pattern)} | **${pct(p.fpr.combined)}** | **${f3(p.balancedAccuracy.combined)}** |`,
    );
  }
  out.push(
    '',
    '| set | style | label | n | flagged: pattern-only | flagged: combined |',
    '| --- | --- | --- | ---: | ---: | ---: |',
  );
  for (const p of e.probes) {
    for (const st of p.styles) {
      const kind = st.label === 'attack' ? 'attack (TPR)' : 'benign (FPR)';
      out.push(`| ${p.set} | ${st.style} | ${kind} | ${st.n} | ${pct(st.pattern)} | **${pct(st.combined)}** |`);
    }
  }
  return out.join('\n');
}

function injectionSection(o: Outcome<InjectionEvaluation>): string {
  const out: string[] = ['### Prompt injection'];
  if (!o.ok) return [...out, '', failed(o)].join('\n');
  const e = o.value;
  const ba = e.overall.balancedAccuracy;
  const benign = e.sources.filter((s) => s.label === 'benign');
  const overFpr = benign.filter((s) => s.combined.flagged > FPR_TARGET);
  out.push(
    '',
    'Validation split of the training corpus (the shipped model was not trained on it; its threshold was chosen on ' +
      'it) plus the red-team attack sets. "pattern-only" is the hand-written pattern baseline, "combined" what the ' +
      'detector reports (patterns + model). For attack sets the flagged share is the TPR, for benign sets the FPR; ' +
      'balanced accuracy pairs each set with all texts of the other side.',
    '',
    '| source | label | n | flagged: pattern-only | flagged: combined | balanced acc.: pattern-only | balanced acc.: combined |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const s of e.sources) {
    const kind = s.label === 'attack' ? 'attack (TPR)' : 'benign (FPR)';
    const warn = s.label === 'benign' && s.combined.flagged > FPR_TARGET ? ' ⚠' : '';
    out.push(
      `| ${s.source} | ${kind} | ${s.n} | ${pct(s.pattern.flagged)} | **${pct(s.combined.flagged)}**${warn} | ${f3(s.pattern.balancedAccuracy)} | **${f3(s.combined.balancedAccuracy)}** |`,
    );
  }
  out.push(
    '',
    '| validation split overall | TPR | FPR | balanced accuracy |',
    '| --- | ---: | ---: | ---: |',
    `| pattern-only | ${pct(e.overall.tpr.pattern)} | ${pct(e.overall.fpr.pattern)} | ${f3(ba.pattern)} |`,
    `| model only | ${pct(e.overall.tpr.model)} | ${pct(e.overall.fpr.model)} | ${f3(ba.model)} |`,
    `| **combined** | **${pct(e.overall.tpr.combined)}** | **${pct(e.overall.fpr.combined)}** | **${f3(ba.combined)}** |`,
    '',
    probesExcerpt(e),
    '',
    '#### Cross-source',
    '',
    crossSourceExcerpt() ?? 'No cross-source figures: the current training report was made by a quick run.',
    '',
    '#### Targets',
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    `| balanced accuracy ≥ ${BA_TARGET} (validation split, combined) | ${f3(ba.combined)} (pattern-only ${f3(ba.pattern)}) | ${verdict(ba.combined >= BA_TARGET)} |`,
    `| FPR ≤ 1% on every benign set | ${overFpr.length === 0 ? `all ${benign.length} ≤ 1% (worst ${pct(Math.max(0, ...benign.map((s) => s.combined.flagged)))})` : overFpr.map((s) => `${s.source} ${pct(s.combined.flagged)}`).join(', ')} | ${verdict(overFpr.length === 0)} |`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// PII

const PII_TARGETS = ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN', 'IP_ADDRESS'];
const F2_TARGET = 0.95;

function piiSection(o: Outcome<PiiEvalReport>): string {
  const out: string[] = ['### PII'];
  if (!o.ok) return [...out, '', failed(o)].join('\n');
  const sets = o.value.sets;
  const find = (re: RegExp) => sets.find((s) => re.test(s.name));
  const presidio = find(/presidio.*all/) ?? sets[0]!;
  const presidioTest = find(/presidio.*test/);
  const generated = find(/generated.*all/);
  const generatedTest = find(/generated.*test/);
  const shown = [presidio, presidioTest, generatedTest].filter((s): s is SetReport => s !== undefined);
  const entities = [...new Set(sets.flatMap((s) => Object.keys(s.perType)))].sort(
    (a, b) => Number(PII_TARGETS.includes(b)) - Number(PII_TARGETS.includes(a)) || a.localeCompare(b),
  );
  const cell = (s: SetReport | undefined, t: string) => {
    const x = s?.perType[t];
    return x && x.gold > 0 ? `${f3(x.f2)} (${x.gold})` : '–';
  };
  out.push(
    '',
    `Span-overlap matching (a prediction counts when it overlaps a gold span of the same type). Sets: ${shown
      .map((s) => `${s.name} (${s.samples} texts)`)
      .join(
        '; ',
      )}${generated ? `; ${generated.name} (${generated.samples} texts)` : ''}. Test templates were not used for tuning. F2 cells give the gold count in brackets.`,
    '',
    `| entity | P (presidio all) | R | F2 | F2 presidio test templates | F2 generated, test templates | F2 generated, all | target | result |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  );
  let allMet = true;
  for (const t of entities) {
    const p = presidio.perType[t];
    const targeted = PII_TARGETS.includes(t);
    const f2s = [presidio, presidioTest, generated, generatedTest]
      .map((s) => s?.perType[t])
      .filter((x) => x !== undefined && x.gold > 0)
      .map((x) => x!.f2);
    const met = f2s.length > 0 && Math.min(...f2s) >= F2_TARGET;
    if (targeted && !met) allMet = false;
    out.push(
      `| ${t} | ${p ? f3(p.precision) : '–'} | ${p ? f3(p.recall) : '–'} | ${p ? `**${f3(p.f2)}**` : '–'} | ${cell(presidioTest, t)} | ${cell(generatedTest, t)} | ${cell(generated, t)} | ${targeted ? `F2 ≥ ${F2_TARGET}` : '—'} | ${targeted ? verdict(met) : ''} |`,
    );
  }
  out.push(
    '',
    `Target: F2 ≥ ${F2_TARGET} for ${PII_TARGETS.join(', ')}, judged on every set above that has the entity: ${verdict(allMet)}.`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Moderation

function moderationSection(o: Outcome<ModerationEvaluation>): string {
  const out: string[] = ['### Moderation'];
  if (!o.ok) return [...out, '', failed(o)].join('\n');
  const cv = o.value.crossValidation;
  const ood = o.value.outOfDomain;
  out.push(
    '',
    `Nested cross-validation on moderation/openai_moderation_1680.jsonl (${cv.settings.folds} outer folds, the model retrained in each; the lexicon as shipped), at the detector's 0.5 operating point.`,
    '',
    '| category | labelled | positives | precision | recall | F1 | F1 model only | F1 lexicon only |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [cat, f] of Object.entries(cv.categories)) {
    const m = f.modelLexicon;
    out.push(
      `| ${cat} | ${f.labelled} | ${f.positives} | ${f3(m.precision)} | ${f3(m.recall)} | **${f3(m.f1)}** | ${f3(f.modelOnly.f1)} | ${f3(f.lexiconOnly.f1)} |`,
    );
  }
  out.push(
    `| **macro-F1, all ${Object.keys(cv.categories).length} labels** | | | | | **${f3(cv.macroF1.modelLexicon)}** | ${f3(cv.macroF1.modelOnly)} | ${f3(cv.macroF1.lexiconOnly)} |`,
    `| **macro-F1, main categories** | | | | | **${f3(cv.macroF1Main.modelLexicon)}** | ${f3(cv.macroF1Main.modelOnly)} | ${f3(cv.macroF1Main.lexiconOnly)} |`,
    '',
    `Shipped model out of domain: \`illicit\` recall ${pct(ood.harmfulQuestions.illicitRecall)} and any-category recall ${pct(ood.harmfulQuestions.anyCategoryRecall)} on redteam/harmful_questions.jsonl (${ood.harmfulQuestions.rows}); any-category false positives ${pct(ood.benign.flaggedRate, 2)} on ${ood.benign.rows} benign prompts (injection/benign.jsonl rows not used in training).`,
    '',
    `Target: macro-F1 reported (no threshold set) — ${f3(cv.macroF1.modelLexicon)}.`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets

const RECALL_TARGET = 0.98;
const SECRET_FP_TARGET = 0.02;

function tallyCells(t: Tally): string {
  const r = t.secretCases > 0 ? `${t.detected}/${t.secretCases} (${pct(t.recall)})` : '–';
  const fp = t.cleanCases > 0 ? `${t.falsePositives}/${t.cleanCases} (${pct(t.falsePositiveRate)})` : '–';
  return `${r} | ${fp}`;
}

function secretsSection(o: Outcome<SecretsEvalReport>): string {
  const out: string[] = ['### Secrets'];
  if (!o.ok) return [...out, '', failed(o)].join('\n');
  const r = o.value;
  const families = Object.entries(r.byFamily);
  const short = families.filter(
    ([, t]) =>
      (t.secretCases > 0 && t.recall < RECALL_TARGET) || (t.cleanCases > 0 && t.falsePositiveRate > SECRET_FP_TARGET),
  );
  // Worst first: most missed secrets, then most false positives.
  short.sort(
    ([, a], [, b]) => b.secretCases - b.detected - (a.secretCases - a.detected) || b.falsePositives - a.falsePositives,
  );
  const fullRecall = families.filter(([, t]) => t.secretCases > 0 && t.recall >= RECALL_TARGET).length;
  const withSecrets = families.filter(([, t]) => t.secretCases > 0).length;
  out.push(
    '',
    `${r.cases} labelled cases from secrets/cases.jsonl, ${families.length} credential families; a case counts as flagged when any finding falls in it.`,
    '',
    '| slice | recall (secret cases) | false positives (clean cases) |',
    '| --- | --- | --- |',
    `| **overall** | ${tallyCells(r.overall)} |`,
  );
  for (const [origin, t] of Object.entries(r.byOrigin).sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`| origin: ${origin} | ${tallyCells(t)} |`);
  }
  out.push(
    '',
    `Families: ${fullRecall} of ${withSecrets} with secret cases reach ${pct(RECALL_TARGET, 0)} recall. Families below the recall target or above the false-positive target, worst first (${short.length}):`,
    '',
    '| family | recall | false positives |',
    '| --- | --- | --- |',
  );
  for (const [family, t] of short.slice(0, 25)) out.push(`| ${family} | ${tallyCells(t)} |`);
  if (short.length > 25) out.push(`| … ${short.length - 25} more | | |`);
  out.push(
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    `| recall ≥ ${pct(RECALL_TARGET, 0)} | ${pct(r.overall.recall)} | ${verdict(r.overall.recall >= RECALL_TARGET)} |`,
    `| false positives ≤ ${pct(SECRET_FP_TARGET, 0)} | ${pct(r.overall.falsePositiveRate)} | ${verdict(r.overall.falsePositiveRate <= SECRET_FP_TARGET)} |`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : undefined;
  const wanted = (name: string) => only === undefined || only.has(name);
  const dir = datasetsDir();
  if (!existsSync(dir)) {
    process.stderr.write(`datasets not found at ${dir}; set PORTCULLIS_DATASETS\n`);
    process.exit(2);
  }
  const started = utcNow();
  const machine = describeMachine();
  const t0 = performance.now();
  const skipped = { ok: false as const, error: 'skipped (--only)' };

  const injection = wanted('injection')
    ? await attempt('injection', async () => (await import('./injection-eval.ts')).evaluateInjection(dir))
    : skipped;
  const pii = wanted('pii')
    ? await attempt('pii', async () => (await import('./pii-eval.ts')).evaluatePii(dir))
    : skipped;
  const secrets = wanted('secrets')
    ? await attempt('secrets', async () => (await import('./secrets-eval.ts')).evaluateSecrets(dir))
    : skipped;
  const moderation = wanted('moderation')
    ? await attempt('moderation (nested cross-validation, the slow one)', async () =>
        (await import('./moderation-eval.ts')).evaluateModeration(dir, {
          print: false,
          log: (s) => log(`moderation: ${s}`),
        }),
      )
    : skipped;
  const minutes = (performance.now() - t0) / 60_000;

  const body = [
    `Last run: ${started} · command: \`npm run eval\` (\`node packages/guard/eval/run-all.ts\`) · took ${minutes.toFixed(1)} min`,
    '',
    `Machine: ${machine}.`,
    '',
    `Data: \`${dir.startsWith(resolve(REPO, '..')) ? `../${dir.slice(resolve(REPO, '..').length + 1)}` : dir}\` (see its README). These are the development sets the detectors were tuned on (splits as noted); a held-out set from other sources is the real judge.`,
    '',
    injectionSection(injection),
    '',
    piiSection(pii),
    '',
    moderationSection(moderation),
    '',
    secretsSection(secrets),
  ].join('\n');
  process.stdout.write(`${HEADING}\n\n${body}\n`);
  // A partial run would overwrite the other evaluations' figures with "not run".
  if (!args.includes('--no-write') && only === undefined) {
    writeResultsSection(HEADING, body);
    log(`wrote "${HEADING}" in ${RESULTS_FILE}`);
  }
}

if (import.meta.main) await main();
