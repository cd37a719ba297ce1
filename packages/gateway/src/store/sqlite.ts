// Embedded mode: one SQLite file, one process. WAL lets readers (e.g. the CLI inspecting the
// log) run while the gateway writes.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createSqlStore, requestRow, type Tables } from './sql-store.ts';
import type { Store } from './types.ts';

export async function openSqliteStore(path: string): Promise<Store> {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Create the file owner-only before SQLite does (it would use the umask, often 0644);
    // SQLite then gives its -wal and -shm files the same mode as the database.
    closeSync(openSync(path, 'a', 0o600));
  }
  const database = new Database(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
    // With WAL, NORMAL can lose the last commits on power loss but never corrupts the file.
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    database.close();
    throw err;
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
  const store = createSqlStore(db, 'sqlite');
  return withFastAppend(store, database);
}

/**
 * The request log is the one write on every request. Building a multi-row INSERT through the
 * query builder for each batch showed up in gateway profiles; one prepared single-row INSERT,
 * run in a loop inside a transaction, is SQLite's fastest path and keeps the same semantics.
 */
function withFastAppend(store: Store, database: Database.Database): Store {
  type Row = ReturnType<typeof requestRow>;
  let insertAll: ((rows: Row[]) => void) | undefined;
  const append = async (records: Parameters<Store['requests']['append']>[0]): Promise<void> => {
    if (records.length === 0) return;
    if (!insertAll) {
      // Prepared lazily: the table exists only after migrate().
      const columns = Object.keys(requestRow(records[0]!));
      const stmt = database.prepare<Row>(
        `insert into request_log (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      );
      insertAll = database.transaction((rows: Row[]) => {
        for (const row of rows) stmt.run(row);
      });
    }
    insertAll(records.map(requestRow));
  };
  return { ...store, requests: { ...store.requests, append } } as Store;
}
