// Where the tail of the guard latency comes from: times each call (wall clock and this thread's CPU time), records
// every garbage collection with its start and duration, and says for each slow call whether a collection fell
// inside it, whether the thread was simply not running (wall far above CPU: other work on the machine), or
// whether the call itself did more work. With --alloc it instead measures the bytes each call allocates (needs
// --expose-gc; give a large young generation so that no collection runs between the two readings).
//
//   node packages/guard/bench/latency-probe.ts [pipeline|pii|moderation|injection|normalize] [bytes] [calls]
//   node --expose-gc --max-semi-space-size=256 packages/guard/bench/latency-probe.ts pii 4096 --alloc

import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { warmUpGuard } from '../src/screen/index.ts';
import { probeTarget } from './probe-target.ts';

const { what, bytes, calls, fn } = probeTarget(2000);

warmUpGuard(20);
for (let i = 0; i < 200; i++) fn();

if (process.argv.includes('--alloc')) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('--alloc needs --expose-gc');
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    gc();
    const h0 = getHeapStatistics().used_heap_size;
    const n = 20;
    for (let i = 0; i < n; i++) fn();
    rounds.push((getHeapStatistics().used_heap_size - h0) / n);
  }
  rounds.sort((a, b) => a - b);
  process.stdout.write(
    `${what} ${bytes} B: ${(rounds[3]! / 1024).toFixed(1)} KiB allocated per call (median of 7 rounds; min ${(rounds[0]! / 1024).toFixed(1)}, max ${(rounds[6]! / 1024).toFixed(1)})\n`,
  );
} else {
  const gcs: Array<{ start: number; end: number; kind: number }> = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind ?? 0;
      gcs.push({ start: e.startTime, end: e.startTime + e.duration, kind });
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  // A marker for --trace-opt / --trace-deopt / --trace-gc output: what follows happened during the timed calls.
  process.stdout.write('[probe] timed calls start\n');
  const t0s = new Float64Array(calls);
  const walls = new Float64Array(calls);
  const cpus = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const c0 = process.threadCpuUsage();
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    const c = process.threadCpuUsage(c0);
    t0s[i] = t0;
    walls[i] = t1 - t0;
    cpus[i] = (c.user + c.system) / 1000;
  }
  // GC entries are delivered asynchronously, after the loop yields.
  setTimeout(() => {
    obs.disconnect();
    const sorted = [...walls].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
    const cpuSorted = [...cpus].sort((a, b) => a - b);
    const cq = (p: number) => cpuSorted[Math.min(cpuSorted.length - 1, Math.ceil(p * cpuSorted.length) - 1)]!;
    const kinds: Record<number, string> = {
      1: 'scavenge',
      2: 'mark-compact',
      4: 'incremental',
      8: 'weak-cb',
      16: 'minor-mc',
    };
    let gcMs = 0;
    for (const g of gcs) gcMs += g.end - g.start;
    const wallTotal = walls.reduce((s, w) => s + w, 0);
    process.stdout.write(
      `${what} ${bytes} B, ${calls} calls: wall p50 ${q(0.5).toFixed(3)} p90 ${q(0.9).toFixed(3)} p99 ${q(0.99).toFixed(3)} max ${q(1).toFixed(3)} ms; ` +
        `thread CPU p50 ${cq(0.5).toFixed(3)} p99 ${cq(0.99).toFixed(3)} ms; ${gcs.length} GCs, ${gcMs.toFixed(1)} ms in GC (${((gcMs / wallTotal) * 100).toFixed(1)}% of wall)\n`,
    );
    const slow = q(0.5) * 3;
    let withGc = 0;
    let descheduled = 0;
    let other = 0;
    const lines: string[] = [];
    for (let i = 0; i < calls; i++) {
      if (walls[i]! < slow) continue;
      const s = t0s[i]!;
      const e = s + walls[i]!;
      const inside = gcs.filter((g) => g.end > s && g.start < e);
      const gcIn = inside.reduce((sum, g) => sum + Math.min(g.end, e) - Math.max(g.start, s), 0);
      let why: string;
      if (gcIn > (walls[i]! - q(0.5)) / 2) {
        withGc++;
        why = `GC ${inside.map((g) => `${kinds[g.kind] ?? g.kind} ${(g.end - g.start).toFixed(2)}ms`).join(', ')}`;
      } else if (walls[i]! - cpus[i]! > (walls[i]! - q(0.5)) / 2) {
        descheduled++;
        why = 'not running (wall ≫ CPU)';
      } else {
        other++;
        why = 'more CPU work';
      }
      if (lines.length < 40) lines.push(`  call ${i}: wall ${walls[i]!.toFixed(3)} cpu ${cpus[i]!.toFixed(3)}: ${why}`);
    }
    // Slow calls per tenth of the run: bunched at the start means tiering-up (compilation), even means GC or noise.
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < calls; i++) if (walls[i]! >= slow) tenths[Math.floor((i * 10) / calls)]!++;
    process.stdout.write(
      `slow calls per tenth of the run: ${tenths.join(' ')}\n` +
        `slow calls (≥ 3× p50): ${withGc + descheduled + other}; with a GC inside: ${withGc}; descheduled: ${descheduled}; other: ${other}\n${lines.join('\n')}\n`,
    );
    const byKind = new Map<string, { n: number; ms: number; max: number }>();
    for (const g of gcs) {
      const k = kinds[g.kind] ?? String(g.kind);
      const v = byKind.get(k) ?? { n: 0, ms: 0, max: 0 };
      v.n++;
      v.ms += g.end - g.start;
      v.max = Math.max(v.max, g.end - g.start);
      byKind.set(k, v);
    }
    for (const [k, v] of byKind)
      process.stdout.write(`  ${k}: ${v.n}×, mean ${(v.ms / v.n).toFixed(3)} ms, max ${v.max.toFixed(3)} ms\n`);
  }, 50);
}
