// Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the busy time went, by function
// (self time), by package or gateway folder (self and inclusive), and the gateway's own functions
// by inclusive time, which points at the code path to look at first.
//   node bench/overhead/profile.ts <file.cpuprofile> [--top 15]

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  ms: number;
  /** Share of busy time (idle excluded). */
  pct: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  selfByFunction: ProfileRow[];
  selfByArea: ProfileRow[];
  inclusiveByArea: ProfileRow[];
  inclusiveGateway: ProfileRow[];
}

const GATEWAY_SRC = '/packages/gateway/src/';
const PSEUDO = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function shortPath(url: string): string {
  const gw = url.indexOf(GATEWAY_SRC);
  if (gw !== -1) return `gateway/${url.slice(gw + GATEWAY_SRC.length)}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) return url.slice(nm + '/node_modules/'.length);
  return url.replace(/^file:\/\//, '');
}

/** The package, gateway folder or Node subsystem a frame belongs to. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (PSEUDO.has(functionName)) return functionName;
  if (!url) return '(V8 builtins / native)';
  const gw = url.indexOf(GATEWAY_SRC);
  if (gw !== -1) return `portcullis ${url.slice(gw + GATEWAY_SRC.length).split('/')[0]}/`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/');
    if (parts[0] === 'internal' && parts[1] === 'deps') return `node:${parts[2] ?? 'deps'}`;
    return `node:${parts[0] === 'internal' ? (parts[1] ?? 'internal') : parts[0]}`.replace(/\.js$/, '');
  }
  return shortPath(url);
}

function functionKey(frame: CallFrame): string {
  if (PSEUDO.has(frame.functionName) || !frame.url) return frame.functionName || '(anonymous)';
  return `${frame.functionName || '(anonymous)'} ${shortPath(frame.url)}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, busyMs: number, n: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: busyMs > 0 ? (100 * us) / 1000 / busyMs : 0 }));
}

function add(map: Map<string, number>, key: string, v: number): void {
  map.set(key, (map.get(key) ?? 0) + v);
}

export function summariseProfile(file: string, n = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }

  const selfFn = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const inclGateway = new Map<string, number>();
  let wallUs = 0;
  let idleUs = 0;
  // Stacks repeat a lot; cache each leaf's set of areas and gateway functions.
  const stackCache = new Map<number, { areas: string[]; gateway: string[] }>();

  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    const id = profile.samples[i]!;
    const node = byId.get(id);
    if (!node || dt <= 0) continue;
    wallUs += dt;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += dt;
      continue;
    }
    add(selfFn, functionKey(node.callFrame), dt);
    add(selfArea, areaOf(node.callFrame), dt);
    let stack = stackCache.get(id);
    if (!stack) {
      const areas = new Set<string>();
      const gateway = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const frame = byId.get(cur)!.callFrame;
        if (frame.functionName === '(root)') continue;
        areas.add(areaOf(frame));
        if (frame.url.includes(GATEWAY_SRC)) gateway.add(functionKey(frame));
      }
      stack = { areas: [...areas], gateway: [...gateway] };
      stackCache.set(id, stack);
    }
    for (const a of stack.areas) {
      // Node internals and builtins sit under everything, so their inclusive time says nothing.
      if (!a.startsWith('node:') && !a.startsWith('(')) add(inclArea, a, dt);
    }
    for (const g of stack.gateway) add(inclGateway, g, dt);
  }

  const busyMs = (wallUs - idleUs) / 1000;
  return {
    wallMs: wallUs / 1000,
    busyMs,
    selfByFunction: top(selfFn, busyMs, n),
    selfByArea: top(selfArea, busyMs, n),
    inclusiveByArea: top(inclArea, busyMs, n),
    inclusiveGateway: top(inclGateway, busyMs, n),
  };
}

function rows(title: string, list: ProfileRow[]): string {
  const lines = list.map((r) => `| ${r.name.replaceAll('|', '\\|')} | ${r.ms.toFixed(0)} | ${r.pct.toFixed(1)}% |`);
  return [`**${title}**`, '', '| | ms | % of busy |', '| --- | ---: | ---: |', ...lines, ''].join('\n');
}

export function formatProfile(s: ProfileSummary): string {
  return [
    `Profiled ${(s.wallMs / 1000).toFixed(1)} s of the gateway's main thread, ${(s.busyMs / 1000).toFixed(1)} s of it busy.`,
    '',
    rows('Self time by function', s.selfByFunction),
    rows('Self time by package / gateway folder', s.selfByArea),
    rows('Inclusive time by package / gateway folder (Node internals left out)', s.inclusiveByArea),
    rows('Inclusive time of gateway functions', s.inclusiveGateway),
  ].join('\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '15' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: node bench/overhead/profile.ts <file.cpuprofile> [--top 15]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summariseProfile(file, Number(values.top) || 15))}\n`);
}
