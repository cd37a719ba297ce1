// Baseline file: findings that were known when it was written, by fingerprint, so that adopting the
// scanner on an old repository reports only new leaks. The file keeps rule, file and line next to
// each fingerprint for the humans reviewing it; only the fingerprint is matched, so a known secret
// stays known when its file moves or lines shift.

import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { ScanFinding } from './types.ts';

const baselineSchema = z.object({
  version: z.literal(1),
  tool: z.string().optional(),
  createdAt: z.string().optional(),
  findings: z.array(
    z.object({
      fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
      rule: z.string().optional(),
      file: z.string().optional(),
      line: z.number().int().optional(),
      commit: z.string().optional(),
    }),
  ),
});

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

export function readBaseline(path: string): Set<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BaselineError(`cannot read baseline ${path}: ${(err as Error).message}`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success)
    throw new BaselineError(`${path}: not a portcullis scan baseline (${parsed.error.issues[0]?.message})`);
  return new Set(parsed.data.findings.map((f) => f.fingerprint));
}

export function writeBaseline(path: string, findings: readonly ScanFinding[]): number {
  const seen = new Set<string>();
  const entries = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({
      fingerprint: f.fingerprint,
      rule: f.rule,
      file: f.file,
      line: f.line,
      ...(f.commit !== undefined ? { commit: f.commit } : {}),
    });
  }
  const doc = { version: 1, tool: 'portcullis scan', createdAt: new Date().toISOString(), findings: entries };
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
  return entries.length;
}
