import type { AuditRecord } from '../store/types.ts';

// Export formats. Exported records keep every chained field (prev_hash, hash, detail as stored), so an auditor can
// recompute the hashes of a contiguous export offline with audit/chain.ts's encoding.

export type ExportFormat = 'jsonl' | 'csv';

export function recordView(r: AuditRecord) {
  return {
    seq: r.seq,
    tenant: r.tenantId,
    at: r.at.toISOString(),
    actor: r.actor,
    key: r.keyId,
    subject: r.subject,
    action: r.action,
    outcome: r.outcome,
    target: r.target,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export const CSV_COLUMNS = [
  'seq',
  'tenant',
  'at',
  'actor',
  'key',
  'subject',
  'action',
  'outcome',
  'target',
  'detail',
  'prev_hash',
  'hash',
] as const;

/**
 * One CSV field (RFC 4180 quoting). A value a spreadsheet would run as a formula — starting with =, +, -, @, or a
 * tab or carriage return that some programs skip before looking — is prefixed with a single quote, so opening an
 * export never executes attacker-chosen text (actors, targets and details can carry caller input).
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(r: AuditRecord): string {
  return (
    [
      r.seq,
      r.tenantId,
      r.at.toISOString(),
      r.actor,
      r.keyId,
      r.subject,
      r.action,
      r.outcome,
      r.target,
      r.detail,
      r.prevHash,
      r.hash,
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

export function jsonLine(r: AuditRecord): string {
  return `${JSON.stringify(recordView(r))}\n`;
}
