import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

// `portcullis tenants …` and `portcullis users …` through the real binary against a real SQLite file.

const run = (dir: string, args: string[]) => runCli(dir, args);

describe('portcullis tenants and users', () => {
  it('creates, lists, pauses and resumes tenants and manages their users', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-tenants-'));
    const created = run(dir, ['tenants', 'create', 'acme', '--name', 'Acme', '--json']);
    expect(created.code, created.err).toBe(0);
    const { adminKey } = JSON.parse(created.out);
    expect(adminKey).toMatch(/^pcx_live_/);
    expect(run(dir, ['tenants', 'create', 'acme', '--name', 'again']).code).toBe(1);
    expect(run(dir, ['tenants', 'create', 'Bad Id', '--name', 'x']).code).toBe(2);
    expect(run(dir, ['tenants', 'pause', 'acme']).out).toContain('tenant acme is paused');
    expect(
      JSON.parse(run(dir, ['tenants', 'list', '--json']).out).map(
        (t: { id: string; status: string }) => `${t.id}:${t.status}`,
      ),
    ).toEqual(['acme:paused', 'default:active']);
    expect(run(dir, ['tenants', 'resume', 'acme']).out).toContain('tenant acme is active');
    expect(run(dir, ['tenants', 'pause', 'default']).code).toBe(1);

    const added = run(dir, ['users', 'add', 'ann@acme.test', '--name', 'Ann', '--role', 'editor', '--tenant', 'acme']);
    expect(added.code, added.err).toBe(0);
    const id = /user (usr_\S+)/.exec(added.out)![1]!;
    expect(
      run(dir, ['users', 'add', 'bob@acme.test', '--name', 'Bob', '--role', 'emperor', '--tenant', 'acme']).err,
    ).toContain('No role "emperor"');
    expect(run(dir, ['users', 'set', id, '--disable', '--tenant', 'acme']).out).toContain('disabled');
    const listed = JSON.parse(run(dir, ['users', 'list', '--tenant', 'acme', '--json']).out);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ email: 'ann@acme.test', role: 'editor' });
    // Users of one tenant are invisible from another.
    expect(JSON.parse(run(dir, ['users', 'list', '--json']).out)).toEqual([]);
    expect(run(dir, ['keys', 'create', '--name', 'x', '--tenant', 'nope']).code).toBe(2);
    expect(
      run(dir, [
        'keys',
        'create',
        '--name',
        'x',
        '--tenant',
        'acme',
        '--role',
        'viewer',
        '--ip-allowlist',
        '10.0.0.0/99',
      ]).code,
    ).toBe(2);
    expect(
      run(dir, [
        'keys',
        'create',
        '--name',
        'x',
        '--tenant',
        'acme',
        '--role',
        'viewer',
        '--ip-allowlist',
        '10.0.0.0/8',
      ]).code,
    ).toBe(0);
  });
});
