// `portcullis scan` end to end: the real CLI binary over real files, directories, standard input and
// git repositories made in temporary directories. Credentials are generated at run time from their
// public formats, so none is stored in the repository.

import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../bin/portcullis');
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_NOSYSTEM: '1' };

function run(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(BIN, ['scan', ...args], {
    env: ENV,
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', args, { cwd, env: { ...ENV, GIT_AUTHOR_DATE: '2025-01-02T03:04:05Z' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'pc-scan-'));
}

function repo(): string {
  const dir = tmp();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'dev@example.com');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'commit.gpgsign', 'false');
  return dir;
}

const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** Random draws that by chance look like placeholders (runs, sequences) are redrawn. */
function token(alphabet: string, n: number): string {
  for (;;) {
    const s = pick(alphabet, n);
    if (!/(.)\1\1|abcd|bcde|1234|2345|xxx|test|fake|here|null/i.test(s)) return s;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const awsKey = () => `AKIA${token('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
function githubToken(): string {
  const body = token(BASE62, 30);
  let v = crc32(body);
  let sum = '';
  while (v > 0) {
    sum = BASE62[v % 62] + sum;
    v = Math.floor(v / 62);
  }
  return `ghp_${body}${sum.padStart(6, '0')}`;
}
const B64 = `${BASE62}+/`;
const pem = () =>
  `-----BEGIN RSA PRIVATE KEY-----\n${Array.from({ length: 12 }, () => token(B64, 64)).join('\n')}\n-----END RSA PRIVATE KEY-----`;

interface JsonReport {
  findings: {
    rule: string;
    file: string;
    line: number;
    column: number;
    endLine: number;
    fingerprint: string;
    redacted: string;
    commit?: string;
  }[];
  stats: {
    files: number;
    skippedBinary: number;
    allowedInline: number;
    allowedByConfig: number;
    allowedByBaseline: number;
    commits: number;
  };
}

const json = (out: string) => JSON.parse(out) as JsonReport;

describe('portcullis scan <dir>', () => {
  it('finds secrets with file, line and rule, honours .gitignore, skips binaries, never prints the secret', () => {
    const dir = tmp();
    const aws = awsKey();
    const gh = githubToken();
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'build'));
    mkdirSync(join(dir, 'src', 'nested'));
    writeFileSync(
      join(dir, 'src', 'app.ts'),
      `import x from 'y';\n\nconst client = new S3({ accessKeyId: '${aws}' });\n`,
    );
    writeFileSync(join(dir, 'src', 'nested', 'deploy.sh'), `#!/bin/sh\nexport GITHUB_TOKEN=${gh}\n`);
    writeFileSync(join(dir, 'build', 'out.js'), `var t = "${githubToken()}";\n`);
    writeFileSync(join(dir, 'src', 'nested', 'local.env'), `AWS_KEY=${awsKey()}\n`);
    writeFileSync(join(dir, '.gitignore'), 'build/\n');
    writeFileSync(join(dir, 'src', 'nested', '.gitignore'), '*.env\n');
    writeFileSync(
      join(dir, 'logo.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), Buffer.from(` ${awsKey()} `)]),
    );

    const human = run([dir]);
    expect(human.code, human.err).toBe(1);
    expect(human.out).toContain('src/app.ts:3:');
    expect(human.out).toContain('aws_access_key_id');
    expect(human.out).toContain('src/nested/deploy.sh:2:');
    expect(human.out).toContain('github_pat');
    expect(human.out).toContain('[REDACTED:github_pat]');
    expect(human.out).not.toContain(aws);
    expect(human.out).not.toContain(gh);
    expect(human.out).toContain('portcullis:allow');

    const r = json(run([dir, '--format', 'json']).out);
    expect(r.findings.map((f) => `${f.file}:${f.line}:${f.rule}`).sort()).toEqual([
      'src/app.ts:3:aws_access_key_id',
      'src/nested/deploy.sh:2:github_pat',
    ]);
    expect(r.stats.skippedBinary).toBe(1);
    expect(r.findings[0]!.column).toBe('const client = new S3({ accessKeyId: '.length + 2);
  });

  it('exits 0 on a clean tree and 2 on usage errors', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'readme.md'), 'Set OPENAI_API_KEY=<your key> in your environment.\n');
    expect(run([dir]).code).toBe(0);
    expect(run([join(dir, 'missing')]).code).toBe(2);
    expect(run([dir, '--format', 'xml']).code).toBe(2);
    expect(run([dir, '--git', '--staged']).code).toBe(2);
    expect(run([dir, '--min-score', '7']).code).toBe(2);
    const notRepo = run([dir, '--git']);
    expect(notRepo.code).toBe(2);
    expect(notRepo.err).toContain('not inside a git repository');
  });

  it('writes SARIF 2.1.0 with rules, locations and fingerprints', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.py'), `\nAWS_ACCESS_KEY_ID = "${awsKey()}"\n`);
    const r = run([dir, '-f', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.out);
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['aws_access_key_id']);
    const result = run0.results[0];
    expect(result.ruleId).toBe('aws_access_key_id');
    expect(result.level).toBe('error');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('config.py');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(2);
    expect(result.partialFingerprints['portcullisSecret/v1']).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('allowing findings', () => {
  it('honours inline comments, config allowlists and excludes, and a baseline', () => {
    const dir = tmp();
    const keep = awsKey();
    // A shared, documented test key that the team chose to allow by value.
    const byValue = `AKIAQZ${token('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 14)}`;
    writeFileSync(
      join(dir, 'a.py'),
      [
        `inline = "${awsKey()}"  # portcullis:allow test fixture`,
        '# portcullis:allow-next-line',
        `next_line = "${awsKey()}"`,
        `by_value = "${byValue}"`,
        `kept = "${keep}"`,
        'DB_PASSWORD=Qz7#vLp2mXr9',
      ].join('\n'),
    );
    mkdirSync(join(dir, 'fixtures'));
    writeFileSync(join(dir, 'fixtures', 'keys.txt'), `k = "${awsKey()}"\n`);
    writeFileSync(
      join(dir, '.portcullis-scan.yaml'),
      'version: 1\nexclude:\n  paths: ["fixtures/"]\n  rules: [generic_password]\nallow:\n  values: ["^AKIAQZ"]\n',
    );
    let r = json(run([dir, '-f', 'json']).out);
    expect(r.findings.map((f) => f.line)).toEqual([5]);
    expect(r.stats.allowedInline).toBe(2);
    expect(r.stats.allowedByConfig).toBe(1);

    // The same finding by fingerprint, in the config.
    const fp = r.findings[0]!.fingerprint;
    writeFileSync(
      join(dir, 'scan.yaml'),
      `allow:\n  fingerprints: ["${fp}"]\n  values: ["^AKIAQZ"]\nexclude:\n  paths: ["fixtures/"]\n  rules: [generic_password]\n`,
    );
    expect(run([dir, '--scan-config', join(dir, 'scan.yaml'), '-f', 'json']).out).toContain('"allowedByConfig": 2');

    // A baseline records what is known; a new secret is still reported.
    const baseline = join(dir, 'baseline.json');
    const w = run([dir, '--write-baseline', baseline]);
    expect(w.code).toBe(0);
    expect(JSON.parse(readFileSync(baseline, 'utf8')).findings).toHaveLength(1);
    expect(run([dir, '--baseline', baseline]).code).toBe(0);
    writeFileSync(join(dir, 'b.py'), `new = "${awsKey()}"\n`);
    r = json(run([dir, '--baseline', baseline, '-f', 'json']).out);
    expect(r.findings.map((f) => f.file)).toEqual(['b.py']);
    expect(r.stats.allowedByBaseline).toBe(1);
  });

  it('rejects an invalid config with exit code 2 and says what is wrong', () => {
    const dir = tmp();
    writeFileSync(join(dir, '.portcullis-scan.yaml'), 'exclude:\n  rulez: [x]\n');
    const r = run([dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('.portcullis-scan.yaml');
    writeFileSync(join(dir, '.portcullis-scan.yaml'), 'allow:\n  values: ["(unclosed"]\n');
    expect(run([dir]).err).toContain('not a valid regular expression');
  });
});

describe('large input and standard input', () => {
  it('streams a file larger than a window and finds secrets across window boundaries with exact lines', () => {
    const dir = tmp();
    const lines: string[] = [];
    const planted = new Map<number, string>();
    const filler = 'const value = compute(options.path, index) + offset; // some ordinary source text';
    let size = 0;
    // About 11 MB: three 4 MiB windows. A private key block straddles each boundary region.
    for (let i = 1; size < 11_000_000; i++) {
      let line = filler;
      if (i % 20_000 === 0) {
        const key = awsKey();
        planted.set(i, 'aws_access_key_id');
        line = `key${i} = "${key}"`;
      }
      lines.push(line);
      size += line.length + 1;
    }
    for (const at of [4 * 1024 * 1024, 8 * 1024 * 1024]) {
      // Insert a PEM block so that it crosses the window cut near `at` bytes.
      let offset = 0;
      let idx = 0;
      while (offset < at - 400) offset += lines[idx++]!.length + 1;
      const block = pem().split('\n');
      lines.splice(idx, 0, ...block);
      for (const [k, v] of [...planted].filter(([k]) => k > idx).sort((a, b) => b[0] - a[0])) {
        planted.delete(k);
        planted.set(k + block.length, v);
      }
      planted.set(idx + 1, 'private_key');
    }
    writeFileSync(join(dir, 'big.js'), `${lines.join('\n')}\n`);
    const r = run([join(dir, 'big.js'), '-f', 'json']);
    expect(r.code, r.err).toBe(1);
    const found = json(r.out).findings.map((f) => [f.line, f.rule]);
    expect(found).toEqual([...planted].sort((a, b) => a[0] - b[0]));
  });

  it('reads standard input with -', () => {
    const gh = githubToken();
    const r = run(['-', '-f', 'json'], { input: `line one\ntoken: ${gh}\n` });
    expect(r.code).toBe(1);
    const f = json(r.out).findings[0]!;
    expect([f.file, f.line, f.rule]).toEqual(['stdin', 2, 'github_pat']);
    expect(run(['-'], { input: 'nothing here\n' }).code).toBe(0);
  });
});

describe('git history and staged changes', () => {
  it('--git reports each secret in the commit that added it, even after it was removed', () => {
    const dir = repo();
    writeFileSync(join(dir, 'app.py'), 'print("hello")\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'first');
    const aws = awsKey();
    writeFileSync(join(dir, 'app.py'), `print("hello")\n\nKEY = "${aws}"\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'add key');
    const added = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, 'app.py'), 'import os\nprint("hello")\nKEY = os.environ["KEY"]\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'remove key');

    expect(run([dir]).code).toBe(0); // the tree is clean now
    const r = run([dir, '--git', '-f', 'json']);
    expect(r.code, r.err).toBe(1);
    const report = json(r.out);
    expect(report.stats.commits).toBe(3);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ file: 'app.py', line: 3, rule: 'aws_access_key_id', commit: added });
    expect(run([dir, '--git', '--range', 'HEAD~1..HEAD']).code).toBe(0);
    expect(run([dir, '--git'], {}).out).toContain(`commit ${added.slice(0, 12)}`);
  });

  it('install-hook blocks a commit with a secret, names file, line and rule, and lets an allowed line through', () => {
    const dir = repo();
    const installed = run(['install-hook', dir]);
    expect(installed.code, installed.err).toBe(0);
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    expect(existsSync(hook)).toBe(true);

    writeFileSync(join(dir, 'settings.env'), `NAME=app\nAWS_ACCESS_KEY_ID=${awsKey()}\n`);
    git(dir, 'add', '.');
    expect(run([dir, '--staged']).code).toBe(1);
    const blocked = spawnSync('git', ['commit', '-qm', 'add settings'], { cwd: dir, env: ENV, encoding: 'utf8' });
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain('commit blocked');
    expect(blocked.stderr).toContain('settings.env:2:');
    expect(blocked.stderr).toContain('aws_access_key_id');
    expect(blocked.stderr).toContain('portcullis:allow');
    expect(blocked.stderr).toContain('--no-verify');
    expect(git(dir, 'log', '--oneline', '--all')).toBe('');

    writeFileSync(
      join(dir, 'settings.env'),
      `NAME=app\nAWS_ACCESS_KEY_ID=${awsKey()} # portcullis:allow documented test key\n`,
    );
    git(dir, 'add', '.');
    const ok = spawnSync('git', ['commit', '-qm', 'add settings'], { cwd: dir, env: ENV, encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('install-hook leaves a foreign hook alone unless forced', () => {
    const dir = repo();
    const hook = join(dir, '.git', 'hooks', 'pre-commit');
    mkdirSync(join(dir, '.git', 'hooks'), { recursive: true });
    writeFileSync(hook, '#!/bin/sh\nexit 0\n');
    chmodSync(hook, 0o755);
    const r = run(['install-hook', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--force');
    expect(run(['install-hook', dir, '--force']).code).toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain('scan --staged --hook');
  });
});
