// A one-line progress bar on standard error, only when it is a terminal (never in pipes, CI logs or
// hooks' captured output), redrawn at most ten times a second.

export interface Progress {
  /** Adds scanned bytes and, for file scans, a file. */
  advance(bytes: number, files?: number): void;
  commit(): void;
  done(): void;
}

const NOOP: Progress = { advance() {}, commit() {}, done() {} };

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function createProgress(
  stream: NodeJS.WriteStream,
  enabled: boolean,
  total: { bytes?: number; commits?: number },
): Progress {
  if (!enabled || !stream.isTTY) return NOOP;
  const started = performance.now();
  let bytes = 0;
  let files = 0;
  let commits = 0;
  let last = 0;
  let drawn = false;
  const draw = () => {
    const seconds = Math.max((performance.now() - started) / 1000, 1e-3);
    const rate = `${mb(bytes / seconds)} MB/s`;
    let line: string;
    const fraction =
      total.commits !== undefined && total.commits > 0
        ? commits / total.commits
        : total.bytes !== undefined && total.bytes > 0
          ? bytes / total.bytes
          : undefined;
    if (fraction !== undefined) {
      const width = 24;
      const filled = Math.min(width, Math.round(fraction * width));
      const what =
        total.commits !== undefined ? `${commits}/${total.commits} commits` : `${mb(bytes)}/${mb(total.bytes!)} MB`;
      line = `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${what}, ${rate}`;
    } else {
      line = `${mb(bytes)} MB scanned, ${rate}`;
    }
    if (files > 0) line += `, ${files} files`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 100) - 1)}\x1b[K`);
    drawn = true;
  };
  const maybeDraw = () => {
    const now = performance.now();
    if (now - last >= 100) {
      last = now;
      draw();
    }
  };
  return {
    advance(n, f = 0) {
      bytes += n;
      files += f;
      maybeDraw();
    },
    commit() {
      commits++;
      maybeDraw();
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
