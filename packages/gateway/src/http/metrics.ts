import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'route' | 'status' | 'outcome'>;
  duration: Histogram<'route'>;
  tokens: Counter<'direction' | 'model'>;
  upstreamAttempts: Counter<'provider' | 'result'>;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portcullis_process_' });
  return {
    registry,
    requests: new Counter({
      name: 'portcullis_requests_total',
      help: 'Requests handled, by route, HTTP status and outcome',
      labelNames: ['route', 'status', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'portcullis_request_duration_seconds',
      help: 'Time from request received to response finished',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'portcullis_tokens_total',
      help: 'Tokens processed, by direction (prompt|completion) and model',
      labelNames: ['direction', 'model'],
      registers: [registry],
    }),
    upstreamAttempts: new Counter({
      name: 'portcullis_upstream_attempts_total',
      help: 'Upstream provider calls, by provider and result',
      labelNames: ['provider', 'result'],
      registers: [registry],
    }),
  };
}
