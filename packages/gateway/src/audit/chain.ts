import { createHash, createHmac, type KeyObject, randomBytes } from 'node:crypto';
import type { AuditCheckpoint, AuditRecord, AuditSealer } from '../store/types.ts';

// The hash chain: how a record is encoded and hashed, how checkpoints are signed, and how a chain is verified. Pure
// functions over records, so the store, the verifier and an auditor's offline check all agree byte for byte.

/** prev_hash of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every level, so the same detail always serialises to the same bytes. `undefined`
 * members are dropped (as JSON.stringify does) and non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The bytes a record's hash covers: a versioned JSON array of every stored field in a fixed order, prev_hash last.
 * A JSON array of strings, numbers and nulls is unambiguous (no field can bleed into the next), and `detail` is the
 * stored text itself, so verification never depends on re-serialising parsed JSON.
 */
export function recordEncoding(r: Omit<AuditRecord, 'hash'>): string {
  return JSON.stringify([
    'pcx-audit-v1',
    r.tenantId,
    r.seq,
    r.at.getTime(),
    r.actor,
    r.keyId,
    r.subject,
    r.action,
    r.outcome,
    r.target,
    r.detail,
    r.prevHash,
  ]);
}

export function recordHash(r: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(recordEncoding(r), 'utf8').digest('hex');
}

function checkpointEncoding(cp: Omit<AuditCheckpoint, 'mac'>): string {
  return JSON.stringify(['pcx-audit-checkpoint-v1', cp.tenantId, cp.seq, cp.hash, cp.at.getTime()]);
}

export function checkpointMac(key: KeyObject, cp: Omit<AuditCheckpoint, 'mac'>): string {
  return createHmac('sha256', key).update(checkpointEncoding(cp), 'utf8').digest('hex');
}

// A detail bigger than this is stored as its size and hash: the audit log says what happened, it is not a payload store.
const MAX_DETAIL_BYTES = 16 * 1024;

/** The stored form of a detail: canonical JSON, or a stand-in naming its size and hash when too big. */
export function encodeDetail(detail: Record<string, unknown>): string {
  const text = canonicalJson(detail);
  // Length in UTF-16 units bounds the byte length from below; measure bytes only when it might be over.
  if (text.length * 3 <= MAX_DETAIL_BYTES) return text;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= MAX_DETAIL_BYTES) return text;
  return canonicalJson({ truncated: true, bytes, sha256: createHash('sha256').update(text, 'utf8').digest('hex') });
}

export function createSealer(opts: { checkpointKey: KeyObject | undefined; checkpointEvery: number }): AuditSealer {
  const key = opts.checkpointKey;
  return {
    encodeDetail,
    hash: recordHash,
    sign: (cp) => (key ? checkpointMac(key, cp) : null),
    checkpointEvery: opts.checkpointEvery,
    // Random, not derived from the subject: once the link row is deleted nothing can recompute it.
    newPseudonym: () => `ps_${randomBytes(16).toString('base64url')}`,
  };
}

export type ProblemKind = 'changed' | 'missing' | 'reordered' | 'link' | 'checkpoint' | 'truncated' | 'anchor';

export interface ChainProblem {
  kind: ProblemKind;
  /** Where the chain breaks: the first seq the problem concerns. */
  seq: number;
  message: string;
}

export interface ChainReport {
  tenantId: string;
  ok: boolean;
  /** Records checked. */
  records: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** What the walk started from: the chain's beginning, or the checkpoint retention left as the anchor. */
  anchor: { kind: 'genesis' | 'checkpoint'; seq: number };
  checkpoints: number;
  problems: ChainProblem[];
  /** True when more problems were found than are listed. */
  truncatedProblems: boolean;
}

const MAX_PROBLEMS = 100;
// How far a moved record is looked for: enough for any swap an editor would make by hand, cheap since it only runs
// for a record that already failed.
const REORDER_WINDOW = 32;

/**
 * Walks one tenant's chain in seq order. Feed it every retained record with `push`, then `finish`. It keeps only the
 * previous hash, so chains of any length verify in constant memory.
 */
export class ChainVerifier {
  readonly #tenantId: string;
  readonly #checkpoints: Map<number, AuditCheckpoint>;
  readonly #sorted: AuditCheckpoint[];
  readonly #problems: ChainProblem[] = [];
  #dropped = false;
  #anchor: { kind: 'genesis' | 'checkpoint'; seq: number; hash: string } | undefined;
  #expected = 0;
  #prevHash = GENESIS_HASH;
  #prevMoved = false;
  #records = 0;
  #firstSeq: number | null = null;
  #lastSeq: number | null = null;
  #purgedThrough = new Set<number>();

  /** `macKey` undefined skips checkpoint signatures (an auditor without the gateway's key checks the hashes only). */
  constructor(tenantId: string, checkpoints: AuditCheckpoint[], macKey: KeyObject | undefined) {
    this.#tenantId = tenantId;
    this.#sorted = [...checkpoints].sort((a, b) => a.seq - b.seq);
    this.#checkpoints = new Map(this.#sorted.map((c) => [c.seq, c]));
    if (macKey) {
      for (const cp of this.#sorted) {
        const { mac, ...unsigned } = cp;
        if (mac === null || mac !== checkpointMac(macKey, unsigned)) {
          this.#problem('checkpoint', cp.seq, `checkpoint at seq ${cp.seq} has a missing or invalid signature`);
        }
      }
    }
  }

  #problem(kind: ProblemKind, seq: number, message: string): void {
    if (this.#problems.length >= MAX_PROBLEMS) {
      this.#dropped = true;
      return;
    }
    this.#problems.push({ kind, seq, message });
  }

  #start(first: AuditRecord): void {
    // The anchor is the newest checkpoint before the first retained record (retention keeps exactly that one), or
    // the chain's beginning.
    let anchor: AuditCheckpoint | undefined;
    for (const cp of this.#sorted) if (cp.seq < first.seq) anchor = cp;
    this.#anchor = anchor
      ? { kind: 'checkpoint', seq: anchor.seq, hash: anchor.hash }
      : { kind: 'genesis', seq: 0, hash: GENESIS_HASH };
    this.#expected = this.#anchor.seq + 1;
    this.#prevHash = this.#anchor.hash;
    this.#firstSeq = first.seq;
  }

  push(r: AuditRecord): void {
    if (r.tenantId !== this.#tenantId) throw new Error('ChainVerifier: record of another tenant');
    if (this.#anchor === undefined) this.#start(r);
    this.#records++;
    let explained = false;
    let moved = false;
    if (r.seq > this.#expected) {
      const range =
        r.seq - 1 === this.#expected ? `seq ${this.#expected} is` : `seqs ${this.#expected}–${r.seq - 1} are`;
      this.#problem('missing', this.#expected, `record ${range} missing (deleted): the chain jumps to seq ${r.seq}`);
      explained = true;
    } else if (r.seq < this.#expected) {
      this.#problem('reordered', r.seq, `seq ${r.seq} appears after seq ${this.#expected - 1}`);
      explained = true;
    }
    const { hash, ...body } = r;
    if (recordHash(body) !== hash) {
      const from = this.#movedFrom(r);
      moved = from !== undefined;
      if (from !== undefined) {
        this.#problem('reordered', r.seq, `record at seq ${r.seq} was moved there from seq ${from}`);
      } else {
        this.#problem('changed', r.seq, `record at seq ${r.seq} was changed: its hash does not match its content`);
      }
      explained = true;
    }
    // After a moved record the next link is broken by that move, which is already reported.
    if (!explained && !this.#prevMoved && r.prevHash !== this.#prevHash) {
      this.#problem(
        'link',
        r.seq,
        `record at seq ${r.seq} does not follow seq ${r.seq - 1} (prev_hash differs): the record before it was ` +
          'replaced, re-hashed after a change, or moved',
      );
    }
    const cp = this.#checkpoints.get(r.seq);
    if (cp && cp.hash !== hash) {
      this.#problem('checkpoint', r.seq, `record at seq ${r.seq} differs from the checkpoint taken at that seq`);
    }
    if (r.action === 'retention.purge' && r.detail !== null) {
      const through = (JSON.parse(r.detail) as { audit?: { through?: unknown } }).audit?.through;
      if (typeof through === 'number') this.#purgedThrough.add(through);
    }
    // Continue from what is stored, so one change is reported once, not as a break of everything after it.
    this.#prevHash = hash;
    this.#prevMoved = moved;
    this.#expected = r.seq + 1;
    this.#lastSeq = r.seq;
  }

  /** Problems found so far by `push` (without the end-of-chain checks `finish` adds). */
  problemsSoFar(): readonly ChainProblem[] {
    return this.#problems;
  }

  /** A record whose content hashes correctly under another seq was moved (its seq edited or rows swapped). */
  #movedFrom(r: AuditRecord): number | undefined {
    const { hash, ...body } = r;
    for (let d = 1; d <= REORDER_WINDOW; d++) {
      for (const seq of [r.seq - d, r.seq + d]) {
        if (seq >= 1 && recordHash({ ...body, seq }) === hash) return seq;
      }
    }
    return undefined;
  }

  finish(): ChainReport {
    const anchor = this.#anchor ?? this.#emptyAnchor();
    const last = this.#lastSeq ?? anchor.seq;
    for (const cp of this.#sorted) {
      if (cp.seq > last) {
        const what = cp.seq - last === 1 ? `seq ${cp.seq} was` : `seqs ${last + 1}–${cp.seq} were`;
        this.#problem(
          'truncated',
          last + 1,
          `the log ends at seq ${last} but a checkpoint vouches for seq ${cp.seq}: ${what} deleted`,
        );
        break;
      }
    }
    if (anchor.kind === 'checkpoint' && !this.#purgedThrough.has(anchor.seq)) {
      this.#problem(
        'anchor',
        anchor.seq + 1,
        `the chain starts after seq ${anchor.seq} but no retention purge record accounts for the records before it`,
      );
    }
    const problems = [...this.#problems].sort((a, b) => a.seq - b.seq);
    return {
      tenantId: this.#tenantId,
      ok: problems.length === 0,
      records: this.#records,
      firstSeq: this.#firstSeq,
      lastSeq: this.#lastSeq,
      anchor: { kind: anchor.kind, seq: anchor.seq },
      checkpoints: this.#sorted.length,
      problems,
      truncatedProblems: this.#dropped,
    };
  }

  #emptyAnchor(): { kind: 'genesis' | 'checkpoint'; seq: number; hash: string } {
    // No record at all: only checkpoints can say something was there.
    return { kind: 'genesis', seq: 0, hash: GENESIS_HASH };
  }
}
