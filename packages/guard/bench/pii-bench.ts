// Latency of detectPii (default entities) and of the mask/unmask round trip on 1 KB, 4 KB and 32 KB inputs built
// from realistic text: chat-style sentences with a sprinkling of personal data, and plain prose with none.
//
//   npm exec -- node packages/guard/bench/pii-bench.ts

import { createPiiVault, detectPii, maskPii, unmaskPii } from '../src/pii/index.ts';

const WITH_PII = [
  'Hi, my name is Priya Raman and I need help with my account.',
  'Please send the statement to 742 Evergreen Terrace, Springfield, OR 97477.',
  'You can reach me at +44 20 7946 0958 or priya.raman@example.org after six.',
  'My card 4111 1111 1111 1111 was charged twice on 2024-03-02 for order 55812.',
  'Dr. Okonkwo said the results from 203.0.113.9 look fine; IBAN GB82 WEST 1234 5698 7654 32.',
];
const PROSE = [
  'The quarterly report covers revenue, churn and the roadmap for the next two releases.',
  'Summarise the following document in three bullet points and keep the tone neutral.',
  'In 2019 the team shipped 14 features, fixed 230 bugs and moved the service to version 4.2.1.',
  'Explain how a hash map handles collisions, with a short example in TypeScript.',
  'The committee meets on the first Monday of each month to review open proposals.',
];

function build(lines: readonly string[], size: number): string {
  let out = '';
  for (let i = 0; out.length < size; i++) out += `${lines[i % lines.length]} `;
  return out.slice(0, size);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

function measure(fn: () => void, iterations: number): { p50: number; p99: number } {
  for (let i = 0; i < Math.min(50, iterations); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const rows: string[] = [
  '| input | size | detect p50 ms | detect p99 ms | mask+unmask p50 ms |',
  '| --- | ---: | ---: | ---: | ---: |',
];
for (const [name, lines] of [
  ['with PII', WITH_PII],
  ['prose', PROSE],
] as const) {
  for (const size of [1024, 4096, 32768]) {
    const text = build(lines, size);
    const iterations = size > 8192 ? 200 : 1000;
    const d = measure(() => detectPii(text), iterations);
    const findings = detectPii(text);
    const m = measure(() => {
      const vault = createPiiVault();
      unmaskPii(maskPii(text, findings, vault), vault);
    }, iterations);
    rows.push(`| ${name} | ${size / 1024} KB | ${d.p50.toFixed(3)} | ${d.p99.toFixed(3)} | ${m.p50.toFixed(3)} |`);
  }
}
console.log(rows.join('\n'));
