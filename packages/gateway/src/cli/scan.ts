// `portcullis scan`: find secrets in files, directories, git history, staged changes or standard
// input with the same rules the gateway's secret guard uses. Exit codes: 1 secrets found, 0 none,
// 2 usage error. The scanner itself lives in ../scan/ and is loaded only when a scan runs.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, csv } from './shared.ts';

interface ScanOpts {
  git?: boolean;
  staged?: boolean;
  hook?: boolean;
  range?: string;
  format: string;
  output?: string;
  scanConfig?: string;
  baseline?: string;
  writeBaseline?: string;
  excludeRule?: string;
  minScore?: string;
  progress: boolean;
  listRules?: boolean;
}

const FORMATS = ['human', 'json', 'sarif'] as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function loadRules() {
  // Only the guard library's secrets module: the whole library also loads the injection model, the
  // PII recognisers and their WebAssembly, which cost half a second at start-up and which a secret
  // scan never uses. It is the same module the gateway's secret guard runs (one rule set); it is
  // found through the package's own entry point, so it follows wherever the package is installed.
  type Secrets = typeof import('@portcullis/guard');
  const g = (await import(new URL('./secrets/index.ts', import.meta.resolve('@portcullis/guard')).href)) as Pick<
    Secrets,
    'scanSecrets' | 'fingerprint' | 'RULE_CATALOGUE'
  >;
  return { scanSecrets: g.scanSecrets, fingerprint: g.fingerprint, RULE_CATALOGUE: g.RULE_CATALOGUE };
}

async function scanAction(path: string | undefined, opts: ScanOpts): Promise<void> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) {
    throw new CliError(`--format must be one of ${FORMATS.join(', ')}`, 2);
  }
  const staged = opts.staged === true || opts.hook === true;
  if (opts.git === true && staged) throw new CliError('--git and --staged scan different things; choose one', 2);
  if (opts.range !== undefined && opts.git !== true) throw new CliError('--range needs --git', 2);
  let minScore: number | undefined;
  if (opts.minScore !== undefined) {
    minScore = Number(opts.minScore);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 1) throw new CliError('--min-score must be 0..1', 2);
  }
  const rules = await loadRules();
  if (opts.listRules === true) {
    for (const r of rules.RULE_CATALOGUE) process.stdout.write(`${r.id}\t${r.family}\t${r.description}\n`);
    return;
  }
  const target = path ?? '.';
  if (target === '-' && (opts.git === true || staged)) throw new CliError('- (standard input) has no git history', 2);
  const { runScan, ScanUsageError } = await import('../scan/run.ts');
  const { formatReport } = await import('../scan/report.ts');
  let result: Awaited<ReturnType<typeof runScan>>;
  try {
    result = await runScan(rules, {
      mode: target === '-' ? 'stdin' : opts.git === true ? 'history' : staged ? 'staged' : 'path',
      path: target,
      ...(opts.range !== undefined ? { revs: opts.range.split(/\s+/).filter(Boolean) } : {}),
      ...(opts.scanConfig !== undefined ? { configFile: opts.scanConfig } : {}),
      ...(opts.baseline !== undefined ? { baselineFile: opts.baseline } : {}),
      ...(opts.excludeRule !== undefined ? { excludeRules: csv(opts.excludeRule) } : {}),
      ...(minScore !== undefined ? { minScore } : {}),
      progress: opts.progress && opts.hook !== true,
    });
  } catch (err) {
    if (err instanceof ScanUsageError) throw new CliError(err.message, 2);
    throw err;
  }

  if (opts.writeBaseline !== undefined) {
    const { writeBaseline } = await import('../scan/baseline.ts');
    const n = writeBaseline(opts.writeBaseline, result.findings);
    process.stderr.write(`wrote ${n} fingerprint(s) to ${opts.writeBaseline}\n`);
    return;
  }

  const text = formatReport(opts.format as (typeof FORMATS)[number], {
    findings: result.findings,
    stats: result.stats,
    rules: rules.RULE_CATALOGUE,
    target: result.target,
    hook: opts.hook === true,
    version: version(),
  });
  if (opts.output !== undefined) {
    writeFileSync(opts.output, text);
  } else if (opts.hook === true) {
    // git shows a hook's standard error to the person committing.
    if (result.findings.length > 0) process.stderr.write(text);
  } else {
    process.stdout.write(text);
  }
  if (result.findings.length > 0) process.exitCode = 1;
}

export function registerScanCommand(program: Command): void {
  const scan = program
    .command('scan')
    .description(
      'find secrets in files, directories, git history, staged changes or standard input (exit 1 when found)',
    )
    .argument('[path]', 'file or directory to scan (default .), the repository for --git/--staged, or - for stdin')
    .option('--git', 'scan the lines every commit added, in the history of the repository at <path>')
    .option('--range <revs>', 'with --git: the revisions to walk, as git log takes them (default HEAD)')
    .option('--staged', 'scan the changes staged for the next commit')
    .option('--hook', 'pre-commit hook mode: --staged, message on stderr, no progress bar')
    .option('-f, --format <format>', `report format: ${FORMATS.join(', ')}`, 'human')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('--scan-config <file>', 'scan settings (default <root>/.portcullis-scan.yaml when present)')
    .option('--baseline <file>', 'ignore findings whose fingerprints this baseline file lists')
    .option('--write-baseline <file>', 'record the current findings as known in a baseline file, and exit 0')
    .option('--exclude-rule <ids>', 'comma-separated rule ids not to report')
    .option('--min-score <n>', 'drop findings scored below n (0..1)')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--list-rules', 'print the rule ids, families and descriptions, and exit')
    .action(async (path: string | undefined, opts: ScanOpts) => scanAction(path, opts));

  scan
    .command('install-hook')
    .description('install a git pre-commit hook that blocks commits whose staged changes contain secrets')
    .argument('[repo]', 'repository directory', '.')
    .option('--force', 'replace an existing pre-commit hook that portcullis did not install')
    .action(async (repo: string, opts: { force?: boolean }) => {
      const { installHook } = await import('../scan/hook.ts');
      // The executable next to this source tree; the hook falls back to `portcullis` on PATH.
      const bin = resolve(dirname(import.meta.dirname), '..', 'bin', 'portcullis');
      try {
        const r = installHook(repo, bin, opts.force === true);
        process.stdout.write(`${r.replaced ? 'replaced' : 'installed'} ${r.path}\n`);
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'HookError' || name === 'GitError') throw new CliError((err as Error).message, 2);
        throw err;
      }
    });
}
