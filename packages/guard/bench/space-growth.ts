// Which V8 heap spaces grow per call when no garbage collection runs (a young generation large enough to hold every
// call): growth outside new space means objects allocated straight into the old generation (the tables of a Map or
// Set that lives there when it is cleared or grows, object literals with accessors, pretenured allocation sites),
// which only a mark-compact frees. No collection is forced between the warm-up and the rounds: a mark-compact
// flushes compiled regexp code, and the recompilation would show as code-space growth that a steady run does not
// have.
//
//   node --expose-gc --max-semi-space-size=1024 packages/guard/bench/space-growth.ts [target] [bytes] [calls]

import { getHeapSpaceStatistics } from 'node:v8';
import { warmUpGuard } from '../src/screen/index.ts';
import { probeTarget } from './probe-target.ts';

const { what, bytes, calls, fn } = probeTarget(100);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('needs --expose-gc');
gc();
warmUpGuard(20);
for (let i = 0; i < 1000; i++) fn();
const spaces = () => new Map(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
for (let r = 0; r < 3; r++) {
  const a = spaces();
  for (let i = 0; i < calls; i++) fn();
  const b = spaces();
  if (b.get('new_space')! < a.get('new_space')!)
    process.stdout.write('(a scavenge ran: give a larger young generation)\n');
  const parts = [...b]
    .filter(([k, v]) => v !== a.get(k))
    .map(([k, v]) => `${k} ${((v - (a.get(k) ?? 0)) / calls / 1024).toFixed(2)}`)
    .join(', ');
  process.stdout.write(`${what} ${bytes} B, KiB per call: ${parts}\n`);
}
