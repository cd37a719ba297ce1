// Files under a path: .gitignore files are honoured at every level (with the `ignore` package, which
// implements git's matching rules), `.git` is never entered, symbolic links are not followed, and
// binary files are skipped. A file is read whole when small and in pieces when large, so memory
// stays bounded.

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import ignore, { type Ignore } from 'ignore';
import { type SecretScanner, StreamWindow, WINDOW_CHARS } from './engine.ts';

/** Git's test: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF = 8000;
const READ_CHUNK = 1024 * 1024;

export interface WalkedFile {
  abs: string;
  /** Relative to the scan root, `/`-separated. */
  rel: string;
  size: number;
}

interface Layer {
  /** Directory of the .gitignore, relative to the root, `/`-separated, '' for the root. */
  dir: string;
  ig: Ignore;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

function ignoredBy(layers: readonly Layer[], rel: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const sub = layer.dir === '' ? rel : rel.slice(layer.dir.length + 1);
    if (layer.ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

function readIgnore(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Every file under `root` that git would not ignore, in a stable order. `excludes` are extra
 * patterns in .gitignore syntax, relative to the root (from the scan config).
 */
export function* walkFiles(root: string, excludes: readonly string[] = []): Generator<WalkedFile> {
  const top = ignore().add(excludes as string[]);
  const info = readIgnore(join(root, '.git', 'info', 'exclude'));
  if (info !== undefined) top.add(info);
  const stack: { abs: string; rel: string; layers: Layer[] }[] = [
    { abs: root, rel: '', layers: [{ dir: '', ig: top }] },
  ];
  while (stack.length > 0) {
    const { abs, rel, layers: parent } = stack.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      continue;
    }
    let layers = parent;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const text = readIgnore(join(abs, '.gitignore'));
      if (text !== undefined) layers = [...parent, { dir: rel, ig: ignore().add(text) }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs: { abs: string; rel: string; layers: Layer[] }[] = [];
    for (const e of entries) {
      if (e.name === '.git') continue;
      const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
      const childAbs = join(abs, e.name);
      if (e.isDirectory()) {
        if (!ignoredBy(layers, childRel, true)) dirs.push({ abs: childAbs, rel: childRel, layers });
      } else if (e.isFile()) {
        if (ignoredBy(layers, childRel, false)) continue;
        let size = 0;
        try {
          size = lstatSync(childAbs).size;
        } catch {
          continue;
        }
        yield { abs: childAbs, rel: childRel, size };
      }
    }
    // Depth first, in name order.
    for (let i = dirs.length - 1; i >= 0; i--) stack.push(dirs[i]!);
  }
}

/** Whether a path (relative to the root) matches the config's exclude patterns. */
export function pathFilter(excludes: readonly string[]): (rel: string) => boolean {
  if (excludes.length === 0) return () => false;
  const ig = ignore().add(excludes as string[]);
  return (rel) => rel !== '' && ig.ignores(rel);
}

function looksBinary(bytes: Buffer, length: number): boolean {
  // A native byte search (memchr), not a loop over the bytes.
  return bytes.subarray(0, Math.min(length, BINARY_SNIFF)).indexOf(0) !== -1;
}

/**
 * One buffer for whole-file reads, reused from file to file (grown when needed, at most a window):
 * reading thousands of files allocates no buffers, which keeps the garbage collector out of the scan.
 */
let readBuffer: Buffer = Buffer.allocUnsafeSlow(256 * 1024);

/** Reads a whole file of at most WINDOW_CHARS bytes into the shared buffer; the byte count or -1. */
function readSmall(fd: number, size: number): number {
  // One byte more than the size, to notice a file that grew since it was listed.
  if (readBuffer.length < size + 1) readBuffer = Buffer.allocUnsafeSlow(Math.min(WINDOW_CHARS + 1, 2 * size + 1));
  let total = 0;
  while (total < readBuffer.length) {
    const n = readSync(fd, readBuffer, total, readBuffer.length - total, null);
    if (n === 0) return total;
    total += n;
  }
  return -1;
}

/**
 * Scans one file. Returns the bytes read, or -1 when it was skipped as binary. A file that fits in a
 * window is read whole into a reused buffer and decoded once; a larger one is streamed.
 */
export function scanFile(scanner: SecretScanner, file: WalkedFile): number {
  let fd: number;
  try {
    fd = openSync(file.abs, 'r');
  } catch {
    return 0;
  }
  try {
    if (file.size <= WINDOW_CHARS) {
      let n: number;
      try {
        n = readSmall(fd, file.size);
      } catch {
        return 0;
      }
      if (n >= 0) {
        const bytes = readBuffer;
        if (looksBinary(bytes, n)) return -1;
        scanner.scanWindow(
          bytes.toString('utf8', 0, n),
          { file: file.rel },
          { firstLine: 1, firstColumn: 1, reportedBefore: 0, base: 0 },
        );
        return n;
      }
      // It grew past a window since it was listed: stream it from the start.
    }
    return streamFile(scanner, file, fd);
  } finally {
    closeSync(fd);
  }
}

/** A file too large for one window: read in pieces through a streaming decoder, scanned in windows. */
function streamFile(scanner: SecretScanner, file: WalkedFile, fd: number): number {
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const decoder = new StringDecoder('utf8');
  const window = new StreamWindow(scanner, { file: file.rel });
  let total = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, READ_CHUNK, total);
    if (n === 0) break;
    if (total === 0 && looksBinary(buffer, n)) return -1;
    total += n;
    window.push(decoder.write(n === READ_CHUNK ? buffer : buffer.subarray(0, n)));
  }
  const rest = decoder.end();
  if (rest.length > 0) window.push(rest);
  window.end();
  return total;
}

/** Standard input, streamed: never held whole in memory. */
export async function scanStdin(scanner: SecretScanner, input: NodeJS.ReadableStream): Promise<number> {
  const decoder = new StringDecoder('utf8');
  const window = new StreamWindow(scanner, { file: 'stdin' });
  let total = 0;
  for await (const chunk of input) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    window.push(decoder.write(b));
  }
  const rest = decoder.end();
  if (rest.length > 0) window.push(rest);
  window.end();
  return total;
}

export function relativeTo(root: string, abs: string): string {
  return toPosix(relative(root, abs)) || '.';
}
