// What the benchmark ran on, and how busy the rest of the machine was: on a small shared machine
// other work moves the numbers more than anything the gateway does, so it is measured, not guessed.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { clockTicksPerSecond, selfCpuMs } from './procs.ts';
import type { Machine } from './report.ts';

export function describeMachine(): Machine {
  const model =
    /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  return {
    cpus: cpus().length,
    model,
    memGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    loadBefore: loadavg()
      .map((l) => l.toFixed(2))
      .join(' / '),
  };
}

export function filesystemOf(path: string): string {
  try {
    return execFileSync('findmnt', ['-n', '-o', 'FSTYPE', '--target', path], { encoding: 'utf8' }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Busy CPU of the whole machine in ms (including time the hypervisor stole), from /proc/stat. */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // irq and softirq are left out: on loopback they are mostly the benchmark's own packets, which
  // the kernel charges to no process.
  const [user = 0, nice = 0, system = 0, , , , , steal = 0] = fields;
  return ((user + nice + system + steal) * 1000) / clockTicksPerSecond();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cores kept busy by other processes over `ms` (this process's own CPU taken out). */
export async function busyElsewhere(ms: number): Promise<number> {
  const busy0 = machineBusyMs();
  const self0 = selfCpuMs();
  await sleep(ms);
  return Math.max(0, machineBusyMs() - busy0 - (selfCpuMs() - self0)) / ms;
}

/** Below this, other processes are taken to leave the benchmark alone. */
export const QUIET_CORES = 0.2;

/** Waits up to `maxS` seconds for other processes to go quiet; returns the last reading. */
export async function waitForQuiet(maxS: number, log: (msg: string) => void): Promise<number> {
  const deadline = performance.now() + maxS * 1000;
  for (;;) {
    const other = await busyElsewhere(2000);
    if (other < QUIET_CORES) return other;
    if (performance.now() >= deadline) return other;
    log(`waiting for a quiet machine: other processes keep ${other.toFixed(2)} cores busy`);
  }
}
