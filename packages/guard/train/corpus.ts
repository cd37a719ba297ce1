// The injection corpus as training and evaluation see it: every example with its split. Shared by the training
// script and the eval entry, which must reproduce the exact validation split the shipped model was not trained on.

import {
  cleanContextExample,
  composedExample,
  type Example,
  type IndirectAttack,
  type IndirectContext,
  loadExtraBenign,
  loadIndirect,
  loadLabelled,
  loadRedteam,
  loadWritten,
  rng,
  shuffle,
} from './data.ts';
import { syntheticBenign } from './synthetic.ts';
import { syntheticAttacks } from './synthetic-attacks.ts';
import { syntheticConstraints } from './synthetic-constraints.ts';
import { syntheticIndirect } from './synthetic-indirect.ts';
import { syntheticMultilingual } from './synthetic-multilingual.ts';
import { syntheticSecurityTalk } from './synthetic-security-talk.ts';

export type Split = 'train' | 'val' | 'test';

export const SEED = 20250607;

/** BIPIA attack categories never used for training: a test of attacks the model has not seen. */
export const HELDOUT_CATEGORIES = new Set(['Persuasion', 'Anagramming', 'Cryptocurrency Mining', 'Memory Scanning']);
/**
 * BIPIA categories whose instruction is an ordinary task ("What is the capital of Brazil?"): an attack only because
 * of where it sits, which a detector that sees the text alone cannot know. Training on them teaches the model that
 * every question is suspicious (it cost a third of the direct-injection recall in an experiment), so they are only
 * evaluated, as their own group, to show the limit.
 */
export const PLAIN_TASK_CATEGORIES = new Set([
  'Information Retrieval',
  'Content Creation',
  'Learning and Tutoring',
  'Language Translation',
  'Programming Help',
]);
export const COMPOSE_PER_INSTRUCTION = 8;
function splitOf(i: number, n: number): Split {
  const f = i / n;
  return f < 0.7 ? 'train' : f < 0.85 ? 'val' : 'test';
}

function assignSplits(examples: Example[], rand: () => number): Array<{ ex: Example; split: Split }> {
  const byGroup = new Map<string, Example[]>();
  for (const e of examples) {
    const list = byGroup.get(e.group) ?? [];
    list.push(e);
    byGroup.set(e.group, list);
  }
  const out: Array<{ ex: Example; split: Split }> = [];
  for (const list of byGroup.values()) {
    const s = shuffle(list, rand);
    s.forEach((ex, i) => {
      out.push({ ex, split: splitOf(i, s.length) });
    });
  }
  return out;
}

function composeIndirect(
  contexts: IndirectContext[],
  attacks: IndirectAttack[],
  rand: () => number,
): Array<{ ex: Example; split: Split }> {
  const out: Array<{ ex: Example; split: Split }> = [];
  const ctxSplit = new Map<number, Split>();
  shuffle(contexts, rand).forEach((c, i) => {
    ctxSplit.set(c.id, splitOf(i, contexts.length));
  });
  for (const c of contexts) out.push({ ex: cleanContextExample(c, rand), split: ctxSplit.get(c.id)! });
  const pools = (split: Split, kind: string) =>
    contexts.filter((c) => ctxSplit.get(c.id) === split && (kind === 'code' ? c.task === 'code' : c.task !== 'code'));
  // Instructions are split within each category, so every kept category has examples in train, val and test.
  const byCategory = new Map<string, IndirectAttack[]>();
  for (const a of attacks) {
    const list = byCategory.get(a.category) ?? [];
    list.push(a);
    byCategory.set(a.category, list);
  }
  for (const [category, list] of byCategory) {
    const heldout = HELDOUT_CATEGORIES.has(category);
    const plain = PLAIN_TASK_CATEGORIES.has(category);
    shuffle(list, rand).forEach((a, i) => {
      const split: Split = heldout || plain ? 'test' : i < 3 ? 'train' : i === 3 ? 'val' : 'test';
      const pool = pools(split, a.kind);
      const group = plain ? 'bipia/plain-task' : heldout ? 'bipia/heldout-categories' : `bipia/${a.kind}`;
      for (let k = 0; k < COMPOSE_PER_INSTRUCTION; k++) {
        // Text attacks go into emails and tables alike; pick the task first so tables do not crowd out emails.
        let candidates = pool;
        if (a.kind !== 'code') {
          const task = k % 2 === 0 ? 'email' : 'table';
          const byTask = pool.filter((c) => c.task === task);
          if (byTask.length > 0) candidates = byTask;
        }
        const c = candidates[Math.floor(rand() * candidates.length)]!;
        out.push({ ex: composedExample(c, a, rand, group), split });
      }
    });
  }
  return out;
}

export interface Corpus {
  assigned: Array<{ ex: Example; split: Split }>;
  /** redteam/ attack sets: evaluation only. */
  redteam: Example[];
}

/**
 * Written benign files kept out of training. Workplace text (emails, tickets, docs, developer questions about LLMs)
 * was written as training data, but training on it lowered the public pooled cross-source balanced accuracy from
 * 0.889 to 0.886 and probe set c from 0.820 to 0.814; as a test-only group it measures false positives on realistic
 * workplace text the model never saw.
 */
export const TEST_ONLY_WRITTEN: ReadonlySet<string> = new Set(['synthetic/written-workplace-benign']);

/**
 * Written benign files trained on but kept out of threshold calibration. Text about LLM security (training
 * material, incident reports, papers that quote attack phrases as examples) and text by people building LLM apps
 * (system prompts, API docs, configs) is the hardest benign text we have: the detector flagged 47% and 27% of it
 * when it was written. Used for calibration as well, it pushed the validation threshold from 1.4 to 3.3 logits and
 * the public pooled cross-source figure from 0.908 to 0.827; trained on without setting the threshold, it cut the
 * false positives on the other hard negatives (probe sets a-d: 20 to 12) at the same public figure (0.907).
 */
export const UNCALIBRATED_WRITTEN: ReadonlySet<string> = new Set([
  'synthetic/written-aisec-benign',
  'synthetic/written-builders-benign',
]);

/**
 * Loads everything and assigns splits, deterministically (same data, same seed, same splits). `testOnly`: the written
 * benign groups kept out of training (experiments pass a smaller set).
 */
export function buildCorpus(dir: string, testOnly: ReadonlySet<string> = TEST_ONLY_WRITTEN): Corpus {
  const rand = rng(SEED);
  const labelled = loadLabelled(dir);
  const extra = loadExtraBenign(dir);
  const { contexts, attacks } = loadIndirect(dir);
  const synthetic = [...syntheticBenign(SEED), ...syntheticAttacks(SEED)];
  const assigned = [
    ...assignSplits([...labelled, ...extra, ...synthetic], rand),
    ...composeIndirect(contexts, attacks, rand),
    // Added later with their own random stream, so that the splits of everything above stay as they were.
    ...assignSplits(syntheticIndirect(SEED), rng(SEED + 7)),
    // The non-English attacks are never trained on (see train-injection.ts): a test-only group, like plain-task.
    ...assignSplits(syntheticMultilingual(SEED), rng(SEED + 11)).map(({ ex, split }) => ({
      ex,
      split: ex.group === 'synthetic/multilingual' ? ('test' as const) : split,
    })),
    ...assignSplits(syntheticConstraints(SEED), rng(SEED + 13)),
    ...assignSplits(syntheticSecurityTalk(SEED), rng(SEED + 17)),
    // The written attacks go to the test split: the random-split model never sees them, the shipped model and the
    // cross-source models train on the direct and indirect files (see train-injection.ts). The written benign files
    // in TEST_ONLY_WRITTEN are never trained on.
    ...assignSplits(loadWritten(), rng(SEED + 19)).map(({ ex, split }) => ({
      ex,
      split: ex.label === 1 || testOnly.has(ex.group) ? ('test' as const) : split,
    })),
  ];
  return { assigned, redteam: loadRedteam(dir) };
}
