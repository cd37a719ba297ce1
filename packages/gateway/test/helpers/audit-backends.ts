import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AuditService } from '../../src/audit/service.ts';
import { openPostgresStore, openSqliteStore } from '../../src/store/index.ts';
import type { RequestRecord, Store } from '../../src/store/types.ts';
import { PG_URL } from './gateway.ts';

// Real SQLite files and real PostgreSQL schemas for the audit, retention and privacy tests, with raw SQL access to
// the same database (for tampering) and an AuditService over it.

export interface AuditEnv {
  name: 'sqlite' | 'postgres';
  store: Store;
  audit: AuditService;
  keys: ReturnType<typeof auditKeys>;
  /** The storage URL (for the CLI) and the schema, when PostgreSQL. */
  url: string;
  raw(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Another store on the same database (a second replica). */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

export interface Backends {
  open(name: 'sqlite' | 'postgres', opts?: { checkpointEvery?: number }): Promise<AuditEnv>;
  cleanup(): Promise<void>;
}

export function auditKeys() {
  return { subjectKey: createSecretKey(randomBytes(32)), checkpointKey: createSecretKey(randomBytes(32)) };
}

export function backends(prefix: string): Backends {
  const run = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const tmp = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const schemas: string[] = [];
  const opened: Store[] = [];
  let n = 0;
  return {
    async open(name, opts = {}) {
      const keys = auditKeys();
      const checkpointEvery = opts.checkpointEvery ?? 0;
      if (name === 'sqlite') {
        const file = join(tmp, `a${++n}.db`);
        const store = await openSqliteStore(file);
        await store.migrate();
        opened.push(store);
        return {
          name,
          store,
          audit: new AuditService(store, keys, { checkpointEvery }),
          keys,
          url: `sqlite:${file}`,
          async raw(text, params = []) {
            const db = new Database(file);
            try {
              const stmt = db.prepare(text);
              if (stmt.reader) return stmt.all(...params) as Record<string, unknown>[];
              stmt.run(...params);
              return [];
            } finally {
              db.close();
            }
          },
          async reopen() {
            const s = await openSqliteStore(file);
            opened.push(s);
            return s;
          },
          close: () => store.close(),
        };
      }
      const schema = `${run}_${++n}`;
      schemas.push(schema);
      const store = await openPostgresStore(PG_URL, { schema, poolSize: 4 });
      await store.migrate();
      opened.push(store);
      return {
        name,
        store,
        audit: new AuditService(store, keys, { checkpointEvery }),
        keys,
        url: `${PG_URL}?schema=${schema}`,
        async raw(text, params = []) {
          const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
          await client.connect();
          try {
            return (await client.query(text, params)).rows;
          } finally {
            await client.end();
          }
        },
        async reopen() {
          const s = await openPostgresStore(PG_URL, { schema, poolSize: 4 });
          opened.push(s);
          return s;
        },
        close: () => store.close(),
      };
    },
    async cleanup() {
      for (const s of opened) await s.close().catch(() => {});
      rmSync(tmp, { recursive: true, force: true });
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        for (const s of schemas) await client.query(`drop schema if exists ${s} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

let reqNo = 0;
export function requestRecord(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `req_t${++reqNo}`,
    tenantId: 'default',
    keyId: 'key_a',
    route: '/v1/chat/completions',
    method: 'POST',
    model: 'mock-1',
    provider: 'mock',
    status: 200,
    outcome: 'allowed',
    errorCode: null,
    latencyMs: 3,
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    stream: false,
    ip: '127.0.0.1',
    detail: null,
    createdAt: new Date(),
    ...over,
  };
}
