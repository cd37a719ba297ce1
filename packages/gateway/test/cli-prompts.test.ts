import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.ts';

// `portcullis prompts …` through the real binary against a real SQLite file.

const run = (dir: string, args: string[]) => runCli(dir, args);

const YAML_V1 = `id: analyze
description: Summarise a message
model: mock-1
system: You are a support analyst.
user: |
  Summarise: {{text}}
variables:
  text: { type: string, maxLength: 4000 }
labels: [production]
`;

describe('portcullis prompts', () => {
  it('pushes, versions, diffs, shows and relabels prompts from YAML files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-prompts-'));
    const src = join(dir, 'prompts');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(join(src, 'nested', 'analyze.yaml'), YAML_V1);

    const first = run(dir, ['prompts', 'push', src]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('analyze: version 1 created [production→1]');
    expect(first.out).toContain('+user: |');

    const again = run(dir, ['prompts', 'push', src]);
    expect(again.out).toContain('analyze: unchanged (version 1)');

    writeFileSync(
      join(src, 'nested', 'analyze.yaml'),
      YAML_V1.replace('support analyst', 'careful analyst').replace('labels: [production]\n', 'labels: [staging]\n'),
    );
    const dry = run(dir, ['prompts', 'push', src, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('analyze: would create version 2');
    expect(dry.out).toContain('-system: You are a support analyst.');
    expect(dry.out).toContain('+system: You are a careful analyst.');
    expect(JSON.parse(run(dir, ['prompts', 'list', '--json']).out)[0]).toMatchObject({
      id: 'analyze',
      latestVersion: 1,
    });

    const second = run(dir, ['prompts', 'push', src, '--json']);
    expect(JSON.parse(second.out)[0]).toMatchObject({
      id: 'analyze',
      version: 2,
      created: true,
      labels: { production: 1, staging: 2 },
    });

    const shown = run(dir, ['prompts', 'show', 'analyze']);
    expect(shown.out).toMatch(/^# analyze version 1, created .+ by cli:/);
    expect(shown.out).toContain('support analyst');
    expect(run(dir, ['prompts', 'show', 'analyze', '--label', 'staging']).out).toContain('careful analyst');
    expect(run(dir, ['prompts', 'show', 'analyze', '--version', '2']).out).toContain('# analyze version 2');

    const diff = run(dir, ['prompts', 'diff', 'analyze', '1', '2']);
    expect(diff.out).toContain('--- analyze@1');
    expect(diff.out).toContain('+system: You are a careful analyst.');

    const label = run(dir, ['prompts', 'label', 'analyze', 'production', '2']);
    expect(label.out).toContain('analyze: production → version 2 (was 1)');
    const table = run(dir, ['prompts', 'list']).out;
    expect(table).toMatch(/analyze\s+2\s+production=2 staging=2/);
  });

  it('applies nothing when any file is invalid, and names the file and the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-prompts-'));
    const src = join(dir, 'p');
    mkdirSync(src);
    writeFileSync(join(src, 'a.yaml'), YAML_V1);
    writeFileSync(join(src, 'b.yml'), YAML_V1.replace('{{text}}', '{{text}} {{other}}'));
    const bad = run(dir, ['prompts', 'push', src]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('b.yml: Invalid prompt definition: variables: {{other}} is used but not declared');
    expect(JSON.parse(run(dir, ['prompts', 'list', '--json']).out)).toEqual([]);

    writeFileSync(join(src, 'b.yml'), YAML_V1);
    const dup = run(dir, ['prompts', 'push', src]);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('prompt id "analyze" is also defined in');

    writeFileSync(join(src, 'b.yml'), 'id: [unclosed');
    expect(run(dir, ['prompts', 'push', src]).err).toContain('b.yml: not valid YAML');
  });

  it('exits 2 on usage errors and 1 on unknown prompts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-prompts-'));
    expect(run(dir, ['prompts', 'push', join(dir, 'missing')]).code).toBe(2);
    expect(run(dir, ['prompts', 'diff', 'analyze', 'one', '2']).code).toBe(2);
    expect(run(dir, ['prompts', 'show', 'analyze', '--version', '1', '--label', 'x']).code).toBe(2);
    const unknown = run(dir, ['prompts', 'show', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No prompt "nope"');
  });

  it('creates keys limited to prompts and with their own guard policy, refusing invalid policies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pcx-cli-prompts-'));
    writeFileSync(join(dir, 'policy.yaml'), 'input:\n  pii: { action: block }\n');
    writeFileSync(join(dir, 'bad.yaml'), 'input:\n  pii: { action: obliterate }\n');
    const ok = run(dir, [
      'keys',
      'create',
      '--name',
      'app',
      '--scopes',
      'execute',
      '--prompts',
      'analyze,support-*',
      '--policy',
      'policy.yaml',
      '--json',
    ]);
    expect(ok.code, ok.err).toBe(0);
    const [listed] = JSON.parse(run(dir, ['keys', 'list', '--json']).out);
    expect(listed).toMatchObject({
      prompts: ['analyze', 'support-*'],
      policy: { input: { pii: { action: 'block' } } },
    });
    const bad = run(dir, ['keys', 'create', '--name', 'app', '--policy', 'bad.yaml']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--policy: input.pii.action');
    expect(run(dir, ['keys', 'create', '--name', 'app', '--policy', 'missing.yaml']).code).toBe(2);
    expect(run(dir, ['keys', 'create', '--name', 'app', '--prompts', 'Bad Id']).code).toBe(2);
  });
});
