import type { Store } from '../store/types.ts';
import type { EventBus } from './bus.ts';

// Publishes change events from the one place every change goes through: the store. Whoever revokes a key, moves a
// label or edits a provider (the CLI, the admin API, code that does not exist yet) announces it without knowing
// that other replicas exist. Each wrapped method publishes only after its write succeeded.

/** Wraps `target`, replacing the named members; everything else (including methods added later) passes through. */
function intercept<T extends object>(target: T, members: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const own = (members as Record<PropertyKey, unknown>)[prop];
      if (own !== undefined) return own;
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

export function publishingStore(store: Store, bus: EventBus): Store {
  const keys = intercept(store.keys, {
    revoke: async (tenantId: string, id: string, at: Date) => {
      const done = await store.keys.revoke(tenantId, id, at);
      if (done) await bus.publish({ type: 'key.revoked', tenantId, id });
      return done;
    },
    // Rotation shortens the old key's life: replicas must forget the cached expiry too.
    setExpiry: async (tenantId: string, id: string, expiresAt: Date | null, replacedBy?: string | null) => {
      const done = await store.keys.setExpiry(tenantId, id, expiresAt, replacedBy);
      if (done) await bus.publish({ type: 'key.revoked', tenantId, id });
      return done;
    },
  });
  const providers = intercept(store.providers, {
    upsert: async (p: Parameters<Store['providers']['upsert']>[0]) => {
      await store.providers.upsert(p);
      await bus.publish({ type: 'provider.changed', tenantId: p.tenantId, id: p.name });
    },
    remove: async (tenantId: string, name: string) => {
      const done = await store.providers.remove(tenantId, name);
      if (done) await bus.publish({ type: 'provider.changed', tenantId, id: name });
      return done;
    },
  });
  const prompts = intercept(store.prompts, {
    setLabel: async (...args: Parameters<Store['prompts']['setLabel']>) => {
      const res = await store.prompts.setLabel(...args);
      await bus.publish({ type: 'prompt.label_moved', tenantId: args[0], id: args[1] });
      return res;
    },
    // A new version moves the implicit "latest" pointer, which executes without a label follow.
    addVersion: async (v: Parameters<Store['prompts']['addVersion']>[0]) => {
      const added = await store.prompts.addVersion(v);
      if (added) await bus.publish({ type: 'prompt.label_moved', tenantId: v.tenantId, id: v.promptId });
      return added;
    },
  });
  const settings = intercept(store.settings, {
    set: async (...args: Parameters<Store['settings']['set']>) => {
      await store.settings.set(...args);
      await bus.publish({ type: 'config.changed', tenantId: args[0], id: args[1] });
    },
  });
  const limits = intercept(store.limits, {
    setPrice: async (...args: Parameters<Store['limits']['setPrice']>) => {
      await store.limits.setPrice(...args);
      await bus.publish({ type: 'config.changed', tenantId: args[0], id: 'prices' });
    },
    removePrice: async (tenantId: string, pattern: string) => {
      const done = await store.limits.removePrice(tenantId, pattern);
      if (done) await bus.publish({ type: 'config.changed', tenantId, id: 'prices' });
      return done;
    },
  });
  const replaced: Partial<Record<keyof Store, unknown>> = { keys, providers, prompts, settings, limits };
  // Pausing or resuming a tenant: every replica must refuse (or accept again) its keys at once.
  replaced.identity = intercept(store.identity, {
    tenants: intercept(store.identity.tenants, {
      setStatus: async (...args: Parameters<Store['identity']['tenants']['setStatus']>) => {
        const done = await store.identity.tenants.setStatus(...args);
        if (done) await bus.publish({ type: 'tenant.paused', tenantId: args[0], id: args[0] });
        return done;
      },
    }),
  });
  return new Proxy(store, {
    get(t, prop, receiver) {
      if (prop in replaced) return replaced[prop as keyof Store];
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}
