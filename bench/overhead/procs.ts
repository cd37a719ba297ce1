// Child processes for the benchmark: start them, wait for the line that says they listen, read
// their CPU time from /proc, and make sure none outlives the script, whatever way it ends.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Last few KB of stderr (and stdout when piped), for error messages. */
  tail(): string;
}

const live = new Set<Child>();
const TAIL_BYTES = 8192;

export interface StartOptions {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where stdout goes: 'pipe' (watched for the ready line) or a file descriptor. */
  stdout?: 'pipe' | number;
  /** Which stream carries the ready line. */
  readyOn: 'stdout' | 'stderr';
  /** Returns the value the caller needs (usually a URL) once a line shows the process is ready. */
  ready: (line: string) => string | undefined;
  timeoutMs?: number;
}

/** Spawns `node <args>` with the Node running this script, and resolves once it reports ready. */
export function startNode(opts: StartOptions): Promise<{ child: Child; value: string }> {
  const proc = spawn(process.execPath, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  if (proc.pid === undefined) {
    return Promise.reject(new Error(`${opts.name}: could not spawn ${process.execPath}`));
  }
  const child: Child = { name: opts.name, proc, pid: proc.pid, tail: () => tail };
  live.add(child);
  proc.once('exit', () => live.delete(child));
  // Both streams stay drained for the whole run: a child blocked on a full pipe would skew the numbers.
  proc.stderr?.on('data', keep);
  proc.stdout?.on('data', keep);

  return new Promise((resolve, reject) => {
    const watched = opts.readyOn === 'stdout' ? proc.stdout : proc.stderr;
    if (!watched) {
      reject(new Error(`${opts.name}: ready stream ${opts.readyOn} is not piped`));
      return;
    }
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const value = opts.ready(line);
        if (value !== undefined) {
          finish();
          resolve({ child, value });
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      finish();
      reject(new Error(`${opts.name} exited before it was ready (code ${code}, signal ${signal}):\n${tail}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${opts.name} was not ready after ${opts.timeoutMs ?? 15_000} ms:\n${tail}`));
    }, opts.timeoutMs ?? 15_000);
    const finish = () => {
      clearTimeout(timer);
      watched.off('data', onData);
      proc.off('exit', onExit);
    };
    watched.on('data', onData);
    proc.once('exit', onExit);
  });
}

/** Runs `node <args>` to completion and returns its stdout; fails with its stderr on a non-zero exit. */
export function runNode(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
    });
    proc.once('error', reject);
    proc.once('exit', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${err.slice(-TAIL_BYTES)}`));
    });
  });
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

/** SIGTERM first so the gateway flushes its request log (and writes a CPU profile); SIGKILL if it hangs. */
export async function stop(child: Child, graceMs = 8000): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs);
  });
  const outcome = await Promise.race([exited(proc).then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    proc.kill('SIGKILL');
    await exited(proc);
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stop(c)));
}

let cleanupInstalled = false;

/** However the script ends (error, Ctrl-C, kill), no child is left running. */
export function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  // The last resort: 'exit' handlers cannot wait, so whatever is still alive here gets SIGKILL.
  process.on('exit', () => {
    for (const c of live) c.proc.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping child processes\n`);
      stopAll().finally(() => process.exit(130));
    });
  }
}

let clockTicks: number | undefined;

export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * User + system CPU time of a whole process (all its threads, including finished ones), in ms.
 * From /proc/<pid>/stat, fields 14 and 15, counted after the parenthesised command name since
 * that may itself contain spaces.
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`cannot parse /proc/${pid}/stat`);
  return ((utime + stime) * 1000) / clockTicksPerSecond();
}

/** This process's own CPU time in ms (the load generator). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident memory of a process in MiB (VmHWM), or undefined once it has exited. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
