// What the client needs to know about where it runs, without depending on Node or DOM types.

/** A page's main thread (or a test that fakes one): where any secret handed to the code is readable by the user. */
export function isBrowser(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== 'undefined' && typeof g.document !== 'undefined';
}

/** Client tokens are minted for front ends; every other credential is a secret that must stay on a server. */
export function isClientToken(apiKey: string): boolean {
  return apiKey.startsWith('pct_');
}

/** An environment variable when running under Node, without touching `process` elsewhere. */
export function envVar(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * A random v4 UUID for idempotency keys. `crypto.randomUUID` exists only in secure contexts (https, localhost), so a
 * page served over plain http falls back to `crypto.getRandomValues`, which exists everywhere.
 */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
