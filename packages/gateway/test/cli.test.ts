import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/portcullis');

function env(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORTCULLIS_STORAGE_URL: `sqlite:${join(dir, 'cli.db')}`,
    PORTCULLIS_SECRETS_MASTER_KEY_FILE: join(dir, 'master.key'),
    PORTCULLIS_LOG_LEVEL: 'warn',
  };
}

function run(dir: string, args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(BIN, args, { env: { ...env(dir), ...extraEnv }, input, encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('portcullis CLI', () => {
  it('creates, lists, rotates and revokes keys; secrets appear once and only at creation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-'));
    const created = run(dir, ['keys', 'create', '--name', 'ci-app', '--scopes', 'chat', '--json']);
    expect(created.code, created.err).toBe(0);
    const { id, key } = JSON.parse(created.out) as { id: string; key: string };
    expect(key).toMatch(/^pcx_live_[0-9A-Za-z]{49}$/);
    const list = run(dir, ['keys', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(list.out).not.toContain(key);
    const rows = JSON.parse(list.out) as Array<{ id: string; scopes: string[]; status: string }>;
    expect(rows.find((r) => r.id === id)).toMatchObject({ scopes: ['chat'], status: 'active' });

    const rotated = run(dir, ['keys', 'rotate', id, '--grace', '1h', '--json']);
    expect(rotated.code, rotated.err).toBe(0);
    const next = JSON.parse(rotated.out) as { id: string; key: string };
    expect(next.key).not.toBe(key);

    expect(run(dir, ['keys', 'revoke', id]).code).toBe(0);
    const after = JSON.parse(run(dir, ['keys', 'list', '--json']).out) as Array<{ id: string; status: string }>;
    expect(after.find((r) => r.id === id)?.status).toBe('revoked');

    // The database files never hold a key in clear.
    for (const f of readdirSync(dir).filter((n) => n.startsWith('cli.db'))) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      expect(bytes).not.toContain(key.slice(12));
      expect(bytes).not.toContain(next.key.slice(12));
    }
  });

  it('exits 1 on an unknown id and 2 on bad usage or bad values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-'));
    expect(run(dir, ['keys', 'revoke', 'key_nope']).code).toBe(1);
    expect(run(dir, ['keys', 'create']).code).toBe(2);
    expect(run(dir, ['keys', 'create', '--name', 'x', '--role', 'god']).code).toBe(2);
    const badScope = run(dir, ['keys', 'create', '--name', 'x', '--scopes', 'everything']);
    expect(badScope.code).toBe(2);
    expect(badScope.err).toContain('--scopes');
    const badTtl = run(dir, ['keys', 'create', '--name', 'x', '--expires-in', '-1d']);
    expect(badTtl.code).toBe(2);
    expect(badTtl.err).toContain('duration');
    expect(run(dir, ['frobnicate']).code).toBe(2);
  });

  it('stores provider keys encrypted and never prints them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-'));
    const secret = `sk-proj-${randomBytes(24).toString('hex')}`;
    const added = run(
      dir,
      ['providers', 'add', '--name', 'openai', '--kind', 'openai', '--api-key-stdin', '--models', 'gpt-4o-mini'],
      `${secret}\n`,
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out + added.err).not.toContain(secret);
    const viaEnv = run(
      dir,
      [
        'providers',
        'add',
        '--name',
        'local',
        '--kind',
        'openai-compatible',
        '--base-url',
        'http://127.0.0.1:11434/v1',
        '--api-key-env',
        'MY_KEY',
      ],
      undefined,
      { MY_KEY: 'local-secret-value' },
    );
    expect(viaEnv.code, viaEnv.err).toBe(0);
    const list = run(dir, ['providers', 'list', '--json']);
    expect(list.out).not.toContain(secret);
    const rows = JSON.parse(list.out) as Array<{ name: string; hasKey: boolean; models: string[] }>;
    expect(rows.find((r) => r.name === 'openai')).toMatchObject({ hasKey: true, models: ['gpt-4o-mini'] });
    for (const f of readdirSync(dir).filter((n) => n.startsWith('cli.db'))) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      expect(bytes).not.toContain(secret);
      expect(bytes).not.toContain('local-secret-value');
    }
    expect(run(dir, ['providers', 'add', '--name', 'x', '--kind', 'openai-compatible']).code).toBe(2);
    expect(run(dir, ['providers', 'add', '--name', 'Bad Name', '--kind', 'openai']).code).toBe(2);
    expect(
      run(dir, ['providers', 'add', '--name', 'x', '--kind', 'openai', '--base-url', 'file:///etc/passwd']).code,
    ).toBe(2);
    expect(run(dir, ['providers', 'remove', 'openai']).code).toBe(0);
    expect(run(dir, ['providers', 'remove', 'openai']).code).toBe(1);
  });

  it('stops start-up on a bad config value, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-'));
    const r = run(dir, ['start'], undefined, { PORTCULLIS_SERVER_PORT: 'abc' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('server.port');
    expect(r.err).toContain('"abc"');
  });

  it('starts with embedded defaults, prints the admin key once, serves, and shuts down on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-'));
    const child: ChildProcess = spawn(BIN, ['start', '--port', '0'], { env: env(dir), cwd: dir });
    let err = '';
    child.stderr!.on('data', (d) => {
      err += String(d);
    });
    const deadline = Date.now() + 20_000;
    while (!/listening on (http:\/\/\S+)/.test(err) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
    expect(url).toBeDefined();
    while (!/pcx_live_\w+/.test(err) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const key = /pcx_live_\w+/.exec(err)?.[0];
    expect(key).toBeDefined();
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readFileSync(join(dir, 'master.key'), 'utf8').trim()).toHaveLength(44);
  });
});
