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

function looksBinary(bytes: Uint8Array, length: number): boolean {
  const n = Math.min(length, BINARY_SNIFF);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * Scans one file. Returns the bytes read, or -1 when it was skipped as binary. Small files are read
 * in one call; larger ones in 1 MiB pieces through a streaming decoder, scanned in windows.
 */
export function scanFile(scanner: SecretScanner, file: WalkedFile): number {
  if (file.size <= WINDOW_CHARS) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file.abs);
    } catch {
      return 0;
    }
    if (looksBinary(bytes, bytes.length)) return -1;
    scanner.scanWindow(
      bytes.toString('utf8'),
      { file: file.rel },
      { firstLine: 1, firstColumn: 1, reportedBefore: 0, base: 0 },
    );
    return bytes.length;
  }
  let fd: number;
  try {
    fd = openSync(file.abs, 'r');
  } catch {
    return 0;
  }
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    const decoder = new StringDecoder('utf8');
    const window = new StreamWindow(scanner, { file: file.rel });
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, READ_CHUNK, null);
      if (n === 0) break;
      if (total === 0 && looksBinary(buffer, n)) return -1;
      total += n;
      window.push(decoder.write(n === READ_CHUNK ? buffer : buffer.subarray(0, n)));
    }
    const rest = decoder.end();
    if (rest.length > 0) window.push(rest);
    window.end();
    return total;
  } finally {
    closeSync(fd);
  }
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
