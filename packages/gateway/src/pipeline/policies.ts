import { type GuardPolicy, type PolicyOverride, resolvePolicy } from '@portcullis/guard';
import { type PolicyOverrideInput, policyOverrideSchema } from '../config/policy-schema.ts';
import type { ApiKeyRecord, SettingsStore } from '../store/types.ts';

// Which guard policy a request runs under: the global one (config), then the tenant's override, then the key's,
// then the prompt's — later ones win field by field. Resolved policies are cached by what they were built from.

const TENANT_TTL_MS = 1000;
const MAX_CACHED = 2000;

interface TenantEntry {
  override: PolicyOverrideInput | undefined;
  /** Identifies the override's content, for the resolved-policy cache. */
  stamp: string;
  until: number;
}

export class PolicyResolver {
  readonly #global: GuardPolicy;
  readonly #settings: SettingsStore;
  readonly #tenants = new Map<string, TenantEntry>();
  readonly #resolved = new Map<string, GuardPolicy>();
  // Key records are re-read every second; stamp each record's override once, not on every request.
  readonly #keyStamps = new WeakMap<object, string>();

  constructor(global: GuardPolicy, settings: SettingsStore) {
    this.#global = global;
    this.#settings = settings;
  }

  get global(): GuardPolicy {
    return this.#global;
  }

  async tenantOverride(tenantId: string): Promise<TenantEntry> {
    const now = Date.now();
    const hit = this.#tenants.get(tenantId);
    if (hit && hit.until > now) return hit;
    const stored = policyOverrideSchema.safeParse(await this.#settings.get(tenantId, 'policy'));
    // A stored override that no longer validates is ignored rather than half-applied; writes validate.
    const override = stored.success ? stored.data : undefined;
    const entry = { override, stamp: override ? JSON.stringify(override) : '', until: now + TENANT_TTL_MS };
    if (this.#tenants.size >= MAX_CACHED) this.#tenants.clear();
    this.#tenants.set(tenantId, entry);
    return entry;
  }

  async setTenantOverride(tenantId: string, override: PolicyOverrideInput, actor: string): Promise<void> {
    await this.#settings.set(tenantId, 'policy', override, actor, new Date());
    this.#tenants.delete(tenantId);
  }

  /** `prompt` identifies a prompt version (its override never changes once written). */
  async resolve(
    key: ApiKeyRecord,
    prompt?: { id: string; version: number; override: PolicyOverrideInput | undefined },
  ): Promise<GuardPolicy> {
    const tenant = await this.tenantOverride(key.tenantId);
    if (!tenant.override && !key.policy && !prompt?.override) return this.#global;
    let keyStamp = '';
    if (key.policy) {
      keyStamp = this.#keyStamps.get(key.policy) ?? JSON.stringify(key.policy);
      this.#keyStamps.set(key.policy, keyStamp);
    }
    const cacheKey = `${key.tenantId}\u0000${tenant.stamp}\u0000${keyStamp}\u0000${
      prompt?.override ? `${prompt.id}@${prompt.version}` : ''
    }`;
    let policy = this.#resolved.get(cacheKey);
    if (!policy) {
      policy = resolvePolicy(
        this.#global,
        tenant.override as PolicyOverride | undefined,
        key.policy as PolicyOverride | null,
        prompt?.override as PolicyOverride | undefined,
      );
      if (this.#resolved.size >= MAX_CACHED) this.#resolved.clear();
      this.#resolved.set(cacheKey, policy);
    }
    return policy;
  }
}
