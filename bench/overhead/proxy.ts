// The baseline for the overhead benchmark: the least a reverse proxy does. It forwards the method,
// path, body and Authorization header to one upstream over keep-alive connections and pipes the
// answer back. No auth, no validation, no logging, no request log.
//   node bench/overhead/proxy.ts --upstream http://127.0.0.1:9100 [--port 0] [--host 127.0.0.1]
// Prints its URL on one line, then runs until SIGTERM or SIGINT.
//
// node:http on both sides, not undici: on the benchmark machine a node:http client spent less CPU
// per proxied request than an undici Pool fed the request stream, and the baseline should be the
// cheapest honest proxy so that the gateway's overhead is not understated.

import { Agent, createServer, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});
if (!values.upstream) {
  process.stderr.write('--upstream <origin> is required\n');
  process.exit(2);
}

const upstream = new URL(values.upstream);
// Same connection budget and idle timeout as the gateway's upstream pool.
const agent = new Agent({ keepAlive: true, maxSockets: 128, timeout: 30_000 });

const FORWARDED = ['content-type', 'content-length', 'authorization'] as const;
const RETURNED = ['content-type', 'content-length'] as const;

function pick(from: IncomingMessage['headers'], names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = from[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: req.url ?? '/',
      method: req.method ?? 'GET',
      headers: pick(req.headers, FORWARDED),
      agent,
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, pick(up.headers, RETURNED));
      up.pipe(res);
    },
  );
  out.on('error', () => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"upstream unreachable"}}');
  });
  // A client that goes away mid-request (load generators stop that way) frees the upstream socket too.
  res.on('close', () => {
    if (!res.writableFinished) out.destroy();
  });
  req.pipe(out);
});

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://${values.host}:${port}\n`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  agent.destroy();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
