// Where the bytes a call allocates come from: runs one target many times under V8's sampling heap profiler (every
// sample kept, including objects a scavenge has already freed) and prints the allocation sites by bytes per call,
// self and with callees. With --survivors, only what no scavenge freed: objects promoted to (or allocated straight
// into) the old generation, which only a mark-compact frees, so the sites that make mark-compacts come round (run
// it with the young generation the bench uses, --max-semi-space-size=1).
//
//   node packages/guard/bench/alloc-sites.ts [pipeline|pii|moderation|injection|normalize] [bytes] [calls] [top]
//   node --max-semi-space-size=1 packages/guard/bench/alloc-sites.ts pipeline 4096 3000 40 --survivors
// With --direct-old as well, and a young generation that holds every call (no scavenge while sampling), then two
// scavenges forced at the end: only what was allocated straight into the old generation (tables of Maps and Sets
// that live there, pretenured allocation sites, internalised strings).
//   node --expose-gc --max-semi-space-size=512 packages/guard/bench/alloc-sites.ts pipeline 4096 1000 40 --survivors --direct-old

import { Session } from 'node:inspector/promises';
import { warmUpGuard } from '../src/screen/index.ts';
import { probeTarget } from './probe-target.ts';

const { what, bytes, calls, rest, fn } = probeTarget(3000);
const top = Number(rest[0] ?? 40);
warmUpGuard(20);
for (let i = 0; i < 500; i++) fn();

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: Node[];
}
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: !process.argv.includes('--survivors'),
});
for (let i = 0; i < calls; i++) fn();
if (process.argv.includes('--direct-old')) {
  const gc = (globalThis as { gc?: (o: { type: 'minor' }) => void }).gc;
  if (gc === undefined) throw new Error('--direct-old needs --expose-gc');
  gc({ type: 'minor' });
  gc({ type: 'minor' });
}
const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
const name = (n: Node) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/guard\//, '').replace(/^.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}`;
const depth = Number(process.env['ALLOC_DEPTH'] ?? 1);
function walk(n: Node, stack: Set<string>, path: string[] = []): number {
  const k = name(n);
  const p = [k, ...path].slice(0, depth);
  const sk = p.join(' <- ');
  self.set(sk, (self.get(sk) ?? 0) + n.selfSize);
  all += n.selfSize;
  let sum = n.selfSize;
  const inner = new Set(stack);
  inner.add(k);
  for (const c of n.children) sum += walk(c, inner, p);
  if (!stack.has(k)) total.set(k, (total.get(k) ?? 0) + sum);
  return sum;
}
walk(profile.head, new Set());
const kib = (b: number) => (b / calls / 1024).toFixed(1).padStart(7);
process.stdout.write(`${what} ${bytes} B: ${kib(all)} KiB sampled per call\n  self KiB/call:\n`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${kib(v)}  ${k}\n`);
process.stdout.write('  with callees KiB/call:\n');
for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${kib(v)}  ${k}\n`);
