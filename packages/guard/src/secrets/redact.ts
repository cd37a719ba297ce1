import { createHash } from 'node:crypto';
import type { Finding } from '../types.ts';

/**
 * Replaces each finding's span with `[REDACTED:<type>]`. Overlapping spans are merged into the first
 * (earliest-starting) finding's marker so no secret characters survive between them.
 */
export function redact(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const f of sorted) {
    const start = Math.max(0, Math.min(f.start, text.length));
    const end = Math.max(start, Math.min(f.end, text.length));
    if (end <= cursor) continue;
    if (start >= cursor) {
      out += text.slice(cursor, start) + `[REDACTED:${f.type}]`;
    }
    cursor = end;
  }
  return out + text.slice(cursor);
}

/**
 * A short stable identifier for a secret, for baselines ("this leak is known") and audit records:
 * the first 16 hex characters of SHA-256 over a versioned, rule-scoped input. It reveals nothing
 * practical about a high-entropy token, but a guessable password can still be confirmed by hashing
 * guesses, so fingerprints of `generic_password` findings deserve the same care as the password.
 */
export function fingerprint(ruleId: string, secretValue: string): string {
  return createHash('sha256').update(`portcullis-secret-v1\0${ruleId}\0${secretValue}`).digest('hex').slice(0, 16);
}
