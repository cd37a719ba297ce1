// Git sources: the lines each commit added (`git log -p`), and the lines about to be committed
// (`git diff --cached`). git is spawned and its output parsed as it streams, one line at a time, so
// a long history never sits in memory. Only added lines are scanned: a secret is reported once, in
// the commit that introduced it.

import { spawn, spawnSync } from 'node:child_process';
import { splitLines } from '../util/lines.ts';
import { LineWindow, type SecretScanner } from './engine.ts';

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

// Output options shared by both commands: no colour, no external diff or text conversion (they
// could run repository-configured programs), no rename detection (an added line is an added line),
// no context lines, paths unquoted where git allows it.
const DIFF_ARGS = ['-p', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames'];
const RECORD = '\x1e';

/** The repository's top-level directory, or a GitError when `dir` is not inside one. */
export function gitTopLevel(dir: string): string {
  const r = spawnSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8' });
  if (r.error !== undefined) throw new GitError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(`${dir} is not inside a git repository`);
  return r.stdout.trim();
}

/** Number of commits `git log` will visit, for the progress bar. */
export function countCommits(repo: string, revs: readonly string[]): number | undefined {
  const r = spawnSync('git', ['-C', repo, 'rev-list', '--count', ...(revs.length > 0 ? revs : ['HEAD'])], {
    encoding: 'utf8',
  });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

export interface DiffProgress {
  onCommit?(): void;
  onBytes?(n: number): void;
}

/** Undoes git's C-style quoting of unusual paths (`"dir/na\303\257ve.txt"`). */
function unquotePath(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const s = p.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c)) bytes.push(b);
      continue;
    }
    const n = s[++i]!;
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(s.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(
        ({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[n] ??
          n.charCodeAt(0),
      );
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Feeds the added lines of a unified diff stream to the scanner. Commit header lines (from our
 * `--format`) start with RECORD; everything else is git's patch format.
 */
async function parseDiff(
  lines: AsyncIterable<string>,
  scanner: SecretScanner,
  excluded: (path: string) => boolean,
  progress: DiffProgress,
): Promise<void> {
  let commit: { commit: string; date: string; author: string } | undefined;
  let file: string | undefined;
  let inHunk = false;
  let lineNo = 0;
  const window = new LineWindow(scanner, { file: '' });
  const origin = () => ({
    file: file ?? '',
    ...(commit !== undefined ? { commit: commit.commit, author: commit.author, date: commit.date } : {}),
  });
  for await (const line of lines) {
    progress.onBytes?.(line.length + 1);
    if (line.startsWith(RECORD)) {
      const [hash = '', date = '', author = ''] = line.slice(1).split('\x1f');
      commit = { commit: hash, date, author };
      file = undefined;
      inHunk = false;
      window.next(origin());
      progress.onCommit?.();
      continue;
    }
    if (inHunk) {
      const c = line.charCodeAt(0);
      if (c === 43 /* + */) {
        if (file !== undefined) window.add(line.slice(1), lineNo++);
        continue;
      }
      if (c === 45 /* - */ || c === 92 /* \ */ || c === 32) continue;
      if (line.startsWith('@@ ')) {
        lineNo = hunkStart(line);
        continue;
      }
      inHunk = false;
    }
    if (line.startsWith('diff --git ')) {
      file = undefined;
      window.next(origin());
    } else if (line.startsWith('+++ ')) {
      const path = line.slice(4);
      if (path === '/dev/null') {
        file = undefined;
      } else {
        const unquoted = unquotePath(path.replace(/\t$/, ''));
        const rel = unquoted.startsWith('b/') ? unquoted.slice(2) : unquoted;
        file = excluded(rel) ? undefined : rel;
      }
      window.next(origin());
    } else if (line.startsWith('@@ ')) {
      lineNo = hunkStart(line);
      inHunk = true;
    }
  }
  window.flush(false);
}

function hunkStart(line: string): number {
  const m = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(line);
  return m === null ? 1 : Number(m[1]);
}

async function runGit(
  repo: string,
  args: string[],
  scanner: SecretScanner,
  excluded: (path: string) => boolean,
  progress: DiffProgress,
): Promise<void> {
  const child = spawn('git', ['-C', repo, '-c', 'core.quotePath=false', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4000) stderr += d;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', (err) => reject(new GitError(`cannot run git: ${err.message}`)));
    child.on('close', (code) => resolve(code ?? 1));
  });
  await parseDiff(splitLines(child.stdout), scanner, excluded, progress);
  const code = await exited;
  if (code !== 0) throw new GitError(`git ${args[0]} failed: ${stderr.trim() || `exit code ${code}`}`);
}

/** Every commit reachable from `revs` (default HEAD): the lines each one added. */
export function scanHistory(
  repo: string,
  revs: readonly string[],
  scanner: SecretScanner,
  excluded: (path: string) => boolean,
  progress: DiffProgress = {},
): Promise<void> {
  const args = [
    'log',
    ...DIFF_ARGS,
    `--format=${RECORD}%H%x1f%aI%x1f%an`,
    ...(revs.length > 0 ? revs : ['HEAD']),
    '--',
  ];
  return runGit(repo, args, scanner, excluded, progress);
}

/** The staged changes: what `git commit` would record now. */
export function scanStaged(
  repo: string,
  scanner: SecretScanner,
  excluded: (path: string) => boolean,
  progress: DiffProgress = {},
): Promise<void> {
  return runGit(repo, ['diff', '--cached', ...DIFF_ARGS], scanner, excluded, progress);
}

/** Whether the repository has any commit yet (a fresh repository has no HEAD). */
export function hasCommits(repo: string): boolean {
  return spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '-q', 'HEAD'], { stdio: 'ignore' }).status === 0;
}
