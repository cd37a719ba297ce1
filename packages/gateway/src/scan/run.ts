// One scan, start to end: load config and baseline, pick the source (path, history, staged changes,
// standard input), feed it through the guard's secret rules, collect findings and figures.

import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { readBaseline } from './baseline.ts';
import { loadScanConfig, type ScanConfig } from './config.ts';
import { filtersFrom, SecretScanner } from './engine.ts';
import { pathFilter, scanFile, scanStdin, walkFiles } from './files.ts';
import { countCommits, gitTopLevel, hasCommits, scanHistory, scanStaged } from './git.ts';
import { createProgress } from './progress.ts';
import { emptyStats, type ScanFinding, type ScanStats, type SecretRules } from './types.ts';

export type ScanMode = 'path' | 'stdin' | 'history' | 'staged';

export interface ScanRequest {
  mode: ScanMode;
  /** Directory or file (path mode), repository directory (history, staged); ignored for stdin. */
  path: string;
  /** Revisions for history mode (`main..HEAD`, `--all`); default HEAD. */
  revs?: readonly string[];
  configFile?: string;
  baselineFile?: string;
  excludeRules?: readonly string[];
  minScore?: number;
  progress?: boolean;
  stdin?: NodeJS.ReadableStream;
  stderr?: NodeJS.WriteStream;
}

export interface ScanResult {
  findings: ScanFinding[];
  stats: ScanStats;
  target: string;
  config: ScanConfig;
  /** The directory config paths and the baseline default are relative to. */
  root: string;
}

export class ScanUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanUsageError';
  }
}

export async function runScan(rules: SecretRules, req: ScanRequest): Promise<ScanResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const stderr = req.stderr ?? process.stderr;
  let root: string;
  let target: string;
  let isFile = false;
  if (req.mode === 'stdin') {
    root = process.cwd();
    target = 'standard input';
  } else if (req.mode === 'path') {
    let st: import('node:fs').Stats;
    try {
      st = statSync(req.path);
    } catch {
      throw new ScanUsageError(`cannot scan ${req.path}: no such file or directory`);
    }
    isFile = st.isFile();
    if (!isFile && !st.isDirectory()) throw new ScanUsageError(`cannot scan ${req.path}: not a file or directory`);
    root = isFile ? dirname(resolve(req.path)) : resolve(req.path);
    target = `${isFile ? 'file' : 'directory'} ${req.path}`;
  } else {
    try {
      root = gitTopLevel(req.path);
    } catch (err) {
      throw new ScanUsageError((err as Error).message);
    }
    target = req.mode === 'history' ? `the history of ${root}` : `the staged changes of ${root}`;
  }

  let config: ScanConfig;
  try {
    config = loadScanConfig(root, req.configFile).config;
  } catch (err) {
    throw new ScanUsageError((err as Error).message);
  }
  if (req.minScore !== undefined) config = { ...config, minScore: req.minScore };
  const baselinePath =
    req.baselineFile ?? (config.baseline !== undefined ? resolveFrom(root, config.baseline) : undefined);
  let baseline: Set<string> = new Set();
  if (baselinePath !== undefined) {
    try {
      baseline = readBaseline(baselinePath);
    } catch (err) {
      throw new ScanUsageError((err as Error).message);
    }
  }

  const stats = emptyStats();
  const findings: ScanFinding[] = [];
  const scanner = new SecretScanner(rules, filtersFrom(config, baseline, req.excludeRules ?? []), stats, (f) =>
    findings.push(f),
  );
  const showProgress = req.progress !== false;
  const excluded = pathFilter(config.exclude.paths);

  if (req.mode === 'stdin') {
    stats.bytes = await scanStdin(scanner, req.stdin ?? process.stdin);
  } else if (req.mode === 'path') {
    if (isFile) {
      const file = { abs: resolve(req.path), rel: req.path.split('\\').join('/'), size: statSync(req.path).size };
      const n = scanFile(scanner, file);
      if (n < 0) stats.skippedBinary++;
      else {
        stats.files++;
        stats.bytes += n;
      }
    } else {
      // Listing first gives the progress bar its total; the list is paths and sizes only.
      const files = [...walkFiles(root, config.exclude.paths)];
      const total = files.reduce((sum, f) => sum + f.size, 0);
      const progress = createProgress(stderr, showProgress && total > 32 * 1024 * 1024, { bytes: total });
      for (const file of files) {
        const n = scanFile(scanner, file);
        if (n < 0) {
          stats.skippedBinary++;
          progress.advance(file.size);
          continue;
        }
        stats.files++;
        stats.bytes += n;
        progress.advance(n, 1);
      }
      progress.done();
    }
  } else if (req.mode === 'history') {
    if (hasCommits(root)) {
      const revs = req.revs ?? [];
      const total = showProgress ? countCommits(root, revs) : undefined;
      const progress = createProgress(
        stderr,
        showProgress && (total ?? 0) > 200,
        total === undefined ? {} : { commits: total },
      );
      await run(() =>
        scanHistory(root, revs, scanner, excluded, {
          onCommit: () => {
            stats.commits++;
            progress.commit();
          },
          onBytes: (n) => {
            stats.bytes += n;
            progress.advance(n);
          },
        }),
      );
      progress.done();
    }
  } else {
    await run(() => scanStaged(root, scanner, excluded, { onBytes: (n) => (stats.bytes += n) }));
  }
  stats.seconds = Math.round(performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stats.cpuSeconds = Math.round((cpu.user + cpu.system) / 1000) / 1000;
  return { findings, stats, target, config, root };
}

async function run(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if ((err as Error).name === 'GitError') throw new ScanUsageError((err as Error).message);
    throw err;
  }
}

function resolveFrom(root: string, p: string): string {
  return isAbsolute(p) ? p : resolve(root, p);
}
