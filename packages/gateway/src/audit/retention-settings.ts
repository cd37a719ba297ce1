import { z } from 'zod';
import type { SettingsStore } from '../store/types.ts';

// Per-tenant retention settings in the seed's shape — { logs: '30d', responses: '7d', pii: 'none' }. Here they are
// stored, validated and consulted (whether an execution's output is kept, and whether with personal data); the
// purge job that deletes expired rows arrives with the audit issue.

const MAX_DAYS = 3650;
const HOUR_MS = 3_600_000;

export const retentionValue = z
  .string()
  .trim()
  .refine((v) => {
    if (v === 'none') return true;
    const m = /^([1-9]\d{0,5})([dh])$/.exec(v);
    if (!m) return false;
    const hours = Number(m[1]) * (m[2] === 'd' ? 24 : 1);
    return hours <= MAX_DAYS * 24;
  }, `a duration such as 30d or 12h (at least 1h, at most ${MAX_DAYS}d), or none`);

export const retentionSchema = z
  .object({ logs: retentionValue, responses: retentionValue, pii: retentionValue })
  .strict();
export type Retention = z.infer<typeof retentionSchema>;

export const DEFAULT_RETENTION: Retention = { logs: '30d', responses: 'none', pii: 'none' };

/** Milliseconds a value keeps data; 0 for `none`. */
export function retentionMs(value: string): number {
  if (value === 'none') return 0;
  const n = Number(value.slice(0, -1));
  return value.endsWith('d') ? n * 24 * HOUR_MS : n * HOUR_MS;
}

const CACHE_MS = 1000;

export class RetentionSettings {
  readonly #store: SettingsStore;
  readonly #cache = new Map<string, { value: Retention; until: number }>();

  constructor(store: SettingsStore) {
    this.#store = store;
  }

  async get(tenantId: string): Promise<Retention> {
    const now = Date.now();
    const hit = this.#cache.get(tenantId);
    if (hit && hit.until > now) return hit.value;
    const stored = retentionSchema.safeParse(await this.#store.get(tenantId, 'retention'));
    // A row that no longer validates (hand-edited, older format) falls back to the defaults, which keep less.
    const value = stored.success ? stored.data : DEFAULT_RETENTION;
    this.#cache.set(tenantId, { value, until: now + CACHE_MS });
    return value;
  }

  async set(tenantId: string, value: Retention, actor: string): Promise<Retention> {
    await this.#store.set(tenantId, 'retention', value, actor, new Date());
    this.#cache.delete(tenantId);
    return value;
  }
}
