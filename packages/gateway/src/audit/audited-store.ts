import type { Store } from '../store/types.ts';
import type { AuditService } from './service.ts';

/**
 * The store with its request log replaced by one that appends each batch's audit events in the same transaction
 * (AuditService.requestLog). Whatever writes request records through the store (the RequestRecorder) is audited
 * without knowing it; every other member passes through untouched.
 */
export function withAuditedRequestLog(store: Store, audit: AuditService): Store {
  const requests = audit.requestLog();
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'requests') return requests;
      return Reflect.get(target, prop, receiver);
    },
  });
}
