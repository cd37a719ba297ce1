// A separate process appending to one audit chain (the SQLite concurrency test runs several of these at once).
// argv: <sqlite file> <worker no> <batches>; the keys are fixed test keys so every worker seals alike.
import { createSecretKey } from 'node:crypto';
import { AuditService } from '../../src/audit/service.ts';
import { openSqliteStore } from '../../src/store/index.ts';

const [file, worker, batches] = process.argv.slice(2) as [string, string, string];
const key = (b: number) => createSecretKey(Buffer.alloc(32, b));
const store = await openSqliteStore(file);
const audit = new AuditService(store, { subjectKey: key(1), checkpointKey: key(2) }, { checkpointEvery: 25 });
for (let b = 0; b < Number(batches); b++) {
  await audit.requestLog().append(
    Array.from({ length: 5 }, (_, i) => ({
      id: `req_w${worker}_${b}_${i}`,
      tenantId: 'default',
      keyId: `key_w${worker}`,
      route: '/v1/models',
      method: 'GET',
      model: null,
      provider: null,
      status: 200,
      outcome: 'allowed' as const,
      errorCode: null,
      latencyMs: 1,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      stream: false,
      ip: null,
      detail: null,
      createdAt: new Date(),
      subject: `s${i}`,
    })),
  );
}
await store.close();
