// Detector outputs over the shared datasets, one JSON line per text, for checking that a performance change leaves
// every output identical: run it on a copy of the tree before the change and on the tree after, with the same
// injection weights, and compare the two files.
//
//   node packages/guard/bench/identity-check.ts <guard package dir> <injection-model.json> <out.jsonl>
//
// The injection model is loaded from the given file (and also swapped into the bundled model the pipeline uses),
// so that a retrained weights file in the tree does not make the two runs differ.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, weightsPath, outPath] = process.argv.slice(2);
if (!root || !weightsPath || !outPath) throw new Error('usage: identity-check.ts <guard dir> <weights.json> <out>');
const src = (p: string) => import(join(root, 'src', p));
const { decodeModel } = await src('injection/model.ts');
const { analyzeInjection } = await src('injection/scorer.ts');
const { injectionModel } = await src('injection/detector.ts');
const { detectPii, maskPii, createPiiVault, unmaskPii } = await src('pii/index.ts');
const { ALL_PII_ENTITIES } = await src('pii/types.ts');
const { moderate, moderationDetector } = await src('moderation/index.ts');
const { normalizeForDetection, unicodeDetector } = await src('normalize/index.ts');
const { DEFAULT_POLICY } = await src('policy/index.ts');
const { screenInput } = await src('screen/index.ts');
const { prose } = await import(join(root, 'bench', 'pipeline-bench.ts'));

const model = decodeModel(JSON.parse(readFileSync(weightsPath, 'utf8')));
Object.assign(injectionModel, model);

const D = '/work/shared/datasets';
const texts: string[] = [];
const strings = (o: Record<string, unknown>) => {
  for (const v of Object.values(o)) if (typeof v === 'string' && v.length > 20) texts.push(v);
};
for (const f of readdirSync(`${D}/injection`)
  .filter((f) => f.endsWith('.jsonl'))
  .sort())
  for (const l of readFileSync(`${D}/injection/${f}`, 'utf8').split('\n')) if (l) strings(JSON.parse(l));
const injectionCount = texts.length;
for (const r of JSON.parse(readFileSync(`${D}/pii/presidio_synth_v2.json`, 'utf8'))) texts.push(r.full_text);
for (const l of readFileSync(`${D}/pii/templates.txt`, 'utf8').split('\n')) if (l) texts.push(l);
for (const f of ['moderation/openai_moderation_1680.jsonl', 'redteam/harmful_questions.jsonl'])
  for (const l of readFileSync(`${D}/${f}`, 'utf8').split('\n')) if (l) strings(JSON.parse(l));
for (const s of [200, 1024, 4096, 32768]) for (let seed = 0; seed < 5; seed++) texts.push(prose(s, seed + s));

const policy = { ...DEFAULT_POLICY, budgetMs: Number.POSITIVE_INFINITY };
const arr = (a: ArrayLike<number> | null | undefined) => (a ? Array.from(a) : null);
const out: string[] = [];
const h = createHash('sha256');
for (let i = 0; i < texts.length; i++) {
  const t = texts[i]!;
  const a = analyzeInjection(t, model);
  const inj = {
    score: a.score,
    flagged: a.flagged,
    signals: a.signals,
    type: a.type,
    modelScore: a.modelScore,
    patternScore: a.patternScore,
    hits: a.hits.map((x: { pattern: { id: string }; start: number; end: number }) => [x.pattern.id, x.start, x.end]),
    window: a.window,
  };
  const n = normalizeForDetection(t);
  const norm = { ...n, starts: arr(n.starts), ends: arr(n.ends) };
  const screen = screenInput([{ role: 'user', content: t }], policy);
  const scr = {
    messages: screen.messages,
    findings: screen.findings,
    blocked: screen.blocked,
    inj: screen.injectionScore,
  };
  let rest = {};
  if (i >= injectionCount || i % 4 === 0) {
    const pii = detectPii(t);
    const piiAll = detectPii(t, { entities: ALL_PII_ENTITIES });
    const piiDe = detectPii(t, { region: 'DE', minScore: 0.2 });
    const v = createPiiVault();
    const masked = maskPii(t, pii, v);
    const mod = moderate(t);
    const modF = moderationDetector.detect(t, { normalized: n }).findings;
    const uni = unicodeDetector.detect(t).findings;
    rest = { pii, piiAll, piiDe, masked, un: unmaskPii(masked, v), mod, modF, uni };
  }
  const line = JSON.stringify({ i, inj, norm, scr, ...rest });
  h.update(line);
  out.push(line);
}
writeFileSync(outPath, out.join('\n'));
process.stdout.write(`${texts.length} texts (${injectionCount} from the injection sets) ${h.digest('hex')}\n`);
