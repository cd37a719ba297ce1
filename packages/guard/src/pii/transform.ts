import { createHmac } from 'node:crypto';
import type { Finding } from '../types.ts';

/**
 * Per-request map between placeholders and the values they stand for. The caller creates one per request, keeps
 * it in memory only, and drops it when the response has been unmasked; nothing in the library retains it.
 */
export interface PiiVault {
  /** Placeholder → original value. */
  readonly values: ReadonlyMap<string, string>;
  /** Number of placeholders issued. */
  readonly size: number;
  /** The original value behind a placeholder, if this vault issued it. */
  get(placeholder: string): string | undefined;
}

interface VaultState extends PiiVault {
  readonly byValue: Map<string, string>;
  readonly forward: Map<string, string>;
  readonly counters: Map<string, number>;
  /** Placeholder-shaped tokens seen in masked input that this vault did not issue: never handed out. */
  readonly reserved: Set<string>;
  longest: number;
}

const TOKEN = /\[[A-Z][A-Z0-9_]*_\d{1,6}\]/g;

/**
 * A class, not an object literal with a getter: V8 builds a literal with accessors through the runtime, with its
 * accessor pair allocated straight into the old generation, and everything the vault then holds (its maps, their
 * tables, the placeholders and values) was kept alive by it through every scavenge and promoted: about 0.5 KiB of
 * old-generation garbage per request, which only a mark-compact frees.
 */
class Vault implements VaultState {
  readonly forward = new Map<string, string>();
  readonly values: ReadonlyMap<string, string> = this.forward;
  readonly byValue = new Map<string, string>();
  readonly counters = new Map<string, number>();
  readonly reserved = new Set<string>();
  longest = 0;

  get size(): number {
    return this.forward.size;
  }

  get(placeholder: string): string | undefined {
    return this.forward.get(placeholder);
  }
}

export function createPiiVault(): PiiVault {
  return new Vault();
}

function stateOf(vault: PiiVault): VaultState {
  const s = vault as VaultState;
  if (!(s.byValue instanceof Map) || !(s.reserved instanceof Set)) {
    throw new TypeError('vault must come from createPiiVault()');
  }
  return s;
}

function placeholderFor(state: VaultState, type: string, value: string): string {
  const key = `${type}\u0000${value}`;
  const known = state.byValue.get(key);
  if (known) return known;
  let n = state.counters.get(type) ?? 0;
  let token: string;
  do {
    n++;
    token = `[${type}_${n}]`;
  } while (state.reserved.has(token) || state.forward.has(token));
  state.counters.set(type, n);
  state.byValue.set(key, token);
  state.forward.set(token, value);
  if (token.length > state.longest) state.longest = token.length;
  return token;
}

/** Findings sorted by position with overlaps dropped (the earlier one kept), so replacement is well defined. */
function ordered(text: string, findings: readonly Finding[]): Finding[] {
  const sorted = [...findings]
    .filter((f) => f.start >= 0 && f.end <= text.length && f.end > f.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let end = -1;
  for (const f of sorted) {
    if (f.start < end) continue;
    out.push(f);
    end = f.end;
  }
  return out;
}

function replaceSpans(
  text: string,
  findings: readonly Finding[],
  token: (f: Finding, value: string) => string,
): string {
  const parts: string[] = [];
  let at = 0;
  for (const f of ordered(text, findings)) {
    parts.push(text.slice(at, f.start), token(f, text.slice(f.start, f.end)));
    at = f.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/**
 * Replaces each finding's span with a placeholder such as `[EMAIL_ADDRESS_1]`; the same value gets the same
 * placeholder throughout one vault. Placeholder-shaped tokens already in the text are never reused, so unmasking
 * cannot turn a token the user typed into someone's data.
 */
export function maskPii(text: string, findings: readonly Finding[], vault: PiiVault): string {
  const state = stateOf(vault);
  for (const m of text.matchAll(TOKEN)) {
    if (!state.forward.has(m[0])) state.reserved.add(m[0]);
  }
  return replaceSpans(text, findings, (f, value) => placeholderFor(state, f.type, value));
}

/**
 * `maskPii(value, [{ ...finding, start: 0, end: value.length }], vault)` for a non-empty value that is one finding
 * as a whole: its placeholder, without building the finding, the span list or the pieces.
 */
export function maskValue(value: string, type: string, vault: PiiVault): string {
  const state = stateOf(vault);
  if (value.includes('[')) {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(value); m !== null; m = TOKEN.exec(value)) {
      if (!state.forward.has(m[0])) state.reserved.add(m[0]);
    }
  }
  return placeholderFor(state, type, value);
}

/** Puts the original values back in place of the placeholders this vault issued; other text is left alone. */
export function unmaskPii(text: string, vault: PiiVault): string {
  const state = stateOf(vault);
  if (state.forward.size === 0 || !text.includes('[')) return text;
  return text.replace(TOKEN, (t) => state.forward.get(t) ?? t);
}

export interface StreamingUnmasker {
  /** Returns the unmasked text that is safe to emit now; holds back only a possible partial placeholder. */
  push(chunk: string): string;
  /** Returns whatever was held back, unmasked. Call once at the end of the stream. */
  flush(): string;
}

/**
 * Unmasks a streamed response chunk by chunk. A placeholder may arrive split across chunks ("[EMAIL_AD" +
 * "DRESS_1]"), so the tail that could still become one is held back — never more than the longest placeholder.
 */
export function createStreamingUnmasker(vault: PiiVault): StreamingUnmasker {
  const state = stateOf(vault);
  let pending = '';
  const couldBecomePlaceholder = (tail: string): boolean => {
    if (tail.length >= state.longest) return false;
    for (const token of state.forward.keys()) if (token.startsWith(tail)) return true;
    return false;
  };
  return {
    push(chunk: string): string {
      const buf = pending + chunk;
      let cut = buf.length;
      const open = buf.lastIndexOf('[');
      if (open !== -1 && buf.length - open < state.longest && couldBecomePlaceholder(buf.slice(open))) cut = open;
      pending = buf.slice(cut);
      return unmaskPii(buf.slice(0, cut), vault);
    },
    flush(): string {
      const rest = pending;
      pending = '';
      return unmaskPii(rest, vault);
    },
  };
}

/** Replaces each finding's span with `[REDACTED:TYPE]`; irreversible. */
export function redactPii(text: string, findings: readonly Finding[]): string {
  return replaceSpans(text, findings, (f) => `[REDACTED:${f.type}]`);
}

/**
 * Replaces each finding's span with `[TYPE:hash]`, a keyed hash (HMAC-SHA256, first 16 hex digits) of the type and
 * value: equal values give equal tokens under one key, so records can be joined without keeping the values.
 */
export function hashPii(text: string, findings: readonly Finding[], key: string | Uint8Array): string {
  return replaceSpans(text, findings, (f, value) => {
    const digest = createHmac('sha256', key).update(f.type).update('\u0000').update(value).digest('hex');
    return `[${f.type}:${digest.slice(0, 16)}]`;
  });
}
