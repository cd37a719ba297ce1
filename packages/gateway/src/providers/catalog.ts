import { randomUUID } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import type { SecretBox } from '../security/envelope.ts';
import { DEFAULT_TENANT, type ProviderRecord, type ProviderStore } from '../store/types.ts';
import type { ProviderKind } from './types.ts';

/** A provider ready to be built: the key is decrypted, only in memory. */
export interface ProviderSpec {
  name: string;
  kind: ProviderKind;
  baseUrl: string | null;
  apiKey: string | undefined;
  models: string[];
  settings: Record<string, unknown>;
  origin: 'builtin' | 'config' | 'store';
}

export interface AddProviderInput {
  name: string;
  kind: ProviderKind;
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  models: string[];
  settings?: Record<string, unknown>;
}

const context = (tenantId: string, name: string) => `provider:${tenantId}:${name}`;

export const MOCK_MODELS = ['mock-1'];

/**
 * Providers come from three places: the built-in mock, the config file (keys from the
 * environment) and the store (added with `portcullis providers add`, keys encrypted at rest).
 */
export class ProviderCatalog {
  readonly #store: ProviderStore;
  readonly #box: SecretBox;

  constructor(store: ProviderStore, box: SecretBox) {
    this.#store = store;
    this.#box = box;
  }

  async add(input: AddProviderInput, tenantId = DEFAULT_TENANT): Promise<ProviderRecord> {
    if (input.kind === 'openai-compatible' && !input.baseUrl)
      throw new Error('openai-compatible providers need a base URL');
    const now = new Date();
    const existing = await this.#store.get(tenantId, input.name);
    const record: ProviderRecord = {
      id: existing?.id ?? `prv_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      tenantId,
      name: input.name,
      kind: input.kind,
      baseUrl: input.baseUrl ?? null,
      apiKeyCiphertext: input.apiKey ? this.#box.encrypt(input.apiKey, context(tenantId, input.name)) : null,
      models: input.models,
      settings: input.settings ?? {},
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.#store.upsert(record);
    return record;
  }

  list(tenantId = DEFAULT_TENANT): Promise<ProviderRecord[]> {
    return this.#store.list(tenantId);
  }

  remove(name: string, tenantId = DEFAULT_TENANT): Promise<boolean> {
    return this.#store.remove(tenantId, name);
  }

  /** Every provider the gateway should serve, config and built-ins first (they win on a name clash). */
  async specs(
    config: Config,
    env: NodeJS.ProcessEnv = process.env,
    tenantId = DEFAULT_TENANT,
  ): Promise<ProviderSpec[]> {
    const specs: ProviderSpec[] = [];
    if (config.mock.enabled) {
      specs.push({
        name: 'mock',
        kind: 'mock',
        baseUrl: null,
        apiKey: undefined,
        models: MOCK_MODELS,
        settings: config.mock.settings,
        origin: 'builtin',
      });
    }
    for (const p of config.providers) {
      specs.push({
        name: p.name,
        kind: p.kind,
        baseUrl: p.baseUrl ?? null,
        apiKey: p.apiKeyEnv ? env[p.apiKeyEnv] : undefined,
        models: p.models,
        settings: p.settings,
        origin: 'config',
      });
    }
    const taken = new Set(specs.map((s) => s.name));
    for (const r of await this.#store.list(tenantId)) {
      if (taken.has(r.name)) continue;
      specs.push({
        name: r.name,
        kind: r.kind,
        baseUrl: r.baseUrl,
        apiKey: r.apiKeyCiphertext ? this.#box.decrypt(r.apiKeyCiphertext, context(tenantId, r.name)) : undefined,
        models: r.models,
        settings: r.settings,
        origin: 'store',
      });
    }
    return specs;
  }

  /** Changes when any stored provider changes; cheap to compare. */
  async version(tenantId = DEFAULT_TENANT): Promise<string> {
    const list = await this.#store.list(tenantId);
    return list.map((r) => `${r.name}@${r.updatedAt.getTime()}`).join('|');
  }
}
