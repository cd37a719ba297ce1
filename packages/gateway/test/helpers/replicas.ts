import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

// Real gateway processes started with the real CLI (`bin/portcullis start --config FILE`), as an operator would run
// replicas behind a load balancer: same config file, same PostgreSQL and Redis, different ports.

export const BIN = resolve(import.meta.dirname, '../../bin/portcullis');

export interface Replica {
  url: string;
  proc: ChildProcess;
  /** What the process wrote to stderr (start-up banner, bootstrap key). */
  stderr: () => string;
  stop(): Promise<void>;
}

export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, 'portcullis.yaml');
  writeFileSync(file, stringify(config), { mode: 0o600 });
  return file;
}

export async function startReplica(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<Replica> {
  const proc = spawn(BIN, ['--config', configFile, 'start', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => {
    err += d;
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start:\n${err}`)), 60_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        proc.stderr!.off('data', onData);
        resolveUrl(m[1]!);
      }
    };
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited with ${code}:\n${err}`));
    });
  });
  return {
    url,
    proc,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await once(proc, 'exit');
      clearTimeout(t);
    },
  };
}

/** Runs the CLI to completion; resolves with its exit code and output. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => {
    stdout += d;
  });
  proc.stderr!.on('data', (d) => {
    stderr += d;
  });
  const [code] = (await once(proc, 'exit')) as [number];
  return { code, stdout, stderr };
}
