// Applying transform decisions (mask, redact, hash, sanitize) to text, whole or as it streams.
//
// Spans from different detectors may overlap (an email inside a connection string that is also a secret). They are
// merged into one span, and the strongest action wins all of it: irreversible beats reversible, so no character of
// a secret survives because a PII placeholder claimed part of it.

import { sanitizeMarkup } from '../output/markup.ts';
import { hashPii, maskValue, type PiiVault, redactPii } from '../pii/transform.ts';
import type { Finding } from '../types.ts';
import type { AppliedFinding } from './types.ts';

export interface EditContext {
  vault: PiiVault;
  hashKey?: Uint8Array | string | undefined;
}

const MARKUP = new Set(['markdown_exfiltration', 'unsafe_link', 'script', 'html_injection', 'url_not_allowed']);

const isMarkup = (f: Finding) => f.detector === 'output' && MARKUP.has(f.type);

/**
 * What an action does to this finding. Only PII can be masked: placeholders are restored for the caller, and
 * restoring a credential or an attack would undo the point of removing it. Only markup has a sanitised form; any
 * other finding "sanitized" loses its span.
 */
function effective(f: AppliedFinding): 'mask' | 'hash' | 'redact' | 'sanitize' {
  if (f.action === 'mask') return f.detector === 'pii' ? 'mask' : 'redact';
  if (f.action === 'sanitize') return isMarkup(f) ? 'sanitize' : 'redact';
  if (f.action === 'hash') return 'hash';
  return 'redact';
}

const STRENGTH = { redact: 3, hash: 2, mask: 1, sanitize: 0 } as const;

interface Cluster {
  start: number;
  end: number;
  edits: AppliedFinding[];
}

function clustersOf(edits: readonly AppliedFinding[]): Cluster[] {
  const sorted = edits.filter((e) => e.end > e.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Cluster[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && e.start < last.end) {
      last.edits.push(e);
      if (e.end > last.end) last.end = e.end;
    } else {
      out.push({ start: e.start, end: e.end, edits: [e] });
    }
  }
  return out;
}

/** The replacement for `text`, which is exactly the cluster's span (from `from`). */
function replacement(text: string, from: number, c: Cluster, ctx: EditContext): string {
  let lead = c.edits[0]!;
  for (const e of c.edits) {
    const s = STRENGTH[effective(e)];
    const l = STRENGTH[effective(lead)];
    if (s > l || (s === l && e.end - e.start > lead.end - lead.start)) lead = e;
  }
  const kind = effective(lead);
  if (kind === 'sanitize') {
    const rebased = c.edits.map((e) => ({ ...e, start: e.start - from, end: e.end - from }));
    return sanitizeMarkup(text, rebased);
  }
  // The span is one value: its placeholder (what maskPii gives for one finding covering the whole text).
  if (kind === 'mask') return maskValue(text, lead.type, ctx.vault);
  const whole: Finding = { ...lead, start: 0, end: text.length };
  if (kind === 'hash') {
    if (ctx.hashKey === undefined || ctx.hashKey.length === 0) {
      throw new Error('the policy hashes findings but no hashKey was given');
    }
    return hashPii(text, [whole], ctx.hashKey);
  }
  return redactPii(text, [whole]);
}

export interface Editor {
  add(edits: readonly AppliedFinding[]): void;
  /**
   * Takes the next piece of the text (contiguous with the previous ones) and returns the edited text that is ready.
   * A span still open at the end of what arrived is held back until it is complete (or `final`), so that a
   * placeholder or hash is computed over the whole value and a marker is written once.
   */
  take(piece: string, final: boolean): string;
}

/** `plain` transforms the text between edited spans (the unicode strip). */
export function createEditor(ctx: EditContext, plain?: (s: string) => string): Editor {
  let held = '';
  let heldStart = 0;
  let edits: AppliedFinding[] = [];
  const keep = (s: string) => (plain && s.length > 0 ? plain(s) : s);
  return {
    add(more) {
      for (const e of more) edits.push(e);
    },
    take(piece, final) {
      held += piece;
      const availEnd = heldStart + held.length;
      if (held.length === 0) return '';
      const clusters = clustersOf(edits.filter((e) => e.end > heldStart));
      let limit = availEnd;
      if (!final) {
        for (const c of clusters) if (c.start < availEnd && c.end > availEnd) limit = Math.max(heldStart, c.start);
      }
      let out = '';
      let at = heldStart;
      for (const c of clusters) {
        // A span that began in text already emitted can only come from a finding reported late; what is left of
        // it is still replaced.
        const start = Math.max(c.start, heldStart);
        const end = Math.min(c.end, availEnd);
        if (start >= limit) break;
        out += keep(held.slice(at - heldStart, start - heldStart));
        out += replacement(held.slice(start - heldStart, end - heldStart), start, c, ctx);
        at = end;
      }
      if (at < limit) {
        out += keep(held.slice(at - heldStart, limit - heldStart));
        at = limit;
      }
      held = held.slice(at - heldStart);
      heldStart = at;
      edits = edits.filter((e) => e.end > heldStart);
      return out;
    },
  };
}

/** `text` with every edit applied. */
export function applyEdits(
  text: string,
  edits: readonly AppliedFinding[],
  ctx: EditContext,
  plain?: (s: string) => string,
): string {
  if (edits.length === 0 && plain === undefined) return text;
  const editor = createEditor(ctx, plain);
  editor.add(edits);
  return editor.take(text, true);
}
