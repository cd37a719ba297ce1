import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The real CLI binary, run with its own SQLite file and master key in `dir` (nothing else from the environment). */
export const BIN = resolve(import.meta.dirname, '../../bin/portcullis');

export function runCli(dir: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(BIN, args, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORTCULLIS_STORAGE_URL: `sqlite:${join(dir, 'cli.db')}`,
      PORTCULLIS_SECRETS_MASTER_KEY_FILE: join(dir, 'master.key'),
      PORTCULLIS_LOG_LEVEL: 'warn',
      ...opts.env,
    },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    encoding: 'utf8',
    cwd: dir,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
