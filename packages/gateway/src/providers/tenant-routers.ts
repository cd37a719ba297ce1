import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { DEFAULT_TENANT } from '../store/types.ts';
import type { ProviderCatalog } from './catalog.ts';
import { LiveRouter } from './live-router.ts';
import type { Router } from './router.ts';

// Each tenant routes over the deployment's providers (built-in mock, config file) plus its own stored ones, whose
// keys no other tenant can reach. Routers are built on a tenant's first request and refreshed like the default one.

const REFRESH_MS = 5000;

export class TenantRouters {
  readonly #catalog: ProviderCatalog;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #live = new Map<string, LiveRouter>();
  readonly #pending = new Map<string, Promise<LiveRouter>>();

  constructor(catalog: ProviderCatalog, config: Config, log: Logger) {
    this.#catalog = catalog;
    this.#config = config;
    this.#log = log;
  }

  /** The default tenant's router, loaded at start-up so a broken config fails the start. */
  async start(): Promise<Router> {
    return (await this.#load(DEFAULT_TENANT)).router;
  }

  /** Synchronous when the tenant's router is loaded (every request after its tenant's first). */
  get(tenantId: string): Router | Promise<Router> {
    const live = this.#live.get(tenantId);
    if (live) return live.router;
    return this.#load(tenantId).then((l) => l.router);
  }

  #load(tenantId: string): Promise<LiveRouter> {
    let p = this.#pending.get(tenantId);
    if (!p) {
      p = (async () => {
        const live = new LiveRouter(this.#catalog, this.#config, this.#log, tenantId);
        await live.refresh();
        live.watch(REFRESH_MS);
        this.#live.set(tenantId, live);
        return live;
      })();
      this.#pending.set(tenantId, p);
      p.catch(() => this.#pending.delete(tenantId));
    }
    return p;
  }

  /** Re-reads one tenant's providers now (after an admin change), instead of at the next poll. */
  async refresh(tenantId: string): Promise<void> {
    await this.#live.get(tenantId)?.refresh();
  }

  async refreshAll(): Promise<void> {
    await Promise.allSettled([...this.#live.values()].map((l) => l.refresh()));
  }

  stop(): void {
    for (const l of this.#live.values()) l.stop();
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#live.values()].map((l) => l.close()));
  }
}
