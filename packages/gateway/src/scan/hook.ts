// `portcullis scan install-hook`: a git pre-commit hook that runs `portcullis scan --staged --hook`
// and so blocks a commit whose staged changes contain a secret. An existing hook that is not ours is
// left alone unless --force is given.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { GitError } from './git.ts';

export const HOOK_MARKER = '# portcullis-scan pre-commit hook';

export class HookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookError';
  }
}

/** The hooks directory git uses for `repo` (honours core.hooksPath). */
function hooksDir(repo: string): string {
  const r = spawnSync('git', ['-C', repo, 'rev-parse', '--git-path', 'hooks'], { encoding: 'utf8' });
  if (r.error !== undefined) throw new GitError(`cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(`${repo} is not inside a git repository`);
  const p = r.stdout.trim();
  return isAbsolute(p) ? p : resolve(repo, p);
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

export function hookScript(bin: string): string {
  return `#!/bin/sh
${HOOK_MARKER} (installed by \`portcullis scan install-hook\`).
# Blocks a commit whose staged changes contain a secret. To let one finding through, put a comment
# containing portcullis:allow on its line, or add its fingerprint to .portcullis-scan.yaml;
# to skip the check once: git commit --no-verify.
bin=${shellQuote(bin)}
if [ ! -x "$bin" ]; then bin=portcullis; fi
exec "$bin" scan --staged --hook
`;
}

export interface InstalledHook {
  path: string;
  replaced: boolean;
}

export function installHook(repo: string, bin: string, force: boolean): InstalledHook {
  const dir = hooksDir(repo);
  const path = join(dir, 'pre-commit');
  let replaced = false;
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8');
    if (!current.includes(HOOK_MARKER) && !force) {
      throw new HookError(
        `${path} already exists and was not installed by portcullis; add \`portcullis scan --staged --hook\` to it, or rerun with --force to replace it`,
      );
    }
    replaced = true;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, hookScript(bin));
  chmodSync(path, 0o755);
  return { path, replaced };
}
