// Secrets detector tests. Every credential below is generated at run time from its public format
// with a seeded generator, so no real-looking secret is stored in the repository.

import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/index.ts';
import { fingerprint, RULE_CATALOGUE, redact, scanSecrets, secretsDetector } from '../src/secrets/index.ts';
import { REGEX_RULES } from '../src/secrets/rules.ts';

// ---- generators -----------------------------------------------------------------------------------

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(20240601);
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const URLSAFE = `${ALNUM}_-`;
const B64 = `${ALNUM}+/`;
const BASE32 = `${UPPER}234567`;
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'.toUpperCase();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function raw(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/**
 * Random token that by chance contains nothing the detector treats as a placeholder (a run or
 * sequence of four, a repeated chunk, a placeholder word); such draws are rare and redrawn.
 */
function r(alphabet: string, n: number): string {
  for (;;) {
    const s = raw(alphabet, n);
    if (
      !/(.)\1\1\1|abcd|bcde|1234|2345|xxx|example|test|fake|here|dummy|sample|insert|replace|null|undefined|\.\./i.test(
        s,
      )
    ) {
      return s;
    }
  }
}

function base62(value: number, width: number): string {
  let out = '';
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/** A token in the GitHub / npm scheme: 30 random base62 characters and their CRC-32 in base62. */
function checksummed(prefix: string, randomLength = 30): string {
  const body = r(ALNUM, randomLength);
  return prefix + body + base62(zlibCrc32(body), 6);
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

function jwt(payload: object): string {
  return `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}.${r(URLSAFE, 43)}`;
}

function pem(label: string, lines = 12): string {
  const body = Array.from({ length: lines }, () => r(B64, 64)).join('\n');
  return `-----BEGIN ${label}-----\n${body}\n${r(B64, 20)}==\n-----END ${label}-----`;
}

// ---- helpers ------------------------------------------------------------------------------------------

/** Scans `before + secret + after` and checks exactly the secret's span is reported as `type`. */
function expectFound(type: string, secret: string, before = '', after = ''): Finding {
  const text = before + secret + after;
  const findings = scanSecrets(text);
  const f = findings.find((x) => x.type === type);
  expect(
    f,
    `${type} not found in ${JSON.stringify(text.slice(0, 120))}; got ${findings.map((x) => x.type)}`,
  ).toBeDefined();
  expect([f!.start, f!.end]).toEqual([before.length, before.length + secret.length]);
  expect(JSON.stringify(findings)).not.toContain(secret);
  return f!;
}

function expectClean(text: string): void {
  const findings = scanSecrets(text);
  expect(findings, `unexpected ${findings.map((f) => `${f.type}:${text.slice(f.start, f.end)}`)}`).toEqual([]);
}

// ---- provider formats ------------------------------------------------------------------------------

interface Case {
  type: string;
  secret: () => string;
  before?: string;
  after?: string;
}

const CASES: Case[] = [
  { type: 'openai_api_key', secret: () => `sk-${r(ALNUM, 20)}T3BlbkFJ${r(ALNUM, 20)}`, before: 'OPENAI_API_KEY=' },
  { type: 'openai_project_key', secret: () => `sk-proj-${r(URLSAFE, 156)}`, before: 'key: "', after: '"' },
  { type: 'openai_service_account_key', secret: () => `sk-svcacct-${r(URLSAFE, 120)}` },
  { type: 'openai_admin_key', secret: () => `sk-admin-${r(URLSAFE, 120)}` },
  { type: 'openai_compatible_api_key', secret: () => `sk-${r(HEX, 32)}`, before: 'use ', after: ' for it' },
  { type: 'anthropic_api_key', secret: () => `sk-ant-api03-${r(URLSAFE, 93)}AA`, before: 'x-api-key: ' },
  { type: 'anthropic_admin_key', secret: () => `sk-ant-admin01-${r(URLSAFE, 93)}AA` },
  { type: 'anthropic_oauth_token', secret: () => `sk-ant-oat01-${r(URLSAFE, 93)}AA` },
  { type: 'groq_api_key', secret: () => `gsk_${r(ALNUM, 52)}` },
  { type: 'xai_api_key', secret: () => `xai-${r(ALNUM, 80)}` },
  { type: 'perplexity_api_key', secret: () => `pplx-${r(ALNUM, 48)}` },
  { type: 'huggingface_token', secret: () => `hf_${r(UPPER + LOWER, 34)}` },
  { type: 'huggingface_org_token', secret: () => `api_org_${r(UPPER + LOWER, 34)}` },
  { type: 'replicate_api_token', secret: () => `r8_${r(ALNUM, 37)}` },
  { type: 'openrouter_api_key', secret: () => `sk-or-v1-${r(HEX, 64)}` },
  { type: 'langsmith_api_key', secret: () => `lsv2_pt_${r(HEX, 32)}_${r(HEX, 10)}` },
  { type: 'cohere_api_key', secret: () => r(ALNUM, 40), before: 'COHERE_API_KEY=' },
  { type: 'mistral_api_key', secret: () => r(ALNUM, 32), before: 'MISTRAL_API_KEY="', after: '"' },
  { type: 'aws_access_key_id', secret: () => `AKIA${r(BASE32, 16)}`, before: 'aws_access_key_id = ' },
  { type: 'aws_access_key_id', secret: () => `ASIA${r(BASE32, 16)}` },
  { type: 'aws_secret_access_key', secret: () => `${r(ALNUM, 20)}/${r(B64, 19)}`, before: 'aws_secret_access_key = ' },
  {
    type: 'aws_bedrock_api_key',
    secret: () => `ABSK${b64(`BedrockAPIKey-${r(ALNUM, 10)}:${r(ALNUM, 40)}`)}`,
  },
  { type: 'gcp_api_key', secret: () => `AIza${r(URLSAFE, 35)}`, before: 'https://maps.example.net/api?key=' },
  { type: 'gcp_oauth_client_secret', secret: () => `GOCSPX-${r(URLSAFE, 28)}` },
  {
    type: 'private_key',
    secret: () => `-----BEGIN PRIVATE KEY-----\\n${r(B64, 64)}\\n${r(B64, 64)}\\n-----END PRIVATE KEY-----`,
    before: '{"type": "service_account", "private_key": "',
    after: '\\n", "client_email": "svc@proj.iam.gserviceaccount.com"}',
  },
  { type: 'azure_ad_client_secret', secret: () => `${r(ALNUM, 3)}8Q~${r(`${ALNUM}_~.-`, 34)}`, before: 'secret: ' },
  {
    type: 'azure_storage_account_key',
    secret: () => `${r(B64, 86)}==`,
    before: 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=',
    after: ';EndpointSuffix=core.windows.net',
  },
  { type: 'github_pat', secret: () => checksummed('ghp_') },
  { type: 'github_oauth_token', secret: () => checksummed('gho_') },
  { type: 'github_user_to_server_token', secret: () => checksummed('ghu_') },
  { type: 'github_server_to_server_token', secret: () => checksummed('ghs_') },
  { type: 'github_refresh_token', secret: () => `ghr_${r(ALNUM, 76)}` },
  { type: 'github_fine_grained_pat', secret: () => `github_pat_${r(ALNUM, 22)}_${r(ALNUM, 59)}` },
  { type: 'gitlab_pat', secret: () => `glpat-${r(URLSAFE, 20)}`, before: 'GITLAB_TOKEN=' },
  { type: 'gitlab_pipeline_trigger_token', secret: () => `glptt-${r(HEX, 40)}` },
  { type: 'gitlab_runner_token', secret: () => `glrt-${r(URLSAFE, 20)}` },
  { type: 'gitlab_runner_registration_token', secret: () => `GR1348941${r(URLSAFE, 20)}` },
  { type: 'gitlab_deploy_token', secret: () => `gldt-${r(URLSAFE, 20)}` },
  { type: 'npm_access_token', secret: () => checksummed('npm_'), before: '//registry.npmjs.org/:_authToken=' },
  { type: 'pypi_upload_token', secret: () => `pypi-AgEIcHlwaS5vcmc${r(URLSAFE, 150)}` },
  { type: 'rubygems_api_key', secret: () => `rubygems_${r(HEX, 48)}` },
  { type: 'dockerhub_token', secret: () => `dckr_pat_${r(URLSAFE, 27)}` },
  { type: 'slack_bot_token', secret: () => `xoxb-${r(DIGITS, 12)}-${r(DIGITS, 13)}-${r(ALNUM, 24)}` },
  { type: 'slack_user_token', secret: () => `xoxp-${r(DIGITS, 12)}-${r(DIGITS, 12)}-${r(DIGITS, 13)}-${r(HEX, 32)}` },
  { type: 'slack_app_token', secret: () => `xapp-1-A${r(UPPER + DIGITS, 10)}-${r(DIGITS, 13)}-${r(HEX, 64)}` },
  {
    type: 'slack_webhook_url',
    secret: () => `T${r(UPPER + DIGITS, 8)}/B${r(UPPER + DIGITS, 10)}/${r(ALNUM, 24)}`,
    before: 'url = "https://hooks.slack.com/services/',
    after: '"',
  },
  {
    type: 'discord_webhook_url',
    secret: () => `${r(DIGITS, 18)}/${r(URLSAFE, 68)}`,
    before: 'https://discord.com/api/webhooks/',
  },
  {
    type: 'discord_bot_token',
    secret: () => `${b64(r('123456789', 18))}.${r(URLSAFE, 6)}.${r(URLSAFE, 38)}`,
    before: 'DISCORD_BOT_TOKEN=',
  },
  { type: 'telegram_bot_token', secret: () => `${r('123456789', 10)}:AA${r(URLSAFE, 33)}`, before: 'bot' },
  { type: 'stripe_secret_key', secret: () => `sk_live_${r(ALNUM, 99)}` },
  { type: 'stripe_restricted_key', secret: () => `rk_live_${r(ALNUM, 99)}` },
  { type: 'stripe_test_secret_key', secret: () => `sk_test_${r(ALNUM, 99)}` },
  { type: 'stripe_webhook_secret', secret: () => `whsec_${r(ALNUM, 32)}` },
  { type: 'twilio_api_key', secret: () => `SK${r(HEX, 32)}` },
  { type: 'twilio_auth_token', secret: () => r(HEX, 32), before: 'TWILIO_AUTH_TOKEN=' },
  { type: 'sendgrid_api_key', secret: () => `SG.${r(URLSAFE, 22)}.${r(URLSAFE, 43)}` },
  { type: 'mailgun_api_key', secret: () => `key-${r(HEX, 32)}`, before: 'MAILGUN_API_KEY=' },
  { type: 'mailchimp_api_key', secret: () => `${r(HEX, 32)}-us21` },
  { type: 'sendinblue_api_key', secret: () => `xkeysib-${r(HEX, 64)}-${r(ALNUM, 16)}` },
  { type: 'shopify_token', secret: () => `shpat_${r(HEX, 32)}` },
  { type: 'square_access_token', secret: () => `EAAA${r(URLSAFE, 60)}` },
  { type: 'square_oauth_secret', secret: () => `sq0csp-${r(URLSAFE, 43)}` },
  {
    type: 'paypal_braintree_access_token',
    secret: () => `access_token$production$${r(LOWER + DIGITS, 16)}$${r(HEX, 32)}`,
  },
  { type: 'heroku_api_key', secret: () => `HRKU-AA${r(URLSAFE, 58)}` },
  {
    type: 'heroku_legacy_api_key',
    secret: () => `${r(HEX, 8)}-${r(HEX, 4)}-4${r(HEX, 3)}-a${r(HEX, 3)}-${r(HEX, 12)}`,
    before: 'HEROKU_API_KEY=',
  },
  { type: 'atlassian_api_token', secret: () => `ATATT3${r(URLSAFE, 186)}` },
  { type: 'linear_api_key', secret: () => `lin_api_${r(ALNUM, 40)}` },
  { type: 'notion_token', secret: () => `ntn_${r(DIGITS, 11)}${r(ALNUM, 35)}` },
  { type: 'postman_api_key', secret: () => `PMAK-${r(HEX, 24)}-${r(HEX, 34)}` },
  { type: 'doppler_token', secret: () => `dp.pt.${r(ALNUM, 43)}` },
  { type: 'grafana_cloud_token', secret: () => `glc_${b64(`{"o":"${r(DIGITS, 6)}","n":"${r(ALNUM, 30)}"}`)}` },
  { type: 'grafana_service_account_token', secret: () => `glsa_${r(ALNUM, 32)}_${r(HEX, 8)}` },
  { type: 'new_relic_user_api_key', secret: () => `NRAK-${r(UPPER + DIGITS, 27)}` },
  { type: 'datadog_api_key', secret: () => r(HEX, 32), before: 'DD_API_KEY=' },
  { type: 'sentry_user_token', secret: () => `sntryu_${r(HEX, 64)}` },
  { type: 'okta_api_token', secret: () => `00${r(URLSAFE, 40)}`, before: 'OKTA_API_TOKEN=' },
  { type: 'cloudflare_api_token', secret: () => r(URLSAFE, 40), before: 'CLOUDFLARE_API_TOKEN=' },
  { type: 'cloudflare_origin_ca_key', secret: () => `v1.0-${r(HEX, 24)}-${r(HEX, 146)}` },
  { type: 'vault_token', secret: () => `hvs.${r(URLSAFE, 100)}` },
  { type: 'vault_legacy_token', secret: () => `s.${r(UPPER, 8)}${r(LOWER, 8)}${r(DIGITS, 8)}`, before: 'VAULT_TOKEN=' },
  { type: 'pulumi_access_token', secret: () => `pul-${r(HEX, 40)}` },
  { type: 'terraform_cloud_token', secret: () => `${r(ALNUM, 14)}.atlasv1.${r(URLSAFE, 67)}` },
  { type: 'flyio_token', secret: () => `fo1_${r(URLSAFE, 43)}` },
  { type: 'supabase_pat', secret: () => `sbp_${r(HEX, 40)}` },
  { type: 'vercel_token', secret: () => `vcp_${r(ALNUM, 40)}` },
  { type: 'netlify_token', secret: () => `nfp_${r(ALNUM, 40)}` },
  { type: 'databricks_token', secret: () => `dapi${r(HEX, 32)}` },
  { type: 'digitalocean_pat', secret: () => `dop_v1_${r(HEX, 64)}` },
  { type: 'age_secret_key', secret: () => `AGE-SECRET-KEY-1${r(BECH32, 58)}` },
  {
    type: 'onepassword_secret_key',
    secret: () =>
      `A3-${r(UPPER + DIGITS, 6)}-${r(UPPER + DIGITS, 6)}-${r(UPPER + DIGITS, 5)}-${r(UPPER + DIGITS, 5)}-${r(UPPER + DIGITS, 5)}-${r(UPPER + DIGITS, 5)}`,
  },
  { type: 'jwt', secret: () => jwt({ sub: `user_${r(ALNUM, 12)}`, role: 'service', iat: 1_700_000_000 }) },
  { type: 'private_key', secret: () => pem('RSA PRIVATE KEY') },
  { type: 'private_key', secret: () => pem('OPENSSH PRIVATE KEY') },
  { type: 'private_key', secret: () => pem('EC PRIVATE KEY', 3) },
  {
    type: 'private_key',
    secret: () =>
      `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: Keybase\n\n${r(B64, 64)}\n${r(B64, 64)}\n=${r(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----`,
  },
  {
    type: 'postgres_url_password',
    secret: () => r(ALNUM, 18),
    before: 'DATABASE_URL=postgres://app:',
    after: '@db.internal:5432/app',
  },
  { type: 'mysql_url_password', secret: () => r(ALNUM, 16), before: 'mysql://root:', after: '@10.0.0.5/shop' },
  {
    type: 'mongodb_url_password',
    secret: () => r(ALNUM, 20),
    before: '"mongodb+srv://svc:',
    after: '@cluster0.abcde.mongodb.net/prod"',
  },
  {
    type: 'redis_url_password',
    secret: () => r(ALNUM, 24),
    before: 'REDIS_URL=rediss://default:',
    after: '@cache.internal:6380',
  },
  { type: 'amqp_url_password', secret: () => r(ALNUM, 16), before: 'amqp://worker:', after: '@mq.internal:5672/' },
  {
    type: 'url_basic_auth',
    secret: () => r(ALNUM, 16),
    before: 'git clone https://deploy:',
    after: '@git.internal.net/app.git',
  },
  {
    type: 'curl_basic_auth',
    secret: () => `${r(ALNUM, 10)}!${r(DIGITS, 2)}`,
    before: 'curl -u admin:',
    after: ' https://api.internal.net',
  },
  { type: 'http_basic_auth', secret: () => b64(`svc-deploy:${r(ALNUM, 14)}`), before: 'Authorization: Basic ' },
  { type: 'authorization_header', secret: () => r(ALNUM, 40), before: 'Authorization: Bearer ' },
  {
    type: 'authorization_header',
    secret: () => r(ALNUM, 32),
    before: 'curl -H "X-Api-Key: ',
    after: '" https://api.internal.net',
  },
  { type: 'generic_secret', secret: () => r(ALNUM, 32), before: 'client_secret = "', after: '"' },
  { type: 'generic_secret', secret: () => r(ALNUM, 28), before: 'export PAYMENTS_SERVICE_TOKEN=' },
  { type: 'generic_secret', secret: () => r(ALNUM, 30), before: '  "signingKey": "', after: '",' },
  { type: 'generic_secret', secret: () => r(ALNUM, 24), before: 'app:\n  credentials: ' },
  {
    type: 'generic_password',
    secret: () => `${r(LOWER, 5)}${r(DIGITS, 2)}!${r(UPPER, 3)}`,
    before: 'DB_PASSWORD=',
    after: '\n',
  },
  { type: 'generic_password', secret: () => `${r(ALNUM, 10)}#`, before: "  password: '", after: "'" },
  {
    type: 'generic_password',
    secret: () => `${r(ALNUM, 12)}`,
    before: 'mysql --user=root --password ',
    after: ' shop',
  },
];

describe('provider and structural formats', () => {
  for (const c of CASES) {
    it(`finds ${c.type}`, () => {
      expectFound(c.type, c.secret(), c.before ?? 'value ', c.after ?? ' end');
    });
  }

  it('covers at least 60 distinct rule ids and every id is snake_case and unique', () => {
    const ids = RULE_CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(60);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:_[a-z0-9]+)*$/);
    expect(new Set(CASES.map((c) => c.type)).size).toBeGreaterThanOrEqual(60);
  });

  it('marks a GitHub token whose checksum holds, and still reports one whose checksum fails', () => {
    const good = expectFound('github_pat', checksummed('ghp_'), 'token=');
    expect(good.signals).toContain('checksum');
    expect(good.score).toBeGreaterThan(0.95);
    const valid = checksummed('ghp_');
    const broken = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    const bad = expectFound('github_pat', broken, 'token=');
    expect(bad.signals).toContain('checksum_mismatch');
    expect(bad.score).toBeLessThan(good.score);
  });

  it('validates the checksum of Portcullis keys', () => {
    const body = r(BASE62, 43);
    const key = `pcx_live_${body}${base62(zlibCrc32(body), 6)}`;
    expect(expectFound('portcullis_api_key', key, 'PORTCULLIS_KEY=').signals).toContain('checksum');
  });

  it('reports the password, not the whole URL, for credentials in connection strings', () => {
    const password = r(ALNUM, 20);
    const text = `postgresql://orders:${password}@pg.internal:5432/orders?sslmode=require`;
    const [f] = scanSecrets(text);
    expect(f?.type).toBe('postgres_url_password');
    expect(text.slice(f!.start, f!.end)).toBe(password);
  });

  it('finds credentials in the formats text arrives in: JSON, YAML, env, code, prose', () => {
    const token = checksummed('ghp_');
    for (const text of [
      `{"token": "${token}"}`,
      `auth:\n  token: ${token}\n`,
      `GH_TOKEN=${token}`,
      `const gh = new Octokit({ auth: '${token}' });`,
      `Here is my token ${token}, please debug`,
    ]) {
      const f = scanSecrets(text);
      expect(f.map((x) => x.type)).toEqual(['github_pat']);
      expect(text.slice(f[0]!.start, f[0]!.end)).toBe(token);
    }
  });
});

// ---- placeholders and look-alikes -------------------------------------------------------------------

describe('placeholders and look-alikes are not flagged', () => {
  const clean: string[] = [
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
    'key = AKIAXXXXXXXXXXXXXXXX',
    'TODAYINASIAASACKOFRICEFELLOVER',
    'ACCAGTTACGGATCCAAGTCACGTACGATCGATCGTACGT-ACGATCGGATCCAAGTCACGT',
    'msgstr "Näytä asiakirjamallikansio."',
    `GITHUB_TOKEN=ghp_${'x'.repeat(36)}`,
    `token: ghp_${'X'.repeat(36)}`,
    `ANTHROPIC_API_KEY=sk-ant-api03-${'x'.repeat(93)}AA`,
    'ANTHROPIC_API_KEY=sk-ant-api03-abc123xyz-456def789ghij-klmnopqrstuvwx-3456yza789bcde-1234fghijklmnopby56aaaogaopaaaabc123xyzAA',
    `apiKey: "AIza${'a'.repeat(35)}"`,
    'AIzaSyabcdefghijklmnopqrstuvwxyz1234567',
    'xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx',
    '"token": "xoxp-1234-1234-1234-4ddbc191d40ee098cbaae6f3523ada2d"',
    'glpat-XXXXXXXXXXX-XXXXXXXX',
    `HUGGINGFACE_API_TOKEN=hf_${'x'.repeat(34)}`,
    'OPENAI_API_KEY=your_api_key_here',
    'OPENAI_API_KEY=<your-openai-key>',
    'OPENAI_API_KEY=sk-...',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    'api_key: "${OPENAI_API_KEY}"',
    'token: {{ .Values.apiToken }}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    'password: ${{ secrets.DB_PASSWORD }}',
    'password = "changeme"',
    'password = "password123"',
    "DB_PASSWORD=''",
    'api_key = os.environ["API_KEY"]',
    'const apiKey = config.apiKey;',
    'const token = await getToken(request);',
    'if (token === undefined) return null;',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    'headers: { Authorization: `Bearer ${token}` },',
    'Authorization: Bearer <token>',
    'Authorization: Bearer XXXXXXXXXXXX',
    'curl -H "Authorization: Bearer $API_KEY" https://api.example.com',
    'secretKey: string;',
    'tokens: Int32Array;',
    'password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"',
    "private_key_path = '/etc/ssl/private/server.key'",
    'SSL_KEY_FILE=./certs/dev.pem',
    'session_id = 550e8400-e29b-41d4-a716-446655440000',
    'integrity: "sha512-Xo9LyAxABXQN/tCGZcpRNjVAQvxY2AjY9ZO1fTTr0Sy0q8sXP0ZB8jMy3XWFMV0h5Q6o8UyoT+z3yjcIPDCvA=="',
    'commit_sha = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"',
    'DATABASE_URL=postgres://user:password@localhost:5432/db',
    'postgres://postgres:postgres@localhost/test',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    'mongodb://${MONGO_USER}:${MONGO_PASS}@mongo:27017',
    'https://user:pass@example.com/path',
    'curl -u $USER:$PASS https://api.internal.net',
    "curl -u 'test:test' https://api.internal.net",
    'curl --user "username:password" https://api.internal.net',
    '-----BEGIN PRIVATE KEY-----\nanything\n-----END PRIVATE KEY-----',
    '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
    `-----BEGIN PUBLIC KEY-----\n${'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'}\n-----END PUBLIC KEY-----`,
    // The jwt.io sample token: placeholder claims.
    `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"John Doe","iat":1516239022}')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`,
    'ntn_12345678901',
    's.AcceptanceTimeoutSeconds ',
    'INFO 4 --- [ main] o.s.b.f.s.DefaultListableBeanFactory : Overriding bean definition',
    'static void GLC_CreateLightmapTextureArray(void);',
    '- (id)hf_requiredCharacteristicTypesForDisplayMetadata;',
    'My API key is stored in the vault; ask the platform team for access.',
    'The password must contain at least 12 characters.',
    'the password is required',
    'the token is valid for 3600 seconds',
    'if token is None:',
    'TOKEN=getToken()',
    'https://app.internal.net/reset?token=&next=/',
    'export type MessageCountTokensTool = Tool | ToolBash20250124;',
    'const ssrImportKey = "__vite_ssr_import__";',
    "if(!(key1 === 'allowHTTP1')){",
    'const lastKey = parts[parts.length - 1]',
    'find.on("GET", "/test/hello", () => {}, { token: "df123-4567" })',
    'discord=000000000000000000',
    'clientSecret := "s-s4t2ud-',
  ];
  for (const text of clean) {
    it(JSON.stringify(text.length > 70 ? `${text.slice(0, 67)}...` : text), () => expectClean(text));
  }
});

// ---- engine behaviour --------------------------------------------------------------------------------

describe('engine', () => {
  it('keeps the most specific rule when findings overlap', () => {
    const project = `sk-proj-${r(URLSAFE, 120)}T3BlbkFJ${r(URLSAFE, 40)}`;
    const f1 = scanSecrets(`OPENAI_API_KEY="${project}"`);
    expect(f1.map((f) => f.type)).toEqual(['openai_project_key']);

    const token = checksummed('ghp_');
    const f2 = scanSecrets(`https://x-access-token:${token}@github.com/acme/app.git`);
    expect(f2.map((f) => f.type)).toEqual(['github_pat']);

    const key = `sk_live_${r(ALNUM, 40)}`;
    const f3 = scanSecrets(`curl https://api.stripe.com/v1/charges -u ${key}:`);
    expect(f3.map((f) => f.type)).toEqual(['stripe_secret_key']);
  });

  it('never puts the matched text into findings', () => {
    const secrets = CASES.map((c) => c.secret());
    const text = secrets.map((s, i) => `value${i} ${s} end`).join('\n');
    const findings = scanSecrets(text);
    const json = JSON.stringify(findings);
    for (const s of secrets) expect(json).not.toContain(s);
    for (const f of findings) {
      expect(f.detector).toBe('secrets');
      expect(f.score).toBeGreaterThan(0);
      expect(f.score).toBeLessThanOrEqual(1);
      for (const signal of f.signals)
        expect(text.slice(f.start, f.end)).not.toContain(signal.split(':')[1] ?? '\u0000');
    }
  });

  it('returns findings sorted and non-overlapping', () => {
    const text = CASES.map((c) => `${c.before ?? 'v '}${c.secret()}${c.after ?? ' e'}`).join('\n');
    const findings = scanSecrets(text);
    for (let i = 1; i < findings.length; i++) expect(findings[i]!.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
  });

  it('honours rules, exclude and minScore', () => {
    const gh = checksummed('ghp_');
    const aws = `AKIA${r(BASE32, 16)}`;
    const text = `a ${gh} b ${aws} c`;
    expect(scanSecrets(text).map((f) => f.type)).toEqual(['github_pat', 'aws_access_key_id']);
    expect(scanSecrets(text, { rules: ['aws_access_key_id'] }).map((f) => f.type)).toEqual(['aws_access_key_id']);
    expect(scanSecrets(text, { exclude: ['github_pat'] }).map((f) => f.type)).toEqual(['aws_access_key_id']);
    expect(scanSecrets(text, { minScore: 0.95 }).map((f) => f.type)).toEqual(['github_pat']);
    expect(scanSecrets(`DB_PASSWORD=${r(ALNUM, 12)}!`, { exclude: ['generic_password'] })).toEqual([]);
  });

  it('is deterministic', () => {
    const text = CASES.map((c) => `${c.before ?? 'v '}${c.secret()}${c.after ?? ' e'}`).join('\n');
    expect(scanSecrets(text)).toEqual(scanSecrets(text));
  });

  it('handles empty and non-ASCII text with correct UTF-16 offsets', () => {
    expect(scanSecrets('')).toEqual([]);
    const token = checksummed('ghp_');
    const text = `Привет 👋 токен: ${token} — спасибо`;
    const [f] = scanSecrets(text);
    expect(text.slice(f!.start, f!.end)).toBe(token);
  });
});

describe('context and look-alike handling', () => {
  it('reports a Google API key used as a value, not one standing alone on a line', () => {
    const key = `AIzaSy${r(URLSAFE, 33)}`;
    expectFound('gcp_api_key', key, 'GOOGLE_MAPS_KEY=');
    expectFound('gcp_api_key', key, 'fetch(`https://maps.googleapis.com/maps/api/geocode/json?key=', '`)');
    expectFound('gcp_api_key', key, '  "apiKey": "', '",');
    expectClean(key);
    expectClean(`${key}\n`);
    expectClean(`known public keys:\n  ${key}\n`);
  });

  it('does not report a Meraki-named value that is not in the Meraki format', () => {
    const hex = r(HEX, 40);
    expectFound('cisco_meraki_api_key', hex, 'MERAKI_API_KEY=');
    expectClean(`meraki-api-key: ${hex.slice(0, 10)}F${hex.slice(11)}`);
    expectClean(`meraki_token = ${r(HEX, 64)}R21`);
  });

  it('reports a Discord client id only under a name that says it is one', () => {
    const id = `1${r(DIGITS, 17)}`;
    const f = expectFound('discord_client_id', id, 'DISCORD_CLIENT_ID=');
    expect(f.score).toBeLessThan(0.5);
    expectClean(`discord_channel_id = ${id}`);
  });

  it('ignores a signed JWT whose payload carries no credential claims', () => {
    const data = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"confidence":0.8}')}.${r(URLSAFE, 43)}`;
    expectClean(`curl -H "Authorization: Basic ${data}" \\`);
    expectFound('jwt', jwt({ user_id: r(DIGITS, 8), exp: 1_900_000_000 }), 'id_token ');
  });

  it('reports the fixed Bedrock short-term key prefix even when the rest is cut off, at a lower score', () => {
    const fixed = 'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t';
    const full = expectFound('aws_bedrock_short_term_key', `${fixed}${r(B64, 300)}`, 'BEDROCK_KEY=');
    const cut = expectFound('aws_bedrock_short_term_key', fixed, 'BEDROCK_KEY=');
    expect(cut.score).toBeLessThan(full.score);
    expectClean('bedrock-api-key-');
  });

  it('finds Sidekiq credentials however the variable name is cased or quoted', () => {
    const cred = `${r(HEX, 8)}:${r(HEX, 8)}`;
    expectFound('sidekiq_enterprise_credentials', cred, 'BUNDLE_GEMS__CONTRIBSYS__COM=');
    expectFound('sidekiq_enterprise_credentials', cred, 'bundle_enterprise__contribsys__com: "', '"');
  });

  it('finds a Freemius secret key in a PHP array', () => {
    expectFound('freemius_secret_key', `sk_${r(ALNUM, 29)}`, "  'secret_key' => '", "',");
  });

  it('finds private keys with a lower-case or mangled header, and mangled bodies closed by a marker', () => {
    expectFound('private_key', pem('rsa private key'));
    const printable = `${ALNUM}!#%&()*+,./:;<=>?@[]^_{|}~`;
    const mangled = `-----begin encrypted private key-----${r(printable, 90)}KEY-----`;
    expect(expectFound('private_key', mangled, 'k = "', '"').signals).toContain('unusual_body');
    expectClean(
      '-----BEGIN PRIVATE KEY-----\nYour private key goes here, the long one that starts with MII.\n-----END PRIVATE KEY-----',
    );
  });

  it('finds an Adobe client secret by its p8e- prefix and length, not the bare prefix', () => {
    expectFound('adobe_client_secret', `p8e-${r(ALNUM, 30)}7q`, 'see ', ' for the IMS integration');
    expectFound('adobe_client_secret', `p8e-${r(ALNUM, 30)}7q`, 'const adobeClient = "', '";');
    expectClean('adobeClient := "p8e-');
    expectClean(`p8e-${r(ALNUM, 30)}7q${r(ALNUM, 6)}`); // longer run: not this format
    expectClean(`x-p8e-${r(ALNUM, 30)}7q`); // inside a dash-joined identifier
  });

  it('finds Slack workflow trigger URLs (numeric trigger id, no app id), not the bare path', () => {
    const url = `https://hooks.slack.com/triggers/T${r(UPPER + DIGITS, 8)}/${r(DIGITS, 13)}/${r(HEX, 32)}`;
    const f = scanSecrets(`SLACK_TRIGGER=${url}`);
    expect(f.map((x) => x.type)).toEqual(['slack_webhook_url']);
    expectClean('post to https://hooks.slack.com/triggers/ with the payload');
    expectClean(`https://hooks.slack.com/services/T${r(UPPER + DIGITS, 8)}/${r(ALNUM, 24)}`); // no B… id
    expectClean(`https://hooks.slack.com/triggers/T${r(UPPER + DIGITS, 8)}/${r(DIGITS, 13)}/${'x'.repeat(32)}`);
  });

  it('follows a curl credential onto the next line after a backslash continuation', () => {
    const password = `${r(ALNUM, 12)}7q`;
    const text = `curl -X POST https://api.internal.net/v1/jobs \\\n  --user \\\n  deploy:${password} \\\n  -d @job.json`;
    const f = scanSecrets(text).find((x) => x.type === 'curl_basic_auth');
    expect(f && text.slice(f.start, f.end)).toBe(password);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    expectClean('curl --user \\\n  "${USER}:${PASS}" https://api.internal.net');
    expectClean(`curl --user \\x deploy:${password} https://api.internal.net`);
  });

  it('reads name=value given to a command-line flag (helm --set, kubectl --from-literal) as a literal', () => {
    const password = `${r(ALNUM, 12)}7q`;
    expectFound('generic_password', password, 'helm upgrade shop ./chart --set postgresql.auth.password=', ' --wait');
    expectFound('generic_password', password, 'kubectl create secret generic db --from-literal=password=');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
    expectClean('helm upgrade shop ./chart --set postgresql.auth.password=${DB_PASSWORD}');
    expectClean('helm upgrade shop ./chart --set postgresql.auth.password=authPassword');
    expectClean('build(--release, password=readPasswordFromVault)');
  });

  it('finds passwords given on a command line to database and registry clients', () => {
    const password = `${r(ALNUM, 12)}7q`;
    const cases = [
      ['mysql -u root -p', ' shop'],
      ['mysqldump --user=admin --password=', ' shop > dump.sql'],
      ["docker login -u ci-bot -p '", "' registry.example.com"],
      ['sshpass -p "', '" ssh deploy@10.0.0.5'],
      ['redis-cli -h cache.internal -a ', ' ping'],
      ['mongosh "mongodb://db.example:27017" -u app -p ', ''],
      ['docker login registry.example.com \\\n  -u deploy \\\n  -p ', ''],
    ];
    for (const [before, after] of cases) {
      const text = `${before}${password}${after}`;
      const f = scanSecrets(text).find((x) => x.type === 'cli_password_option');
      expect(f && text.slice(f.start, f.end), text).toBe(password);
    }
    for (const clean of [
      'mysql -u root -p shop',
      'mysql -u root -p$MYSQL_PWD shop',
      'docker login -u ci --password-stdin < token.txt',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal ${...} is the input under test
      'docker login -p ${REGISTRY_TOKEN} registry.example.com',
      'sshpass -p "$SSHPASS" ssh host',
      'mysql -u root -p<password> shop',
      'redis-cli -a yourpassword ping',
      'Connect with mysql and type the password when asked.',
      `my_mysql_host -p${password}`,
    ]) {
      expect(
        scanSecrets(clean).filter((x) => x.type === 'cli_password_option'),
        clean,
      ).toEqual([]);
    }
  });

  it('unwraps curl credentials written in braces, but not braced placeholders', () => {
    const password = `${r(ALNUM, 12)}7q`;
    const text = `curl -X POST --user "{${r(HEX, 8)}-${r(HEX, 4)}}":"{${password}}" https://api.internal.net`;
    const f = scanSecrets(text).find((x) => x.type === 'curl_basic_auth');
    expect(f && text.slice(f.start, f.end)).toBe(password);
    expectClean('curl --user "{username}":"{password}" https://api.internal.net');
  });
});

describe('secretsDetector', () => {
  it('implements the Detector interface', () => {
    const token = checksummed('ghp_');
    const result = secretsDetector.detect(`push with ${token}`);
    expect(secretsDetector.name).toBe('secrets');
    expect(result.findings).toHaveLength(1);
    expect(result.text).toBeUndefined();
  });

  it('returns redacted text when asked', () => {
    const token = checksummed('ghp_');
    const result = secretsDetector.detect(`push with ${token} now`, { redact: true });
    expect(result.text).toBe('push with [REDACTED:github_pat] now');
  });
});

describe('redact', () => {
  it('replaces each span with a marker naming the rule', () => {
    const gh = checksummed('ghp_');
    const pw = r(ALNUM, 16);
    const text = `token ${gh}\nDATABASE_URL=postgres://app:${pw}@db/app`;
    expect(redact(text, scanSecrets(text))).toBe(
      'token [REDACTED:github_pat]\nDATABASE_URL=postgres://app:[REDACTED:postgres_url_password]@db/app',
    );
  });

  it('merges overlapping spans and leaves text without findings alone', () => {
    const f = (type: string, start: number, end: number): Finding => ({
      detector: 'secrets',
      type,
      start,
      end,
      score: 1,
      signals: [],
    });
    expect(redact('abcdefghij', [f('a', 2, 6), f('b', 4, 8)])).toBe('ab[REDACTED:a]ij');
    expect(redact('abcdefghij', [f('b', 6, 8), f('a', 0, 2)])).toBe('[REDACTED:a]cdef[REDACTED:b]ij');
    expect(redact('abc', [])).toBe('abc');
  });
});

describe('fingerprint', () => {
  it('is short, stable and scoped to the rule', () => {
    const a = fingerprint('github_pat', 'ghp_value');
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint('github_pat', 'ghp_value')).toBe(a);
    expect(fingerprint('npm_access_token', 'ghp_value')).not.toBe(a);
    expect(fingerprint('github_pat', 'ghp_valuf')).not.toBe(a);
  });
});

// ---- size and adversarial input -----------------------------------------------------------------------

function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('performance and pathological input', () => {
  it('scans 1 MB of mixed text quickly and finds what was planted', () => {
    const lines: string[] = [];
    const planted: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      let line: string;
      if (i % 997 === 0) {
        const token = checksummed('ghp_');
        planted.push(token);
        line = `GITHUB_TOKEN=${token}`;
      } else {
        line = `  const value${i % 50} = compute(options.${['path', 'token', 'key', 'auth'][i % 4]}, ${i}); // note`;
      }
      lines.push(line);
      size += line.length + 1;
    }
    const text = lines.join('\n');
    let findings: Finding[] = [];
    const ms = timed(() => {
      findings = scanSecrets(text);
    });
    expect(ms).toBeLessThan(3000);
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual(planted);
  });

  const cases: [string, () => string][] = [
    ['100k "a"', () => 'a'.repeat(100_000)],
    ['100k "A"', () => 'A'.repeat(100_000)],
    ['1 MB of base64 characters', () => raw(B64, 1_000_000)],
    ['a 200k run of token characters after a prefix', () => `ghp_${'a1B2'.repeat(50_000)}`],
    ['"sk-" followed by 100k alphanumerics', () => `sk-${'a1'.repeat(50_000)}`],
    ['repeated "key="', () => 'key='.repeat(25_000)],
    ['repeated "password: "', () => 'password: '.repeat(10_000)],
    ['repeated "-----BEGIN "', () => '-----BEGIN '.repeat(10_000)],
    ['an unterminated private key block', () => `-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat(50_000)}`],
    ['repeated "://"', () => '://'.repeat(30_000)],
    ['repeated "user:pass@"', () => `https://${'user:pass@'.repeat(10_000)}`],
    ['repeated "eyJ"', () => `${'eyJ'.repeat(30_000)}.eyJ${'A'.repeat(1000)}.`],
    ['repeated ":AA"', () => `${'1234567890:AA'.repeat(8_000)}`],
    ['100k "0" and "Q~"', () => `${'0'.repeat(50_000)}${'0Q~'.repeat(20_000)}`],
    ['curl -u repeated', () => `curl ${'-u a:b '.repeat(10_000)}`],
    ['repeated private key headers without an end', () => '-----BEGIN RSA PRIVATE KEY-----QUJD '.repeat(20_000)],
  ];
  for (const [name, make] of cases) {
    it(`does not blow up on ${name}`, () => {
      const text = make();
      expect(timed(() => scanSecrets(text))).toBeLessThan(1500);
    });
  }

  it('uses only bounded quantifiers in rule patterns, so no attempt can backtrack catastrophically', () => {
    for (const rule of REGEX_RULES) {
      const source = rule.pattern.source
        .replace(/\\./g, '')
        .replace(/\[[^\]]*\]/g, 'C')
        .replace(/\{\d+(,\d+)?\}/g, '');
      expect(source, rule.id).not.toMatch(/[*+]|\{\d+,\}/);
    }
  });
});
