import type { Logger } from 'pino';
import { withAuditedRequestLog } from './audit/audited-store.ts';
import { PrivacyService } from './audit/privacy.ts';
import { RetentionJob } from './audit/retention-job.ts';
import { RetentionSettings } from './audit/retention-settings.ts';
import { AuditService } from './audit/service.ts';
import type { Config } from './config/schema.ts';
import { type EventBus, openEvents, publishingStore } from './events/index.ts';
import type { RedisClient } from './events/redis.ts';
import { Directory } from './identity/directory.ts';
import { EndUserJwts } from './identity/end-user-jwt.ts';
import { KeyService } from './identity/keys.ts';
import { PromptService } from './prompts/service.ts';
import { SecretBox } from './security/envelope.ts';
import { loadMasterKey } from './security/master-key.ts';
import { openStore } from './store/index.ts';
import type { Store } from './store/types.ts';

/** The stateful core shared by the server and the CLI: the store, the secret box and the services over them. */
export interface CoreServices {
  store: Store;
  box: SecretBox;
  keys: KeyService;
  prompts: PromptService;
  retention: RetentionSettings;
  /** Hash-chained audit log, privacy requests and the retention purge (audit/, docs/audit.md). */
  audit: AuditService;
  privacy: PrivacyService;
  /** Not started here: the server starts it (registerAuditRoutes), the CLI runs it once (`retention run`). */
  retentionJob: RetentionJob;
  directory: Directory;
  jwts: EndUserJwts;
  masterKeySource: 'env' | 'file' | 'created';
  /** Change events between processes (in-process, or Redis pub/sub when `redis.url` is set). */
  events: EventBus;
  /** The shared Redis connection when `redis.url` is set (counters, publishing). */
  redis: RedisClient | undefined;
  close(): Promise<void>;
}

export async function openCore(config: Config, opts: { log?: Logger } = {}): Promise<CoreServices> {
  const master = loadMasterKey({ masterKey: config.secrets.masterKey, masterKeyFile: config.secrets.masterKeyFile });
  const opened = await openStore(config.storage.url);
  const { redis, events } = openEvents(config.redis, opts.log);
  // Every change written through the store is announced to the other replicas (events/publishing-store.ts).
  const store = publishingStore(opened, events);
  const closeAll = async () => {
    await events.close();
    redis?.disconnect();
    await store.close();
  };
  try {
    await store.migrate();
    const box = await SecretBox.open(master.key, store.meta);
    const audit = new AuditService(
      store,
      { subjectKey: box.subkey('audit subject v1'), checkpointKey: box.subkey('audit checkpoint v1') },
      config.audit,
    );
    const retention = new RetentionSettings(store.settings);
    const retentionJob = new RetentionJob(store, retention, audit, { ...config.retention, ...opts });
    return {
      // Request records written through the store (the RequestRecorder) append their audit events in the same batch.
      store: withAuditedRequestLog(store, audit),
      box,
      keys: new KeyService(store.keys, box),
      prompts: new PromptService(store.prompts),
      retention,
      audit,
      privacy: new PrivacyService(store, audit),
      retentionJob,
      directory: new Directory(store.identity, store.keys),
      jwts: new EndUserJwts(store.settings, box),
      masterKeySource: master.source,
      events,
      redis,
      close: closeAll,
    };
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }
}
