// Embedded mode: one SQLite file, one process. WAL lets readers (e.g. the CLI inspecting the
// log) run while the gateway writes.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createSqlStore, type Tables } from './sql-store.ts';
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
  return createSqlStore(db, 'sqlite');
}
