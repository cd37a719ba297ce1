import type { Logger } from 'pino';
import type { PurgeCounts, RetentionCutoffs, Store } from '../store/types.ts';
import { type Retention, type RetentionSettings, retentionMs } from './retention-settings.ts';
import type { AuditService } from './service.ts';

// Deletes what each tenant's retention settings say has expired (docs/audit.md, "Retention"). Runs on every replica;
// a per-tenant try-lock makes one replica do each tenant's work, and the deletes are idempotent anyway.

export interface TenantPurge {
  tenantId: string;
  settings: Retention;
  /** undefined when another replica was purging this tenant at the same moment. */
  deleted: PurgeCounts | undefined;
  /** Why the audit records were not purged (they did not verify), if so. */
  refused: string | null;
}

export interface RetentionReport {
  startedAt: string;
  tenants: TenantPurge[];
}

/** Everything older than `now - keep`; `none` keeps nothing (the cutoff is now). */
export function cutoffsFor(settings: Retention, now: Date): RetentionCutoffs {
  const at = (v: string) => new Date(now.getTime() - retentionMs(v));
  return { logs: at(settings.logs), responses: at(settings.responses), pii: at(settings.pii) };
}

export class RetentionJob {
  readonly #store: Store;
  readonly #settings: RetentionSettings;
  readonly #audit: AuditService;
  readonly #log: Logger | undefined;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<RetentionReport> | undefined;

  constructor(
    store: Store,
    settings: RetentionSettings,
    audit: AuditService,
    opts: { intervalMs: number; log?: Logger },
  ) {
    this.#store = store;
    this.#settings = settings;
    this.#audit = audit;
    this.#intervalMs = opts.intervalMs;
    this.#log = opts.log;
  }

  /** One pass over every tenant. Concurrent calls in one process share the pass in progress. */
  run(actor = 'system:retention', now = new Date()): Promise<RetentionReport> {
    this.#running ??= this.#run(actor, now).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(actor: string, now: Date): Promise<RetentionReport> {
    const tenants: TenantPurge[] = [];
    for (const tenantId of await this.#store.audit.tenants()) {
      const settings = await this.#settings.get(tenantId);
      const event = this.#audit.event({
        tenantId,
        actor,
        action: 'retention.purge',
        at: now,
        detail: { settings },
      });
      const res = await this.#store.audit.purge(
        tenantId,
        cutoffsFor(settings, now),
        event,
        this.#audit.sealer,
        this.#audit.purgeCheck(tenantId),
      );
      tenants.push({ tenantId, settings, deleted: res?.counts, refused: res?.refused ?? null });
      if (res?.refused) this.#log?.error({ tenantId, reason: res.refused }, 'audit purge refused');
    }
    return { startedAt: now.toISOString(), tenants };
  }

  /** Runs every intervalMs (0: never) until stop(). Failures are logged and retried at the next interval. */
  start(): void {
    if (this.#timer || this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.run().then(
        (r) => {
          const deleted = r.tenants.filter((t) => t.deleted && Object.values(t.deleted).some((n) => n > 0));
          if (deleted.length > 0) this.#log?.info({ tenants: deleted.length }, 'retention purge');
        },
        (err: unknown) => this.#log?.error({ err: (err as Error).message }, 'retention purge failed'),
      );
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}
