// Runs the mock upstream as its own process (benchmarks keep its CPU off the gateway's):
//   node packages/gateway/src/providers/mock-server-main.ts --port 9100 [--host 127.0.0.1]
//        [--latency-ms 0] [--chunk-delay-ms 0] [--api-key KEY] [--models a,b]
// Prints the URL on one line, then runs until SIGTERM or SIGINT.

import { parseArgs } from 'node:util';
import { startMockUpstream } from './mock-server.ts';

function numberArg(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    'latency-ms': { type: 'string' },
    'chunk-delay-ms': { type: 'string' },
    'api-key': { type: 'string' },
    models: { type: 'string' },
  },
  strict: true,
});

const upstream = await startMockUpstream({
  port: numberArg('port', values.port, 9100),
  host: values.host,
  latencyMs: numberArg('latency-ms', values['latency-ms'], 0),
  chunkDelayMs: numberArg('chunk-delay-ms', values['chunk-delay-ms'], 0),
  apiKey: values['api-key'],
  models: values.models ? values.models.split(',').filter(Boolean) : undefined,
});
process.stdout.write(`${upstream.url}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  upstream.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
