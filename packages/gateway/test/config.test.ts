import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'pcx-config-'));

describe('config', () => {
  it('runs on embedded defaults with no file and no environment', () => {
    const { config, file } = loadConfig({ env: {} });
    expect(file).toBeUndefined();
    expect(config.server.port).toBe(8787);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.storage.url).toMatch(/^sqlite:\.\/\.portcullis\//);
    expect(config.mock.enabled).toBe(true);
  });

  it('reads YAML and lets the environment win', () => {
    const dir = tmp();
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'server:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: warn\n');
    const { config } = loadConfig({ file: f, env: { PORTCULLIS_SERVER_PORT: '9100' } });
    expect(config.server.port).toBe(9100);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.log.level).toBe('warn');
  });

  it('parses booleans from the environment correctly ("false" is false)', () => {
    expect(loadConfig({ env: { PORTCULLIS_MOCK_ENABLED: 'false' } }).config.mock.enabled).toBe(false);
    expect(loadConfig({ env: { PORTCULLIS_SERVER_TRUST_PROXY: 'true' } }).config.server.trustProxy).toBe(true);
    expect(() => loadConfig({ env: { PORTCULLIS_MOCK_ENABLED: 'maybe' } })).toThrow(/mock\.enabled/);
  });

  it('names the key, the value, the origin and the expectation on a bad value', () => {
    let err: unknown;
    try {
      loadConfig({ env: { PORTCULLIS_SERVER_PORT: 'eighty' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('server.port');
    expect(msg).toContain('"eighty"');
    expect(msg).toContain('PORTCULLIS_SERVER_PORT');
    expect(msg).toMatch(/number/i);
  });

  it('rejects unknown keys in the file and unknown PORTCULLIS_ variables', () => {
    const dir = tmp();
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'server:\n  prot: 9000\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/prot.*unknown setting/);
    expect(() => loadConfig({ env: { PORTCULLIS_SERVR_PORT: '1' } })).toThrow(
      /PORTCULLIS_SERVR_PORT is not a Portcullis setting/,
    );
  });

  it('rejects out-of-range and malformed values', () => {
    expect(() => loadConfig({ env: { PORTCULLIS_SERVER_PORT: '70000' } })).toThrow(/server\.port/);
    expect(() => loadConfig({ env: { PORTCULLIS_SERVER_BODY_LIMIT_BYTES: '-5' } })).toThrow(/bodyLimitBytes/);
    expect(() => loadConfig({ env: { PORTCULLIS_LOG_LEVEL: 'loud' } })).toThrow(/log\.level/);
    expect(() => loadConfig({ env: { PORTCULLIS_ROUTES: '{not json' } })).toThrow(/routes.*JSON/);
  });

  it('never prints the master key in an error', () => {
    const dir = tmp();
    const f = join(dir, 'p.yaml');
    writeFileSync(f, 'secrets:\n  masterKey: 12345\n');
    try {
      loadConfig({ file: f, env: {} });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('secrets.masterKey');
      expect((e as Error).message).not.toContain('12345');
    }
  });

  it('accepts providers and routes, refusing keys written into the file', () => {
    const dir = tmp();
    const f = join(dir, 'p.yaml');
    writeFileSync(
      f,
      [
        'providers:',
        '  - name: local',
        '    kind: openai-compatible',
        '    baseUrl: http://127.0.0.1:11434/v1',
        '    models: [llama3]',
        'routes:',
        '  smart:',
        '    - { provider: local, model: llama3 }',
        '    - { provider: mock, model: mock-1 }',
      ].join('\n'),
    );
    const { config } = loadConfig({ file: f, env: {} });
    expect(config.providers[0]?.name).toBe('local');
    expect(config.routes.smart).toHaveLength(2);
    writeFileSync(f, 'providers:\n  - name: x\n    kind: openai\n    apiKey: sk-abc\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/apiKey: unknown setting/);
  });

  it('reports unreadable and non-mapping files clearly', () => {
    expect(() => loadConfig({ file: '/nonexistent/p.yaml', env: {} })).toThrow(/cannot read config file/);
    const dir = tmp();
    const f = join(dir, 'p.yaml');
    writeFileSync(f, '- a\n- b\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/mapping/);
    writeFileSync(f, 'server: [unclosed\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/not valid YAML/);
  });
});
