// Latency of the whole input pipeline (screenInput, default policy, one user message) and of each detector alone,
// on 1 KB, 4 KB and 32 KB of ordinary prose with some personal data in it (no attacks: an attack blocks early and
// would flatter the figures), next to baselines measured in the same run. Writes the "Guard latency" section of
// bench/RESULTS.md.
//
//   npm run bench:guard                 (about a minute)
//   npm run bench:guard -- --no-write   (print only)
//
// One core: the process re-runs itself pinned to one CPU with taskset when it can (so garbage collection helpers
// don't borrow the other core), and the detectors run on the one JavaScript thread. It also re-runs itself with the
// V8 flags recommended for the gateway (NODE_FLAGS below).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeMachine, utcNow, writeResultsSection } from '../eval/run-all.ts';
import { analyzeInjectionText } from '../src/injection/index.ts';
import { moderate } from '../src/moderation/index.ts';
import { normalizeForDetection, unicodeDetector } from '../src/normalize/index.ts';
import { detectPii } from '../src/pii/index.ts';
import { DEFAULT_POLICY } from '../src/policy/index.ts';
import { screenInput, warmUpGuard } from '../src/screen/index.ts';
import { scanSecrets } from '../src/secrets/index.ts';

const HEADING = '## Guard latency (npm run bench:guard)';
const TARGET_P99_MS = 2;
/** Warm-up per input size, all cases interleaved, before anything is timed. */
const WARM_MS = 3000;

/** Busy jiffies per CPU since boot, from /proc/stat. */
function cpuBusy(): number[] {
  return readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .filter((l) => /^cpu\d+ /.test(l))
    .map((l) => {
      const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = l
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      return user + nice + system + irq + softirq + steal;
    });
}

/** The CPU other processes kept least busy over the last half second: on a shared machine, the quieter core. */
function quietestCpu(): number {
  const a = cpuBusy();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  const b = cpuBusy();
  let best = 0;
  for (let i = 1; i < b.length; i++) if (b[i]! - a[i]! < b[best]! - a[best]!) best = i;
  return best;
}

/**
 * V8 flags the benchmark runs with, those docs/deploy.md recommends for the gateway ("Node.js heap"). A young
 * generation of 1 MiB per semi-space. Before 2026-11-25 the pipeline allocated about 3.5 KiB per 4 KB call straight
 * into the old generation, and with the default (up to 16 MiB) a full mark-compact (4-8 ms) followed nearly every
 * scavenge and set the p99 (33 mark-compacts in the 4 KB phase with 16 MiB, 8 with 1 MiB). Since that was fixed the
 * 4 KB phase has none with either; at 32 KB the 1 MiB setting still halves them (20 against 41).
 */
const NODE_FLAGS = ['--max-semi-space-size=1'];

function hasTaskset(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Re-runs this script with NODE_FLAGS (unless given other values) and, where it can, pinned to one CPU. */
function relaunch(): void {
  if (process.env['PCX_BENCH_PINNED'] !== undefined) return;
  const script = fileURLToPath(import.meta.url);
  const named = (f: string) => f.split('=')[0]!;
  const flags = NODE_FLAGS.filter((f) => !process.execArgv.some((a) => named(a) === named(f)));
  const node = [process.execPath, ...flags, ...process.execArgv, script, ...process.argv.slice(2)];
  const cpu = hasTaskset() ? String(quietestCpu()) : '';
  const [cmd, ...args] = cpu ? ['taskset', '-c', cpu, ...node] : node;
  try {
    execFileSync(cmd!, args, { stdio: 'inherit', env: { ...process.env, PCX_BENCH_PINNED: cpu } });
    process.exit(0);
  } catch (err) {
    process.exit((err as { status?: number }).status ?? 1);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs: the kind of text an application sends — requests, emails, notes — with names, addresses, emails and
// phone numbers here and there. Numbers vary between repetitions so that long inputs are not one paragraph over
// and over.

const PARAGRAPHS = [
  'Hi team, following up on yesterday’s call with Maria Gonzalez from Northwind Logistics. She asked us to send the revised contract to maria.gonzalez@northwind-logistics.com before Friday, and to copy her assistant. Could you summarise the open questions from the call and draft a short, polite reply that confirms the delivery schedule for order #{n}?',
  'The quarterly report covers revenue, operating costs and the outlook for the next two quarters. Sales in the northern region grew by {n} percent, driven by the new subscription plans, while the southern region was flat. Please rewrite the executive summary so that it fits on one slide and keeps the three most important numbers.',
  'Customer note: Mr. James Whitaker called on {d} March about a damaged parcel. His phone number is (415) 555-0{n3} and he would prefer a callback in the afternoon. He lives at 1200 Market Street, Apartment {n}, San Francisco, CA 94102. Suggest two ways we could make this right and estimate what each would cost us.',
  'I am planning a three-day trip to Lisbon in May with two colleagues. We need a hotel close to the conference centre, a dinner reservation for the first evening and a short list of museums that are open on Mondays. Our budget is about {n} euros per person, not counting flights.',
  'Can you explain the difference between a left join and an inner join in SQL, with a small example using a customers table and an orders table? I keep getting duplicate rows when a customer has more than one order, and I would like to understand why before I rewrite the report query.',
  'Meeting notes, {d} April: Priya Raman presented the hiring plan for the support team. We agreed to open {n} positions in Q3, to move the on-call rotation to a weekly schedule and to review the escalation policy. Action items: Priya to share the job descriptions, Tom Becker (tom.becker@example.org) to update the rota.',
  'Please proofread this paragraph for grammar and tone: "Thank you for your patience while we investigated the issue with your account. Our engineers found the cause and have deployed a fix. If you still see the problem, reply to this email or call our support line at +1 212 555 01{n2}."',
  'Write a short product description for a stainless steel water bottle that keeps drinks cold for {n} hours. The audience is hikers and commuters; mention that it is dishwasher safe, fits in a car cup holder and comes in four colours. Keep it under eighty words and avoid exaggerated claims.',
  'Our invoice {n}-B was paid twice by mistake. The payment came from the account of Elena Petrova, and she would like the second payment refunded to the same card. Her email is elena.petrova@mailbox.example and her billing address is 48 Rue de la Paix, 75002 Paris. What information do we need from her to process the refund?',
  'Summarise the main arguments for and against a four-day work week in about two hundred words, citing the kinds of studies that exist rather than specific numbers. Then list three questions a small company should answer before trying it, such as how customer support hours would be covered.',
];

/** `bytes` characters of the benchmark prose; `seed` picks the paragraph to start with. Exported for profiling. */
export function prose(bytes: number, seed: number): string {
  let out = '';
  let i = seed;
  while (out.length < bytes) {
    const p = PARAGRAPHS[i % PARAGRAPHS.length]!;
    const n = 17 + ((i * 7919) % 900);
    out += `${p
      .replace('{n}', String(n))
      .replace('{n2}', String(10 + (n % 90)))
      .replace('{n3}', String(100 + (n % 900)))
      .replace('{d}', String(1 + (n % 28)))}\n\n`;
    i++;
  }
  const cut = out.lastIndexOf(' ', bytes);
  // Inputs arrive parsed from a request body, as flat strings; a concatenated rope would time V8's flattening.
  return JSON.parse(JSON.stringify(out.slice(0, cut > 0 ? cut : bytes))) as string;
}

// ---------------------------------------------------------------------------------------------------------------

interface Measure {
  size: string;
  name: string;
  calls: number;
  p50: number;
  p99: number;
  cpu: number;
}

interface Case {
  name: string;
  fn: () => unknown;
  times: number[];
  cpuMs: number;
}

/**
 * Times every case of one input size in interleaved rounds, a batch of calls each, so that a burst of other work
 * on the machine falls on all of them alike rather than on whichever ran at that moment. Stops when every case has
 * `calls` samples, or at the deadline once every case has at least 100 (a 99th percentile of real calls).
 */
function measureAll(size: string, cases: Case[], calls: number, maxMs: number): Measure[] {
  // Warm-up until the optimising compiler has settled, not just 50 calls: with 50, about 150 functions were still
  // being compiled or re-optimised during the first few thousand timed calls (--trace-opt), on the same pinned core,
  // and the slow calls bunched at the start of the run (bench/latency-probe.ts). A gateway serves millions of
  // calls; its first second is not its steady state.
  const warmUntil = performance.now() + WARM_MS;
  for (let round = 0; round < 50 || performance.now() < warmUntil; round++) for (const c of cases) c.fn();
  const batch = Math.max(5, Math.ceil(calls / 20));
  const deadline = performance.now() + maxMs;
  const done = () =>
    cases.every((c) => c.times.length >= calls) ||
    (performance.now() > deadline && cases.every((c) => c.times.length >= 100));
  while (!done()) {
    for (const c of cases) {
      if (c.times.length >= calls) continue;
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < batch; i++) {
        const t0 = performance.now();
        c.fn();
        c.times.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      c.cpuMs += (cpu.user + cpu.system) / 1000;
    }
  }
  return cases.map((c) => {
    const times = [...c.times].sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
    const m = { size, name: c.name, calls: times.length, p50: q(0.5), p99: q(0.99), cpu: c.cpuMs / times.length };
    process.stderr.write(
      `[bench] ${size} ${m.name}: p50 ${m.p50.toFixed(3)} ms, p99 ${m.p99.toFixed(3)} ms (${m.calls} calls)\n`,
    );
    return m;
  });
}

const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

function main(): void {
  relaunch();
  const started = utcNow();
  const machine = describeMachine();
  process.stderr.write('[bench] warming up\n');
  warmUpGuard(20);
  const policy = { ...DEFAULT_POLICY, budgetMs: Number.POSITIVE_INFINITY };
  const sizes: Array<[string, number, number]> = [
    ['1 KB', 1024, 3000],
    ['4 KB', 4096, 1500],
    ['32 KB', 32768, 200],
  ];
  const results: Measure[] = [];
  const checks: string[] = [];
  for (const [label, bytes, calls] of sizes) {
    const text = prose(bytes, bytes);
    const r = screenInput([{ role: 'user', content: text }], policy);
    if (r.blocked) throw new Error(`the ${label} benchmark text was blocked (${r.blocked.detector}/${r.blocked.type})`);
    checks.push(
      `${label}: ${text.length} characters, ${r.findings.length} findings (${[...new Set(r.findings.map((f) => `${f.detector}/${f.type}`))].join(', ') || 'none'}), not blocked`,
    );
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: text }] });
    const normalized = normalizeForDetection(text);
    const cases: Case[] = [];
    const add = (name: string, fn: () => unknown) => cases.push({ name, fn, times: [], cpuMs: 0 });
    add('baseline: JSON.parse + JSON.stringify of the request body', () => JSON.stringify(JSON.parse(body)));
    add('baseline: one regex scan (emails)', () => text.match(EMAIL_RE));
    add('**full input pipeline** (screenInput, default policy)', () =>
      screenInput([{ role: 'user', content: text }], policy),
    );
    add('normalizeForDetection', () => normalizeForDetection(text));
    add('injection (analyzeInjectionText, normalises itself)', () => analyzeInjectionText(text));
    add('unicode (unicodeDetector)', () => unicodeDetector.detect(text));
    add('moderation (moderate, given the normalised text)', () => moderate(text, { normalized }));
    add('secrets (scanSecrets)', () => scanSecrets(text));
    add('pii (detectPii)', () => detectPii(text));
    process.stderr.write(`[bench] ${label}: ${cases.length} cases, interleaved\n`);
    results.push(...measureAll(label, cases, calls, 15_000));
  }

  const at = (size: string, prefix: string) => results.find((m) => m.size === size && m.name.includes(prefix))!;
  const lines: string[] = [
    `Last run: ${started} · command: \`npm run bench:guard\` (\`node packages/guard/bench/pipeline-bench.ts\`)`,
    '',
    `Machine: ${machine}. ${process.env['PCX_BENCH_PINNED'] ? `Pinned with taskset to CPU ${process.env['PCX_BENCH_PINNED']} (the one other processes kept least busy at the start).` : 'Not pinned (taskset unavailable).'} Node flags: ${process.execArgv.length > 0 ? process.execArgv.map((a) => `\`${a}\``).join(' ') : 'none'} (see docs/deploy.md, "Node.js heap").`,
    '',
    `Each row times one call, after a warm-up of ${WARM_MS / 1000} s per input size (all cases interleaved, so the optimising compiler has settled), for at least 100 calls;` +
      ' the cases of one size run interleaved in ' +
      'rounds, so that other work on the machine falls on all of them alike. p50 and p99 are wall-clock per call, "CPU" is ' +
      'the process CPU time per call (less sensitive to other work on the machine). "× JSON" divides the p50 by ' +
      'the JSON.parse + JSON.stringify baseline of the same size. Inputs are ordinary prose (requests, emails, ' +
      'notes) with names, addresses, emails and phone numbers, and no attacks, so nothing stops early.',
    '',
    '| input | what | calls | p50 ms | p99 ms | CPU ms/call | × JSON (p50) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of results) {
    const base = at(m.size, 'JSON.parse').p50;
    lines.push(
      `| ${m.size} | ${m.name} | ${m.calls} | ${m.p50.toFixed(3)} | ${m.p99.toFixed(3)} | ${m.cpu.toFixed(3)} | ${(m.p50 / base).toFixed(0)}× |`,
    );
  }
  const full4 = at('4 KB', 'full input pipeline');
  const detectors = results.filter(
    (m) =>
      m.size === '4 KB' &&
      !m.name.startsWith('baseline') &&
      !m.name.includes('full') &&
      !m.name.startsWith('normalize'),
  );
  const top = [...detectors].sort((a, b) => b.p50 - a.p50)[0]!;
  const sum = detectors.reduce((s, m) => s + m.p50, 0);
  lines.push(
    '',
    `At 4 KB the slowest detector is **${top.name.split(' (')[0]}**: ${top.p50.toFixed(3)} ms p50, ${((top.p50 / sum) * 100).toFixed(0)}% of the detectors' summed p50 (${sum.toFixed(3)} ms).`,
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    `| full input pipeline p99 < ${TARGET_P99_MS} ms at 4 KB | p99 ${full4.p99.toFixed(3)} ms (p50 ${full4.p50.toFixed(3)} ms, CPU ${full4.cpu.toFixed(3)} ms/call) | ${full4.p99 < TARGET_P99_MS ? '**met**' : '**missed**'} |`,
    '',
    "For scale: LLM Guard's PromptInjection scanner (a DeBERTa model) takes about 100–200 ms per prompt on a CPU.",
    '',
    'Checks:',
    '',
    ...checks.map((c) => `- ${c}.`),
  );
  const body = lines.join('\n');
  process.stdout.write(`${HEADING}\n\n${body}\n`);
  if (!process.argv.includes('--no-write')) {
    writeResultsSection(HEADING, body);
    process.stderr.write(`[bench] wrote "${HEADING}" in bench/RESULTS.md\n`);
  }
}

if (import.meta.main) main();
