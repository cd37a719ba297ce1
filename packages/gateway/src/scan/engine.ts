// Runs the guard's secret rules over windows of text and turns their findings into located,
// redacted, fingerprinted scan findings, after inline comments, allowlists and the baseline.
//
// Text arrives in windows of at most a few MiB cut at line ends, so memory stays bounded however big
// a file or a diff is. Each window starts with the last lines of the previous one (an overlap), so a
// secret that spans the cut, such as a private key block, is seen whole in one of them; findings
// already reported from the previous window are not reported again.

import type { ScanConfig } from './config.ts';
import type { Origin, ScanFinding, ScanStats, SecretRules } from './types.ts';

/** Window size: large enough that per-call overhead vanishes, small enough to bound memory. */
export const WINDOW_CHARS = 4 * 1024 * 1024;
/** Carried into the next window; longer than any multi-line secret the rules report (PEM blocks). */
export const OVERLAP_CHARS = 24 * 1024;
const SHOWN_LINE_CHARS = 160;

export const ALLOW_MARKER = 'portcullis:allow';
export const ALLOW_NEXT_LINE_MARKER = 'portcullis:allow-next-line';

export interface Filters {
  exclude: readonly string[];
  minScore: number;
  allowFingerprints: ReadonlySet<string>;
  allowValues: readonly RegExp[];
  baseline: ReadonlySet<string>;
}

export function filtersFrom(config: ScanConfig, baseline: ReadonlySet<string>, extraExclude: readonly string[] = []) {
  return {
    exclude: [...config.exclude.rules, ...extraExclude],
    minScore: config.minScore,
    allowFingerprints: new Set(config.allow.fingerprints),
    allowValues: config.allow.values.map((v) => new RegExp(v)),
    baseline,
  } satisfies Filters;
}

/** How the lines of a window are numbered: contiguous from `firstLine`, or one number per line. */
export interface WindowPosition {
  firstLine: number;
  /** 1-based column of the window's first character (not 1 when a window starts mid-line). */
  firstColumn: number;
  lineNumbers?: readonly number[];
  /** Findings that end at or before this offset were reported from the previous window. */
  reportedBefore: number;
  /** Absolute offset of the window's first character, and findings (rule@offset) already reported. */
  base: number;
  seen?: ReadonlySet<string>;
}

export class SecretScanner {
  readonly stats: ScanStats;
  private readonly rules: SecretRules;
  private readonly filters: Filters;
  private readonly emit: (f: ScanFinding) => void;
  private readonly scanOptions: { exclude: readonly string[]; minScore: number };

  constructor(rules: SecretRules, filters: Filters, stats: ScanStats, emit: (f: ScanFinding) => void) {
    this.rules = rules;
    this.filters = filters;
    this.stats = stats;
    this.emit = emit;
    this.scanOptions = { exclude: filters.exclude, minScore: filters.minScore };
  }

  /** Scans one window; returns the keys (rule@absolute offset) of what it reported, for the next one. */
  scanWindow(text: string, origin: Origin, pos: WindowPosition): Set<string> {
    const reported = new Set<string>();
    if (text.length === 0) return reported;
    const findings = this.rules.scanSecrets(text, this.scanOptions);
    if (findings.length === 0) return reported;

    // Findings come sorted by start; walk the newlines once for all of them.
    let lineIndex = 0;
    let lineStart = 0;
    for (const f of findings) {
      for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < f.start; nl = text.indexOf('\n', lineStart)) {
        lineIndex++;
        lineStart = nl + 1;
      }
      const key = `${f.type}@${pos.base + f.start}`;
      reported.add(key);
      if (f.end <= pos.reportedBefore || pos.seen?.has(key)) continue;

      const lineEnd = endOfLine(text, lineStart);
      const lineText = text.slice(lineStart, lineEnd);
      const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : -1;
      const prevLine = prevStart >= 0 ? text.slice(prevStart, lineStart - 1) : '';
      if (lineText.includes(ALLOW_MARKER) || prevLine.includes(ALLOW_NEXT_LINE_MARKER)) {
        this.stats.allowedInline++;
        continue;
      }
      const secret = text.slice(f.start, f.end);
      const fingerprint = this.rules.fingerprint(f.type, secret);
      if (this.filters.allowFingerprints.has(fingerprint) || this.filters.allowValues.some((re) => re.test(secret))) {
        this.stats.allowedByConfig++;
        continue;
      }
      if (this.filters.baseline.has(fingerprint)) {
        this.stats.allowedByBaseline++;
        continue;
      }

      let endIndex = lineIndex;
      let endLineStart = lineStart;
      for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < f.end - 1; nl = text.indexOf('\n', nl + 1)) {
        endIndex++;
        endLineStart = nl + 1;
      }
      const lineNo = (i: number) => pos.lineNumbers?.[i] ?? pos.firstLine + i;
      const column = (offset: number, start: number, index: number) =>
        index === 0 ? pos.firstColumn + offset : offset - start + 1;
      this.emit({
        rule: f.type,
        file: origin.file,
        line: lineNo(lineIndex),
        column: column(f.start, lineStart, lineIndex),
        endLine: lineNo(endIndex),
        endColumn: column(f.end, endLineStart, endIndex),
        score: f.score,
        fingerprint,
        redacted: redactedLine(lineText, lineStart, findings, f.start),
        ...(origin.commit !== undefined ? { commit: origin.commit } : {}),
        ...(origin.author !== undefined ? { author: origin.author } : {}),
        ...(origin.date !== undefined ? { date: origin.date } : {}),
      });
    }
    return reported;
  }
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const end = nl < 0 ? text.length : nl;
  return end > from && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** The line with every finding on it replaced by a marker, cut to a readable width around `focus`. */
function redactedLine(
  line: string,
  lineStart: number,
  findings: readonly { start: number; end: number; type: string }[],
  focus: number,
): string {
  const lineEnd = lineStart + line.length;
  let out = '';
  let cursor = lineStart;
  let focusAt = 0;
  for (const f of findings) {
    if (f.end <= lineStart || f.start >= lineEnd || f.start < cursor) continue;
    out += line.slice(cursor - lineStart, f.start - lineStart);
    if (f.start === focus) focusAt = out.length;
    out += `[REDACTED:${f.type}]`;
    cursor = Math.min(f.end, lineEnd);
  }
  out += line.slice(cursor - lineStart);
  out = out.replace(/\t/g, ' ');
  if (out.length <= SHOWN_LINE_CHARS) return out.trim();
  const from = Math.max(0, Math.min(focusAt - 40, out.length - SHOWN_LINE_CHARS));
  const cut = out.slice(from, from + SHOWN_LINE_CHARS);
  return `${from > 0 ? '…' : ''}${cut.trim()}${from + SHOWN_LINE_CHARS < out.length ? '…' : ''}`;
}

/**
 * Contiguous text pushed in pieces (a file, standard input): scanned in windows cut at line ends,
 * each starting with the previous window's last lines.
 */
export class StreamWindow {
  private pending = '';
  private overlap = '';
  private overlapLine = 1;
  private overlapColumn = 1;
  private base = 0;
  private seen: Set<string> | undefined;
  private readonly scanner: SecretScanner;
  private readonly origin: Origin;

  constructor(scanner: SecretScanner, origin: Origin) {
    this.scanner = scanner;
    this.origin = origin;
  }

  push(piece: string): void {
    this.pending = this.pending.length === 0 ? piece : this.pending + piece;
    if (this.pending.length >= WINDOW_CHARS) this.flush(false);
  }

  end(): void {
    this.flush(true);
  }

  private flush(final: boolean): void {
    let cut = final ? this.pending.length : this.pending.lastIndexOf('\n') + 1;
    // A line longer than a window (minified code, a data blob): cut it where it is.
    if (cut === 0) cut = this.pending.length;
    if (cut === 0 && this.overlap.length === 0) return;
    const body = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    const text = this.overlap.length === 0 ? body : this.overlap + body;
    this.seen = this.scanner.scanWindow(text, this.origin, {
      firstLine: this.overlapLine,
      firstColumn: this.overlapColumn,
      reportedBefore: this.overlap.length,
      base: this.base,
      ...(this.seen !== undefined ? { seen: this.seen } : {}),
    });
    if (final) return;
    // The next overlap starts at a line start within the last OVERLAP_CHARS, or mid-line when the
    // window ends inside one long line.
    let from = Math.max(0, text.length - OVERLAP_CHARS);
    const nl = text.indexOf('\n', from);
    if (nl >= 0 && nl + 1 < text.length) from = nl + 1;
    let line = this.overlapLine;
    let lastNl = -1;
    for (let i = text.indexOf('\n'); i !== -1 && i < from; i = text.indexOf('\n', i + 1)) {
      line++;
      lastNl = i;
    }
    this.overlapColumn = lastNl < 0 ? this.overlapColumn + from : from - lastNl;
    this.overlapLine = line;
    this.base += from;
    this.overlap = text.slice(from);
  }
}

/**
 * Lines that are not contiguous (the added lines of a diff): batched with their own line numbers,
 * scanned together so that a block added in one hunk is seen whole.
 */
export class LineWindow {
  private lines: string[] = [];
  private numbers: number[] = [];
  private chars = 0;
  private base = 0;
  /** Length of the lines carried over from the previous batch, plus their separator. */
  private overlapChars = 0;
  private seen: Set<string> | undefined;
  private readonly scanner: SecretScanner;
  private origin: Origin;

  constructor(scanner: SecretScanner, origin: Origin) {
    this.scanner = scanner;
    this.origin = origin;
  }

  add(line: string, lineNo: number): void {
    this.lines.push(line);
    this.numbers.push(lineNo);
    this.chars += line.length + 1;
    if (this.chars >= WINDOW_CHARS) this.flush(true);
  }

  /** Scans what was added. `keepOverlap` carries the last lines into the next batch (same file). */
  flush(keepOverlap = false): void {
    if (this.lines.length === 0) return;
    const text = this.lines.join('\n');
    const reportedBefore = this.overlapChars;
    this.seen = this.scanner.scanWindow(text, this.origin, {
      firstLine: this.numbers[0]!,
      firstColumn: 1,
      lineNumbers: this.numbers,
      reportedBefore,
      base: this.base,
      ...(this.seen !== undefined ? { seen: this.seen } : {}),
    });
    if (!keepOverlap) {
      this.reset();
      return;
    }
    let keep = 0;
    let kept = 0;
    while (keep < this.lines.length - 1 && kept + this.lines[this.lines.length - 1 - keep]!.length < OVERLAP_CHARS) {
      kept += this.lines[this.lines.length - 1 - keep]!.length + 1;
      keep++;
    }
    this.base += text.length + 1 - kept;
    this.lines = this.lines.slice(this.lines.length - keep);
    this.numbers = this.numbers.slice(this.numbers.length - keep);
    this.chars = kept;
    this.overlapChars = kept;
  }

  /** Starts a new file or commit: scans what is pending and forgets the overlap. */
  next(origin: Origin): void {
    this.flush(false);
    this.origin = origin;
  }

  private reset(): void {
    this.lines = [];
    this.numbers = [];
    this.chars = 0;
    this.base = 0;
    this.seen = undefined;
    this.overlapChars = 0;
  }
}
