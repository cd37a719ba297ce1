// Picks the backend from one configuration string, so deployments switch from the embedded
// default to PostgreSQL by changing a URL.

import { openPostgresStore } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

export { openPostgresStore, type PostgresStoreOptions } from './postgres.ts';
export { openSqliteStore } from './sqlite.ts';

/**
 * `postgres://…` or `postgresql://…` opens PostgreSQL (`?schema=name` picks a schema). `sqlite:PATH`, `sqlite://PATH`
 * (so `sqlite:///abs/path` is absolute), `sqlite::memory:` or a bare file path opens SQLite.
 * Does not migrate; call `store.migrate()`.
 */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // `?schema=name` selects a schema (one database can host several isolated deployments or test runs).
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return openPostgresStore(parsed.toString(), schema === undefined ? {} : { schema });
  }
  if (/^sqlite:/i.test(url)) {
    const path = url.replace(/^sqlite:(\/\/)?/i, '');
    if (path === '') throw new Error('store url "sqlite:" names no file');
    return openSqliteStore(path);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  // Name only the scheme: the rest of a URL may carry credentials.
  if (scheme) throw new Error(`unsupported store url scheme "${scheme[1]}:"; use postgres:// or sqlite:`);
  if (url === '') throw new Error('store url is empty');
  return openSqliteStore(url);
}
