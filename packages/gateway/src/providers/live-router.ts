import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { DEFAULT_TENANT } from '../store/types.ts';
import type { ProviderCatalog } from './catalog.ts';
import { createProvider } from './factory.ts';
import { createRouter, type Router, type RouteTarget, routesFromProviders } from './router.ts';
import type { Provider } from './types.ts';

/** Providers replaced by a refresh are closed this long after, so calls already running can finish. */
const RETIRE_AFTER_MS = 10 * 60_000;

/**
 * Keeps the router's table in step with the provider catalog: config routes first, then each
 * provider's own models. A `provider.changed` event (events/wiring.ts: the CLI or the API on any replica
 * changed a stored provider) refreshes it at once; polling stays as the fallback for a missed event and
 * for the embedded mode, where the CLI runs in another process with no bus to reach the server.
 */
export class LiveRouter {
  readonly router: Router;
  readonly #catalog: ProviderCatalog;
  readonly #config: Config;
  readonly #log: Logger;
  #providers: Provider[] = [];
  #version: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #retiring = new Map<NodeJS.Timeout, Provider[]>();
  /** Whose stored providers this router serves (besides the deployment's built-in and configured ones). */
  readonly tenantId: string;

  constructor(catalog: ProviderCatalog, config: Config, log: Logger, tenantId = DEFAULT_TENANT) {
    this.#catalog = catalog;
    this.#config = config;
    this.#log = log;
    this.tenantId = tenantId;
    this.router = createRouter({ routes: {}, providers: new Map() });
  }

  /** Rebuilds the table when stored providers changed. Throws on the first load; later failures keep the old table. */
  async refresh(): Promise<void> {
    const version = await this.#catalog.version(this.tenantId);
    if (version === this.#version) return;
    const specs = await this.#catalog.specs(this.#config, process.env, this.tenantId);
    const providers = new Map<string, Provider>();
    for (const spec of specs) {
      providers.set(spec.name, createProvider({ ...spec, apiKey: spec.apiKey ?? null }));
    }
    const routes: Record<string, RouteTarget[]> = routesFromProviders(specs);
    for (const [name, targets] of Object.entries(this.#config.routes)) {
      const known = targets.filter((t) => providers.has(t.provider));
      if (known.length < targets.length) {
        const missing = targets.filter((t) => !providers.has(t.provider)).map((t) => t.provider);
        if (this.#version === undefined && known.length === 0) {
          throw new Error(`route "${name}" names providers that do not exist: ${missing.join(', ')}`);
        }
        this.#log.warn({ route: name, missing }, 'route targets name unknown providers; skipping them');
      }
      if (known.length > 0) routes[name] = known;
    }
    const previous = this.#providers;
    this.router.setTable({ routes, providers });
    this.#providers = [...providers.values()];
    if (this.#version !== undefined) {
      this.#log.info({ providers: [...providers.keys()] }, 'provider configuration reloaded');
    }
    this.#version = version;
    this.#retire(previous);
  }

  #retire(providers: Provider[]): void {
    if (providers.length === 0) return;
    const t = setTimeout(() => {
      this.#retiring.delete(t);
      for (const p of providers) p.close().catch(() => {});
    }, RETIRE_AFTER_MS);
    t.unref();
    this.#retiring.set(t, providers);
  }

  watch(intervalMs: number): void {
    this.stop();
    this.#timer = setInterval(() => {
      this.refresh().catch((err) =>
        this.#log.error({ err: (err as Error).message }, 'provider refresh failed; keeping the previous table'),
      );
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async close(): Promise<void> {
    this.stop();
    const all = [...this.#providers];
    for (const [t, retired] of this.#retiring) {
      clearTimeout(t);
      all.push(...retired);
    }
    this.#retiring.clear();
    await Promise.allSettled(all.map((p) => p.close()));
  }
}
