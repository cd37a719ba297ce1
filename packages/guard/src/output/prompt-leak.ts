// System-prompt leakage by overlap: how much of the system prompt reappears in a response as runs of consecutive
// words. Both texts are reduced to lower-case words (punctuation, markdown, quotes, numbering and invisible
// characters dropped), so a prompt pasted back inside a code block or a bulleted list still matches. An answer that
// merely talks about the same topic shares words but not long runs of them.
//
// Two measures, either of which flags:
// - coverage: the fraction of the prompt's words that fall in a run of at least `shingle` words copied in order
//   (the containment of the prompt's word shingles in the output); catches a prompt leaked whole or in pieces.
// - longest run: the longest run of prompt words copied in order; catches one long verbatim passage of a prompt
//   too long for the passage to be a large fraction of it.
// Jaccard similarity of the shingle sets is reported too, but not used to decide: it penalises a leak wrapped in a
// long answer, which is exactly the case to catch.
//
// Defaults were chosen on redteam/cyberseceval_prompt_injection.json's system prompts (123 distinct, 4 to 120
// words) against leaked replies synthesised from them (the whole prompt, its first or second half, reformatted as
// a list, inside an answer) and ordinary replies that reuse the prompt's words (see test/output.test.ts).
// Paraphrased or translated leaks are out of reach of any overlap measure; the canary catches verbatim copies of
// the prompt's marker, this catches copies of its text.

import type { Finding } from '../types.ts';

export interface PromptLeakOptions {
  /**
   * Length in words of the runs that count toward coverage. Default: a third of the prompt's length, between 4 and 8
   * words (prompts of up to 13 words use 4-word runs, prompts of 24 words or more use 8-word runs). Shorter runs
   * flag refusals that restate a short prompt ("I won't share it with anyone").
   */
  shingle?: number;
  /** Coverage at or above which the output is flagged. Default 0.5. */
  minCoverage?: number;
  /** Longest run (in words) at or above which the output is flagged whatever the coverage. Default 20. */
  minRun?: number;
  /** Prompts shorter than this many words are not checked: their words are too likely in any reply. Default 4. */
  minPromptWords?: number;
}

export interface PromptLeakScore {
  /** 0..1: the larger of coverage and longest run / minRun. */
  score: number;
  coverage: number;
  longestRun: number;
  jaccard: number;
  shingle: number;
  /** Span of the output covered by copied runs (0..0 when none). */
  start: number;
  end: number;
}

interface Words {
  hashes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

function isInvisible(c: number): boolean {
  return (
    c === 0xad ||
    c === 0x34f ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    c === 0xfeff
  );
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || (c >= 0xc0 && c < 0x2000);
}

function words(text: string): Words {
  const n = text.length;
  const cap = (n >> 1) + 1;
  const hashes = new Int32Array(cap);
  const starts = new Int32Array(cap);
  const ends = new Int32Array(cap);
  let count = 0;
  let i = 0;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const s = i;
    let h = 0x811c9dc5;
    // Invisible characters inside a word are skipped, not treated as breaks: "sy\u200bstem" is "system".
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isWordChar(c) && !isInvisible(c)) break;
      if (isWordChar(c)) {
        const lower = c >= 65 && c <= 90 ? c + 32 : c >= 0xc0 ? text[i]!.toLowerCase().charCodeAt(0) : c;
        h = Math.imul(h ^ lower, 0x01000193);
      }
    }
    hashes[count] = h;
    starts[count] = s;
    ends[count] = i;
    count++;
  }
  return { hashes, starts, ends, count };
}

function shingleHash(hashes: Int32Array, at: number, k: number): number {
  let h = 0x9747b28c;
  for (let i = at; i < at + k; i++) h = Math.imul(h ^ hashes[i]!, 0x01000193) ^ (h >>> 15);
  return h;
}

function shingleFor(promptWords: number, opts: PromptLeakOptions): number {
  return opts.shingle ?? Math.min(8, Math.max(4, Math.round(promptWords / 3)));
}

/** A system prompt prepared once for checking many outputs (every chunk of a stream, say). */
export interface CompiledPrompt {
  score(output: string): PromptLeakScore;
  detect(output: string): Finding[];
}

export function compilePromptLeak(systemPrompt: string, opts: PromptLeakOptions = {}): CompiledPrompt {
  const prompt = words(systemPrompt);
  const p = prompt.count;
  const k = shingleFor(p, opts);
  const minCoverage = opts.minCoverage ?? 0.5;
  const minRun = opts.minRun ?? 20;
  const enabled = p >= (opts.minPromptWords ?? 4) && p >= k;
  const positions = new Map<number, number[]>();
  for (let j = 0; j < p; j++) {
    const list = positions.get(prompt.hashes[j]!);
    if (list) list.push(j);
    else positions.set(prompt.hashes[j]!, [j]);
  }
  const promptShingles = new Set<number>();
  for (let j = 0; j + k <= p; j++) promptShingles.add(shingleHash(prompt.hashes, j, k));

  const measure = (output: string, withJaccard: boolean): PromptLeakScore => {
    const empty: PromptLeakScore = { score: 0, coverage: 0, longestRun: 0, jaccard: 0, shingle: k, start: 0, end: 0 };
    if (!enabled) return empty;
    const out = words(output);
    // run[j]: length of the common run ending at prompt word j and the current output word; only the entries set
    // for the previous word are cleared, so a word costs its matches, not the prompt's length.
    let run = new Int32Array(p + 1);
    let next = new Int32Array(p + 1);
    let touched: number[] = [];
    let nextTouched: number[] = [];
    const covered = new Uint8Array(p);
    let longest = 0;
    let first = -1;
    let last = -1;
    for (let i = 0; i < out.count; i++) {
      const js = positions.get(out.hashes[i]!);
      if (js) {
        for (const j of js) {
          const len = (j > 0 ? run[j]! : 0) + 1;
          next[j + 1] = len;
          nextTouched.push(j + 1);
          if (len > longest) longest = len;
          if (len >= k) {
            // The run's earlier words were marked when it reached k; a longer run adds only its last word.
            if (len === k) for (let q = j - k + 1; q <= j; q++) covered[q] = 1;
            else covered[j] = 1;
            const from = i - len + 1;
            if (first < 0 || from < first) first = from;
            if (i > last) last = i;
          }
        }
      }
      for (const t of touched) run[t] = 0;
      const swap = run;
      run = next;
      next = swap;
      const swapTouched = touched;
      touched = nextTouched;
      nextTouched = swapTouched;
      nextTouched.length = 0;
    }
    let c = 0;
    for (let j = 0; j < p; j++) c += covered[j]!;
    const coverage = c / p;
    // Only reported, never decisive, so detection skips it.
    let jaccard = 0;
    if (withJaccard) {
      let shared = 0;
      const outShingles = new Set<number>();
      for (let i = 0; i + k <= out.count; i++) outShingles.add(shingleHash(out.hashes, i, k));
      for (const s of outShingles) if (promptShingles.has(s)) shared++;
      const union = promptShingles.size + outShingles.size - shared;
      jaccard = union > 0 ? shared / union : 0;
    }
    const result: PromptLeakScore = {
      score: Math.min(1, Math.max(coverage / minCoverage, longest / minRun) / 2),
      coverage,
      longestRun: longest,
      jaccard,
      shingle: k,
      start: first >= 0 ? out.starts[first]! : 0,
      end: last >= 0 ? out.ends[last]! : 0,
    };
    return result;
  };

  return {
    score: (output: string) => measure(output, true),
    detect(output: string): Finding[] {
      const s = measure(output, false);
      const byCoverage = s.coverage >= minCoverage;
      const byRun = s.longestRun >= minRun;
      if (!byCoverage && !byRun) return [];
      const signals = [...(byCoverage ? ['coverage'] : []), ...(byRun ? ['long_run'] : [])];
      // Score: 0.5 at the threshold, rising to 1 for a prompt copied whole.
      const strength = Math.max(s.coverage, Math.min(1, s.longestRun / p));
      return [
        {
          detector: 'output',
          type: 'prompt_leak',
          start: s.start,
          end: s.end,
          score: Math.max(0.5, Math.min(1, 0.5 + 0.5 * strength)),
          signals,
        },
      ];
    },
  };
}

/** Findings (detector `output`, type `prompt_leak`) when `output` repeats enough of `systemPrompt`. */
export function detectPromptLeak(output: string, systemPrompt: string, opts: PromptLeakOptions = {}): Finding[] {
  return compilePromptLeak(systemPrompt, opts).detect(output);
}
