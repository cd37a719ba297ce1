// The two load generators, both running in the benchmark script's own process:
//  - saturate: autocannon with a fixed number of connections, each sending its next request as soon
//    as the previous answer arrives (closed loop): the most requests per second a target can serve.
//  - paced: an open-loop generator that sends at evenly spaced instants. autocannon's own rate limit
//    sends each second's quota back to back and then waits, which measures queueing behind a burst
//    rather than the latency at a moderate load, so the fixed-rate runs use this one.
// Latency is one sample per request, from sending it to the last byte of the answer.

import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import type { TargetId } from './report.ts';

export interface Target {
  id: TargetId;
  label: string;
  /** Full URL of the chat completions endpoint. */
  url: string;
  headers: Record<string, string>;
  /** The request body when it is not the shared chat body (prompt execute). */
  body?: Buffer;
}

export interface RunResult {
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Wall time of the run in ms, from the first request to the last answer. */
  wallMs: number;
  /** Latency samples in ms, one per completed request. */
  latencies: Samples;
  /** Paced runs: how late requests left against their schedule (ms); shows the generator kept up. */
  sendLag?: Samples;
}

/** A growable array of doubles with percentiles; cheap enough to keep every sample. */
export class Samples {
  #data = new Float64Array(1 << 14);
  #n = 0;
  #sorted: Float64Array | undefined;

  push(v: number): void {
    if (this.#n === this.#data.length) {
      const next = new Float64Array(this.#data.length * 2);
      next.set(this.#data);
      this.#data = next;
    }
    this.#data[this.#n++] = v;
    this.#sorted = undefined;
  }

  get count(): number {
    return this.#n;
  }

  append(other: Samples): void {
    for (const v of other.values()) this.push(v);
  }

  values(): Float64Array {
    return this.#data.subarray(0, this.#n);
  }

  /** Nearest-rank percentile, p in [0, 100]. */
  percentile(p: number): number {
    if (this.#n === 0) return Number.NaN;
    this.#sorted ??= this.values().slice().sort();
    const rank = Math.min(this.#n, Math.max(1, Math.ceil((p / 100) * this.#n)));
    return this.#sorted[rank - 1]!;
  }
}

// autocannon ships no type declarations; this is the part of its programmatic API used here.
interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: Buffer;
  connections: number;
  duration: number;
  pipelining: number;
  timeout: number;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  opts: AutocannonOptions,
  done: (err: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const REQUEST_TIMEOUT_S = 10;

export function saturate(target: Target, body: Buffer, connections: number, durationS: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const latencies = new Samples();
    let non2xx = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'application/json' },
        body,
        connections,
        duration: durationS,
        pipelining: 1,
        timeout: REQUEST_TIMEOUT_S,
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          completed: latencies.count,
          non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          wallMs: performance.now() - started,
          latencies,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status < 200 || status >= 300) non2xx++;
      latencies.push(ms);
    });
  });
}

export function paced(target: Target, body: Buffer, rate: number, durationS: number): Promise<RunResult> {
  const url = new URL(target.url);
  // Enough sockets that a slow answer never holds up the schedule; idle ones are reused.
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const headers = {
    ...target.headers,
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  const total = Math.max(1, Math.round(rate * durationS));
  const interval = 1000 / rate;
  const latencies = new Samples();
  const sendLag = new Samples();
  let sent = 0;
  let finished = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();

  return new Promise((resolve) => {
    const settle = () => {
      finished++;
      if (finished < total) return;
      agent.destroy();
      resolve({
        completed: latencies.count,
        non2xx,
        errors,
        timeouts,
        wallMs: performance.now() - started,
        latencies,
        sendLag,
      });
    };

    const fire = () => {
      const sentAt = performance.now();
      let timedOut = false;
      let done = false;
      const once = () => {
        if (done) return;
        done = true;
        settle();
      };
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent },
        (res) => {
          const status = res.statusCode ?? 0;
          res.on('end', () => {
            latencies.push(performance.now() - sentAt);
            if (status < 200 || status >= 300) non2xx++;
            once();
          });
          res.on('error', () => {});
          res.resume();
        },
      );
      req.setTimeout(REQUEST_TIMEOUT_S * 1000, () => {
        timedOut = true;
        timeouts++;
        req.destroy();
      });
      req.on('error', () => {
        if (!timedOut && !done) errors++;
        once();
      });
      req.end(body);
    };

    // Timers fire late by up to a millisecond or so; every request whose instant has passed goes out
    // now, so the average rate holds and the lateness is recorded rather than hidden.
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) {
        sendLag.push(now - (started + sent * interval));
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
}

/**
 * One request with checks on the answer's shape, before any load: a wrong setup fails fast and clearly.
 * Returns the answer's size in bytes.
 */
export async function probe(target: Target, body: Buffer): Promise<number> {
  const res = await fetch(target.url, {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${target.label}: probe got HTTP ${res.status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { choices?: Array<{ message?: { content?: unknown } }>; output?: unknown };
  const answer = target.id === 'execute' ? json.output : json.choices?.[0]?.message?.content;
  if (typeof answer !== 'string') {
    throw new Error(
      `${target.label}: probe answer is not a ${target.id === 'execute' ? 'prompt execution' : 'chat completion'}: ${text.slice(0, 300)}`,
    );
  }
  return Buffer.byteLength(text);
}

/** The status a request without credentials gets; the gateway must refuse it (proves auth is on). */
export async function statusWithoutKey(target: Target, body: Buffer): Promise<number> {
  const res = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  return res.status;
}
