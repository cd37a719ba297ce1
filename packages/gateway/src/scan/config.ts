// `.portcullis-scan.yaml`: what a repository tells the scanner about itself. Validated with zod, so
// a typo is a usage error (exit 2) rather than a silently ignored setting.
//
//   version: 1
//   minScore: 0.5                     # drop findings the rules score lower (0..1)
//   baseline: .portcullis-baseline.json
//   exclude:
//     paths: ["vendor/", "**/*.min.js"]   # .gitignore syntax, relative to the scan root
//     rules: [generic_password]           # rule ids (see `portcullis scan --list-rules`)
//   allow:
//     fingerprints: ["3f9c0a1b2c3d4e5f"]  # one known finding each, as printed by the scanner
//     values: ["^AKIA[A-Z0-9]{12}EXAMPLE$"]  # regular expressions over the secret's text

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const SCAN_CONFIG_FILE = '.portcullis-scan.yaml';

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

export const scanConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    minScore: z.number().min(0).max(1).default(0),
    baseline: z.string().min(1).optional(),
    exclude: z
      .object({
        paths: z.array(z.string().min(1)).default([]),
        rules: z.array(z.string().regex(/^[a-z0-9_]+$/, 'rule ids are snake_case')).default([]),
      })
      .strict()
      .default({ paths: [], rules: [] }),
    allow: z
      .object({
        fingerprints: z.array(z.string().regex(/^[0-9a-f]{16}$/, '16 hex characters')).default([]),
        values: z.array(regex).default([]),
      })
      .strict()
      .default({ fingerprints: [], values: [] }),
  })
  .strict();

export type ScanConfig = z.infer<typeof scanConfigSchema>;

export class ScanConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanConfigError';
  }
}

export function defaultScanConfig(): ScanConfig {
  return scanConfigSchema.parse({});
}

/**
 * Loads `file`, or `<root>/.portcullis-scan.yaml` when no file is named and it exists; defaults
 * otherwise. Returns the directory relative paths in the file are resolved against.
 */
export function loadScanConfig(root: string, file?: string): { config: ScanConfig; path?: string } {
  const path = file ?? join(root, SCAN_CONFIG_FILE);
  if (file === undefined && !existsSync(path)) return { config: defaultScanConfig() };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ScanConfigError(`cannot read scan config ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (err) {
    throw new ScanConfigError(`${path}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = scanConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new ScanConfigError(`${path}: ${issues}`);
  }
  return { config: parsed.data, path };
}
