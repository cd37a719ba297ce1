import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { userInfo } from 'node:os';
import type {
  AuditCheckpoint,
  AuditRecord,
  AuditSealer,
  NewAuditEvent,
  RequestLogStore,
  RequestRecord,
  Store,
} from '../store/types.ts';
import { type ChainReport, ChainVerifier, createSealer } from './chain.ts';
import { csvHeader, csvLine, type ExportFormat, jsonLine } from './export-format.ts';
import type { AuditFilters } from './filters.ts';

/** What a caller says happened; the service turns it into a chained record. */
export interface AuditEventInput {
  tenantId: string;
  /** `key:<id>`, `user:<id>`, `cli:<os user>`, `system:<job>`. */
  actor: string;
  action: string;
  outcome?: 'success' | 'failure';
  target?: string | null;
  keyId?: string | null;
  /** The end user's id; stored only as the subject's pseudonym. */
  subject?: string | null;
  /** Ids, rule names, spans, counts, hashes: never raw personal data, secrets or prompt text. */
  detail?: Record<string, unknown> | null;
  at?: Date;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
}

export interface SearchPage {
  data: AuditRecord[];
  /** Pass as `cursor` for the next page; null at the end. */
  nextCursor: number | null;
}

const VERIFY_PAGE = 2000;
const EXPORT_PAGE = 1000;

/** The actor for CLI commands: the operating-system user who ran them. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

/** Request-record detail fields that go into the audit event; everything else (notably `subject`) stays out. */
const REQUEST_DETAIL_KEYS = [
  'findings',
  'flagged',
  'prompt',
  'clientToken',
  'clientTokenFor',
  'cost',
  'attempts',
  'usageEstimated',
  'idempotentReplayOf',
] as const;

export class AuditService {
  readonly #store: Store;
  readonly #subjectKey: KeyObject;
  readonly #checkpointKey: KeyObject;
  readonly sealer: AuditSealer;

  constructor(
    store: Store,
    keys: { subjectKey: KeyObject; checkpointKey: KeyObject },
    opts: { checkpointEvery: number },
  ) {
    this.#store = store;
    this.#subjectKey = keys.subjectKey;
    this.#checkpointKey = keys.checkpointKey;
    this.sealer = createSealer({ checkpointKey: keys.checkpointKey, checkpointEvery: opts.checkpointEvery });
  }

  /**
   * Keyed hash of a subject id, the only form in which a subject reaches the audit tables: a database dump alone
   * cannot test guesses of subject ids against it.
   */
  subjectLookup(tenantId: string, subject: string): string {
    return createHmac('sha256', this.#subjectKey).update(`${tenantId}\n${subject}`, 'utf8').digest('hex');
  }

  event(e: AuditEventInput): NewAuditEvent {
    return {
      tenantId: e.tenantId,
      at: e.at ?? new Date(),
      actor: e.actor,
      keyId: e.keyId ?? null,
      subjectLookup: e.subject ? this.subjectLookup(e.tenantId, e.subject) : null,
      action: e.action,
      outcome: e.outcome ?? 'success',
      target: e.target ?? null,
      detail: e.detail ?? null,
    };
  }

  /** Appends one event now (admin changes, key events, logins, exports, deletions). */
  async record(e: AuditEventInput): Promise<AuditRecord> {
    const [rec] = await this.#store.audit.append([this.event(e)], this.sealer);
    return rec!;
  }

  /** The request's audit event: who, which route, the outcome and the guard decisions, never content. */
  requestEvent(r: RequestRecord): NewAuditEvent {
    const subject = r.subject ?? (typeof r.detail?.['subject'] === 'string' ? r.detail['subject'] : null);
    const detail: Record<string, unknown> = { requestId: r.id, status: r.status };
    if (r.errorCode) detail['errorCode'] = r.errorCode;
    if (r.model) detail['model'] = r.model;
    if (r.provider) detail['provider'] = r.provider;
    if (r.totalTokens > 0) detail['tokens'] = { prompt: r.promptTokens, completion: r.completionTokens };
    if (r.stream) detail['stream'] = true;
    for (const k of REQUEST_DETAIL_KEYS) if (r.detail?.[k] !== undefined) detail[k] = r.detail[k];
    return {
      tenantId: r.tenantId,
      at: r.createdAt,
      actor: r.keyId ? `key:${r.keyId}` : 'anonymous',
      keyId: r.keyId,
      subjectLookup: subject ? this.subjectLookup(r.tenantId, subject) : null,
      action: 'request',
      outcome: r.outcome,
      target: `${r.method} ${r.route}`,
      detail,
    };
  }

  /**
   * A request log whose every batch also appends the requests' audit events, in the same transaction: the
   * RequestRecorder writes through this, so no request is logged without its audit record or the other way round.
   */
  requestLog(): RequestLogStore {
    const store = this.#store;
    return {
      append: async (records) => {
        if (records.length === 0) return;
        // Subjects are taken from the context (or, until every caller sets it, the detail the pipeline recorded).
        const withSubject = records.map((r) =>
          r.subject !== undefined || typeof r.detail?.['subject'] !== 'string'
            ? r
            : { ...r, subject: r.detail['subject'] as string },
        );
        await store.audit.append(
          withSubject.map((r) => this.requestEvent(r)),
          this.sealer,
          withSubject,
        );
      },
      query: (q) => store.requests.query(q),
    };
  }

  /** Maps validated filters to a query; an unknown subject matches nothing (and creates nothing). */
  async search(tenantId: string, f: AuditFilters): Promise<SearchPage> {
    let subject: string | undefined;
    if (f.subject !== undefined) {
      subject = await this.#store.audit.pseudonym(tenantId, this.subjectLookup(tenantId, f.subject));
      if (subject === undefined) return { data: [], nextCursor: null };
    }
    const limit = f.limit ?? 100;
    const data = await this.#store.audit.search({
      tenantId,
      ...(f.since ? { since: f.since } : {}),
      ...(f.until ? { until: f.until } : {}),
      ...(f.actor ? { actor: f.actor } : f.user ? { actor: `user:${f.user}` } : {}),
      ...(f.key ? { keyId: f.key } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(subject ? { subject } : {}),
      ...(f.target ? { target: f.target } : {}),
      ...(f.cursor !== undefined ? { cursor: f.cursor } : {}),
      order: f.order ?? 'desc',
      limit,
    });
    return { data, nextCursor: data.length === limit ? data[data.length - 1]!.seq : null };
  }

  /**
   * Streams every matching record (oldest first unless `order` says otherwise) to `write`, then records the export
   * itself in the log: who exported what, never the exported data.
   */
  async export(
    tenantId: string,
    f: AuditFilters,
    format: ExportFormat,
    write: (chunk: string) => void | Promise<void>,
    actor: string,
  ): Promise<{ records: number; sha256: string }> {
    const digest = createHash('sha256');
    const out = async (chunk: string) => {
      digest.update(chunk, 'utf8');
      await write(chunk);
    };
    if (format === 'csv') await out(csvHeader());
    let cursor = f.cursor;
    let records = 0;
    const order = f.order ?? 'asc';
    for (;;) {
      const page = await this.search(tenantId, {
        ...f,
        order,
        limit: EXPORT_PAGE,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      for (const r of page.data) await out(format === 'csv' ? csvLine(r) : jsonLine(r));
      records += page.data.length;
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    const sha256 = digest.digest('hex');
    await this.record({
      tenantId,
      actor,
      action: 'audit.export',
      target: format,
      detail: { filters: filterSummary(f), records, sha256 },
    });
    return { records, sha256 };
  }

  /** Walks one tenant's chain, or every chain, from its anchor; reports each break with its seq. */
  async verify(tenantId?: string): Promise<VerifyReport> {
    const tenants = tenantId === undefined ? await this.#store.audit.chains() : [tenantId];
    const chains: ChainReport[] = [];
    for (const t of tenants) {
      const verifier = new ChainVerifier(t, await this.#store.audit.checkpoints(t), this.#checkpointKey);
      let after = 0;
      for (;;) {
        const page = await this.#store.audit.scan(t, after, VERIFY_PAGE);
        for (const r of page) verifier.push(r);
        if (page.length < VERIFY_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      chains.push(verifier.finish());
    }
    return { ok: chains.every((c) => c.ok), chains };
  }

  /** Signs the chain's current head now (on demand, besides the automatic ones every N records). */
  checkpoint(tenantId: string): Promise<AuditCheckpoint | undefined> {
    return this.#store.audit.checkpoint(tenantId, this.sealer);
  }

  /** A verifier for records a retention purge is about to delete (see AuditStore.purge). */
  purgeCheck(tenantId: string) {
    return (anchor: AuditCheckpoint | undefined) => {
      // The anchor's own checkpoint is all the verifier needs to start where the retained chain starts.
      const verifier = new ChainVerifier(tenantId, anchor ? [anchor] : [], this.#checkpointKey);
      let failed = false;
      return (page: AuditRecord[]): string | null => {
        if (failed) return 'chain already broken';
        for (const r of page) verifier.push(r);
        // Only what push found: checkpoints after the purged prefix are expected, so finish()'s checks don't apply.
        const problems = verifier.problemsSoFar();
        if (problems.length === 0) return null;
        failed = true;
        return `the records to purge do not verify (${problems[0]!.message}); kept as evidence`;
      };
    };
  }
}

function filterSummary(f: AuditFilters): Record<string, unknown> {
  // The subject filter is personal data: only its presence is recorded.
  const { subject, since, until, ...rest } = f;
  return {
    ...rest,
    ...(since ? { since: since.toISOString() } : {}),
    ...(until ? { until: until.toISOString() } : {}),
    ...(subject !== undefined ? { subject: '(given)' } : {}),
  };
}
