import type { Logger } from 'pino';
import type { TenantRouters } from '../providers/tenant-routers.ts';
import type { CoreServices } from '../services.ts';

// Who drops what when another process changes something. Every cache here also expires on its own (keys and label
// pointers after a second, provider tables at the next poll), so a missed event only delays a change, never loses it.

export function wireInvalidation(core: CoreServices, routers: TenantRouters, log: Logger): () => void {
  // The tenant directory (identity/) caches tenant status, roles and users.
  const dropDirectory = () => core.directory.invalidate();
  const refreshProviders = (tenantId?: string) => {
    const p = tenantId ? routers.refresh(tenantId) : routers.refreshAll();
    p.catch((err: Error) => log.error({ err: err.message }, 'provider refresh after an event failed'));
  };
  const off = core.events.subscribe((e) => {
    switch (e.type) {
      case 'key.revoked':
        core.keys.invalidate();
        break;
      case 'tenant.paused':
        core.keys.invalidate();
        dropDirectory();
        break;
      case 'prompt.label_moved':
        core.prompts.invalidate();
        break;
      case 'provider.changed':
        refreshProviders(e.tenantId);
        break;
      case 'config.changed':
        // Prices subscribe on their own (limits/setup.ts); settings caches expire within a second.
        break;
    }
  });
  const offResync = core.events.onResync(() => {
    core.keys.invalidate();
    dropDirectory();
    core.prompts.invalidate();
    refreshProviders();
  });
  return () => {
    off();
    offResync();
  };
}
