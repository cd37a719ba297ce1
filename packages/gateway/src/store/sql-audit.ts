// Audit log, retention purges and privacy requests over kysely, one implementation for SQLite and PostgreSQL.
// Hashing and signing come from the caller (AuditSealer, audit/chain.ts); this file decides locking and order.

import type { Generated, Kysely, Selectable } from 'kysely';
import { CompiledQuery, sql } from 'kysely';
import type { SqlDialect } from './migrations.ts';
import { type ExecutionOutputsTable, executionRecord } from './sql-prompts.ts';
import { requestRecord, requestRow } from './sql-store.ts';
import type {
  AuditCheckpoint,
  AuditQuery,
  AuditRecord,
  AuditSealer,
  AuditStore,
  EraseCounts,
  NewAuditEvent,
  PurgeCounts,
} from './types.ts';

export interface AuditLogTable {
  tenant_id: string;
  seq: number;
  at: number;
  actor: string;
  key_id: string | null;
  subject: string | null;
  action: string;
  outcome: string;
  target: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointsTable {
  tenant_id: string;
  seq: number;
  hash: string;
  at: number;
  mac: string | null;
}

export interface AuditSubjectsTable {
  tenant_id: string;
  lookup: string;
  pseudonym: string;
  created_at: number;
}

/** request_log as sql-store.ts writes it, plus the subject column this issue adds. */
type RequestLogRow = ReturnType<typeof requestRow> & { seq: Generated<number>; subject: string | null };

export interface AuditTables {
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_subjects: AuditSubjectsTable;
  request_log: RequestLogRow;
  execution_outputs: ExecutionOutputsTable;
}

type Db = Kysely<AuditTables>;

const GENESIS = { seq: 0, hash: '0'.repeat(64) };
// 12 columns a row: well under SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_CHUNK = 500;
const SCAN_PAGE = 1000;
const MAX_LIMIT = 1000;
// Advisory lock classes ('PCXA', 'PCXR'): one lock per tenant chain for appends, one per tenant for purges.
const CHAIN_LOCK = 0x50435841;
const PURGE_LOCK = 0x50435852;

/** A stable signed 32-bit number for a tenant id (advisory locks take int4 pairs; a collision only serialises). */
function lockId(tenantId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < tenantId.length; i++) h = Math.imul(h ^ tenantId.charCodeAt(i), 0x01000193);
  return h | 0;
}

function auditRecord(r: Selectable<AuditLogTable>): AuditRecord {
  return {
    tenantId: r.tenant_id,
    seq: Number(r.seq),
    at: new Date(Number(r.at)),
    actor: r.actor,
    keyId: r.key_id,
    subject: r.subject,
    action: r.action,
    outcome: r.outcome,
    target: r.target,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function auditRow(r: AuditRecord): AuditLogTable {
  return {
    tenant_id: r.tenantId,
    seq: r.seq,
    at: r.at.getTime(),
    actor: r.actor,
    key_id: r.keyId,
    subject: r.subject,
    action: r.action,
    outcome: r.outcome,
    target: r.target,
    detail: r.detail,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

function checkpointRecord(r: Selectable<AuditCheckpointsTable>): AuditCheckpoint {
  return { tenantId: r.tenant_id, seq: Number(r.seq), hash: r.hash, at: new Date(Number(r.at)), mac: r.mac };
}

const deleted = (res: { numDeletedRows: bigint }[]) => res.reduce((n, r) => n + Number(r.numDeletedRows), 0);

export function auditStore(db: Db, kind: SqlDialect): AuditStore {
  /**
   * A write transaction that holds the database's write lock from its first statement. SQLite's default BEGIN is
   * deferred: two processes could both read a chain's head before either writes, and one would then fail. BEGIN
   * IMMEDIATE takes the lock first (waiting up to busy_timeout). PostgreSQL locks per chain instead (lockChain).
   */
  async function writeTx<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    if (kind === 'postgres') return db.transaction().execute(fn);
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const out = await fn(conn);
        await sql`commit`.execute(conn);
        return out;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw err;
      }
    });
  }

  const insertSql = new Map<string, string>();
  /**
   * Multi-row INSERT with the SQL text built once per table, column set and row count. These two inserts run for every
   * request; kysely's insert builder re-parses each row's columns, which cost more than the database write itself.
   * Values are still bound parameters.
   */
  async function insertRows(trx: Db, table: 'audit_log' | 'request_log', rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK) as Record<string, unknown>[];
      const cacheKey = `${table}|${columns.join(',')}|${chunk.length}`;
      let text = insertSql.get(cacheKey);
      if (text === undefined) {
        let n = 0;
        const row = () => `(${columns.map(() => (kind === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
        text = `insert into ${table} (${columns.join(', ')}) values ${chunk.map(row).join(', ')}`;
        // Batches come in every size up to the chunk; keep the cache small rather than one text per size forever.
        if (insertSql.size >= 64) insertSql.clear();
        insertSql.set(cacheKey, text);
      }
      const params: unknown[] = [];
      for (const r of chunk) for (const c of columns) params.push(r[c]);
      await trx.executeQuery(CompiledQuery.raw(text, params));
    }
  }

  async function lockChain(trx: Db, tenantId: string): Promise<void> {
    // Held to the end of the transaction: every appender of this chain, on any replica, waits here, then reads the
    // head that the previous one committed.
    if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${CHAIN_LOCK}, ${lockId(tenantId)})`.execute(trx);
  }

  async function head(trx: Db, tenantId: string): Promise<{ seq: number; hash: string }> {
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where('tenant_id', '=', tenantId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last) return { seq: Number(last.seq), hash: last.hash };
    // Everything purged: the chain continues from the anchor checkpoint.
    const cp = await trx
      .selectFrom('audit_checkpoints')
      .select(['seq', 'hash'])
      .where('tenant_id', '=', tenantId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return cp ? { seq: Number(cp.seq), hash: cp.hash } : GENESIS;
  }

  async function pseudonymOf(trx: Db, tenantId: string, lookup: string, sealer: AuditSealer): Promise<string> {
    const found = await trx
      .selectFrom('audit_subjects')
      .select('pseudonym')
      .where('tenant_id', '=', tenantId)
      .where('lookup', '=', lookup)
      .executeTakeFirst();
    if (found) return found.pseudonym;
    // Under the chain lock, so no other appender of this tenant races us to the insert.
    const pseudonym = sealer.newPseudonym();
    await trx
      .insertInto('audit_subjects')
      .values({ tenant_id: tenantId, lookup, pseudonym, created_at: Date.now() })
      .execute();
    return pseudonym;
  }

  async function writeCheckpoint(
    trx: Db,
    cp: Omit<AuditCheckpoint, 'mac'>,
    sealer: AuditSealer,
  ): Promise<AuditCheckpoint> {
    const signed = { ...cp, mac: sealer.sign(cp) };
    await trx
      .insertInto('audit_checkpoints')
      .values({ tenant_id: cp.tenantId, seq: cp.seq, hash: cp.hash, at: cp.at.getTime(), mac: signed.mac })
      .onConflict((oc) => oc.columns(['tenant_id', 'seq']).doNothing())
      .execute();
    return signed;
  }

  /** Appends one tenant's events; the caller holds the chain lock. */
  async function appendChain(trx: Db, tenantId: string, events: NewAuditEvent[], sealer: AuditSealer) {
    let prev = await head(trx, tenantId);
    const first = prev.seq;
    const pseudonyms = new Map<string, string>();
    const out: AuditRecord[] = [];
    for (const e of events) {
      let subject: string | null = null;
      if (e.subjectLookup !== null) {
        subject = pseudonyms.get(e.subjectLookup) ?? null;
        if (subject === null) {
          subject = await pseudonymOf(trx, tenantId, e.subjectLookup, sealer);
          pseudonyms.set(e.subjectLookup, subject);
        }
      }
      const body: Omit<AuditRecord, 'hash'> = {
        tenantId,
        seq: prev.seq + 1,
        at: e.at,
        actor: e.actor,
        keyId: e.keyId,
        subject,
        action: e.action,
        outcome: e.outcome,
        target: e.target,
        detail: e.detail === null ? null : sealer.encodeDetail(e.detail),
        prevHash: prev.hash,
      };
      const rec = { ...body, hash: sealer.hash(body) };
      out.push(rec);
      prev = rec;
    }
    await insertRows(trx, 'audit_log', out.map(auditRow));
    const every = sealer.checkpointEvery;
    if (every > 0 && Math.floor(first / every) < Math.floor(prev.seq / every)) {
      await writeCheckpoint(trx, { tenantId, seq: prev.seq, hash: prev.hash, at: new Date() }, sealer);
    }
    return out;
  }

  async function appendIn(trx: Db, events: NewAuditEvent[], sealer: AuditSealer): Promise<AuditRecord[]> {
    const byTenant = new Map<string, NewAuditEvent[]>();
    for (const e of events) {
      const list = byTenant.get(e.tenantId);
      if (list) list.push(e);
      else byTenant.set(e.tenantId, [e]);
    }
    const out: AuditRecord[] = [];
    // Chains are locked in one global order, so two batches spanning the same tenants cannot deadlock.
    for (const tenantId of [...byTenant.keys()].sort()) {
      await lockChain(trx, tenantId);
      out.push(...(await appendChain(trx, tenantId, byTenant.get(tenantId)!, sealer)));
    }
    return out;
  }

  async function* scanIn(trx: Db, tenantId: string, afterSeq: number, throughSeq: number) {
    let after = afterSeq;
    for (;;) {
      const rows = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('seq', '>', after)
        .where('seq', '<=', throughSeq)
        .orderBy('seq')
        .limit(SCAN_PAGE)
        .execute();
      if (rows.length === 0) return;
      const page = rows.map(auditRecord);
      yield page;
      after = page[page.length - 1]!.seq;
      if (rows.length < SCAN_PAGE) return;
    }
  }

  return {
    async append(events, sealer, requests = []) {
      if (events.length === 0 && requests.length === 0) return [];
      return writeTx(async (trx) => {
        // The request rows first: on SQLite this is also what takes the write lock, before any head is read.
        await insertRows(
          trx,
          'request_log',
          requests.map((r) => ({ ...requestRow(r), subject: r.subject ?? null })),
        );
        return appendIn(trx, events, sealer);
      });
    },

    async checkpoint(tenantId, sealer) {
      return writeTx(async (trx) => {
        await lockChain(trx, tenantId);
        const h = await head(trx, tenantId);
        if (h.seq === 0) return undefined;
        const existing = await trx
          .selectFrom('audit_checkpoints')
          .selectAll()
          .where('tenant_id', '=', tenantId)
          .where('seq', '=', h.seq)
          .executeTakeFirst();
        if (existing) return checkpointRecord(existing);
        return writeCheckpoint(trx, { tenantId, seq: h.seq, hash: h.hash, at: new Date() }, sealer);
      });
    },

    async checkpoints(tenantId) {
      const rows = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('seq')
        .execute();
      return rows.map(checkpointRecord);
    },

    async scan(tenantId, afterSeq, limit) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(Math.min(Math.max(Math.trunc(limit), 1), 10_000))
        .execute();
      return rows.map(auditRecord);
    },

    async search(q: AuditQuery) {
      // Every value is a bound parameter (kysely never interpolates them); column names are fixed here.
      const order = q.order ?? 'desc';
      let sel = db.selectFrom('audit_log').selectAll().where('tenant_id', '=', q.tenantId);
      if (q.since !== undefined) sel = sel.where('at', '>=', q.since.getTime());
      if (q.until !== undefined) sel = sel.where('at', '<', q.until.getTime());
      if (q.actor !== undefined) sel = sel.where('actor', '=', q.actor);
      if (q.keyId !== undefined) sel = sel.where('key_id', '=', q.keyId);
      if (q.outcome !== undefined) sel = sel.where('outcome', '=', q.outcome);
      if (q.subject !== undefined) sel = sel.where('subject', '=', q.subject);
      if (q.target !== undefined) sel = sel.where('target', '=', q.target);
      if (q.action !== undefined) {
        if (q.action.endsWith('.*')) {
          // A prefix by substr equality, not LIKE: LIKE is case-insensitive on SQLite and treats % and _ specially.
          const prefix = q.action.slice(0, -1);
          sel = sel.where(sql<string>`substr(action, 1, ${prefix.length})`, '=', prefix);
        } else {
          sel = sel.where('action', '=', q.action);
        }
      }
      if (q.cursor !== undefined) sel = sel.where('seq', order === 'desc' ? '<' : '>', q.cursor);
      const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), MAX_LIMIT);
      const rows = await sel.orderBy('seq', order).limit(limit).execute();
      return rows.map(auditRecord);
    },

    async tenants() {
      const rows = await sql<{ tenant_id: string }>`
        select tenant_id from request_log
        union select tenant_id from execution_outputs
        union select tenant_id from audit_log
        union select tenant_id from tenant_settings`.execute(db);
      return rows.rows.map((r) => r.tenant_id).sort();
    },

    async chains() {
      const rows = await sql<{ tenant_id: string }>`
        select tenant_id from audit_log union select tenant_id from audit_checkpoints`.execute(db);
      return rows.rows.map((r) => r.tenant_id).sort();
    },

    async pseudonym(tenantId, lookup) {
      const row = await db
        .selectFrom('audit_subjects')
        .select('pseudonym')
        .where('tenant_id', '=', tenantId)
        .where('lookup', '=', lookup)
        .executeTakeFirst();
      return row?.pseudonym;
    },

    async purge(tenantId, cutoffs, event, sealer, check) {
      return writeTx(async (trx) => {
        if (kind === 'postgres') {
          // Replicas running the job at once: one does the work, the others skip this tenant.
          const got = await sql<{
            ok: boolean;
          }>`select pg_try_advisory_xact_lock(${PURGE_LOCK}, ${lockId(tenantId)}) as ok`.execute(trx);
          if (!got.rows[0]?.ok) return undefined;
        }
        const counts: PurgeCounts = {
          requestLog: 0,
          executionOutputs: 0,
          unmaskedOutputs: 0,
          auditRecords: 0,
          auditCheckpoints: 0,
        };
        if (cutoffs.logs) {
          counts.requestLog = deleted(
            await trx
              .deleteFrom('request_log')
              .where('tenant_id', '=', tenantId)
              .where('created_at', '<', cutoffs.logs.getTime())
              .execute(),
          );
        }
        if (cutoffs.responses) {
          counts.executionOutputs = deleted(
            await trx
              .deleteFrom('execution_outputs')
              .where('tenant_id', '=', tenantId)
              .where('created_at', '<', cutoffs.responses.getTime())
              .execute(),
          );
        }
        if (cutoffs.pii) {
          // Outputs that kept personal data cannot be re-masked (the placeholders' vault was never stored): delete.
          counts.unmaskedOutputs = deleted(
            await trx
              .deleteFrom('execution_outputs')
              .where('tenant_id', '=', tenantId)
              .where('pii_masked', '=', 0)
              .where('created_at', '<', cutoffs.pii.getTime())
              .execute(),
          );
        }

        await lockChain(trx, tenantId);
        let refused: string | null = null;
        let through: number | null = null;
        if (cutoffs.logs) {
          // Purge a prefix only: everything up to the first record that is still young, so the chain stays whole.
          const young = await trx
            .selectFrom('audit_log')
            .select((eb) => eb.fn.min('seq').as('seq'))
            .where('tenant_id', '=', tenantId)
            .where('at', '>=', cutoffs.logs.getTime())
            .executeTakeFirst();
          const h = await head(trx, tenantId);
          const upTo = young?.seq != null ? Number(young.seq) - 1 : h.seq;
          const firstRow = await trx
            .selectFrom('audit_log')
            .select((eb) => eb.fn.min('seq').as('seq'))
            .where('tenant_id', '=', tenantId)
            .executeTakeFirst();
          const first = firstRow?.seq != null ? Number(firstRow.seq) : null;
          if (first !== null && upTo >= first) {
            const anchorRow = await trx
              .selectFrom('audit_checkpoints')
              .selectAll()
              .where('tenant_id', '=', tenantId)
              .where('seq', '<', first)
              .orderBy('seq', 'desc')
              .limit(1)
              .executeTakeFirst();
            const verify = check(anchorRow ? checkpointRecord(anchorRow) : undefined);
            let last: AuditRecord | undefined;
            for await (const page of scanIn(trx, tenantId, first - 1, upTo)) {
              refused = verify(page);
              if (refused) break;
              last = page[page.length - 1];
            }
            if (!refused && last) {
              // The new anchor: a signed checkpoint at the last purged record, kept when the records go.
              await writeCheckpoint(trx, { tenantId, seq: last.seq, hash: last.hash, at: new Date() }, sealer);
              counts.auditRecords = deleted(
                await trx
                  .deleteFrom('audit_log')
                  .where('tenant_id', '=', tenantId)
                  .where('seq', '<=', last.seq)
                  .execute(),
              );
              counts.auditCheckpoints = deleted(
                await trx
                  .deleteFrom('audit_checkpoints')
                  .where('tenant_id', '=', tenantId)
                  .where('seq', '<', last.seq)
                  .execute(),
              );
              through = last.seq;
            }
          }
        }
        const any =
          counts.requestLog + counts.executionOutputs + counts.unmaskedOutputs + counts.auditRecords > 0 || refused;
        if (any) {
          const detail = {
            ...event.detail,
            deleted: counts,
            ...(through !== null ? { audit: { through } } : {}),
            ...(refused ? { auditPurgeRefused: refused } : {}),
          };
          await appendChain(
            trx,
            tenantId,
            [{ ...event, outcome: refused ? 'failure' : event.outcome, detail }],
            sealer,
          );
        }
        return { counts, refused };
      });
    },

    async subjectData(tenantId, subject, lookup) {
      const link = await db
        .selectFrom('audit_subjects')
        .select('pseudonym')
        .where('tenant_id', '=', tenantId)
        .where('lookup', '=', lookup)
        .executeTakeFirst();
      const pseudonym = link?.pseudonym ?? null;
      const requests = await db
        .selectFrom('request_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject', '=', subject)
        .orderBy('seq')
        .execute();
      const executions = await db
        .selectFrom('execution_outputs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject', '=', subject)
        .orderBy('created_at')
        .execute();
      const audit =
        pseudonym === null
          ? []
          : await db
              .selectFrom('audit_log')
              .selectAll()
              .where('tenant_id', '=', tenantId)
              .where('subject', '=', pseudonym)
              .orderBy('seq')
              .execute();
      return {
        pseudonym,
        requests: requests.map((r) => requestRecord(r as Parameters<typeof requestRecord>[0])),
        executions: executions.map(executionRecord),
        audit: audit.map(auditRecord),
      };
    },

    async eraseSubject(tenantId, subject, lookup, event, sealer) {
      return writeTx(async (trx) => {
        // The chain lock also keeps appenders from minting the subject a pseudonym while its link is being deleted.
        await lockChain(trx, tenantId);
        const link = await trx
          .selectFrom('audit_subjects')
          .select('pseudonym')
          .where('tenant_id', '=', tenantId)
          .where('lookup', '=', lookup)
          .executeTakeFirst();
        const counts: EraseCounts = {
          requestLog: deleted(
            await trx
              .deleteFrom('request_log')
              .where('tenant_id', '=', tenantId)
              .where('subject', '=', subject)
              .execute(),
          ),
          executionOutputs: deleted(
            await trx
              .deleteFrom('execution_outputs')
              .where('tenant_id', '=', tenantId)
              .where('subject', '=', subject)
              .execute(),
          ),
          auditSubjectLinks: 0,
          auditRecordsUnlinked: 0,
        };
        if (link) {
          const n = await trx
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', tenantId)
            .where('subject', '=', link.pseudonym)
            .executeTakeFirstOrThrow();
          counts.auditRecordsUnlinked = Number(n.n);
          counts.auditSubjectLinks = deleted(
            await trx
              .deleteFrom('audit_subjects')
              .where('tenant_id', '=', tenantId)
              .where('lookup', '=', lookup)
              .execute(),
          );
        }
        const [record] = await appendChain(
          trx,
          tenantId,
          [
            {
              ...event,
              subjectLookup: null,
              // The erased pseudonym: ties this record to the (now anonymous) records it unlinked, and to nobody.
              target: link ? `subject:${link.pseudonym}` : event.target,
              detail: { ...event.detail, removed: counts },
            },
          ],
          sealer,
        );
        return { removed: counts, record: record! };
      });
    },
  };
}
