import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from './gateway.ts';

// Fresh, uniquely named places for one test run: a PostgreSQL schema (dropped afterwards) and a Redis key prefix
// (deleted afterwards), so parallel runs and other engineers' tests never share counters.

export const REDIS_URL = process.env.PORTCULLIS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const schemas: string[] = [];
let n = 0;

export function freshPgUrl(tag: string): string {
  const schema = `pcx_${tag}_${RUN}_${n++}`;
  schemas.push(schema);
  return `${PG_URL}?schema=${schema}`;
}

export function freshRedisPrefix(tag: string): string {
  return `pcxtest:${tag}:${RUN}:${n++}:`;
}

export async function dropPgSchemas(): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const s of schemas.splice(0)) await client.query(`drop schema if exists ${s} cascade`);
  } finally {
    await client.end();
  }
}

export async function dropRedisKeys(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
