import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { CoreServices } from '../services.ts';

export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export function configFrom(cmd: Command, overrides: Record<string, unknown> = {}): Config {
  const file = cmd.optsWithGlobals().config as string | undefined;
  return loadConfig({ ...(file ? { file } : {}), overrides }).config;
}

/** Runs a command against the core services and always closes them. */
export async function withCore<T>(cmd: Command, fn: (core: CoreServices, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(cmd);
  // Loaded on demand so `--help` and usage errors don't pay for database drivers.
  const { openCore } = await import('../services.ts');
  const core = await openCore(config);
  try {
    return await fn(core, config);
  } finally {
    await core.close();
  }
}

export function csv(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Prints rows as an aligned table. */
export function table(rows: Array<Record<string, string>>): string {
  if (rows.length === 0) return '(none)\n';
  const cols = Object.keys(rows[0]!);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (vals: string[]) =>
    `${vals
      .map((v, i) => v.padEnd(width[i]!))
      .join('  ')
      .trimEnd()}\n`;
  return line(cols.map((c) => c.toUpperCase())) + rows.map((r) => line(cols.map((c) => r[c] ?? ''))).join('');
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
