// Gateway overhead benchmark: the same load sent straight to the mock upstream, through a bare
// reverse proxy, and through Portcullis with auth + request log + access log on (the issue's
// configuration), plus Portcullis with its default guard policy on top. Each is a separate process
// on loopback. Records req/s, p50/p99 latency and CPU time per request of each hop, and writes them
// to bench/RESULTS.md.
//   npm run bench:overhead [-- --duration 6 --rounds 3 --rate 500 --connections 10 --warmup 3]
//   npm run bench:overhead -- --quick --no-write         (a 40-second smoke run)
//   npm run bench:overhead -- --targets direct,proxy,gateway    (leave out the guarded gateway)
//   npm run bench:overhead -- --rev HEAD     (the committed gateway, not uncommitted work in the tree)
//   npm run bench:overhead -- --wait-quiet 600           (shared machine: start once others are idle)
//   npm run bench:overhead -- --nice=0                   (leave priorities alone; the default -10 needs root)
//   npm run bench:overhead -- --profile DIR --targets gateway   (gateway under --cpu-prof)
// This process is the load generator; load.ts says why there are two generators.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICY } from '@portcullis/guard';
import { paced, probe, type RunResult, Samples, saturate, statusWithoutKey, type Target } from './load.ts';
import { describeMachine, filesystemOf, machineBusyMs, QUIET_CORES, waitForQuiet } from './machine.ts';
import {
  type Child,
  installCleanup,
  peakRssMiB,
  processCpuMs,
  runNode,
  selfCpuMs,
  startNode,
  stop,
  stopAll,
} from './procs.ts';
import { formatProfile, summariseProfile } from './profile.ts';
import {
  type Aggregate,
  type ModeResult,
  markdownSection,
  type Report,
  TARGET_IDS,
  type TargetId,
  updateResultsFile,
} from './report.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(ROOT, 'bench/RESULTS.md');
const PROXY_MAIN = join(ROOT, 'bench/overhead/proxy.ts');
const CHAT_PATH = '/v1/chat/completions';
const MODEL = 'bench-1';
/** After each run, so the request log's batch (flushed every 250 ms) of the last requests is counted. */
const SETTLE_MS = 400;
const PACED_WARMUP_S = 1;
/** A run during which other processes kept more cores than this busy is repeated once they calm down. */
const NOISY_CORES = 0.25;
const MAX_REPEATS = 2;

const { values: opts } = parseArgs({
  options: {
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '3' },
    rate: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '3' },
    targets: { type: 'string', default: TARGET_IDS.join(',') },
    quick: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'wait-quiet': { type: 'string', default: '0' },
    'repeat-budget': { type: 'string', default: '90' },
    nice: { type: 'string', default: '-10' },
    profile: { type: 'string' },
    rev: { type: 'string' },
  },
  strict: true,
});

function numberOpt(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`--${name} must be a number ≥ ${min}, got ${value}\n`);
    process.exit(2);
  }
  return n;
}

const settings = {
  connections: Math.round(numberOpt('connections', opts.connections, 1)),
  durationS: opts.quick ? 3 : numberOpt('duration', opts.duration, 1),
  rounds: opts.quick ? 1 : Math.round(numberOpt('rounds', opts.rounds, 1)),
  rate: numberOpt('rate', opts.rate, 1),
  warmupS: opts.quick ? 1 : numberOpt('warmup', opts.warmup, 0),
  waitQuietS: numberOpt('wait-quiet', opts['wait-quiet'], 0),
  repeatBudgetS: numberOpt('repeat-budget', opts['repeat-budget'], 0),
  nice: Math.round(numberOpt('nice', opts.nice, -20)),
};
const selected = opts.targets.split(',').map((s) => s.trim());
for (const t of selected) {
  if (!(TARGET_IDS as readonly string[]).includes(t)) {
    process.stderr.write(`--targets: unknown target ${t} (known: ${TARGET_IDS.join(', ')})\n`);
    process.exit(2);
  }
}
let targetIds = TARGET_IDS.filter((t) => selected.includes(t));

// A small, realistic chat completion: a system prompt and one user question.
const BODY = Buffer.from(
  JSON.stringify({
    model: MODEL,
    messages: [
      { role: 'system', content: 'You are a concise assistant for an internal engineering help desk.' },
      {
        role: 'user',
        content:
          'Our web app calls the model provider straight from the browser with an API key in the bundle. What are the main risks, and what should we change first?',
      },
    ],
    max_tokens: 256,
    temperature: 0.2,
  }),
);

// The same exchange as a stored prompt: the system part and the template live on the gateway, the question is a variable.
const PROMPT_ID = 'helpdesk';
const PROMPT_YAML = `id: ${PROMPT_ID}
model: ${MODEL}
parameters: { maxTokens: 256, temperature: 0.2 }
system: You are a concise assistant for an internal engineering help desk.
user: "{{question}}"
variables:
  question: { type: string, minLength: 1, maxLength: 2000 }
labels: [production]
`;
const EXECUTE_BODY = Buffer.from(
  JSON.stringify({
    variables: {
      question:
        'Our web app calls the model provider straight from the browser with an API key in the bundle. What are the main risks, and what should we change first?',
    },
  }),
);
const bodyOf = (t: Target): Buffer => t.body ?? BODY;

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rate = (r: RunResult) => r.completed / (r.wallMs / 1000);
const n = (v: number) => v.toLocaleString('en-US');

/** The nice value the benchmark's processes actually got (setting it needs root or CAP_SYS_NICE). */
let niceApplied = 0;
/**
 * Runs are repeated for disturbance only at normal priority: at a raised priority other work just
 * fills the CPU time the benchmark leaves idle.
 */
const guardNoise = () => niceApplied >= 0;

/** The two gateway configurations; each runs as its own process with its own database and log. */
type Variant = 'gateway' | 'guarded';
const VARIANTS: readonly Variant[] = ['gateway', 'guarded'];
type Hop = 'upstream' | 'proxy' | Variant;

interface GatewayInstance {
  child: Child;
  url: string;
  apiKey: string;
  dbPath: string;
  logPath: string;
  logFd: number;
}

interface Stack {
  children: Partial<Record<Hop, Child>>;
  targets: Partial<Record<TargetId, Target>>;
  gateways: Partial<Record<Variant, GatewayInstance>>;
}

const urlLine = (line: string) => (/^http:\/\/\S+$/.test(line.trim()) ? line.trim() : undefined);

/**
 * The issue's configuration is auth + logging, so the `gateway` variant turns every guard rule to
 * `allow` (the guard library skips detectors that can only allow); `guarded` keeps the defaults.
 */
function guardsOff(): Record<string, unknown> {
  const off = (rules: object) =>
    Object.fromEntries(
      Object.entries(rules as Record<string, { categories?: Record<string, string> }>).map(([name, rule]) => [
        name,
        {
          action: 'allow',
          ...(rule.categories
            ? { categories: Object.fromEntries(Object.keys(rule.categories).map((c) => [c, 'allow'])) }
            : {}),
        },
      ]),
    );
  return { input: off(DEFAULT_POLICY.input), output: off(DEFAULT_POLICY.output) };
}

async function startGateway(
  variant: Variant,
  tmp: string,
  cliMain: string,
  upstreamUrl: string,
  env: NodeJS.ProcessEnv,
  guardConfig: Record<string, unknown> | undefined,
): Promise<GatewayInstance> {
  const dir = join(tmp, variant);
  mkdirSync(dir);
  const dbPath = join(dir, 'portcullis.db');
  const configPath = join(dir, 'portcullis.yaml');
  // YAML is a superset of JSON.
  const config = {
    server: { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 3000 },
    storage: { url: `sqlite:${dbPath}` },
    secrets: { masterKey: randomBytes(32).toString('hex') },
    log: { level: 'info' },
    bootstrap: { adminKey: false },
    providers: [
      {
        name: 'up',
        kind: 'openai-compatible',
        baseUrl: `${upstreamUrl}/v1`,
        apiKeyEnv: 'BENCH_UPSTREAM_KEY',
        models: [MODEL],
      },
    ],
    ...(guardConfig ? { guard: guardConfig } : {}),
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // Gateway code from before the prompt platform (see --rev) has no prompts to push.
  const hasPrompts = existsSync(join(cliMain, '../../prompts/service.ts'));
  if (hasPrompts) {
    const promptsDir = join(dir, 'prompts');
    mkdirSync(promptsDir);
    writeFileSync(join(promptsDir, `${PROMPT_ID}.yaml`), PROMPT_YAML);
    await runNode([cliMain, '--config', configPath, 'prompts', 'push', promptsDir], env, ROOT);
  }
  // A user key limited to what the benchmark calls, so scope and model checks run as for an app.
  const created = await runNode(
    [
      cliMain,
      '--config',
      configPath,
      'keys',
      'create',
      '--name',
      'bench',
      '--scopes',
      hasPrompts ? 'chat,execute' : 'chat',
      '--models',
      MODEL,
      ...(hasPrompts ? ['--prompts', PROMPT_ID] : []),
      '--json',
    ],
    env,
    ROOT,
  );
  const apiKey = (JSON.parse(created) as { key: string }).key;
  const logPath = join(dir, 'gateway.log');
  const logFd = openSync(logPath, 'w');
  const profileArgs = opts.profile && variant === 'gateway' ? ['--cpu-prof', `--cpu-prof-dir=${opts.profile}`] : [];
  const gw = await startNode({
    name: variant,
    args: [...profileArgs, cliMain, '--config', configPath, 'start'],
    stdout: logFd,
    readyOn: 'stderr',
    ready: (line) => /listening on (http:\/\/\S+)/.exec(line)?.[1],
    env,
    cwd: ROOT,
    timeoutMs: 60_000,
  });
  return { child: gw.child, url: gw.value, apiKey, dbPath, logPath, logFd };
}

/** Starts the upstream, the bare proxy and the selected gateways, each its own process on a free port. */
async function startStack(tmp: string, gatewayDir: string, stack: Stack): Promise<void> {
  const upstreamKey = `sk-bench-${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {};
  // The gateway refuses unknown PORTCULLIS_* variables and would pick up a developer's own settings.
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PORTCULLIS_')) env[k] = v;
  env.BENCH_UPSTREAM_KEY = upstreamKey;

  const up = await startNode({
    name: 'mock upstream',
    args: [
      join(gatewayDir, 'src/providers/mock-server-main.ts'),
      '--port',
      '0',
      '--api-key',
      upstreamKey,
      '--models',
      MODEL,
    ],
    readyOn: 'stdout',
    ready: urlLine,
    env,
    cwd: ROOT,
  });
  stack.children.upstream = up.child;
  const px = await startNode({
    name: 'bare proxy',
    args: [PROXY_MAIN, '--upstream', up.value],
    readyOn: 'stdout',
    ready: urlLine,
    env,
    cwd: ROOT,
  });
  stack.children.proxy = px.child;

  const upstreamAuth = { authorization: `Bearer ${upstreamKey}` };
  stack.targets.direct = {
    id: 'direct',
    label: 'direct to upstream',
    url: up.value + CHAT_PATH,
    headers: upstreamAuth,
  };
  stack.targets.proxy = { id: 'proxy', label: 'bare Node proxy', url: px.value + CHAT_PATH, headers: upstreamAuth };

  const hasGuards = existsSync(join(gatewayDir, 'src/pipeline/guards.ts'));
  const labels: Record<Variant, string> = {
    gateway: hasGuards ? 'Portcullis: auth + logging (guards off)' : 'Portcullis: auth + logging',
    guarded: 'Portcullis: + default guard policy',
  };
  for (const variant of VARIANTS) {
    if (!targetIds.includes(variant)) continue;
    if (variant === 'guarded' && !hasGuards) {
      log('this gateway version has no guards: leaving out the guarded target');
      targetIds = targetIds.filter((t) => t !== 'guarded');
      continue;
    }
    const guardConfig = variant === 'gateway' && hasGuards ? guardsOff() : undefined;
    const gw = await startGateway(variant, tmp, join(gatewayDir, 'src/cli/main.ts'), up.value, env, guardConfig);
    stack.gateways[variant] = gw;
    stack.children[variant] = gw.child;
    stack.targets[variant] = {
      id: variant,
      label: labels[variant],
      url: gw.url + CHAT_PATH,
      headers: { authorization: `Bearer ${gw.apiKey}` },
    };
    if (variant === 'guarded' && targetIds.includes('execute') && existsSync(join(gatewayDir, 'src/prompts'))) {
      stack.targets.execute = {
        id: 'execute',
        label: 'Portcullis: prompt execute, default guards',
        url: `${gw.url}/v1/prompts/${PROMPT_ID}/execute`,
        headers: { authorization: `Bearer ${gw.apiKey}` },
        body: EXECUTE_BODY,
      };
    }
  }
  if (targetIds.includes('execute') && !stack.targets.execute) {
    log('the execute target runs on the guarded gateway: leaving it out');
    targetIds = targetIds.filter((t) => t !== 'execute');
  }
  log(
    Object.entries(stack.children)
      .map(([name, c]) => `${name} pid ${c.pid}`)
      .join(', '),
  );
  if (settings.nice !== 0) {
    // On a shared machine a higher priority leaves other work only the CPU the benchmark does not use.
    try {
      setPriority(process.pid, settings.nice);
      for (const c of Object.values(stack.children)) setPriority(c.pid, settings.nice);
      niceApplied = settings.nice;
    } catch (err) {
      log(`cannot set nice ${settings.nice} (${(err as Error).message}); running at normal priority`);
    }
  }
}

interface Measured {
  run: RunResult;
  cpu: Partial<Record<Hop, number>>;
  self: number;
  windowMs: number;
  /** CPU ms used by processes outside the benchmark during the window. */
  otherMs: number;
}

const otherCores = (m: Measured) => m.otherMs / m.windowMs;

/** Runs one load and charges each process the CPU it used meanwhile. */
async function measure(stack: Stack, go: () => Promise<RunResult>): Promise<Measured> {
  const hops = Object.keys(stack.children) as Hop[];
  const snapshot = () => ({
    at: performance.now(),
    cpu: hops.map((h) => processCpuMs(stack.children[h]!.pid)),
    self: selfCpuMs(),
    busy: machineBusyMs(),
  });
  const before = snapshot();
  const run = await go();
  await sleep(SETTLE_MS);
  const after = snapshot();
  const cpu: Partial<Record<Hop, number>> = {};
  hops.forEach((h, i) => {
    cpu[h] = after.cpu[i]! - before.cpu[i]!;
  });
  const self = after.self - before.self;
  const ours = Object.values(cpu).reduce((a, b) => a + b, 0) + self;
  return {
    run,
    cpu,
    self,
    windowMs: after.at - before.at,
    otherMs: Math.max(0, after.busy - before.busy - ours),
  };
}

function median(values: number[]): number {
  const v = [...values].sort((x, y) => x - y);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/**
 * Rates and percentiles are medians over the rounds, so one round that something outside the
 * benchmark stalled does not decide them; CPU is summed over all rounds, which noise moves little.
 */
function aggregate(t: Target, list: Measured[]): Aggregate {
  const lag = new Samples();
  const sum = (f: (m: Measured) => number) => list.reduce((a, m) => a + f(m), 0);
  for (const m of list) if (m.run.sendLag) lag.append(m.run.sendLag);
  const completed = sum((m) => m.run.completed);
  const roundRps = list.map((m) => rate(m.run));
  const roundP50 = list.map((m) => m.run.latencies.percentile(50));
  const roundP99 = list.map((m) => m.run.latencies.percentile(99));
  // Execute runs on the guarded gateway's process.
  const hop = t.id === 'direct' ? undefined : t.id === 'execute' ? 'guarded' : (t.id as Hop);
  return {
    label: t.label,
    completed,
    non2xx: sum((m) => m.run.non2xx),
    errors: sum((m) => m.run.errors),
    timeouts: sum((m) => m.run.timeouts),
    rps: median(roundRps),
    roundRps,
    p50: median(roundP50),
    roundP50,
    p99: median(roundP99),
    roundP99,
    cpuHop: hop ? sum((m) => m.cpu[hop] ?? 0) / completed : undefined,
    cpuUpstream: sum((m) => m.cpu.upstream ?? 0) / completed,
    cpuLoadgen: sum((m) => m.self) / completed,
    otherCores: sum((m) => m.otherMs) / sum((m) => m.windowMs),
    sendLagP99: lag.count > 0 ? lag.percentile(99) : undefined,
  };
}

interface Mode {
  id: ModeResult['id'];
  title: string;
  go: (t: Target) => Promise<RunResult>;
}

interface Tally {
  /** Requests each gateway answered, checked against its request log at the end. */
  answered: Record<Variant, number>;
  measured: number;
  repeated: number;
  invalid: string[];
  noisy: string[];
  /** Failed requests of the guarded gateway: its own behaviour under load, reported rather than fatal. */
  guardedFailures: string[];
}

function countAnswered(tally: Tally, t: Target, completed: number): void {
  if (t.id === 'gateway' || t.id === 'guarded') tally.answered[t.id] += completed;
  if (t.id === 'execute') tally.answered.guarded += completed;
}

function checkFailures(tally: Tally, t: Target, what: string, r: RunResult): void {
  if (r.non2xx + r.errors + r.timeouts === 0) return;
  const line = `${what}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`;
  (t.id === 'guarded' || t.id === 'execute' ? tally.guardedFailures : tally.invalid).push(line);
}

/** Every round of every mode; rounds alternate the target order so drifts in background load hit all alike. */
async function runModes(stack: Stack, targets: Target[], modes: Mode[], tally: Tally): Promise<ModeResult[]> {
  const repeatDeadline = performance.now() + settings.repeatBudgetS * 1000;
  const results: ModeResult[] = [];
  for (const mode of modes) {
    const kept = new Map<TargetId, Measured[]>();
    for (let round = 1; round <= settings.rounds; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const t of order) {
        const name = `${mode.id} round ${round} ${t.label}`;
        // A run other processes disturbed is repeated once they calm down, within the time
        // budget; the least disturbed attempt is kept.
        let best: Measured | undefined;
        for (let attempt = 1; ; attempt++) {
          const m = await measure(stack, () => mode.go(t));
          const r = m.run;
          countAnswered(tally, t, r.completed);
          log(
            `${name}: ${rate(r).toFixed(0)} req/s, p50 ${r.latencies.percentile(50).toFixed(2)} ms, p99 ${r.latencies.percentile(99).toFixed(2)} ms, other processes ${otherCores(m).toFixed(2)} cores`,
          );
          checkFailures(tally, t, name, r);
          if (!best || otherCores(m) < otherCores(best)) best = m;
          const calm = !guardNoise() || otherCores(m) <= NOISY_CORES;
          if (calm || attempt > MAX_REPEATS || performance.now() >= repeatDeadline) break;
          tally.repeated++;
          log('  disturbed by other processes: waiting for them to calm down, then repeating');
          await waitForQuiet(Math.max(0, (repeatDeadline - performance.now()) / 1000), log);
        }
        if (guardNoise() && otherCores(best) > NOISY_CORES) {
          tally.noisy.push(`${name} (${otherCores(best).toFixed(2)} cores)`);
        }
        if (mode.id === 'fixed' && rate(best.run) < 0.95 * settings.rate) {
          tally.noisy.push(`${name} did not sustain ${settings.rate} req/s`);
        }
        kept.set(t.id, [...(kept.get(t.id) ?? []), best]);
      }
    }
    const rows: ModeResult['rows'] = {};
    for (const t of targets) {
      const row = aggregate(t, kept.get(t.id) ?? []);
      tally.measured += row.completed;
      rows[t.id] = row;
    }
    results.push({ id: mode.id, title: mode.title, rows });
  }
  return results;
}

/** The gateway has exited (and flushed): every answered request must have its row and its log line. */
function checkRequestLogging(variant: Variant, gw: GatewayInstance, tally: Tally): string | undefined {
  const db = new DatabaseSync(gw.dbPath, { readOnly: true });
  const rows = Number((db.prepare('select count(*) as n from request_log').get() as { n: number }).n);
  db.close();
  const lines = readFileSync(gw.logPath, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"msg":"request"')).length;
  const bytes = statSync(gw.logPath).size;
  const answered = tally.answered[variant];
  // Requests still in flight when autocannon stops are answered and logged but not counted here.
  const slack = settings.connections * (2 * settings.rounds * (1 + MAX_REPEATS) + 2);
  const line = `${variant === 'gateway' ? 'the gateway' : 'the guarded gateway'} wrote ${n(rows)} request-log rows to SQLite and ${n(lines)} "request" lines (${(bytes / 2 ** 20).toFixed(1)} MiB) to its log file, for ${n(answered)} requests it answered to this script (a few more are requests in flight when a saturation run stopped).`;
  if (rows < answered || lines < answered || rows > answered + slack) {
    tally.invalid.push(`request logging mismatch: ${line}`);
    return undefined;
  }
  return `Request logging is on: ${line}`;
}

function methodLines(tmp: string, answerBytes: number[]): string[] {
  const priority =
    niceApplied === 0
      ? []
      : [
          `The benchmark's processes ran at nice ${niceApplied}, so other work on the shared machine got mostly the CPU they left idle (the "other processes" column shows how much that was).`,
        ];
  return [
    `Processes on 127.0.0.1 with ephemeral ports: the mock upstream (\`packages/gateway/src/providers/mock-server-main.ts\`, node:http, checks its own API key), the bare proxy (\`bench/overhead/proxy.ts\`: node:http server and keep-alive node:http client; forwards method, path, body and Authorization and pipes the answer back; no auth, no logging) and one gateway process (\`portcullis start\`) per Portcullis target.`,
    `Gateway configuration: an \`openai-compatible\` provider pointing at the mock upstream with the gateway's own upstream key; callers use a user API key (scope \`chat\`, model \`${MODEL}\`), so every request is authenticated, authorized, routed and proxied over HTTP; request log to SQLite (default batching, every 250 ms); access log at level \`info\` (one JSON line per request) written to a file, database and log file in the temp directory (${filesystemOf(tmp)}). "Guards off" sets every guard rule to \`allow\`, which makes the guard library skip its detectors: that is the issue's auth + logging configuration. "Default guard policy" is the gateway as shipped.`,
    `Load generator: this script's own process (no separate generator process competes for the CPUs). Saturation: autocannon, ${settings.connections} connections, each sending its next request when the previous answer arrives. Fixed rate: a paced open-loop generator (node:http, keep-alive) sending at evenly spaced instants, because autocannon's rate limit sends each second's quota in one burst. Rounds alternate the target order (first to last, then the reverse).`,
    `Each request: \`POST ${CHAT_PATH}\`, non-streaming, a ${BODY.length}-byte JSON body (system + user message, max_tokens, temperature); answers are ${Math.min(...answerBytes)}–${Math.max(...answerBytes)} bytes of JSON. The execute target sends the same question as the one variable of a stored prompt (\`POST /v1/prompts/${PROMPT_ID}/execute\`, a ${EXECUTE_BODY.length}-byte body) to the guarded gateway's process.`,
    `Latency: per request, from sending it to the last byte of the answer. Req/s, p50 and p99 are the median over the rounds (each round's value in parentheses), so one round stalled by something outside the benchmark does not decide them; CPU per request is over all rounds. Warm-up before measuring (not recorded): ${settings.warmupS} s at saturation and ${PACED_WARMUP_S} s at the fixed rate per target.`,
    `CPU per request: utime + stime of each process from \`/proc/<pid>/stat\` (all threads) over each run plus ${SETTLE_MS} ms after it (so the request-log batch of the run's last requests is counted), divided by the requests completed. "Other processes" is busy CPU from \`/proc/stat\` minus the benchmark's own processes; ${guardNoise() ? `a run during which they used more than ${NOISY_CORES} cores is repeated once they calm down (at most ${MAX_REPEATS} times, ${settings.repeatBudgetS} s in all).` : 'at raised priority runs are not repeated for it.'}`,
    ...priority,
  ];
}

const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();

/**
 * Which gateway code runs. By default the working tree, said to be dirty when it is; with --rev,
 * that commit's packages/gateway extracted with git archive (read-only), so work in progress by
 * others in a shared tree stays out of the numbers. Dependencies, the guard library included,
 * still come from this checkout's node_modules.
 */
function gatewaySource(tmp: string): { dir: string; description: string } {
  if (!opts.rev) {
    let description = 'the working tree';
    try {
      const head = git('rev-parse', '--short', 'HEAD');
      const dirty = git('status', '--porcelain', '--', 'packages/gateway').split('\n').filter(Boolean);
      description =
        dirty.length === 0
          ? `the working tree at commit ${head}, no uncommitted changes in packages/gateway`
          : `the working tree at commit ${head} plus ${dirty.length} uncommitted change(s) in packages/gateway`;
    } catch {
      // Not a git checkout: nothing more to say about the code.
    }
    return { dir: join(ROOT, 'packages/gateway'), description };
  }
  const sha = git('rev-parse', '--verify', `${opts.rev}^{commit}`);
  const root = join(tmp, 'src');
  mkdirSync(root);
  const tar = join(tmp, 'gateway.tar');
  git('archive', '--format=tar', '-o', tar, sha, 'packages/gateway');
  execFileSync('tar', ['-xf', tar, '-C', root]);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return {
    dir: join(root, 'packages/gateway'),
    description: `packages/gateway at commit ${sha.slice(0, 7)} (\`--rev ${opts.rev}\`: uncommitted changes to it left out; other workspace packages from the working tree)`,
  };
}

function newestProfile(dir: string, since: number): string | undefined {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** The guarded gateway may refuse a cold request over its guard budget; give it a few tries. */
async function probeWithRetries(t: Target): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await probe(t, bodyOf(t));
    } catch (err) {
      if (t.id !== 'guarded' || attempt >= 5) throw err;
      await sleep(500);
    }
  }
}

async function main(): Promise<number> {
  if (!existsSync('/proc/self/stat')) throw new Error('this benchmark reads /proc and needs Linux');
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`needs Node 24 (running ${process.version}); run it with npm run bench:overhead`);
  }
  installCleanup();
  const startedAt = new Date();
  const quietBefore = await waitForQuiet(settings.waitQuietS, log);
  if (quietBefore >= QUIET_CORES) {
    log(`other processes keep ${quietBefore.toFixed(2)} cores busy; expect noisy numbers (see --wait-quiet)`);
  }
  const machine = describeMachine();
  machine.loadBefore += `; other processes kept ${quietBefore.toFixed(2)} cores busy just before it`;
  const tmp = mkdtempSync(join(tmpdir(), 'portcullis-overhead-'));
  const stack: Stack = { children: {}, targets: {}, gateways: {} };
  try {
    const source = gatewaySource(tmp);
    log(`gateway code: ${source.description}`);
    await startStack(tmp, source.dir, stack);
    const targets = targetIds.map((id) => stack.targets[id]!);
    const tally: Tally = {
      answered: { gateway: 0, guarded: 0 },
      measured: 0,
      repeated: 0,
      invalid: [],
      noisy: [],
      guardedFailures: [],
    };
    const validity: string[] = [];

    // A wrong setup fails here, clearly, rather than as a page of non-2xx counts.
    const answerBytes: number[] = [];
    for (const t of targets) {
      answerBytes.push(await probeWithRetries(t));
      countAnswered(tally, t, 1);
    }
    for (const t of targets) {
      if (t.id !== 'gateway' && t.id !== 'guarded' && t.id !== 'execute') continue;
      const status = await statusWithoutKey(t, bodyOf(t));
      countAnswered(tally, t, 1);
      if (status !== 401) tally.invalid.push(`${t.label} answered ${status} to a request without an API key`);
    }
    if (stack.gateways.gateway || stack.gateways.guarded) {
      validity.push('Auth is on: a request to each gateway without an API key got 401.');
    }

    log(`warm-up: ${settings.warmupS} s at saturation and ${PACED_WARMUP_S} s at ${settings.rate} req/s per target`);
    for (const t of targets) {
      const runs = [
        await saturate(t, bodyOf(t), settings.connections, settings.warmupS),
        await paced(t, bodyOf(t), settings.rate, PACED_WARMUP_S),
      ];
      for (const r of runs) {
        countAnswered(tally, t, r.completed);
        if (t.id !== 'guarded' && t.id !== 'execute' && r.errors + r.timeouts + r.non2xx > 0) {
          throw new Error(`${t.label}: warm-up saw ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        }
      }
    }

    const modes: Mode[] = [
      {
        id: 'saturation',
        title: `Saturation: ${settings.connections} connections, ${settings.rounds} × ${settings.durationS} s per target`,
        go: (t) => saturate(t, bodyOf(t), settings.connections, settings.durationS),
      },
      {
        id: 'fixed',
        title: `Fixed rate: ${settings.rate} req/s, ${settings.rounds} × ${settings.durationS} s per target`,
        go: (t) => paced(t, bodyOf(t), settings.rate, settings.durationS),
      },
    ];
    const results = await runModes(stack, targets, modes, tally);

    const peaks = Object.entries(stack.children).map(
      ([name, c]) => `${name} ${peakRssMiB(c.pid)?.toFixed(0) ?? '?'} MiB`,
    );
    // SIGTERM makes a gateway flush its request log (and write its CPU profile) before it exits.
    for (const variant of VARIANTS) {
      const gw = stack.gateways[variant];
      if (!gw) continue;
      await stop(gw.child);
      const ok = checkRequestLogging(variant, gw, tally);
      if (ok) validity.push(ok);
    }
    if (tally.invalid.length === 0) {
      validity.unshift(
        `All ${n(tally.measured)} measured requests to the direct, proxy and guards-off targets answered 2xx; no errors, no timeouts.`,
      );
    }
    if (tally.guardedFailures.length > 0) {
      validity.push(`The guarded gateway failed requests under load: ${tally.guardedFailures.join('; ')}.`);
    }
    const rows = results.flatMap((m) => Object.values(m.rows));
    validity.push(
      `The paced generator kept to its schedule: 99% of requests left within ${Math.max(...rows.map((r) => r.sendLagP99 ?? 0)).toFixed(2)} ms of their slot (worst target).`,
      `Other processes on the machine used up to ${Math.max(...rows.map((r) => r.otherCores)).toFixed(2)} cores on average during a target's runs; ${tally.repeated} run(s) were repeated for it.`,
      `Peak resident memory (VmHWM): ${peaks.join(', ')}.`,
    );

    const args = process.argv.slice(2);
    const report: Report = {
      date: `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      command: `npm run bench:overhead${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`,
      machine,
      gatewayCode: source.description,
      method: methodLines(tmp, answerBytes),
      modes: results,
      validity,
      invalid: tally.invalid,
      noisy: tally.noisy,
    };
    const section = markdownSection(report);
    process.stdout.write(`\n${section}\n`);

    if (tally.invalid.length > 0) {
      log(`\nINVALID RUN, ${RESULTS} not updated:\n  ${tally.invalid.join('\n  ')}`);
    } else if (opts.profile) {
      log(`\nprofiled run (the profiler slows the gateway down): ${RESULTS} not updated`);
    } else if (opts['no-write']) {
      log(`\n--no-write: ${RESULTS} not updated`);
    } else {
      updateResultsFile(RESULTS, section);
      log(`\nwrote the "Gateway overhead" section of ${RESULTS}`);
    }

    if (opts.profile) {
      const file = newestProfile(opts.profile, startedAt.getTime());
      if (file) process.stdout.write(`\nGateway CPU profile: ${file}\n\n${formatProfile(summariseProfile(file))}\n`);
      else log(`no .cpuprofile written to ${opts.profile}`);
    }
    return tally.invalid.length > 0 ? 1 : 0;
  } finally {
    await stopAll();
    for (const gw of Object.values(stack.gateways)) closeSync(gw.logFd);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    process.stderr.write(`\nbench:overhead failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await stopAll();
    process.exit(1);
  },
);
