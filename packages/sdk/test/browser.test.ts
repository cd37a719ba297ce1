// The browser rules: a secret key is refused where a page could read it; a client token works, in a real Chromium.

import { readFile } from 'node:fs/promises';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '../src/env.ts';
import { Portcullis, PortcullisError } from '../src/index.ts';
import { executeResult, sendError, sendJson, startServer, type TestServer } from './helpers/server.ts';

const SECRET = 'pcx_live_SECRETabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI';
const TOKEN = 'pct_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';

describe('in a (faked) browser', () => {
  const g = globalThis as { window?: unknown; document?: unknown };
  afterEach(() => {
    delete g.window;
    delete g.document;
  });

  it('refuses a secret key and explains what to do instead, without echoing the key', () => {
    g.window = {};
    g.document = {};
    let err: unknown;
    try {
      new Portcullis({ apiKey: SECRET, baseUrl: 'http://127.0.0.1:1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortcullisError);
    const e = err as PortcullisError;
    expect(e.code).toBe('secret_key_in_browser');
    expect(e.message).toMatch(/server/);
    expect(e.message).toMatch(/clientTokens\.create/);
    expect(e.message).toMatch(/pct_/);
    expect(e.message + e.stack).not.toContain(SECRET.slice(9));
    // Any credential that is not a client token counts as secret.
    expect(() => new Portcullis({ apiKey: 'sk-something', baseUrl: 'http://x' })).toThrow(/browser/);
  });

  it('accepts a client token', () => {
    g.window = {};
    g.document = {};
    expect(new Portcullis({ apiKey: TOKEN, baseUrl: 'http://x' }).baseUrl).toBe('http://x');
  });

  it('accepts a secret key outside a browser (window alone is not a browser, e.g. some test setups)', () => {
    g.window = {};
    expect(() => new Portcullis({ apiKey: SECRET, baseUrl: 'http://x' })).not.toThrow();
  });
});

describe('configuration', () => {
  it('needs a key, and takes it from PORTCULLIS_API_KEY under Node', () => {
    const saved = process.env['PORTCULLIS_API_KEY'];
    try {
      delete process.env['PORTCULLIS_API_KEY'];
      expect(() => new Portcullis({ baseUrl: 'http://x' })).toThrow(/apiKey/);
      process.env['PORTCULLIS_API_KEY'] = SECRET;
      expect(new Portcullis({}).baseUrl).toBe('http://127.0.0.1:8787');
    } finally {
      if (saved === undefined) delete process.env['PORTCULLIS_API_KEY'];
      else process.env['PORTCULLIS_API_KEY'] = saved;
    }
  });

  it('makes v4 UUIDs without crypto.randomUUID (plain-http pages are not secure contexts)', () => {
    const c = globalThis.crypto as { randomUUID?: unknown };
    Object.defineProperty(c, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = new Set(Array.from({ length: 50 }, () => randomId()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      delete c.randomUUID;
    }
    expect(randomId()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

const CHROMIUM = '/usr/bin/chromium';

const PAGE_SCRIPT = `
import { Portcullis } from '/sdk/index.ts';
const out = {};
try {
  try {
    new Portcullis({ apiKey: ${JSON.stringify(SECRET)}, baseUrl: location.origin });
    out.secret = 'accepted';
  } catch (err) {
    out.secret = { name: err.name, code: err.code, message: err.message };
  }
  const client = new Portcullis({ apiKey: ${JSON.stringify(TOKEN)}, baseUrl: location.origin, retry: { baseDelayMs: 10 } });
  out.execute = await client.execute({ promptId: 'analyze', variables: { text: 'hi' } });
  const stream = await client.executeStream({ promptId: 'analyze', variables: { text: 'hi' } });
  out.streamed = await stream.finalText();
} catch (err) {
  out.failed = String(err && err.stack || err);
}
window.result = out;
`;
const SRC = join(import.meta.dirname, '..', 'src');

// The page loads the SDK's own source: Node strips the types (the files use erasable syntax only) and the browser
// follows the `.ts` imports back to this server. The same server plays the gateway, so no CORS is involved.
describe('in Chromium', () => {
  let server: TestServer;
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    server = await startServer(async (req, res, ctx) => {
      const url = req.url ?? '/';
      if (url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>sdk</title>');
      } else if (url.startsWith('/sdk/') && /^\/sdk\/[a-z-]+\.ts$/.test(url)) {
        const code = stripTypeScriptTypes(await readFile(join(SRC, url.slice(5)), 'utf8'));
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(code);
      } else if (url === '/v1/prompts/analyze/execute') {
        if (req.headers['authorization'] !== `Bearer ${TOKEN}`)
          return sendError(res, 401, 'invalid_client_token', 'no');
        const body = JSON.parse(ctx.body) as { stream?: boolean };
        if (body.stream) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('event: delta\r\ndata: {"text":"Bon"}\r\n\r\n');
          const { output: _o, ...done } = executeResult();
          res.end(`event: delta\ndata: {"text":"jour"}\n\nevent: done\ndata: ${JSON.stringify(done)}\n\n`);
        } else if (server.requests.filter((r) => r.url === url).length === 1) {
          sendError(res, 503, 'unavailable', 'busy');
        } else sendJson(res, 200, executeResult());
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a secret key, and executes (with a retry) and streams with a client token', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(server.url);
    // A plain string: vitest rewrites the source of functions (dynamic import()), which would break page.evaluate.
    await page.addScriptTag({ type: 'module', content: PAGE_SCRIPT });
    await page.waitForFunction('window.result !== undefined', undefined, { timeout: 20_000 });
    const result = (await page.evaluate('window.result')) as Record<string, unknown>;
    expect(pageErrors).toEqual([]);
    expect(result['failed']).toBeUndefined();
    const secret = result['secret'] as { name: string; code: string; message: string };
    expect(secret.code).toBe('secret_key_in_browser');
    expect(secret.name).toBe('PortcullisError');
    expect(secret.message).toMatch(/clientTokens\.create/);
    expect(secret.message).not.toContain(SECRET.slice(9));
    expect(result['execute']).toEqual({ ...executeResult(), replayed: false });
    expect(result['streamed']).toBe('Bonjour');
    const executes = server.requests.filter(
      (r) => r.url === '/v1/prompts/analyze/execute' && !r.body.includes('stream'),
    );
    expect(executes).toHaveLength(2);
    expect(executes[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(executes[1]!.headers['idempotency-key']).toBe(executes[0]!.headers['idempotency-key']);
    await page.close();
  });
});
