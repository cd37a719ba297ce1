import { RetentionSettings } from './audit/retention-settings.ts';
import type { Config } from './config/schema.ts';
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
  masterKeySource: 'env' | 'file' | 'created';
  close(): Promise<void>;
}

export async function openCore(config: Config): Promise<CoreServices> {
  const master = loadMasterKey({ masterKey: config.secrets.masterKey, masterKeyFile: config.secrets.masterKeyFile });
  const store = await openStore(config.storage.url);
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
      close: () => store.close(),
    };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}
