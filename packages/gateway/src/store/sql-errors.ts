/** A unique or primary-key violation, from PostgreSQL (23505) or better-sqlite3 (SQLITE_CONSTRAINT_*). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === '23505' || (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT'));
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const CONNECTION_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|connection.*(closed|ended)|Client has encountered a connection error|SQLITE_BUSY|database is locked/i;

/**
 * The database could not be reached or went away mid-query (as opposed to a query being wrong): PostgreSQL's
 * connection-exception class (08…) and shutdown codes (57P01–03), socket errors, pool connect timeouts, and SQLite
 * staying locked past its busy timeout. The gateway answers these with 503, which a client may retry.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code)) return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}
