import type { EraseCounts, Store } from '../store/types.ts';
import { recordView } from './export-format.ts';
import type { AuditService } from './service.ts';

// GDPR access and erasure requests by subject id (the end user's id as the application sends it: a client token's
// subject or a verified JWT's `sub`). What is stored about a subject: request_log rows (with the subject id),
// stored execution outputs, and audit records carrying the subject's pseudonym. See docs/audit.md.

export interface SubjectExport {
  tenantId: string;
  subject: string;
  generatedAt: string;
  /** The subject's pseudonym in the audit log (null when the audit log has never seen them). */
  pseudonym: string | null;
  requestLog: Array<Record<string, unknown>>;
  executionOutputs: Array<Record<string, unknown>>;
  auditEvents: Array<ReturnType<typeof recordView>>;
}

export interface EraseReport {
  tenantId: string;
  erasedAt: string;
  removed: EraseCounts;
  /** Seq of the audit record of this erasure. */
  auditSeq: number;
}

export class PrivacyService {
  readonly #store: Store;
  readonly #audit: AuditService;

  constructor(store: Store, audit: AuditService) {
    this.#store = store;
    this.#audit = audit;
  }

  /** Everything stored about the subject in this tenant; the request itself is recorded (by pseudonym). */
  async export(tenantId: string, subject: string, actor: string): Promise<SubjectExport> {
    const lookup = this.#audit.subjectLookup(tenantId, subject);
    const data = await this.#store.audit.subjectData(tenantId, subject, lookup);
    const result: SubjectExport = {
      tenantId,
      subject,
      generatedAt: new Date().toISOString(),
      pseudonym: data.pseudonym,
      requestLog: data.requests.map((r) => ({
        id: r.id,
        at: r.createdAt.toISOString(),
        keyId: r.keyId,
        route: r.route,
        method: r.method,
        model: r.model,
        provider: r.provider,
        status: r.status,
        outcome: r.outcome,
        errorCode: r.errorCode,
        latencyMs: r.latencyMs,
        tokens: { prompt: r.promptTokens, completion: r.completionTokens, total: r.totalTokens },
        stream: r.stream,
        ip: r.ip,
        detail: r.detail,
      })),
      executionOutputs: data.executions.map((e) => ({
        requestId: e.requestId,
        at: e.createdAt.toISOString(),
        promptId: e.promptId,
        promptVersion: e.promptVersion,
        keyId: e.keyId,
        output: e.output,
        piiMasked: e.piiMasked,
      })),
      auditEvents: data.audit.map(recordView),
    };
    // Recorded only when the subject exists here: an access request for an unknown id must not create a pseudonym.
    const known = data.pseudonym !== null || data.requests.length > 0 || data.executions.length > 0;
    await this.#audit.record({
      tenantId,
      actor,
      action: 'privacy.export',
      ...(known ? { subject } : {}),
      detail: {
        requestLog: result.requestLog.length,
        executionOutputs: result.executionOutputs.length,
        auditEvents: result.auditEvents.length,
      },
    });
    return result;
  }

  /**
   * Deletes the subject's request records and stored outputs and their audit pseudonym link, in one transaction with
   * the audit record of the erasure. The audit records stay (the chain stays verifiable) but name only a pseudonym
   * that nothing links to the subject any more.
   */
  async erase(tenantId: string, subject: string, actor: string): Promise<EraseReport> {
    const lookup = this.#audit.subjectLookup(tenantId, subject);
    const event = this.#audit.event({ tenantId, actor, action: 'privacy.erase', target: 'subject' });
    const { removed, record } = await this.#store.audit.eraseSubject(
      tenantId,
      subject,
      lookup,
      event,
      this.#audit.sealer,
    );
    return { tenantId, erasedAt: event.at.toISOString(), removed, auditSeq: record.seq };
  }
}
