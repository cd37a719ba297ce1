// The built-in `mock` provider: deterministic replies with no network, plus failures on demand, so
// the gateway runs with nothing configured and every retry/fallback/timeout path can be tested.
// The same engine drives the HTTP mock upstream (mock-server.ts), so both behave identically.

import { createHash } from 'node:crypto';
import { seededRandom } from '@portcullis/guard';
import { abortableSleep, abortError, statusError } from './errors.ts';
import type {
  CallOptions,
  ChatChunk,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  FinishReason,
  Provider,
  TokenUsage,
} from './types.ts';
import { ProviderError } from './types.ts';

/** `timeout` never answers, `drop` cuts the connection (mid-stream), a number is an HTTP status. */
export type MockFailureKind = 'timeout' | 'drop' | number;

export interface MockFailureSettings {
  /** `timeout`, `drop`, or an HTTP status such as 429 or 500 (also accepted as a string: `'429'`). */
  kind: MockFailureKind | `${number}`;
  /** Probability (0..1) that a call fails; default 1. Drawn from a seeded generator, so runs repeat. */
  rate?: number;
  /** Only the first N calls to this instance may fail; default unlimited. */
  times?: number;
  /** Sent with 429/503; default 1000. */
  retryAfterMs?: number;
  /** For `drop` when streaming: content chunks delivered before the cut; default 1. */
  afterChunks?: number;
}

export interface MockSettings {
  /** Delay before the reply (before the first chunk when streaming). */
  latencyMs?: number;
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  failure?: MockFailureSettings;
  /** Seed for the `rate` generator. */
  seed?: number;
  /** Router hints, see Provider. */
  timeoutMs?: number;
  maxRetries?: number;
}

/** What `[[mock:...]]` directives in the last user message ask for. */
export interface MockDirectives {
  fail?: MockFailureKind;
  times?: number;
  latencyMs?: number;
  chunkDelayMs?: number;
  /** Retry-After to send, in seconds (fractions allowed; the HTTP mock rounds the header up). */
  retryAfterSec?: number;
  /** Retry-After to send as `retry-after-ms` only (the OpenAI extension). */
  retryAfterMs?: number;
  /** For `drop`: content chunks delivered before the cut. */
  after?: number;
  /** Apply the failure only when the request's model is this one (lets one mock play two targets). */
  model?: string;
}

const DIRECTIVE_RE = /\[\[mock:([^\]]*)\]\]/g;

/**
 * Parses every `[[mock:key=value,key=value]]` in a text; later keys win. Unknown keys and bad values
 * are ignored so a typo in a test prompt never turns into a crash of the gateway.
 */
export function parseMockDirectives(text: string): MockDirectives {
  const out: MockDirectives = {};
  if (!text.includes('[[mock:')) return out;
  for (const m of text.matchAll(DIRECTIVE_RE)) {
    for (const pair of (m[1] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      const key = pair.slice(0, eq).trim().toLowerCase();
      const value = pair.slice(eq + 1).trim();
      const num = Number(value);
      const isNum = value !== '' && Number.isFinite(num) && num >= 0;
      switch (key) {
        case 'fail': {
          const kind = parseFailureKind(value);
          if (kind !== undefined) out.fail = kind;
          break;
        }
        case 'times':
          if (isNum) out.times = Math.floor(num);
          break;
        case 'latency':
          if (isNum) out.latencyMs = num;
          break;
        case 'chunk_delay':
          if (isNum) out.chunkDelayMs = num;
          break;
        case 'retry_after':
          if (isNum) out.retryAfterSec = num;
          break;
        case 'retry_after_ms':
          if (isNum) out.retryAfterMs = num;
          break;
        case 'after':
          if (isNum) out.after = Math.floor(num);
          break;
        case 'model':
          if (value) out.model = value;
          break;
        default:
          break;
      }
    }
  }
  return out;
}

function parseFailureKind(value: string | number): MockFailureKind | undefined {
  if (value === 'timeout' || value === 'drop') return value;
  const n = Number(value);
  if (Number.isInteger(n) && n >= 400 && n <= 599) return n;
  return undefined;
}

export function stripMockDirectives(text: string): string {
  return text.includes('[[mock:') ? text.replace(DIRECTIVE_RE, ' ').replace(/\s+/g, ' ').trim() : text.trim();
}

/** The deterministic token estimate the mock reports: ceil(chars / 4) per message. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function lastUserMessage(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return '';
}

const ECHO_WORDS = 12;

/**
 * The reply to a last user message: `Mock reply <hash8>: <first words>`. The hash is the first 8 hex
 * chars of SHA-256 over the message with directives removed and trimmed, so a request that failed
 * on purpose and then succeeded gets the same reply as one that never failed.
 */
export function mockReplyText(lastUserText: string): string {
  const clean = stripMockDirectives(lastUserText);
  const hash = createHash('sha256').update(clean).digest('hex').slice(0, 8);
  const words = clean.split(/\s+/).filter(Boolean).slice(0, ECHO_WORDS);
  return `Mock reply ${hash}: ${words.length > 0 ? words.join(' ') : '(no user message)'}`;
}

export interface MockReply {
  content: string;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** The stop sequence that ended the reply, if one did (Anthropic reports it). */
  stopSequence?: string;
}

/** Applies `stop` and `maxTokens` the way a real model would end early, then counts tokens. */
export function mockReply(req: Pick<ChatRequest, 'messages' | 'maxTokens' | 'stop'>): MockReply {
  let content = mockReplyText(lastUserMessage(req.messages));
  let finishReason: FinishReason = 'stop';
  let stopSequence: string | undefined;
  if (req.stop && req.stop.length > 0) {
    let cut = -1;
    for (const s of req.stop) {
      if (!s) continue;
      const at = content.indexOf(s);
      if (at !== -1 && (cut === -1 || at < cut)) {
        cut = at;
        stopSequence = s;
      }
    }
    if (cut !== -1) content = content.slice(0, cut);
  }
  if (req.maxTokens !== undefined && req.maxTokens >= 0 && estimateTokens(content) > req.maxTokens) {
    content = content.slice(0, req.maxTokens * 4);
    finishReason = 'length';
  }
  let promptTokens = 0;
  for (const m of req.messages) promptTokens += estimateTokens(m.content);
  const completionTokens = estimateTokens(content);
  const reply: MockReply = {
    content,
    finishReason,
    usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
  };
  if (stopSequence !== undefined && finishReason === 'stop') reply.stopSequence = stopSequence;
  return reply;
}

/** Splits a reply into word-sized pieces whose concatenation is exactly the reply. */
export function splitIntoChunks(content: string): string[] {
  return content.match(/\s*\S+\s*|\s+/g) ?? [];
}

export function mockResponseId(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 24);
}

export type MockFailurePlan =
  | { kind: 'timeout' }
  | { kind: 'drop'; afterChunks: number }
  | {
      kind: 'status';
      status: number;
      /** For the in-process mock and `retry-after-ms`. */
      retryAfterMs?: number;
      /** The literal `Retry-After` header the HTTP mock sends, if any. */
      retryAfterHeader?: string;
      /** The literal `retry-after-ms` header the HTTP mock sends, if any. */
      retryAfterMsHeader?: string;
    };

export interface MockPlan {
  latencyMs: number;
  chunkDelayMs: number;
  failure: MockFailurePlan | undefined;
  reply: MockReply;
}

const MAX_TRACKED_INPUTS = 10_000;

/**
 * Decides, per call, what the mock does. Holds the only mutable state (the `times` counters and
 * the seeded generator), so two mock instances never influence each other.
 */
export class MockEngine {
  readonly settings: MockSettings;
  #calls = 0;
  #timesSeen = new Map<string, number>();
  #rand: () => number;

  constructor(settings: MockSettings = {}) {
    this.settings = settings;
    this.#rand = seededRandom(settings.seed ?? 1);
  }

  plan(req: Pick<ChatRequest, 'model' | 'messages' | 'maxTokens' | 'stop'>): MockPlan {
    const call = this.#calls++;
    const lastUser = lastUserMessage(req.messages);
    const d = parseMockDirectives(lastUser);
    const s = this.settings;
    return {
      latencyMs: d.latencyMs ?? s.latencyMs ?? 0,
      chunkDelayMs: d.chunkDelayMs ?? s.chunkDelayMs ?? 0,
      failure: d.fail !== undefined ? this.#directiveFailure(d, req) : this.#settingsFailure(call),
      reply: mockReply(req),
    };
  }

  #directiveFailure(d: MockDirectives, req: Pick<ChatRequest, 'model' | 'messages'>): MockFailurePlan | undefined {
    if (d.model !== undefined && d.model !== req.model) return undefined;
    if (d.times !== undefined) {
      const key = createHash('sha256').update(JSON.stringify(req.messages)).digest('hex');
      const seen = this.#timesSeen.get(key) ?? 0;
      if (seen >= d.times) return undefined;
      if (this.#timesSeen.size >= MAX_TRACKED_INPUTS && !this.#timesSeen.has(key)) {
        const oldest = this.#timesSeen.keys().next().value;
        if (oldest !== undefined) this.#timesSeen.delete(oldest);
      }
      this.#timesSeen.set(key, seen + 1);
    }
    // Each directive form yields exactly one header, so a test proves the adapter parses that form.
    const headers =
      d.retryAfterMs !== undefined
        ? { retryAfterMs: d.retryAfterMs, retryAfterMsHeader: String(Math.round(d.retryAfterMs)) }
        : { retryAfterMs: (d.retryAfterSec ?? 1) * 1000, retryAfterHeader: formatSeconds(d.retryAfterSec ?? 1) };
    return failurePlan(d.fail!, { ...headers, afterChunks: d.after });
  }

  #settingsFailure(call: number): MockFailurePlan | undefined {
    const f = this.settings.failure;
    if (!f) return undefined;
    const kind = parseFailureKind(f.kind);
    if (kind === undefined) return undefined;
    if (f.times !== undefined && call >= f.times) return undefined;
    const rate = f.rate ?? 1;
    if (rate < 1 && this.#rand() >= rate) return undefined;
    const retryAfterMs = f.retryAfterMs ?? 1000;
    return failurePlan(kind, {
      retryAfterMs,
      retryAfterHeader: formatSeconds(retryAfterMs / 1000),
      retryAfterMsHeader: String(Math.round(retryAfterMs)),
      afterChunks: f.afterChunks,
    });
  }
}

function failurePlan(
  kind: MockFailureKind,
  o: { retryAfterMs: number; retryAfterHeader?: string; retryAfterMsHeader?: string; afterChunks: number | undefined },
): MockFailurePlan {
  if (kind === 'timeout') return { kind: 'timeout' };
  if (kind === 'drop') return { kind: 'drop', afterChunks: o.afterChunks ?? 1 };
  const plan: MockFailurePlan = { kind: 'status', status: kind };
  if (kind === 429 || kind === 503) {
    plan.retryAfterMs = o.retryAfterMs;
    if (o.retryAfterHeader !== undefined) plan.retryAfterHeader = o.retryAfterHeader;
    if (o.retryAfterMsHeader !== undefined) plan.retryAfterMsHeader = o.retryAfterMsHeader;
  }
  return plan;
}

function formatSeconds(sec: number): string {
  return String(Math.ceil(sec));
}

/** Waits until the signal aborts; the `timeout` failure. */
function untilAborted(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export interface MockStats {
  /** Calls started. */
  calls: number;
  /** Calls currently running (waiting, or a stream not yet finished or closed). */
  inFlight: number;
  /** Calls ended through the signal. */
  cancelled: number;
  /** Calls that failed on purpose. */
  failed: number;
}

export interface MockProviderOptions {
  name: string;
  settings?: MockSettings;
}

export class MockProvider implements Provider {
  readonly name: string;
  readonly kind = 'mock' as const;
  readonly timeoutMs: number | undefined;
  readonly maxRetries: number | undefined;
  readonly engine: MockEngine;
  readonly #stats: MockStats = { calls: 0, inFlight: 0, cancelled: 0, failed: 0 };

  constructor(opts: MockProviderOptions) {
    this.name = opts.name;
    this.engine = new MockEngine(opts.settings ?? {});
    this.timeoutMs = opts.settings?.timeoutMs;
    this.maxRetries = opts.settings?.maxRetries;
  }

  /** A snapshot, for tests and benchmarks. */
  get stats(): MockStats {
    return { ...this.#stats };
  }

  async chat(req: ChatRequest, opts: CallOptions): Promise<ChatResponse> {
    const plan = this.engine.plan(req);
    this.#stats.calls++;
    this.#stats.inFlight++;
    try {
      await this.#before(plan, opts.signal);
      if (plan.failure?.kind === 'drop') {
        this.#stats.failed++;
        throw new ProviderError('connection', `${this.name}: connection dropped (mock)`);
      }
      return {
        id: `mock-${mockResponseId(plan.reply.content)}`,
        model: req.model,
        content: plan.reply.content,
        finishReason: plan.reply.finishReason,
        usage: plan.reply.usage,
      };
    } finally {
      this.#stats.inFlight--;
    }
  }

  async *chatStream(req: ChatRequest, opts: CallOptions): AsyncGenerator<ChatChunk, void, undefined> {
    const plan = this.engine.plan(req);
    const { signal } = opts;
    this.#stats.calls++;
    this.#stats.inFlight++;
    try {
      await this.#before(plan, signal);
      const pieces = splitIntoChunks(plan.reply.content);
      const dropAfter = plan.failure?.kind === 'drop' ? plan.failure.afterChunks : -1;
      for (let i = 0; i < pieces.length; i++) {
        if (i === dropAfter) {
          this.#stats.failed++;
          throw new ProviderError('connection', `${this.name}: connection dropped mid-stream (mock)`);
        }
        if (i > 0) await this.#sleep(plan.chunkDelayMs, signal);
        else this.#checkAborted(signal);
        yield { delta: pieces[i]! };
      }
      if (dropAfter >= pieces.length) {
        this.#stats.failed++;
        throw new ProviderError('connection', `${this.name}: connection dropped mid-stream (mock)`);
      }
      this.#checkAborted(signal);
      yield { delta: '', finishReason: plan.reply.finishReason, usage: plan.reply.usage };
    } finally {
      this.#stats.inFlight--;
    }
  }

  async close(): Promise<void> {}

  async #before(plan: MockPlan, signal: AbortSignal): Promise<void> {
    await this.#sleep(plan.latencyMs, signal);
    const f = plan.failure;
    if (!f) return;
    if (f.kind === 'timeout') {
      this.#stats.failed++;
      try {
        await untilAborted(signal);
      } catch (err) {
        this.#stats.cancelled++;
        throw abortError(this.name, signal, err);
      }
    }
    if (f.kind === 'status') {
      this.#stats.failed++;
      throw statusError(this.name, f.status, { retryAfterMs: f.retryAfterMs, reason: 'mock' });
    }
  }

  async #sleep(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await abortableSleep(ms, signal);
    } catch (err) {
      this.#stats.cancelled++;
      throw abortError(this.name, signal, err);
    }
  }

  #checkAborted(signal: AbortSignal): void {
    if (signal.aborted) {
      this.#stats.cancelled++;
      throw abortError(this.name, signal);
    }
  }
}

export function createMockProvider(name: string, settings: MockSettings = {}): MockProvider {
  return new MockProvider({ name, settings });
}
