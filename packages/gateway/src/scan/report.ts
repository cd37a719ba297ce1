// Output formats. Every format carries the redacted line and the fingerprint, never the secret.
//   human: one block per finding and a summary, for terminals and hook messages
//   json:  { version, findings, stats } for scripts
//   sarif: SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, Azure DevOps, ...)

import type { RuleInfo } from '@portcullis/guard';
import type { ScanFinding, ScanStats } from './types.ts';

export type ReportFormat = 'human' | 'json' | 'sarif';

export interface ReportInput {
  findings: readonly ScanFinding[];
  stats: ScanStats;
  rules: readonly RuleInfo[];
  /** What was scanned, in words: "directory src", "history of /repo", "staged changes". */
  target: string;
  /** Set when the report is the pre-commit hook's message. */
  hook?: boolean;
  version: string;
}

function where(f: ScanFinding): string {
  return `${f.file}:${f.line}:${f.column}`;
}

export function formatHuman(r: ReportInput): string {
  const out: string[] = [];
  const byRule = new Map(r.rules.map((x) => [x.id, x]));
  if (r.hook === true && r.findings.length > 0) {
    out.push(`portcullis: commit blocked, ${r.findings.length} secret(s) in the staged changes`, '');
  }
  for (const f of r.findings) {
    const info = byRule.get(f.rule);
    out.push(`${where(f)}  ${f.rule}${info ? ` (${info.description})` : ''}`);
    if (f.commit !== undefined)
      out.push(`    commit ${f.commit.slice(0, 12)} by ${f.author ?? '?'} on ${f.date ?? '?'}`);
    out.push(`    ${f.redacted}`);
    out.push(`    score ${f.score.toFixed(2)}  fingerprint ${f.fingerprint}`, '');
  }
  const s = r.stats;
  const parts = [`${s.bytes >= 1e6 ? `${(s.bytes / 1e6).toFixed(1)} MB` : `${s.bytes} bytes`}`];
  if (s.files > 0) parts.push(`${s.files} files`);
  if (s.commits > 0) parts.push(`${s.commits} commits`);
  if (s.skippedBinary > 0) parts.push(`${s.skippedBinary} binary skipped`);
  const allowed = s.allowedInline + s.allowedByConfig + s.allowedByBaseline;
  out.push(
    `${r.findings.length === 0 ? 'No secrets found' : `${r.findings.length} secret(s) found`} in ${r.target} ` +
      `(${parts.join(', ')}, ${s.seconds.toFixed(2)} s)` +
      (allowed > 0
        ? `; ${allowed} allowed (${s.allowedInline} inline, ${s.allowedByConfig} by config, ${s.allowedByBaseline} by baseline)`
        : ''),
  );
  if (r.findings.length > 0) {
    out.push(
      '',
      'If a finding is not a secret (a test fixture, an example value):',
      '  - add a comment containing portcullis:allow on that line (or portcullis:allow-next-line on the line above), or',
      '  - add its fingerprint under allow.fingerprints in .portcullis-scan.yaml, or',
      '  - record all current findings as known: portcullis scan <path> --write-baseline .portcullis-baseline.json',
    );
    if (r.hook === true) {
      out.push(
        'If it is a real secret: remove it from the staged files (git restore --staged <file>), rotate it, and load it from the environment or a secret store.',
        'To commit anyway, once: git commit --no-verify',
      );
    }
  }
  return `${out.join('\n')}\n`;
}

export function formatJson(r: ReportInput): string {
  return `${JSON.stringify({ version: 1, tool: 'portcullis scan', target: r.target, findings: r.findings, stats: r.stats }, null, 2)}\n`;
}

/** SARIF 2.1.0: one run, the rules that fired, one result per finding. */
export function formatSarif(r: ReportInput): string {
  const used = [...new Set(r.findings.map((f) => f.rule))].sort();
  const byRule = new Map(r.rules.map((x) => [x.id, x]));
  const rules = used.map((id) => {
    const info = byRule.get(id);
    return {
      id,
      name: id,
      shortDescription: { text: info?.description ?? id },
      fullDescription: { text: `${info?.description ?? id} (family: ${info?.family ?? 'unknown'})` },
      help: {
        text: 'Remove the secret from the file and its history, rotate it, and load it from the environment or a secret store. Mark a false positive with a portcullis:allow comment or its fingerprint in .portcullis-scan.yaml.',
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'secret'], family: info?.family },
    };
  });
  const ruleIndex = new Map(used.map((id, i) => [id, i]));
  const results = r.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIndex.get(f.rule),
    level: 'error',
    message: {
      text: `${byRule.get(f.rule)?.description ?? f.rule}${f.commit !== undefined ? ` (added in commit ${f.commit.slice(0, 12)})` : ''}: ${f.redacted}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
        },
      },
    ],
    partialFingerprints: { 'portcullisSecret/v1': f.fingerprint },
    properties: {
      score: f.score,
      ...(f.commit !== undefined ? { commit: f.commit, author: f.author, date: f.date } : {}),
    },
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'portcullis scan',
            semanticVersion: r.version,
            informationUri: 'https://github.com/portcullis/portcullis/blob/main/docs/scan.md',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

export function formatReport(format: ReportFormat, r: ReportInput): string {
  return format === 'json' ? formatJson(r) : format === 'sarif' ? formatSarif(r) : formatHuman(r);
}
