// Scaled-out mode: any number of gateway replicas share one PostgreSQL database.

import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createSqlStore, type Tables } from './sql-store.ts';
import type { Store } from './types.ts';

export interface PostgresStoreOptions {
  /** Schema to use (and create if missing) instead of the server's search_path default. */
  schema?: string;
  poolSize?: number;
}

const INT8_OID = 20;

// Dates and seq are bigint columns. pg returns int8 as a string by default since it may
// exceed 2^53; ours never do, so return numbers, and a bigint for anything larger so such a
// value can never be silently rounded.
function parseInt8(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

// Interpolated into search_path and DDL, so only plain lower-case identifiers are accepted.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const { schema } = opts;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use [a-z_][a-z0-9_]*`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // Fail closed and fast when the database is unreachable instead of queueing forever.
    connectionTimeoutMillis: 5_000,
    // A connection that stalls mid-query (network gone, server frozen) fails the query instead of hanging it.
    query_timeout: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that dies (server restart) is dropped by the pool; without a listener
  // the 'error' event would crash the process. The next query then fails and is refused.
  pool.on('error', () => {});
  // The same for a connection that breaks while checked out between two statements (inside a transaction): the
  // statement in progress, or the next one, fails and is refused; the event itself must not crash the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await ensureSchema(db, schema);
    const res = await sql<{ s: string | null }>`select current_schema() as s`.execute(db);
    const current = res.rows[0]?.s;
    if (!current) throw new Error('PostgreSQL search_path names no existing schema');
    return createSqlStore(db, 'postgres', { migrationSchema: current });
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

async function ensureSchema(db: Kysely<Tables>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (err) {
    // Concurrent "create schema if not exists" can still collide on the catalog; losing that
    // race is fine as long as the schema now exists.
    const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (found.rows.length === 0) throw err;
  }
}
