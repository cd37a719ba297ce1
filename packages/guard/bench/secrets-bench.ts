// Throughput of the secrets scanner over ~10 MB of generated source-like text.
//
//   npm exec -- node packages/guard/bench/secrets-bench.ts [megabytes]
//
// Prints MB/s for one large string (the repository scanner's case) and for 4 KB chunks (the
// gateway's case: one prompt or response), plus the per-call latency of a 4 KB chunk.

import { scanSecrets } from '../src/secrets/index.ts';

/** Deterministic PRNG so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Ordinary identifiers and prose words, and the credential-ish words the prefilter reacts to. The
// "typical" corpus uses the latter in about one line in twenty; the "dense" corpus in most lines.
const NEUTRAL = `
  value data result error message options request response config context handler server client
  user account order item items list map index count total offset limit page size length width height
  name title label description status state type kind mode level version format source target input
  output buffer stream reader writer file path dir url host port address route method params query body
  header headers cookie session cache store queue event events listener callback promise timeout retry
  delay start end begin finish open close read write parse render build create update delete remove
  insert select filter sort reduce apply call bind merge split join trim upper lower encode decode
  hash crypto random seed number string boolean object array node tree graph edge vertex matrix vector
  logger debug info warn trace metric metrics span report summary detail details record records row
  column table schema model view controller service provider factory builder adapter plugin module
  package import export default return async await yield class interface extends implements static
  public private protected const let var function if else for while switch case break continue try
  catch finally throw new this super null undefined true false document window element component props
`
  .split(/\s+/)
  .filter((w) => w !== '');
const SENSITIVE = ['token', 'apiKey', 'secret', 'password', 'auth', 'credentials', 'accessKey', 'privateKey', 'passwd'];
const LOOKALIKE = [
  'path',
  'pattern',
  'patch',
  'task',
  'mask',
  'desk',
  'keyboard',
  'monkey',
  'author',
  'passport',
  'bypass',
];
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomString(r: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

function word(r: () => number, density: number): string {
  const x = r();
  if (x < density) return pick(r, SENSITIVE);
  if (x < density * 2) return pick(r, LOOKALIKE);
  return pick(r, NEUTRAL);
}

function camel(a: string, b: string): string {
  return a + b.charAt(0).toUpperCase() + b.slice(1);
}

function line(r: () => number, density: number): string {
  const w = () => word(r, density);
  const x = r();
  if (x < 0.3) return `  const ${camel(w(), w())} = ${w()}.${camel(w(), w())}(${w()}, ${Math.floor(r() * 1000)});`;
  if (x < 0.42) return `  // ${Array.from({ length: 10 }, w).join(' ')}`;
  if (x < 0.52) return `  ${w()}: '${w()}-${w()}',`;
  if (x < 0.6) return `  if (${w()}.${w()} === undefined) return ${camel(w(), w())};`;
  if (x < 0.66) return `${w().toUpperCase()}_${w().toUpperCase()}=${w()}`;
  if (x < 0.7) return `    ${w()}: ${w()}_${w()}  # ${w()} ${w()}`;
  if (x < 0.74) return `  url: 'https://${w()}.example.com/${w()}/${Math.floor(r() * 1e6)}',`;
  if (x < 0.76) return `  "integrity": "sha512-${randomString(r, B64, 86)}==",`;
  if (x < 0.765) return `  "data": "${randomString(r, B64, 400)}",`;
  if (x < 0.77) return `  password: process.env.DB_PASSWORD,`;
  if (x < 0.771) return `  apiKey: "${randomString(r, ALNUM, 32)}",`;
  if (x < 0.772) return `GITHUB_TOKEN=ghp_${randomString(r, ALNUM, 36)}`;
  if (x < 0.773) return `  "Authorization": "Bearer ${randomString(r, ALNUM, 40)}",`;
  if (x < 0.774) return `DATABASE_URL=postgres://app:${randomString(r, ALNUM, 16)}@db.internal:5432/app`;
  if (x < 0.85) return `${Array.from({ length: 12 }, w).join(' ')}.`;
  return `  ${w()}(${w()}, { ${w()}: ${w()}, ${camel(w(), w())}: true });`;
}

export function generateCorpus(bytes: number, seed = 1, density = 0.01): string {
  const r = rng(seed);
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const l = line(r, density);
    lines.push(l);
    size += l.length + 1;
  }
  return lines.join('\n');
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** CPU time of the process in ms: on a shared machine wall time also counts time spent waiting. */
function cpuTime(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function best(runs: number, fn: () => void, clock: (fn: () => void) => number = time): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) min = Math.min(min, clock(fn));
  return min;
}

function measure(label: string, corpus: string): void {
  const mb = corpus.length / 1e6;
  scanSecrets(corpus.slice(0, 500_000)); // warm up the JIT and the regex cache
  let findings = 0;
  const wholeMs = best(3, () => {
    findings = scanSecrets(corpus).length;
  });
  const wholeCpuMs = best(3, () => scanSecrets(corpus), cpuTime);
  const chunks: string[] = [];
  for (let i = 0; i < corpus.length; i += 4096) chunks.push(corpus.slice(i, i + 4096));
  const chunkedMs = best(3, () => {
    for (const c of chunks) scanSecrets(c);
  });
  console.log(`${label}: ${mb.toFixed(1)} MB, ${findings} findings`);
  console.log(
    `  one string : ${(mb / (wholeMs / 1000)).toFixed(1)} MB/s wall (${wholeMs.toFixed(0)} ms), ${(mb / (wholeCpuMs / 1000)).toFixed(1)} MB/s CPU time`,
  );
  console.log(
    `  4 KB chunks: ${(mb / (chunkedMs / 1000)).toFixed(1)} MB/s (${((chunkedMs / chunks.length) * 1000).toFixed(1)} µs per 4 KB call)`,
  );
}

function main(): void {
  const megabytes = Number(process.argv[2] ?? 10);
  // A reference loop (read every character once) to compare machines.
  const sample = generateCorpus(10e6, 9);
  const loopMs = best(
    3,
    () => {
      let x = 0;
      for (let i = 0; i < sample.length; i++) x = (x + sample.charCodeAt(i)) | 0;
      if (x === 42) console.log('');
    },
    cpuTime,
  );
  console.log(`machine reference: charCodeAt loop ${(sample.length / 1e6 / (loopMs / 1000)).toFixed(0)} MB/s`);
  measure('typical source-like text (credential words in ~5% of lines)', generateCorpus(megabytes * 1e6, 1, 0.01));
  measure('keyword-dense text (credential words in most lines)', generateCorpus(megabytes * 1e6, 2, 0.12));
  const pathological: [string, string][] = [
    ['100k "a"', 'a'.repeat(100_000)],
    ['100k "A"', 'A'.repeat(100_000)],
    ['1 MB base64 run', randomString(rng(7), B64, 1_000_000)],
    ['100k "key=" repeats', 'key='.repeat(25_000)],
    ['"-----BEGIN " x 10k', '-----BEGIN '.repeat(10_000)],
    ['"sk-" + 100k alnum', `sk-${'a1'.repeat(50_000)}`],
    ['"password=" + 100k symbols', `password=${'!@'.repeat(50_000)}`],
  ];
  for (const [name, text] of pathological) {
    const ms = time(() => scanSecrets(text));
    console.log(`  pathological ${name}: ${ms.toFixed(1)} ms`);
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
