// `portcullis guard`: the input guards and the default policy over text, offline, without a gateway or a database.
//
// Plain mode screens the whole input as one text and prints a report; --jsonl screens one JSON object per line
// and answers one JSON object per line, in order, streaming (memory stays bounded however long the input is).
// Neither mode ever prints what a finding matched: only its kind, position and score.

import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { splitLines } from '../util/lines.ts';
import { CliError } from './shared.ts';

type Guard = typeof import('@portcullis/guard');
type GuardPolicy = import('@portcullis/guard').GuardPolicy;
type AppliedFinding = import('@portcullis/guard').AppliedFinding;

/** Plain mode holds the text in memory; beyond this, --jsonl (one text per line) is the way. */
const PLAIN_MAX_BYTES = 16 * 1024 * 1024;

interface Screened {
  flagged: boolean;
  score: number;
  action: 'allow' | 'flag' | 'block';
  findings: AppliedFinding[];
}

function screen(g: Guard, policy: GuardPolicy, text: string): Screened {
  // exhaustive: a report lists every finding, not just those before the first block.
  const r = g.screenInput([{ role: 'user', content: text }], policy, { exhaustive: true, hashKey: 'portcullis-cli' });
  const threshold = policy.input.injection.threshold ?? 0.5;
  const injection = r.findings.filter((f) => f.detector === 'injection');
  const flagged = injection.some((f) => f.score >= threshold);
  const score = r.injectionScore;
  const action = r.blocked ? 'block' : r.findings.some((f) => f.action === 'flag') ? 'flag' : 'allow';
  return { flagged, score, action, findings: r.findings };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

function findingJson(f: AppliedFinding) {
  return {
    detector: f.detector,
    type: f.type,
    action: f.action,
    start: f.start,
    end: f.end,
    score: round(f.score),
    signals: f.signals,
  };
}

function inputStream(file: string): Readable {
  if (file === '-') return process.stdin;
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    throw new CliError(`cannot read ${file}: no such file`, 2);
  }
  if (!isFile) throw new CliError(`cannot read ${file}: not a regular file`, 2);
  return createReadStream(file);
}

/** Writes, waiting when the reader is slower than we are, so output never piles up in memory. */
async function write(s: string): Promise<void> {
  if (!process.stdout.write(s)) await once(process.stdout, 'drain');
}

function progress(): { tick(): void; done(): void } {
  if (!process.stderr.isTTY) return { tick() {}, done() {} };
  const start = performance.now();
  let lines = 0;
  let last = 0;
  const show = () => {
    const s = (performance.now() - start) / 1000;
    process.stderr.write(`\r${lines} lines screened, ${Math.round(lines / Math.max(s, 1e-3))} lines/s `);
  };
  return {
    tick() {
      lines++;
      const now = performance.now();
      if (now - last > 200) {
        last = now;
        show();
      }
    },
    done() {
      show();
      process.stderr.write('\n');
    },
  };
}

async function runJsonl(g: Guard, policy: GuardPolicy, input: Readable): Promise<void> {
  const meter = progress();
  for await (const line of splitLines(input)) {
    let out: Record<string, unknown>;
    try {
      out = screenLine(g, policy, line);
    } catch (err) {
      // One bad line must not cost the results of the others.
      out = { error: `screening failed: ${(err as Error)?.message ?? String(err)}` };
    }
    await write(`${JSON.stringify(out)}\n`);
    meter.tick();
  }
  meter.done();
}

function screenLine(g: Guard, policy: GuardPolicy, line: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: line.trim() === '' ? 'empty line' : 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'expected a JSON object with a "text" field' };
  }
  const obj = value as Record<string, unknown>;
  const id = obj['id'];
  const idField = typeof id === 'string' || typeof id === 'number' ? { id } : {};
  if (typeof obj['text'] !== 'string') return { ...idField, error: 'the "text" field must be a string' };
  const r = screen(g, policy, obj['text']);
  return {
    ...idField,
    flagged: r.flagged,
    score: round(r.score),
    action: r.action,
    findings: r.findings.map(findingJson),
  };
}

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > PLAIN_MAX_BYTES) {
      throw new CliError(
        `input is larger than ${PLAIN_MAX_BYTES / 1024 / 1024} MiB; use --jsonl, one text per line`,
        2,
      );
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** 1-based line and column of each offset, for a report a person can follow to the spot. */
function positionOf(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `${line}:${offset - lineStart + 1}`;
}

function report(text: string, name: string, r: Screened, threshold: number): string {
  const out: string[] = [];
  out.push(`${name}: ${text.length} characters`);
  out.push(`verdict: ${r.action.toUpperCase()}`);
  out.push(
    `prompt attack: ${r.flagged ? 'yes' : 'no'} (injection score ${r.score.toFixed(3)}, threshold ${threshold})`,
  );
  if (r.findings.length === 0) {
    out.push('findings: none');
  } else {
    out.push(`findings (${r.findings.length}):`);
    const rows = r.findings.map((f) => [
      f.action,
      f.detector,
      f.type,
      `${positionOf(text, f.start)}-${positionOf(text, Math.max(f.start, f.end - 1))}`,
      f.score.toFixed(3),
      f.signals.join(', '),
    ]);
    const head = ['ACTION', 'DETECTOR', 'TYPE', 'AT (line:col)', 'SCORE', 'SIGNALS'];
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    for (const row of [head, ...rows]) {
      out.push(
        `  ${row
          .map((v, i) => v.padEnd(width[i]!))
          .join('  ')
          .trimEnd()}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function registerGuardCommand(program: Command): void {
  program
    .command('guard')
    .description('screen text offline with the guard detectors and the default policy (never prints matched text)')
    .argument('[file]', 'file to screen, or - for standard input', '-')
    .option('--jsonl', 'one JSON object with a "text" field per line in, one result object per line out')
    .action(async (file: string, opts: { jsonl?: boolean }) => {
      const input = inputStream(file);
      // A reader that goes away (`| head`) ends the run, not with a stack trace.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      // Loaded here so that `--help` and the other commands don't pay for the detectors' models.
      const g: Guard = await import('@portcullis/guard');
      // Offline there is no request to fail closed: no time budget.
      const policy: GuardPolicy = { ...g.DEFAULT_POLICY, budgetMs: Number.POSITIVE_INFINITY };
      if (opts.jsonl) {
        await runJsonl(g, policy, input);
        return;
      }
      const text = await readAll(input);
      const r = screen(g, policy, text);
      await write(report(text, file === '-' ? 'standard input' : file, r, policy.input.injection.threshold ?? 0.5));
    });
}
