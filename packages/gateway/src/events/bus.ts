import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { connectSoon, openRedis, type RedisClient, type RedisSettings } from './redis.ts';

// Change events between gateway processes. Caches (keys, label pointers, provider tables, prices) are short-lived
// anyway; an event lets every replica drop the stale entry at once, so a revoked key or a paused tenant is refused
// everywhere within a second. Embedded mode delivers within the process; scaled-out mode over Redis pub/sub.
//
// Pub/sub is at-most-once: a replica that was disconnected may have missed events, so after every reconnect the bus
// tells its subscribers to resynchronise (drop every cache), and the caches' own expiry bounds the rest.

export const EVENT_TYPES = [
  'key.revoked',
  'tenant.paused',
  'config.changed',
  'provider.changed',
  'prompt.label_moved',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const gatewayEventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    tenantId: z.string().min(1).max(128),
    /** What changed: a key id, a provider name, a prompt id, a settings name. */
    id: z.string().max(256).optional(),
    /** The process that published it. */
    origin: z.string().max(64),
    at: z.number().int(),
  })
  .strict();
export type GatewayEvent = z.infer<typeof gatewayEventSchema>;
export type EventInput = Pick<GatewayEvent, 'type' | 'tenantId'> & { id?: string | undefined };

export interface EventBus {
  readonly kind: 'local' | 'redis';
  /** Best effort: the change is already committed, so a publish failure is logged, never thrown. */
  publish(e: EventInput): Promise<void>;
  /** Handlers run for every event, including this process's own. Returns an unsubscribe function. */
  subscribe(handler: (e: GatewayEvent) => void): () => void;
  /** Called after a reconnect, when events may have been missed: drop every cache. */
  onResync(handler: () => void): () => void;
  /** For /readyz: throws when the bus cannot deliver. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Identifies one bus (one replica); two buses in one process, as in tests, are two replicas. */
const newOrigin = () => `p${process.pid}-${randomBytes(4).toString('hex')}`;

class Fanout {
  readonly handlers = new Set<(e: GatewayEvent) => void>();
  readonly resyncs = new Set<() => void>();
  readonly log: Logger | undefined;
  constructor(log: Logger | undefined) {
    this.log = log;
  }
  deliver(e: GatewayEvent): void {
    for (const h of this.handlers) {
      try {
        h(e);
      } catch (err) {
        this.log?.error({ err: (err as Error).message, event: e.type }, 'event handler failed');
      }
    }
  }
  resync(): void {
    for (const h of this.resyncs) {
      try {
        h();
      } catch (err) {
        this.log?.error({ err: (err as Error).message }, 'resync handler failed');
      }
    }
  }
}

function stamp(e: EventInput, origin: string): GatewayEvent {
  return {
    type: e.type,
    tenantId: e.tenantId,
    ...(e.id !== undefined ? { id: e.id } : {}),
    origin,
    at: Date.now(),
  };
}

/** Embedded mode: one process, so events are plain in-process callbacks (delivered on the next tick). */
export class LocalEventBus implements EventBus {
  readonly kind = 'local' as const;
  readonly #fan: Fanout;
  readonly #origin = newOrigin();
  constructor(log?: Logger) {
    this.#fan = new Fanout(log);
  }
  async publish(e: EventInput): Promise<void> {
    const ev = stamp(e, this.#origin);
    queueMicrotask(() => this.#fan.deliver(ev));
  }
  subscribe(handler: (e: GatewayEvent) => void): () => void {
    this.#fan.handlers.add(handler);
    return () => this.#fan.handlers.delete(handler);
  }
  onResync(handler: () => void): () => void {
    this.#fan.resyncs.add(handler);
    return () => this.#fan.resyncs.delete(handler);
  }
  async check(): Promise<void> {}
  async close(): Promise<void> {
    this.#fan.handlers.clear();
  }
}

/**
 * Scaled-out mode: one Redis channel for all events. Publishing uses the shared command connection; receiving needs
 * a connection of its own (a subscribed connection can do nothing else), opened only when something subscribes, so
 * CLI commands that only publish never hold one.
 */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis' as const;
  readonly #pub: RedisClient;
  readonly #settings: RedisSettings;
  readonly #channel: string;
  readonly #log: Logger | undefined;
  readonly #fan: Fanout;
  readonly #origin = newOrigin();
  #sub: RedisClient | undefined;
  #subscribed = false;

  constructor(pub: RedisClient, settings: RedisSettings, prefix: string, log?: Logger) {
    this.#pub = pub;
    this.#settings = settings;
    this.#channel = `${prefix}events`;
    this.#log = log;
    this.#fan = new Fanout(log);
  }

  async publish(e: EventInput): Promise<void> {
    const ev = stamp(e, this.#origin);
    // Local subscribers hear it at once, not after a round trip; the echo from Redis is skipped by origin.
    queueMicrotask(() => this.#fan.deliver(ev));
    try {
      if (!(await connectSoon(this.#pub, this.#settings.connectTimeoutMs))) throw new Error('not connected');
      await this.#pub.publish(this.#channel, JSON.stringify(ev));
    } catch (err) {
      // Other replicas still drop the stale entry when their cache expires (within a second for keys).
      this.#log?.warn({ err: (err as Error).message, event: ev.type }, 'event not published (Redis unreachable)');
    }
  }

  subscribe(handler: (e: GatewayEvent) => void): () => void {
    this.#fan.handlers.add(handler);
    this.#ensureSubscribed();
    return () => this.#fan.handlers.delete(handler);
  }

  onResync(handler: () => void): () => void {
    this.#fan.resyncs.add(handler);
    return () => this.#fan.resyncs.delete(handler);
  }

  /** Resolves once the subscription is live (or after the connect timeout): start-up waits for it. */
  async ready(): Promise<boolean> {
    this.#ensureSubscribed();
    const sub = this.#sub!;
    if (!(await connectSoon(sub, this.#settings.connectTimeoutMs))) return false;
    for (let i = 0; i < 50 && !this.#subscribed; i++) await new Promise((r) => setTimeout(r, 10));
    return this.#subscribed;
  }

  #ensureSubscribed(): void {
    if (this.#sub) return;
    let reported = false;
    const sub = openRedis(this.#settings, (err) => {
      if (!reported) this.#log?.error({ err: err.message }, 'event subscription lost; reconnecting');
      reported = true;
    });
    this.#sub = sub;
    let everReady = false;
    sub.on('ready', () => {
      reported = false;
      // autoResubscribe subscribes again after a reconnect; the first time it is done here.
      const first = !everReady;
      everReady = true;
      if (first) {
        sub.subscribe(this.#channel).then(
          () => {
            this.#subscribed = true;
          },
          (err: Error) => this.#log?.error({ err: err.message }, 'event subscribe failed'),
        );
      } else {
        this.#subscribed = true;
        this.#log?.info('event subscription restored; dropping caches');
        this.#fan.resync();
      }
    });
    sub.on('close', () => {
      this.#subscribed = false;
    });
    sub.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      let parsed: GatewayEvent;
      try {
        const r = gatewayEventSchema.safeParse(JSON.parse(message));
        if (!r.success) return;
        parsed = r.data;
      } catch {
        return;
      }
      if (parsed.origin === this.#origin) return;
      this.#fan.deliver(parsed);
    });
    sub.connect().catch(() => {});
  }

  async check(): Promise<void> {
    if (this.#sub && !this.#subscribed) throw new Error('event subscription (Redis) is down');
  }

  async close(): Promise<void> {
    this.#fan.handlers.clear();
    const sub = this.#sub;
    this.#sub = undefined;
    if (sub) sub.disconnect();
  }
}
