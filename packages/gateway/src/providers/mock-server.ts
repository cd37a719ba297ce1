// The mock provider as a real HTTP upstream on loopback, speaking OpenAI's and Anthropic's wire
// formats. Adapters are tested against it over real sockets, and the overhead benchmark uses it as
// the upstream, so it stays on plain node:http with no per-request work beyond what the reply needs.
//
// Error bodies deliberately echo the credential the request carried (as some real upstreams echo a
// wrong key): tests use this to prove adapters never surface upstream error text.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockPlan, MockSettings } from './mock.ts';
import { MockEngine, mockResponseId, splitIntoChunks } from './mock.ts';
import type { ChatMessage, ChatRole, FinishReason } from './types.ts';

export interface MockUpstreamOptions extends MockSettings {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, requests must carry it (`Authorization: Bearer`, or `x-api-key` for Anthropic) or get 401. */
  apiKey?: string;
  /** Served by GET /v1/models; default `['mock-1']`. */
  models?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined for bodiless requests. */
  body: unknown;
}

export interface MockUpstreamStats {
  /** Requests received. */
  requests: number;
  /** Requests whose response has not finished or been closed yet. */
  inFlight: number;
  /** Requests the client went away from before the response was complete (or dropped on purpose). */
  closedEarly: number;
  /** TCP connections accepted; fewer than requests means clients reuse connections. */
  connections: number;
}

export interface MockUpstream {
  /** `http://host:port`, no trailing slash. OpenAI clients use `${url}/v1`, Anthropic clients `url`. */
  url: string;
  close(): Promise<void>;
  /** The last request received, for asserting headers (auth) and the translated body. */
  lastRequest(): RecordedRequest | undefined;
  stats(): MockUpstreamStats;
}

const BODY_LIMIT = 16 * 1024 * 1024;

export async function startMockUpstream(opts: MockUpstreamOptions): Promise<MockUpstream> {
  const engine = new MockEngine(opts);
  const host = opts.host ?? '127.0.0.1';
  const models = opts.models ?? ['mock-1'];
  const stats: MockUpstreamStats = { requests: 0, inFlight: 0, closedEarly: 0, connections: 0 };
  let last: RecordedRequest | undefined;

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    stats.requests++;
    stats.inFlight++;
    res.once('close', () => {
      stats.inFlight--;
      if (!res.writableFinished) stats.closedEarly++;
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'mock server error', type: 'server_error' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const q = req.url?.indexOf('?') ?? -1;
    const path = q === -1 ? (req.url ?? '/') : req.url!.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'GET') {
      last = { method, path, headers: { ...req.headers }, body: undefined };
      if (path === '/v1/models') return listModels(req, res);
      return sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    }
    if (method !== 'POST' || (path !== '/v1/chat/completions' && path !== '/v1/messages')) {
      req.resume();
      return sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      res.setHeader('connection', 'close');
      return sendJson(res, 413, { error: { message: 'request too large', type: 'invalid_request_error' } });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      last = { method, path, headers: { ...req.headers }, body: raw };
      return sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
    }
    last = { method, path, headers: { ...req.headers }, body };
    if (path === '/v1/chat/completions') return openaiChat(req, res, body);
    return anthropicMessages(req, res, body);
  }

  function listModels(req: IncomingMessage, res: ServerResponse): void {
    if (req.headers['anthropic-version'] !== undefined) {
      const data = models.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2025-01-01T00:00:00Z',
      }));
      sendJson(res, 200, { data, has_more: false, first_id: models[0] ?? null, last_id: models.at(-1) ?? null });
      return;
    }
    const data = models.map((id) => ({ id, object: 'model', created: 1735689600, owned_by: 'portcullis-mock' }));
    sendJson(res, 200, { object: 'list', data });
  }

  // ---- OpenAI: POST /v1/chat/completions ----

  async function openaiChat(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const presented = req.headers.authorization ?? '';
    if (opts.apiKey !== undefined && presented !== `Bearer ${opts.apiKey}`) {
      return sendJson(
        res,
        401,
        openaiError(`Incorrect API key provided: ${presented}`, 'invalid_request_error', 'invalid_api_key'),
      );
    }
    if (
      !isObj(body) ||
      typeof body['model'] !== 'string' ||
      !Array.isArray(body['messages']) ||
      body['messages'].length === 0
    ) {
      return sendJson(
        res,
        400,
        openaiError('model and a non-empty messages array are required', 'invalid_request_error', null),
      );
    }
    const messages: ChatMessage[] = [];
    for (const m of body['messages']) {
      if (!isObj(m) || typeof m['role'] !== 'string') {
        return sendJson(res, 400, openaiError('each message needs a role', 'invalid_request_error', null));
      }
      messages.push({ role: toRole(m['role']), content: flattenContent(m['content']) });
    }
    const model = body['model'];
    const maxTokens = intOrUndefined(body['max_completion_tokens']) ?? intOrUndefined(body['max_tokens']);
    const stop = typeof body['stop'] === 'string' ? [body['stop']] : stringArray(body['stop']);
    const plan = engine.plan({ model, messages, maxTokens, stop });
    if (!(await wait(plan.latencyMs, res))) return;
    if (plan.failure?.kind === 'timeout') return; // held open until the client gives up
    if (plan.failure?.kind === 'status') {
      const { status } = plan.failure;
      setRetryAfter(res, plan);
      const [type, code] = openaiErrorType(status);
      return sendJson(res, status, openaiError(`mock upstream failure (request credential: ${presented})`, type, code));
    }
    const id = `chatcmpl-${mockResponseId(plan.reply.content)}`;
    const created = Math.floor(Date.now() / 1000);
    const finish = openaiFinish(plan.reply.finishReason);
    const usage = {
      prompt_tokens: plan.reply.usage.promptTokens,
      completion_tokens: plan.reply.usage.completionTokens,
      total_tokens: plan.reply.usage.totalTokens,
    };
    if (body['stream'] !== true) {
      if (plan.failure?.kind === 'drop') return void res.destroy();
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: plan.reply.content, refusal: null },
            logprobs: null,
            finish_reason: finish,
          },
        ],
        usage,
      });
    }
    const includeUsage = isObj(body['stream_options']) && body['stream_options']['include_usage'] === true;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) => {
      const c: Record<string, unknown> = {
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      };
      if (includeUsage) c['usage'] = null;
      return `data: ${JSON.stringify(c)}\n\n`;
    };
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const ok = await streamPieces(res, plan, (text) => chunk({ content: text }, null));
    if (!ok) return;
    let tail = chunk({}, finish);
    if (includeUsage) {
      tail += `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`;
    }
    res.end(`${tail}data: [DONE]\n\n`);
  }

  // ---- Anthropic: POST /v1/messages ----

  async function anthropicMessages(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    // Newer Anthropic clients authenticate with a bearer token instead of x-api-key; both are accepted.
    const bearer = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = headerString(req.headers['x-api-key']) || bearer || '';
    if (opts.apiKey !== undefined && presented !== opts.apiKey) {
      return sendJson(res, 401, anthropicError('authentication_error', `invalid x-api-key: ${presented}`));
    }
    if (req.headers['anthropic-version'] === undefined) {
      return sendJson(res, 400, anthropicError('invalid_request_error', 'anthropic-version: header is required'));
    }
    if (!isObj(body) || typeof body['model'] !== 'string' || !Array.isArray(body['messages'])) {
      return sendJson(res, 400, anthropicError('invalid_request_error', 'model and messages are required'));
    }
    const maxTokens = intOrUndefined(body['max_tokens']);
    if (maxTokens === undefined || maxTokens < 1) {
      return sendJson(res, 400, anthropicError('invalid_request_error', 'max_tokens: Field required'));
    }
    const messages: ChatMessage[] = [];
    const system = flattenContent(body['system']);
    if (system) messages.push({ role: 'system', content: system });
    for (const m of body['messages']) {
      if (!isObj(m) || (m['role'] !== 'user' && m['role'] !== 'assistant')) {
        return sendJson(res, 400, anthropicError('invalid_request_error', 'messages: role must be user or assistant'));
      }
      messages.push({ role: m['role'], content: flattenContent(m['content']) });
    }
    const model = body['model'];
    const plan = engine.plan({ model, messages, maxTokens, stop: stringArray(body['stop_sequences']) });
    if (!(await wait(plan.latencyMs, res))) return;
    if (plan.failure?.kind === 'timeout') return;
    if (plan.failure?.kind === 'status') {
      const { status } = plan.failure;
      setRetryAfter(res, plan);
      return sendJson(
        res,
        status,
        anthropicError(anthropicErrorType(status), `mock upstream failure (request credential: ${presented})`),
      );
    }
    const id = `msg_${mockResponseId(plan.reply.content)}`;
    const stopReason = anthropicStop(plan.reply.finishReason, plan.reply.stopSequence);
    const stopSequence = plan.reply.stopSequence ?? null;
    const { promptTokens, completionTokens } = plan.reply.usage;
    if (body['stream'] !== true) {
      if (plan.failure?.kind === 'drop') return void res.destroy();
      return sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: plan.reply.content }],
        stop_reason: stopReason,
        stop_sequence: stopSequence,
        usage: { input_tokens: promptTokens, output_tokens: completionTokens },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    res.write(
      event('message_start', {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: promptTokens, output_tokens: 1 },
        },
      }) +
        event('content_block_start', {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'text', text: '' },
        }) +
        event('ping', { type: 'ping' }),
    );
    const ok = await streamPieces(res, plan, (text) =>
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    );
    if (!ok) return;
    res.end(
      event('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        event('message_delta', {
          type: 'message_delta',
          delta: { stop_reason: stopReason, stop_sequence: stopSequence },
          usage: { output_tokens: completionTokens },
        }) +
        event('message_stop', { type: 'message_stop' }),
    );
  }

  server.on('connection', () => {
    stats.connections++;
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    url: `http://${urlHost}:${addr.port}`,
    lastRequest: () => last,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Held-open (timeout) and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

/** Writes the reply pieces with the plan's delays; false if the client left or the plan dropped the socket. */
async function streamPieces(res: ServerResponse, plan: MockPlan, frame: (text: string) => string): Promise<boolean> {
  const pieces = splitIntoChunks(plan.reply.content);
  const dropAfter = plan.failure?.kind === 'drop' ? plan.failure.afterChunks : -1;
  for (let i = 0; i < pieces.length; i++) {
    if (i === dropAfter) {
      dropMidStream(res);
      return false;
    }
    if (i > 0 && !(await wait(plan.chunkDelayMs, res))) return false;
    if (res.destroyed) return false;
    res.write(frame(pieces[i]!));
  }
  if (dropAfter >= pieces.length) {
    dropMidStream(res);
    return false;
  }
  return !res.destroyed;
}

/**
 * Cuts the connection the way a crashing upstream does: what was already written still arrives
 * (end() flushes it, destroy() would discard it), then the socket closes with the body unfinished.
 */
function dropMidStream(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) {
    res.destroy();
    return;
  }
  socket.end();
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Sleeps unless the client goes away first; true when the response can still be written. */
function wait(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) tooBig = true;
      else parts.push(chunk);
    });
    req.once('end', () => resolve(tooBig ? undefined : Buffer.concat(parts).toString('utf8')));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function setRetryAfter(res: ServerResponse, plan: MockPlan): void {
  if (plan.failure?.kind !== 'status') return;
  if (plan.failure.retryAfterHeader !== undefined) res.setHeader('retry-after', plan.failure.retryAfterHeader);
  if (plan.failure.retryAfterMsHeader !== undefined) res.setHeader('retry-after-ms', plan.failure.retryAfterMsHeader);
}

function openaiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

function openaiErrorType(status: number): [string, string | null] {
  if (status === 429) return ['requests', 'rate_limit_exceeded'];
  if (status === 401) return ['invalid_request_error', 'invalid_api_key'];
  if (status === 403) return ['invalid_request_error', 'unsupported_country_region_territory'];
  if (status === 404) return ['invalid_request_error', 'model_not_found'];
  if (status >= 500) return ['server_error', null];
  return ['invalid_request_error', null];
}

function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function openaiFinish(reason: FinishReason): string {
  return reason === 'error' ? 'stop' : reason;
}

function anthropicStop(reason: FinishReason, stopSequence: string | undefined): string {
  if (reason === 'length') return 'max_tokens';
  if (reason === 'tool_calls') return 'tool_use';
  if (reason === 'content_filter') return 'refusal';
  return stopSequence !== undefined ? 'stop_sequence' : 'end_turn';
}

/** Text of a string content or of the text parts of a content array (OpenAI parts, Anthropic blocks). */
function flattenContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (!isObj(part)) continue;
    if (typeof part['text'] === 'string') out += part['text'];
    else if (part['type'] === 'tool_result') out += flattenContent(part['content']);
  }
  return out;
}

function toRole(role: string): ChatRole {
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'assistant' || role === 'tool') return role;
  return 'user';
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function stringArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
}

function headerString(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}
