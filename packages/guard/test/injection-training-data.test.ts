import { describe, expect, it } from 'vitest';
import { loadProbeSets } from '../eval/injection-eval.ts';
import { scoreInjection } from '../src/injection/index.ts';
import { matchPatterns } from '../src/injection/patterns.ts';
import { normalizeForDetection } from '../src/normalize/index.ts';
import { buildCorpus, TEST_ONLY_WRITTEN, UNCALIBRATED_WRITTEN } from '../train/corpus.ts';
import { datasetsDir, loadWritten } from '../train/data.ts';
import { syntheticConstraints } from '../train/synthetic-constraints.ts';
import { syntheticMultilingual } from '../train/synthetic-multilingual.ts';
import { syntheticSecurityTalk } from '../train/synthetic-security-talk.ts';

describe('syntheticMultilingual', () => {
  const examples = syntheticMultilingual(20250607);

  it('is deterministic for a seed and has no duplicate texts', () => {
    const again = syntheticMultilingual(20250607);
    expect(again.map((e) => e.text)).toEqual(examples.map((e) => e.text));
    expect(new Set(examples.map((e) => e.text)).size).toBe(examples.length);
    expect(syntheticMultilingual(1).map((e) => e.text)).not.toEqual(examples.map((e) => e.text));
  });

  it('gives every language more benign text than attacks, so that the language alone cannot mean attack', () => {
    const perLanguage = new Map<string, { attack: number; benign: number }>();
    for (const e of examples) {
      const lang = e.category.split('_').at(-1)!;
      if (lang.length !== 2) continue;
      const c = perLanguage.get(lang) ?? { attack: 0, benign: 0 };
      if (e.label === 1) c.attack++;
      else c.benign++;
      perLanguage.set(lang, c);
    }
    expect([...perLanguage.keys()].sort()).toEqual(['de', 'es', 'fr', 'it', 'pt']);
    for (const [lang, c] of perLanguage) {
      expect(c.attack, lang).toBeGreaterThan(20);
      expect(c.benign, lang).toBeGreaterThan(c.attack);
    }
  });

  it('labels groups consistently', () => {
    for (const e of examples) {
      const attackGroup = e.group === 'synthetic/multilingual' || e.group === 'synthetic/hijack';
      expect(e.label, e.text).toBe(attackGroup ? 1 : 0);
    }
  });

  it('non-English benign prose is not flagged by the shipped detector', () => {
    const prose = examples.filter((e) => e.category.startsWith('prose_'));
    const flagged = prose.filter((e) => scoreInjection(e.text).flagged);
    expect(prose.length).toBeGreaterThan(200);
    expect(flagged.length / prose.length).toBeLessThan(0.02);
  });
});

describe('syntheticConstraints', () => {
  const examples = syntheticConstraints(20250607);

  it('is deterministic, has no duplicates, and is all benign in one group with each kind present', () => {
    expect(syntheticConstraints(20250607).map((e) => e.text)).toEqual(examples.map((e) => e.text));
    expect(new Set(examples.map((e) => e.text)).size).toBe(examples.length);
    for (const e of examples) {
      expect(e.label).toBe(0);
      expect(e.group).toBe('synthetic/output-constraints');
    }
    const kinds = new Map<string, number>();
    for (const e of examples) kinds.set(e.category, (kinds.get(e.category) ?? 0) + 1);
    expect([...kinds.keys()].sort()).toEqual(['app_prompt', 'role', 'task']);
    for (const [kind, n] of kinds) expect(n, kind).toBeGreaterThan(50);
  });

  it('sets the shape of the answer without planting a task-irrelevant change (the BIPIA text attacks)', () => {
    const garbling = /\b(?:misspell|typos|vowels|base64|backwards|homophon|jumble|without\s+(?:any\s+)?spaces)/i;
    for (const e of examples) expect(e.text, e.text).not.toMatch(garbling);
  });
});

describe('syntheticSecurityTalk', () => {
  const examples = syntheticSecurityTalk(20250607);

  it('is deterministic, has no duplicates, and is all benign in one group with each kind present', () => {
    expect(syntheticSecurityTalk(20250607).map((e) => e.text)).toEqual(examples.map((e) => e.text));
    expect(new Set(examples.map((e) => e.text)).size).toBe(examples.length);
    for (const e of examples) {
      expect(e.label).toBe(0);
      expect(e.group).toBe('synthetic/security-talk');
    }
    const kinds = new Set(examples.map((e) => e.category));
    expect([...kinds].sort()).toEqual(['account', 'helpdesk_prompt', 'llm_security', 'security_question']);
  });

  it('talks about secrets and attacks without asking the reader to reveal, ignore or switch anything off', () => {
    const attackish =
      /\b(?:ignore|disregard|forget|bypass|reveal|print|repeat)\b[^.\n]{0,40}\b(?:instructions|prompt|password|rules|above)\b|\b(?:what is|tell me|give me)\s+(?:the|your)\s+(?:password|secret)\b/i;
    for (const e of examples) expect(e.text, e.text).not.toMatch(attackish);
    // No pattern fires on them: the patterns are not what this data is for.
    const strong = examples.filter((e) =>
      matchPatterns(normalizeForDetection(e.text).text).some((h) => h.pattern.weight >= 0.5),
    );
    expect(strong.map((e) => e.text)).toEqual([]);
  });
});

describe('loadWritten', () => {
  const examples = loadWritten();
  const grams = (t: string) => {
    const w = t.toLowerCase().split(/\W+/).filter(Boolean);
    const out: string[] = [];
    for (let i = 0; i + 8 <= w.length; i++) out.push(w.slice(i, i + 8).join(' '));
    return out;
  };

  it('reads one group per file, attacks and benign, with no duplicate texts', () => {
    const groups = new Map<string, Set<number>>();
    for (const e of examples) {
      const labels = groups.get(e.group) ?? new Set<number>();
      labels.add(e.label);
      groups.set(e.group, labels);
      expect(e.text.trim()).not.toBe('');
      expect(e.category).not.toBe('');
    }
    expect([...groups.keys()].sort()).toEqual([
      'synthetic/written-aisec-benign',
      'synthetic/written-builders-benign',
      'synthetic/written-direct-attacks',
      'synthetic/written-edgy-benign',
      'synthetic/written-everyday-benign',
      'synthetic/written-hardneg-benign',
      'synthetic/written-indirect-attacks',
      'synthetic/written-jailbreak-attacks',
      'synthetic/written-multilingual-benign',
      'synthetic/written-roles-benign',
      'synthetic/written-workplace-benign',
    ]);
    for (const [g, labels] of groups) expect([...labels], g).toEqual([g.endsWith('-attacks') ? 1 : 0]);
    expect(new Set(examples.map((e) => e.text.toLowerCase().replace(/\s+/g, ' ').trim())).size).toBe(examples.length);
  });

  it('shares no near-copies with the evaluation probe sets', () => {
    const probe = new Set<string>();
    for (const rows of loadProbeSets().values()) for (const r of rows) for (const g of grams(r.text)) probe.add(g);
    const close = examples.filter((e) => {
      const g = grams(e.text);
      return g.length > 0 && g.filter((x) => probe.has(x)).length / g.length > 0.2;
    });
    expect(close.map((e) => e.text)).toEqual([]);
  });
});

describe('written benign groups that are not plain training data', () => {
  const { assigned } = buildCorpus(datasetsDir());
  const splitsOf = (group: string) => new Set(assigned.filter((a) => a.ex.group === group).map((a) => a.split));

  it('keeps the test-only files out of the training and validation splits', () => {
    for (const g of TEST_ONLY_WRITTEN) expect([...splitsOf(g)], g).toEqual(['test']);
  });

  it('splits the uncalibrated files like any training data (the script keeps their validation part out of calibration)', () => {
    for (const g of UNCALIBRATED_WRITTEN) expect([...splitsOf(g)].sort(), g).toEqual(['test', 'train', 'val']);
  });
});
