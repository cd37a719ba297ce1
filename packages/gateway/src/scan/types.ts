// Shapes shared by the scanner's parts: what a finding says, and the detector it is built on.

/** The part of @portcullis/guard the scanner uses: one rule set for the gateway and the scanner. */
export interface SecretRules {
  scanSecrets: typeof import('@portcullis/guard').scanSecrets;
  fingerprint: typeof import('@portcullis/guard').fingerprint;
  RULE_CATALOGUE: typeof import('@portcullis/guard').RULE_CATALOGUE;
}

export interface ScanFinding {
  /** Rule id (`github_pat`, `generic_password`, ...). */
  rule: string;
  /** Path relative to the scan root (`stdin` for standard input), with `/` separators. */
  file: string;
  /** 1-based line and column (UTF-16 code units) where the secret starts, and where it ends. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  score: number;
  /** Stable id of this secret under this rule (SHA-256 based); what baselines and allowlists hold. */
  fingerprint: string;
  /** The line the secret starts on, with every secret on it replaced by `[REDACTED:<rule>]`, trimmed. */
  redacted: string;
  /** For history scans: the commit that added the line. */
  commit?: string;
  author?: string;
  date?: string;
}

/** Where a window of text came from, and how its lines are numbered. */
export interface Origin {
  file: string;
  commit?: string;
  author?: string;
  date?: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  skippedBinary: number;
  commits: number;
  /** Findings dropped by inline comments, allowlists, the baseline. */
  allowedInline: number;
  allowedByConfig: number;
  allowedByBaseline: number;
  seconds: number;
  /** CPU time of the scan (user + system), which other work on the machine affects less. */
  cpuSeconds: number;
}

export function emptyStats(): ScanStats {
  return {
    files: 0,
    bytes: 0,
    skippedBinary: 0,
    commits: 0,
    allowedInline: 0,
    allowedByConfig: 0,
    allowedByBaseline: 0,
    seconds: 0,
    cpuSeconds: 0,
  };
}
