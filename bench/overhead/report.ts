// Turns the measured runs into the Markdown that is printed and kept in bench/RESULTS.md.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * `gateway` is the issue's configuration (auth + logging); `guarded` adds the default guard policy; `execute` sends
 * the same question as a variable of a stored prompt to the guarded gateway (`POST /v1/prompts/{id}/execute`).
 */
export type TargetId = 'direct' | 'proxy' | 'gateway' | 'guarded' | 'execute';
export const TARGET_IDS: readonly TargetId[] = ['direct', 'proxy', 'gateway', 'guarded', 'execute'];

export interface Aggregate {
  label: string;
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Medians over the rounds, and each round's value. */
  rps: number;
  roundRps: number[];
  p50: number;
  roundP50: number[];
  p99: number;
  roundP99: number[];
  /** CPU ms per completed request: the proxy or gateway (undefined for direct), the upstream, this script. */
  cpuHop: number | undefined;
  cpuUpstream: number;
  cpuLoadgen: number;
  /** Average cores used by processes outside the benchmark while this target ran. */
  otherCores: number;
  /** Paced runs: 99th percentile of how late requests were sent against their schedule (ms). */
  sendLagP99: number | undefined;
}

export interface ModeResult {
  id: 'saturation' | 'fixed';
  title: string;
  rows: Partial<Record<TargetId, Aggregate>>;
}

export interface Machine {
  cpus: number;
  model: string;
  memGiB: number;
  kernel: string;
  node: string;
  loadBefore: string;
}

export interface Report {
  date: string;
  command: string;
  machine: Machine;
  /** Which gateway code was measured (commit, working tree). */
  gatewayCode: string;
  method: string[];
  modes: ModeResult[];
  validity: string[];
  /** Set when a run saw errors or non-2xx answers: the numbers must not be used. */
  invalid: string[];
  /** Runs kept although other processes disturbed them, or that fell behind the fixed rate. */
  noisy: string[];
}

export const LIMITS = { addedP50Ms: 0.5, cpuMsPerRequest: 0.3, throughputVsProxy: 0.7 } as const;

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const cpu = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3));
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}` : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : 'n/a');
const int = (v: number) => Math.round(v).toLocaleString('en-US');

function modeTable(mode: ModeResult): string {
  const direct = mode.rows.direct;
  const proxy = mode.rows.proxy;
  const head = [
    '| target | req/s (rounds) | p50 ms (rounds) | p99 ms (rounds) | added p50 / p99 vs direct | added p50 / p99 vs bare proxy | req/s vs bare proxy | proxy or gateway CPU ms/req | upstream CPU ms/req | load generator CPU ms/req | failed requests | other processes (cores) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const lines = [];
  for (const id of TARGET_IDS) {
    const r = mode.rows[id];
    if (!r) continue;
    const vsDirect = direct && id !== 'direct' ? `${signed(r.p50 - direct.p50)} / ${signed(r.p99 - direct.p99)}` : '—';
    const behindProxy = id === 'gateway' || id === 'guarded' || id === 'execute';
    const vsProxy =
      proxy && behindProxy ? `${signed(r.p50 - proxy.p50)} / ${signed(r.p99 - proxy.p99)}` : id === 'proxy' ? '0' : '—';
    const thr = proxy && id !== 'proxy' ? pct(r.rps / proxy.rps) : id === 'proxy' ? '100%' : '—';
    lines.push(
      `| ${r.label} | ${int(r.rps)} (${r.roundRps.map(int).join(', ')}) | ${ms(r.p50)} (${r.roundP50.map(ms).join(', ')}) | ${ms(r.p99)} (${r.roundP99.map(ms).join(', ')}) | ${vsDirect} | ${vsProxy} | ${thr} | ${cpu(r.cpuHop)} | ${cpu(r.cpuUpstream)} | ${cpu(r.cpuLoadgen)} | ${int(r.non2xx + r.errors + r.timeouts)} | ${r.otherCores.toFixed(2)} |`,
    );
  }
  return [...head, ...lines].join('\n');
}

interface Verdict {
  name: string;
  measured: string;
  result: string;
}

function verdicts(report: Report): Verdict[] {
  const sat = report.modes.find((m) => m.id === 'saturation');
  const fixed = report.modes.find((m) => m.id === 'fixed');
  const out: Verdict[] = [];
  const met = (ok: boolean) => (ok ? 'met' : 'missed');

  const fd = fixed?.rows.direct;
  const fp = fixed?.rows.proxy;
  const fg = fixed?.rows.gateway;
  if (fd && fg) {
    const added = fg.p50 - fd.p50;
    out.push({
      name: `added p50 latency < ${LIMITS.addedP50Ms} ms (vs direct, at the fixed rate)`,
      measured: `${signed(added)} ms (vs bare proxy: ${fp ? signed(fg.p50 - fp.p50) : 'n/a'} ms; at saturation vs direct: ${
        sat?.rows.gateway && sat.rows.direct ? signed(sat.rows.gateway.p50 - sat.rows.direct.p50) : 'n/a'
      } ms)`,
      result: met(added < LIMITS.addedP50Ms),
    });
  }

  const sg = sat?.rows.gateway;
  const sp = sat?.rows.proxy;
  const cpuRuns: Array<[string, number | undefined, number | undefined]> = [];
  if (sg) cpuRuns.push(['saturation', sg.cpuHop, sp?.cpuHop]);
  if (fg) cpuRuns.push(['fixed rate', fg.cpuHop, fp?.cpuHop]);
  if (cpuRuns.length > 0) {
    const ok = cpuRuns.map(([, g]) => g !== undefined && g < LIMITS.cpuMsPerRequest);
    const result = ok.every(Boolean)
      ? 'met'
      : ok.some(Boolean)
        ? `met only at ${cpuRuns.filter((_, i) => ok[i]).map(([n]) => n)[0]}`
        : 'missed';
    out.push({
      name: `gateway CPU < ${LIMITS.cpuMsPerRequest} ms per request`,
      measured: cpuRuns.map(([n, g, p]) => `${cpu(g)} ms at ${n} (bare proxy ${cpu(p)})`).join('; '),
      result,
    });
  }

  if (sg && sp) {
    const ratio = sg.rps / sp.rps;
    out.push({
      name: `throughput ≥ ${pct(LIMITS.throughputVsProxy)} of the bare proxy's (saturation)`,
      measured: `${pct(ratio)} (${int(sg.rps)} vs ${int(sp.rps)} req/s)`,
      result: met(ratio >= LIMITS.throughputVsProxy),
    });
  }
  return out;
}

/** The shipped configuration, guards on: not what the issue's targets are about, but what users run. */
function guardedSummary(report: Report): string | undefined {
  const sat = report.modes.find((m) => m.id === 'saturation')?.rows;
  const fixed = report.modes.find((m) => m.id === 'fixed')?.rows;
  const sg = sat?.guarded;
  const fg = fixed?.guarded;
  if (!sg && !fg) return undefined;
  const parts: string[] = [];
  if (sg) {
    parts.push(
      `${int(sg.rps)} req/s at saturation (${sat?.proxy ? `${pct(sg.rps / sat.proxy.rps)} of the bare proxy's` : 'no proxy run'}), ${cpu(sg.cpuHop)} ms CPU per request`,
    );
  }
  if (fg) {
    parts.push(
      `at ${int(fg.rps)} req/s p50 ${ms(fg.p50)} ms and p99 ${ms(fg.p99)} ms${fixed?.direct ? ` (${signed(fg.p50 - fixed.direct.p50)} / ${signed(fg.p99 - fixed.direct.p99)} ms vs direct)` : ''}, ${cpu(fg.cpuHop)} ms CPU per request`,
    );
  }
  const failed = (sg ? sg.non2xx + sg.errors + sg.timeouts : 0) + (fg ? fg.non2xx + fg.errors + fg.timeouts : 0);
  const lines = [
    `With the default guard policy on (the gateway as shipped; not what the targets above are about): ${parts.join('; ')}${failed > 0 ? `; ${int(failed)} requests failed` : ''}.`,
  ];
  const se = sat?.execute;
  const fe = fixed?.execute;
  if (se && sg) {
    lines.push(
      `Prompt execute (same question as a variable of a stored prompt, same guards): ${int(se.rps)} req/s at saturation (${pct(se.rps / sg.rps)} of guarded chat), ${cpu(se.cpuHop)} ms CPU per request (guarded chat ${cpu(sg.cpuHop)})${fe && fg ? `; at ${int(fe.rps)} req/s p50 ${ms(fe.p50)} ms (${signed(fe.p50 - fg.p50)} ms vs guarded chat)` : ''}.`,
    );
  }
  return lines.join('\n\n');
}

export const SECTION_HEADING = '## Gateway overhead (bench/overhead)';

export function markdownSection(report: Report): string {
  const m = report.machine;
  const parts = [
    SECTION_HEADING,
    '',
    `Last run: ${report.date} · command: \`${report.command}\``,
    '',
    `Machine: ${m.cpus} CPUs (${m.model}), ${m.memGiB.toFixed(0)} GiB RAM, Linux ${m.kernel}, Node ${m.node}; load average before the run: ${m.loadBefore}.`,
    '',
    `Gateway code: ${report.gatewayCode}.`,
    '',
  ];
  if (report.invalid.length > 0) {
    parts.push(`**INVALID RUN — do not use these numbers:** ${report.invalid.join('; ')}`, '');
  }
  if (report.noisy.length > 0) {
    parts.push(
      `**Noisy run — other work on the machine disturbed:** ${report.noisy.join('; ')}. Ratios and CPU per request hold up better than throughput and tail latency.`,
      '',
    );
  }
  parts.push('How it is measured:', '', ...report.method.map((l) => `- ${l}`), '');
  for (const mode of report.modes) parts.push(`### ${mode.title}`, '', modeTable(mode), '');
  const v = verdicts(report);
  if (v.length > 0) {
    parts.push(
      '### Targets from the issue',
      '',
      "Judged on the issue's configuration: Portcullis with auth + logging (guards off).",
      '',
      '| target | measured | result |',
      '| --- | --- | --- |',
      ...v.map((x) => `| ${x.name} | ${x.measured} | ${x.result} |`),
      '',
      "For scale: Portkey's open-source gateway, measured on this kind of machine, adds about 1 ms and spends 1.3–1.65 ms of CPU per request (about 800 requests/s on 2 cores).",
      '',
    );
  }
  const guarded = guardedSummary(report);
  if (guarded) parts.push(guarded, '');
  parts.push('Checks:', '', ...report.validity.map((l) => `- ${l}`), '');
  return parts.join('\n');
}

const FILE_HEADER = `# Benchmark results

One section per benchmark. Each section is written by its benchmark's script; rerun the command it names to
refresh it. Numbers from a 2-core machine shared with other work are noisy: compare ratios within one run rather
than absolute figures across runs.
`;

/** Replaces this benchmark's section (up to the next \`## \` heading) or appends it; other sections stay as they are. */
export function updateResultsFile(path: string, section: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : FILE_HEADER;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === SECTION_HEADING);
  let next: string;
  if (start === -1) {
    next = `${text.trimEnd()}\n\n${section.trimEnd()}\n`;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join('\n').trimEnd();
    const after = lines.slice(end).join('\n').trim();
    next = `${before}\n\n${section.trimEnd()}\n${after ? `\n${after}\n` : ''}`;
  }
  writeFileSync(path, next);
}
