import { RetentionSettings } from './audit/retention-settings.ts';
import type { Config } from './config/schema.ts';
import { type EventBus, openEvents, publishingStore } from './events/index.ts';
import type { RedisClient } from './events/redis.ts';
import { KeyService } from './identity/keys.ts';
import { PromptService } from './prompts/service.ts';
import { SecretBox } from './security/envelope.ts';
import { loadMasterKey } from './security/master-key.ts';
import type { Logger } from 'pino';
import { openStore } from './store/index.ts';
import type { Store } from './store/types.ts';

/** The stateful core shared by the server and the CLI: the store, the secret box and the services over them. */
export interface CoreServices {
  store: Store;
  box: SecretBox;
  keys: KeyService;
  prompts: PromptService;
  retention: RetentionSettings;
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
    return {
      store,
      box,
      keys: new KeyService(store.keys, box),
      prompts: new PromptService(store.prompts),
      retention: new RetentionSettings(store.settings),
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
