// Rules whose structure is easier to check in code than in one regular expression: private key
// blocks, credentials embedded in URLs, and curl's -u/--user option.

import { commonValueRejection, passwordLooksReal } from './generic.ts';
import type { Candidate, CustomRule } from './rule.ts';
import { classCount, placeholderReason, shannonEntropy } from './validators.ts';

// ---- private keys -------------------------------------------------------------------------------

// Case-insensitive and loose between BEGIN and PRIVATE: keys pasted through tools that change case
// or join words (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, `-----begin rsa private key-----`).
const PEM_HEADER = /^-----BEGIN([ A-Z0-9_-]{0,100}?)PRIVATE KEY( BLOCK)?-----/i;
const PEM_CLOSE = /KEY(?: BLOCK)?-----/i;
const MAX_PEM = 20_000;

function isB64Code(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/** Counts base64 characters in a key body, skipping RFC 1421/4880 header lines and escaped newlines. */
function keyBody(text: string, from: number, to: number): { chars: number; sample: string; end: number } {
  let chars = 0;
  let sample = '';
  let lastB64 = from;
  let lineStart = true;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && (text.charCodeAt(i + 1) === 110 || text.charCodeAt(i + 1) === 114)) {
      i += 2;
      lineStart = true;
      continue;
    }
    if (c === 10 || c === 13) {
      lineStart = true;
      i++;
      continue;
    }
    if (lineStart) {
      // "Proc-Type: 4,ENCRYPTED", "Version: GnuPG", "Comment: ..." lines carry no key material.
      let j = i;
      while (j < to && j - i < 40 && (isB64Code(text.charCodeAt(j)) || text.charCodeAt(j) === 45)) j++;
      if (text.charCodeAt(j) === 58 /* : */) {
        while (i < to && text.charCodeAt(i) !== 10 && !(text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 110))
          i++;
        continue;
      }
      lineStart = false;
    }
    if (isB64Code(c)) {
      chars++;
      if (sample.length < 256) sample += text[i];
      lastB64 = i + 1;
    } else if (c !== 32 && c !== 9 && c !== 34 && c !== 44) {
      break;
    }
    i++;
  }
  return { chars, sample, end: lastB64 };
}

const privateKeyRule: CustomRule = {
  kind: 'custom',
  id: 'private_key',
  family: 'private_key',
  description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP), also inside JSON strings',
  keywords: ['-----begin'],
  score: 0.97,
  specificity: 90,
  match(text, hit) {
    // Anchored on a short slice rather than sticky, so the shared regex keeps no lastIndex state.
    const m = PEM_HEADER.exec(text.slice(hit, hit + 160));
    if (m === null) return undefined;
    const headerEnd = hit + m[0].length;
    const label = (m[1] ?? '').trim().toLowerCase();
    const kind = label === '' ? 'pkcs8' : /^[a-z0-9]{1,12}(?: [a-z0-9]{1,12}){0,2}$/.test(label) ? label : 'other';
    // Searched within the block's maximum size only, so many headers without an END stay linear.
    const relEnd = text.slice(headerEnd, headerEnd + MAX_PEM + 1).indexOf('-----END ');
    const endMarker = relEnd < 0 ? -1 : headerEnd + relEnd;
    const limit =
      endMarker >= 0 && endMarker - headerEnd <= MAX_PEM ? endMarker : Math.min(text.length, headerEnd + MAX_PEM);
    const body = keyBody(text, headerEnd, limit);
    if (body.chars < 64) return unusualBody(text, hit, headerEnd, kind);
    if (placeholderReason(body.sample, { chunks: false }) !== undefined) return undefined;
    if (shannonEntropy(body.sample) < 4) return undefined;
    let end = body.end;
    const signals = [`key:${kind.replaceAll(' ', '_')}`];
    if (endMarker >= 0 && endMarker === limit) {
      const close = text.indexOf('-----', endMarker + 9);
      if (close >= 0 && close - endMarker < 60) {
        end = close + 5;
        signals.push('complete');
      }
    } else {
      signals.push('truncated');
    }
    return { start: hit, end, score: 0.97, signals };
  },
};

/**
 * A block whose body is not base64 (escaped, mangled or re-encoded on the way) but that is closed by
 * a `...KEY-----` marker with at least 64 random characters in between: still key material.
 */
function unusualBody(text: string, hit: number, headerEnd: number, kind: string): Candidate | undefined {
  const window = text.slice(headerEnd, headerEnd + MAX_PEM);
  const close = PEM_CLOSE.exec(window);
  if (close === null) return undefined;
  const inner = window.slice(0, close.index).replace(/\s+/g, '');
  // Drop the END marker's own `-----END <label> PRIVATE ` part, when there is one.
  const body = inner.replace(/-----END[ A-Z0-9_-]{0,100}$/i, '').replace(/[ A-Z_-]{0,30}PRIVATE$/i, '');
  if (body.length < 64 || shannonEntropy(body) < 4.5) return undefined;
  // Markup characters are expected in mangled text; placeholder words and runs are not.
  const reason = placeholderReason(body, { chunks: false });
  if (reason !== undefined && reason !== 'markup') return undefined;
  return {
    start: hit,
    end: headerEnd + close.index + close[0].length,
    score: 0.8,
    signals: [`key:${kind.replaceAll(' ', '_')}`, 'unusual_body'],
  };
}

const puttyKeyRule: CustomRule = {
  kind: 'custom',
  id: 'putty_private_key',
  family: 'private_key',
  description: 'PuTTY private key file (.ppk) private section',
  keywords: ['private-lines:'],
  score: 0.95,
  specificity: 90,
  match(text, hit) {
    let i = hit + 'private-lines:'.length;
    while (i < text.length && text.charCodeAt(i) !== 10) i++;
    const body = keyBody(text, i, Math.min(text.length, i + MAX_PEM));
    if (body.chars < 40 || placeholderReason(body.sample, { chunks: false }) !== undefined) return undefined;
    return { start: i + 1, end: body.end, score: 0.95, signals: ['key:putty'] };
  },
};

// ---- credentials in URLs --------------------------------------------------------------------------

const SCHEME_RULE: Record<string, string> = {
  postgres: 'postgres_url_password',
  postgresql: 'postgres_url_password',
  pgsql: 'postgres_url_password',
  mysql: 'mysql_url_password',
  mysqlx: 'mysql_url_password',
  mariadb: 'mysql_url_password',
  mongodb: 'mongodb_url_password',
  'mongodb+srv': 'mongodb_url_password',
  redis: 'redis_url_password',
  rediss: 'redis_url_password',
  amqp: 'amqp_url_password',
  amqps: 'amqp_url_password',
};

const DATABASE_SCHEMES = new Set([
  'mssql',
  'sqlserver',
  'oracle',
  'clickhouse',
  'cockroachdb',
  'couchdb',
  'neo4j',
  'bolt',
  'cassandra',
  'elasticsearch',
  'nats',
  'kafka',
  'mqtt',
  'mqtts',
  'memcached',
  'influxdb',
  'snowflake',
  'db2',
  'sqlite',
]);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function isSchemeCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}

function userinfoEnd(c: number): boolean {
  return (
    c <= 32 ||
    c === 47 /* / */ ||
    c === 63 /* ? */ ||
    c === 35 /* # */ ||
    c === 34 ||
    c === 39 ||
    c === 96 ||
    c === 60 ||
    c === 62 ||
    c === 92 /* \ */ ||
    c === 44 /* , */ ||
    c === 41 /* ) */
  );
}

export const URL_RULE_IDS = [
  'postgres_url_password',
  'mysql_url_password',
  'mongodb_url_password',
  'redis_url_password',
  'amqp_url_password',
  'database_url_password',
  'url_basic_auth',
] as const;

const URL_DESCRIPTIONS: Record<(typeof URL_RULE_IDS)[number], string> = {
  postgres_url_password: 'Password embedded in a PostgreSQL connection URL',
  mysql_url_password: 'Password embedded in a MySQL / MariaDB connection URL',
  mongodb_url_password: 'Password embedded in a MongoDB (mongodb://, mongodb+srv://) connection URL',
  redis_url_password: 'Password embedded in a Redis connection URL',
  amqp_url_password: 'Password embedded in an AMQP (RabbitMQ) broker URL',
  database_url_password: 'Password embedded in another database or broker URL (MSSQL, ClickHouse, NATS, Kafka, ...)',
  url_basic_auth: 'user:password embedded in an http(s), ftp or other URL',
};

/** Finds `scheme://user:password@host` around a `://` hit; the finding is the password. */
function matchUrlCredential(text: string, hit: number): { ruleId: string; candidate: Candidate } | undefined {
  let s = hit;
  while (s > 0 && hit - s < 32 && isSchemeCode(text.charCodeAt(s - 1))) s--;
  if (s === hit) return undefined;
  const scheme = text
    .slice(s, hit)
    .toLowerCase()
    .replace(/^[^a-z]+/, '');
  if (scheme === '') return undefined;
  const from = hit + 3;
  const limit = Math.min(text.length, from + 512);
  let at = -1;
  let colon = -1;
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (userinfoEnd(c)) break;
    if (c === 58 && colon < 0) colon = i;
    if (c === 64 /* @ */) at = i; // the last @ before the host: passwords may contain an unencoded @
  }
  if (at < 0 || colon < 0 || colon > at) return undefined;
  const hostStart = text.charCodeAt(at + 1);
  const hostOk =
    (hostStart >= 97 && hostStart <= 122) ||
    (hostStart >= 65 && hostStart <= 90) ||
    (hostStart >= 48 && hostStart <= 57) ||
    hostStart === 91;
  if (!hostOk) return undefined;
  const user = text.slice(from, colon);
  const password = text.slice(colon + 1, at);
  if (!passwordLooksReal(safeDecode(password), safeDecode(user))) return undefined;
  // RFC 2606 names are reserved for documentation.
  const host = /^[^/:?#\s'"`<>]*/.exec(text.slice(at + 1, at + 256))![0].toLowerCase();
  if (/(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$/.test(host)) return undefined;
  if (user.includes('${') || user.startsWith('$') || user.startsWith('<') || user.startsWith('{')) return undefined;
  const ruleId = SCHEME_RULE[scheme] ?? (DATABASE_SCHEMES.has(scheme) ? 'database_url_password' : 'url_basic_auth');
  const database = ruleId !== 'url_basic_auth';
  return {
    ruleId,
    candidate: {
      start: colon + 1,
      end: at,
      score: database ? 0.9 : 0.8,
      signals: [`scheme:${scheme}`, 'userinfo'],
    },
  };
}

const urlCredentialRule: CustomRule = {
  kind: 'custom',
  id: 'url_basic_auth',
  family: 'http',
  description: URL_DESCRIPTIONS.url_basic_auth,
  keywords: ['://'],
  score: 0.8,
  specificity: 70,
  emits: URL_RULE_IDS.map((id) => ({
    id,
    family: id === 'url_basic_auth' ? 'http' : 'database',
    description: URL_DESCRIPTIONS[id],
    specificity: 70,
  })),
  match(text, hit) {
    const m = matchUrlCredential(text, hit);
    return m === undefined ? undefined : { ...m.candidate, ruleId: m.ruleId };
  },
};

// ---- curl -u / --user ---------------------------------------------------------------------------------

/** True when a `curl` command starts before `pos` and is continued (backslash-newline) up to it. */
function insideCurlCommand(text: string, pos: number): boolean {
  const windowStart = Math.max(0, pos - 600);
  const window = text.slice(windowStart, pos).toLowerCase();
  const curl = window.lastIndexOf('curl');
  if (curl < 0) return false;
  const between = window.slice(curl);
  let nl = between.indexOf('\n');
  while (nl >= 0) {
    const before = between.slice(0, nl).replace(/[\s\r]+$/, '');
    if (!before.endsWith('\\')) return false;
    nl = between.indexOf('\n', nl + 1);
  }
  return true;
}

const curlUserRule: CustomRule = {
  kind: 'custom',
  id: 'curl_basic_auth',
  family: 'http',
  description: 'Credential passed to curl with -u / --user (user:password, or an API key as user)',
  keywords: ['-u', '--user'],
  score: 0.8,
  specificity: 65,
  match(text, hit, keyword) {
    const before = hit > 0 ? text.charCodeAt(hit - 1) : 32;
    if (!(before === 32 || before === 9 || before === 10 || before === 34 || before === 39)) return undefined;
    let i = hit + keyword.length;
    if (keyword === '--user' && text.startsWith('name', i)) return undefined;
    const sep = text.charCodeAt(i);
    if (!(sep === 32 || sep === 9 || sep === 61 || sep === 34 || sep === 39 || sep === 92)) return undefined;
    if (!insideCurlCommand(text, hit)) return undefined;
    // Blanks, `=`, and backslash-newline continuations: `--user \` with the credential on the next line.
    for (let limit = i + 64; i < limit; ) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 61) {
        i++;
      } else if (c === 92) {
        const nl = text.charCodeAt(i + 1) === 13 ? i + 2 : i + 1;
        if (text.charCodeAt(nl) !== 10) return undefined;
        i = nl + 1;
      } else {
        break;
      }
    }
    // user and password may be quoted together ("u:p") or separately ("u":"p"); `at` maps each
    // character of the joined credential back to its offset in the text.
    let cred = '';
    const at: number[] = [];
    const take = (from: number, to: number) => {
      cred += text.slice(from, to);
      for (let k = from; k < to; k++) at.push(k);
    };
    for (let k = 0; k < 3 && i < text.length; k++) {
      const q = text.charCodeAt(i);
      if (q === 34 || q === 39) {
        const close = text.indexOf(text[i]!, i + 1);
        if (close < 0 || close - i > 300) return undefined;
        take(i + 1, close);
        i = close + 1;
      } else {
        let j = i;
        while (j < text.length && j - i < 300 && !/[\s"']/.test(text[j]!)) j++;
        if (j === i) break;
        take(i, j);
        i = j;
      }
      if (i >= text.length || !/["':]/.test(text[i]!)) break;
      if (text[i] === ':' && !cred.includes(':')) {
        take(i, i + 1);
        i++;
      }
    }
    if (cred.length === 0) return undefined;
    const colon = cred.indexOf(':');
    if (colon < 0) return undefined;
    let user = cred.slice(0, colon);
    let password = cred.slice(colon + 1);
    // Some docs wrap real values in braces (`--user "{id}":"{secret}"`); a braced word or a
    // reference (`{username}`, `{$PASS}`) stays a placeholder and is rejected below.
    let offset = 0;
    if (/^\{[^{}$]+\}$/.test(user) && /^\{[^{}$]+\}$/.test(password)) {
      user = user.slice(1, -1);
      password = password.slice(1, -1);
      offset = 1;
    }
    if (/[$%{}<>[\]]/.test(user)) return undefined;
    if (password.length > 0) {
      if (!passwordLooksReal(password, user)) return undefined;
      if (classCount(password) < 2 && password.length < 10) return undefined;
      if (/^[a-z]+$/i.test(password) && password.length < 12) return undefined;
    } else {
      // `-u sk_live_...:` passes an API key as the user name with no password.
      if (user.length < 10 || shannonEntropy(user) < 3 || classCount(user) < 2) return undefined;
      if (commonValueRejection(user, 'quoted') !== undefined) return undefined;
    }
    // Report the password, or the user name when it is the key (`-u sk_live_...:`).
    const first = password.length > 0 ? colon + 1 + offset : offset;
    const last = password.length > 0 ? cred.length - 1 - offset : colon - 1 - offset;
    return {
      start: at[first]!,
      end: at[last]! + 1,
      score: 0.8,
      signals: [password.length > 0 ? 'user_password' : 'user_as_key'],
    };
  },
};

// ---- passwords on a command line ------------------------------------------------------------------------

/**
 * Password options of common clients, per command: `mysql -pSECRET` (attached: a bare `-p` prompts for it),
 * `--password=SECRET`, `docker login -p SECRET`, `sshpass -p SECRET`, `redis-cli -a SECRET`, `mongosh -p SECRET`.
 * Each pattern is sticky and tried at every option start in the command's arguments.
 */
const CLI_PASSWORD_OPTIONS: Record<string, RegExp> = {
  mysql: /(?:-p(?!\s)|--password=)("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  mysqldump: /(?:-p(?!\s)|--password=)("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  mariadb: /(?:-p(?!\s)|--password=)("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  login: /(?:-p|--password)(?:[ \t]+|=)("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  sshpass: /-p[ \t]*("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  'redis-cli': /(?:-a|--pass)[ \t]+("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
  mongosh: /(?:-p|--password)(?:[ \t]+|=)("[^"\n]{1,200}"|'[^'\n]{1,200}'|[^\s"'`;|&]{1,200})/y,
};

/** End of the command that starts at `from`: the line, with backslash-newline continuations, at most 400 chars. */
function commandEnd(text: string, from: number): number {
  let i = from;
  const limit = Math.min(text.length, from + 400);
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      let j = i - 1;
      while (j > from && (text.charCodeAt(j) === 13 || text.charCodeAt(j) === 32)) j--;
      if (text.charCodeAt(j) !== 92) return i;
    }
    i++;
  }
  return i;
}

const cliPasswordRule: CustomRule = {
  kind: 'custom',
  id: 'cli_password_option',
  family: 'generic',
  description: 'Password given on a command line (mysql -p…, docker login -p, sshpass -p, redis-cli -a, mongosh -p)',
  keywords: ['mysql', 'mysqldump', 'mariadb', 'docker login', 'podman login', 'sshpass', 'redis-cli', 'mongosh'],
  score: 0.75,
  specificity: 60,
  match(text, hit, keyword) {
    const before = hit > 0 ? text.charCodeAt(hit - 1) : 32;
    // The command word itself, not part of a name (`my_mysql_host`, `/usr/bin/mysql` is fine).
    if (!(before === 32 || before === 9 || before === 10 || before === 47 || before === 96 || before === 36)) {
      return undefined;
    }
    const after = hit + keyword.length;
    if (after < text.length && !/[\s]/.test(text[after]!)) return undefined;
    const pattern = CLI_PASSWORD_OPTIONS[keyword.split(' ').at(-1)!]!;
    const end = commandEnd(text, after);
    for (let i = after; i < end; i++) {
      if (text.charCodeAt(i) !== 45 || !/\s/.test(text[i - 1]!)) continue;
      pattern.lastIndex = i;
      const m = pattern.exec(text);
      if (m === null || m.index + m[0].length > end) continue;
      const raw = m[1]!;
      const quoted = raw.startsWith('"') || raw.startsWith("'");
      const value = quoted ? raw.slice(1, -1) : raw;
      if (/[$%{}<>[\]]/.test(value) || value.startsWith('-')) continue;
      if (!passwordLooksReal(value, '')) continue;
      if (classCount(value) < 2 && value.length < 10) continue;
      const start = m.index + m[0].length - raw.length + (quoted ? 1 : 0);
      return { start, end: start + value.length, score: 0.75, signals: ['command_line_password'] };
    }
    return undefined;
  },
};

export const CUSTOM_RULES: readonly CustomRule[] = [
  privateKeyRule,
  puttyKeyRule,
  urlCredentialRule,
  curlUserRule,
  cliPasswordRule,
];
