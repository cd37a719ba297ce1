// Secrets recognised by where they are written rather than by their format: a value assigned to
// a name that says it is a credential (`api_key`, `client_secret`, `password`, `Authorization`).
// Context rules first: when the name also names a provider whose keys have a known shape (Datadog
// API keys are 32 hex, AWS secret keys 40 base64 characters), the finding gets that provider's id.
// Otherwise the generic rule decides on the value alone: long enough, high entropy, mixed
// character classes, and not a placeholder, a variable reference, a path, a URL or a number.

import {
  assignmentAt,
  flagArgument,
  identifierAt,
  inQuery,
  isIdentCode,
  lastTokenOnLine,
  lineLiteral,
  operatorFollows,
  quotedPair,
  shellAssignment,
  splitWords,
  startsLine,
  tokenFollows,
  type ValueSpan,
} from './assignment.ts';
import { GATE_EDGE, gateTable } from './prefilter.ts';
import type { Candidate, CustomRule, RuleInfo } from './rule.ts';
import {
  charClasses,
  classCount,
  decodeBase64,
  decodeBasicCredential,
  isUuid,
  longestSequence,
  placeholderReason,
  shannonEntropy,
} from './validators.ts';

// ---- names --------------------------------------------------------------------------------------

export type NameCategory =
  | 'password'
  | 'secret'
  | 'token'
  | 'key'
  | 'auth'
  | 'header'
  | 'context'
  | 'client_id'
  | 'public_key';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passwords', 'pwd', 'pass', 'passphrase', 'pw', 'passcode']);
const SECRET_WORDS = new Set(['secret', 'secrets']);
const TOKEN_WORDS = new Set(['token', 'tokens', 'bearer', 'jwt', 'pat']);
const KEY_WORDS = new Set(['apikey', 'apikeys']);
const GLUED_KEYS = [
  'apikey',
  'secretkey',
  'accesskey',
  'privatekey',
  'masterkey',
  'signingkey',
  'encryptionkey',
  'licensekey',
  'appkey',
  'clientkey',
  'serverkey',
  'sharedkey',
  'accountkey',
  'subscriptionkey',
  'authkey',
  'restkey',
  'adminkey',
  'writekey',
  'ingestkey',
];
const AUTH_WORDS = new Set(['auth', 'authorization', 'credential', 'credentials', 'creds', 'cred', 'authtoken']);
// Names that are unmistakably HTTP headers carrying a credential.
const HEADER_NAMES = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-auth-token',
  'x-access-token',
  'private-token',
  'x-token',
  'api-token',
]);

// A name ending in one of these describes a credential (its id, file, length, expiry, ...) rather
// than holding one.
const META_LAST = new Set([
  'id',
  'ids',
  'name',
  'names',
  'type',
  'types',
  'path',
  'paths',
  'file',
  'files',
  'filename',
  'dir',
  'directory',
  'url',
  'uri',
  'urls',
  'endpoint',
  'host',
  'header',
  'headers',
  'length',
  'len',
  'size',
  'count',
  'prefix',
  'suffix',
  'format',
  'field',
  'fields',
  'param',
  'params',
  'env',
  'var',
  'ref',
  'hash',
  'hashed',
  'digest',
  'enabled',
  'enable',
  'disabled',
  'required',
  'expiry',
  'expires',
  'expiration',
  'expire',
  'ttl',
  'timeout',
  'at',
  'time',
  'date',
  'version',
  'mode',
  'method',
  'methods',
  'scheme',
  'schema',
  'algorithm',
  'alg',
  'policy',
  'rotation',
  'pattern',
  'regex',
  'placeholder',
  'label',
  'description',
  'desc',
  'hint',
  'title',
  'store',
  'provider',
  'manager',
  'service',
  'class',
  'handler',
  'factory',
  'validator',
  'generator',
  'util',
  'utils',
  'index',
  'idx',
  'location',
  'region',
  'user',
  'username',
  'email',
  'owner',
  'level',
  'strength',
  'min',
  'max',
  'rule',
  'rules',
  'limit',
  'lifetime',
  'age',
  'duration',
  'interval',
  'source',
  'kind',
  'usage',
  'used',
  'flag',
  'arg',
  'args',
  'argument',
  'length',
  'mask',
  'regexp',
  'input',
  'field',
  'prompt',
  'message',
  'error',
  'status',
  'state',
  'changed',
  'reset',
  'confirm',
  'confirmation',
  'request',
  'response',
  'policy',
  'label',
  'option',
  'options',
  'config',
  'settings',
  'entry',
]);

// A name containing one of these is about something else that happens to use the word "key" or
// "token": pagination cursors, database keys, public keys, digests.
const PUBLIC_WORDS = new Set(['public', 'pub', 'publishable', 'publickey', 'pubkey']);

const UNRELATED = new Set([
  'websocket',
  'nonce',
  'sha',
  'sha1',
  'sha256',
  'sha512',
  'md5',
  'checksum',
  'fingerprint',
  'integrity',
  'next',
  'page',
  'cursor',
  'continuation',
  'pagination',
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'idempotency',
  'dedup',
  'lookup',
  'translation',
  'i18n',
  'map',
  'hot',
  'shortcut',
  'object',
  'routing',
  'composite',
  'unique',
  'row',
  'column',
  'dict',
  'redis',
  'storage',
  'local',
  'csrf',
  'xsrf',
  'max',
  'num',
  'input',
  'output',
  'completion',
  'prompt',
  'forgot',
  'reset',
  'show',
  'hide',
  'toggle',
  'confirm',
  'verify',
  'validate',
  'is',
  'has',
]);

function categoryOfWords(words: readonly string[]): NameCategory | undefined {
  let category: NameCategory | undefined;
  const consider = (c: NameCategory) => {
    if (category === undefined || RANK[c] > RANK[category]) category = c;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (PASSWORD_WORDS.has(w) || w.endsWith('password') || w.endsWith('passwd')) consider('password');
    else if (SECRET_WORDS.has(w) || w.endsWith('secret')) consider('secret');
    else if (TOKEN_WORDS.has(w) || w.endsWith('token')) {
      // "pat" is only a token when it qualifies something: github_pat, GITLAB_PAT.
      if (w !== 'pat' || words.length > 1) consider('token');
    } else if (KEY_WORDS.has(w) || GLUED_KEYS.some((g) => w.endsWith(g))) consider('key');
    else if ((w === 'key' || w === 'keys') && words.filter((x) => !/^\d+$/.test(x)).length > 1) consider('key');
    else if (AUTH_WORDS.has(w)) consider('auth');
  }
  return category;
}

const RANK: Record<NameCategory, number> = {
  password: 7,
  secret: 6,
  token: 5,
  key: 4,
  auth: 3,
  header: 2,
  client_id: 1,
  public_key: 1,
  context: 0,
};

// Identifiers of OAuth clients and API accounts. Not secrets on their own, but they name whose
// credential sits next to them; reported with a low score so policies can treat them as context.
const CLIENT_ID_QUALIFIERS = new Set(['client', 'app', 'application', 'consumer', 'access', 'api']);

export function classifyName(words: readonly string[], raw: string): NameCategory | undefined {
  if (words.length === 0) return undefined;
  const lowerRaw = raw.toLowerCase();
  if (HEADER_NAMES.has(lowerRaw)) return 'header';
  if (lowerRaw.includes('websocket') || FILE_EXTENSION.test(lowerRaw)) return undefined;
  for (const w of words) if (UNRELATED.has(w)) return undefined;
  const last = words[words.length - 1]!;
  if (words.some((w) => PUBLIC_WORDS.has(w))) {
    return !META_LAST.has(last) && (last === 'key' || last === 'token' || last === 'publickey' || last === 'pubkey')
      ? 'public_key'
      : undefined;
  }
  if (last === 'id' && words.length >= 2 && CLIENT_ID_QUALIFIERS.has(words[words.length - 2]!)) return 'client_id';
  if (last === 'accessid' || last === 'clientid' || last === 'appid') return 'client_id';
  if (META_LAST.has(last)) return undefined;
  const category = categoryOfWords(words);
  if (category !== undefined) return category;
  // Irregular casing (cLeaRTEXTpaSSWOrD) defeats camelCase splitting into fragments; retry on
  // separators only.
  if (!words.some((w) => w.length <= 2)) return undefined;
  return categoryOfWords(lowerRaw.split(/[_.-]+/).filter((w) => w !== ''));
}

// ---- values ---------------------------------------------------------------------------------------

// Values made of these words are documentation or defaults, not credentials.
const GENERIC_PLACEHOLDERS = [
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'api-key',
  'lorem',
  'qwerty',
  'letmein',
  'foobar',
  'abc123',
  'pass123',
  'pa$$',
];
// Short values containing these are test fixtures; long random tokens may contain them by chance
// or by design (`sk_test_...`).
const SHORT_PLACEHOLDERS = [
  'test',
  'demo',
  'todo',
  'default',
  'required',
  'optional',
  'string',
  'value',
  'admin',
  'mykey',
  'private',
];

const TEMPLATE_MARKERS = [
  '${',
  '{{',
  '}}',
  '$(',
  '%(',
  '#{',
  '<%',
  '%>',
  'process.env',
  'os.environ',
  'getenv',
  'env(',
  'env[',
  'secrets.',
  'vault:',
  'ssm:',
  'arn:aws',
];

function anyOf(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}
const TEMPLATE_RE = anyOf(TEMPLATE_MARKERS);
const GENERIC_PLACEHOLDER_RE = anyOf(GENERIC_PLACEHOLDERS);
const SHORT_PLACEHOLDER_RE = anyOf(SHORT_PLACEHOLDERS);

const FILE_EXTENSION =
  /\.(?:pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|pub|der|jks|keystore|ini|conf|cfg|toml|xml|properties|gpg|asc|sh|py|js|ts|rb|go|java|php|html?|png|jpe?g|gif|svg|ico|css|md|log|csv|zip|gz|tar|exe|dll|so)$/i;
const DOTTED_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const SLUG = /^[-_.:/ ]*[A-Za-z]+(?:[-_.:/ ]+[A-Za-z]+)+[-_.:/ ]*$/;
const PASCAL_TYPE = /^[A-Z][a-z]+(?:[A-Z][a-z]+|\d+)+$/;
const CALL = /^[A-Za-z_$][\w$.]*\(.*\)$/;
const CODE_PUNCTUATION = /[()[\]{}!]|\?\.|\?\?|&&|\|\||=>/;

/** `config.apiKey`, `AWS.SharedIniFileCredentials`: a member access, not a dotted token. */
function looksLikeCodePath(value: string): boolean {
  if (!DOTTED_PATH.test(value)) return false;
  let digits = 0;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 48 && value.charCodeAt(i) <= 57) digits++;
  return digits <= 2 && value.split('.').every((segment) => segment.length <= 24);
}

const WORD_FRAGMENT = /[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|[A-Z]?[a-z]+|[A-Z]+|\d+/g;
const CONSONANT_CLUSTER = /[^aeiou]{4}/i;

/** Pronounceable: has vowels and no long consonant cluster, unlike most runs of random letters. */
function wordLike(fragment: string): boolean {
  let vowels = 0;
  for (let i = 0; i < fragment.length; i++) if ('aeiouAEIOU'.includes(fragment[i]!)) vowels++;
  return vowels >= fragment.length * 0.25 && !CONSONANT_CLUSTER.test(fragment);
}

/**
 * Made of words (camelCase, snake_case, kebab-case, dotted, acronyms and numbers): a name such as
 * `__vite_ssr_import__`, `KEY_OVER_1024_CHARS` or `ZodMiniBase64URL`, not a random token. In a
 * random token, case changes and digits cut the letters into short fragments, and the longer ones
 * are rarely pronounceable. Fragments of up to three letters (acronyms, `ssr`, `id`) are neutral.
 */
export function isWordy(value: string): boolean {
  let letters = 0;
  let inLong = 0;
  let inWords = 0;
  for (const m of value.matchAll(WORD_FRAGMENT)) {
    const f = m[0];
    const c = f.charCodeAt(0);
    if (c >= 48 && c <= 57) continue;
    letters += f.length;
    if (f.length < 4) continue;
    inLong += f.length;
    if (wordLike(f)) inWords += f.length;
  }
  // Mostly digits (`xoxb-1671825759-...`) is not a name however its few letters read.
  return inWords >= 8 && letters >= value.length * 0.4 && inWords / inLong >= 0.8 && inWords >= letters * 0.7;
}

export interface ValueVerdict {
  ok: boolean;
  reason?: string;
  score?: number;
  signals?: string[];
}

function reject(reason: string): ValueVerdict {
  return { ok: false, reason };
}

/**
 * How a value is written. `quoted`: a string literal. `literal`: an unquoted value in a format where
 * unquoted means literal (env files, YAML, INI/properties, CLI flags, HTTP headers). `expression`:
 * unquoted in code, where it is a variable, a call or a type, never the secret itself.
 */
export type ValueSyntax = 'quoted' | 'literal' | 'expression';

/** Rejections shared by every context: references, templates, placeholders, paths, numbers. */
export function commonValueRejection(value: string, syntax: ValueSyntax): string | undefined {
  if (value.length === 0) return 'empty';
  if (TEMPLATE_RE.test(value)) return 'template';
  const first = value.charCodeAt(0);
  if (first === 36 /* $ */ || first === 37 /* % */ || (first === 64 /* @ */ && syntax !== 'quoted')) {
    return 'reference';
  }
  if (first === 60 /* < */ || first === 91 /* [ */ || first === 123 /* { */ || first === 40 /* ( */) {
    return 'template';
  }
  if (first === 47 /* / */ || first === 126 /* ~ */ || value.startsWith('./') || value.startsWith('../')) {
    return 'path';
  }
  if (/^[a-z]:\\/i.test(value) || FILE_EXTENSION.test(value)) return 'path';
  if (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value) || /^urn:/i.test(value)) return 'url';
  if (/^(?:sha\d{0,3}|md5)[:-]/i.test(value)) return 'hash';
  if (/^[-+]?[0-9][0-9.,_:+-]*$/.test(value) || /^0x[0-9a-f]+$/i.test(value)) return 'number';
  if (/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(value)) return 'email';
  if (syntax === 'expression' && (CODE_PUNCTUATION.test(value) || looksLikeCodePath(value))) return 'code';
  if (syntax === 'literal' && CALL.test(value)) return 'code';
  if (GENERIC_PLACEHOLDER_RE.test(value)) return 'placeholder_word';
  if (value.length < 16 && SHORT_PLACEHOLDER_RE.test(value)) return 'placeholder_word';
  const p = placeholderReason(value);
  if (p !== undefined) return p;
  return undefined;
}

/** Letters only: accepted only when it looks random rather than like words or camelCase. */
function lettersLookRandom(value: string, minLength: number): boolean {
  if (value.length < minLength) return false;
  const c = charClasses(value);
  if (c.upper === 0 || c.lower === 0) return value.length >= 30 && shannonEntropy(value) >= 4.1;
  let lowerRun = 0;
  let longest = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    lowerRun = code >= 97 && code <= 122 ? lowerRun + 1 : 0;
    if (lowerRun > longest) longest = lowerRun;
  }
  return longest <= 8 && c.upper >= value.length * 0.25 && c.lower >= value.length * 0.25;
}

/** The length bounds of a value assigned to a name of `category`: 'short', 'long' or undefined. */
function lengthRejection(value: string, category: NameCategory): 'short' | 'long' | undefined {
  const password = category === 'password';
  const header = category === 'header' || category === 'auth';
  if (value.length < (password ? 6 : header ? 8 : 10)) return 'short';
  if (value.length > (password ? 200 : 400)) return 'long';
  return undefined;
}

/** Judges the value assigned to a credential name. */
export function assessValue(value: string, category: NameCategory, syntax: ValueSyntax): ValueVerdict {
  // Cheap shape checks first; most rejected values in code fail one of these.
  const password = category === 'password';
  const header = category === 'header' || category === 'auth';
  const length = lengthRejection(value, category);
  if (length !== undefined) return reject(length);
  // Words joined by separators (`import-state`, `invalid_key`, `urn:x:y`) name things.
  if (SLUG.test(value)) return reject('slug');
  // `tokens: Int32Array`, `password: Uint8Array`: a type annotation.
  if (syntax !== 'quoted' && PASCAL_TYPE.test(value)) return reject('type');
  // Short values with a run like 1234 or abcd are examples (`df123-4567`).
  if (value.length < 16 && longestSequence(value) >= 4) return reject('sequential_chars');
  const common = commonValueRejection(value, syntax);
  if (common !== undefined) return reject(common);
  const entropy = shannonEntropy(value);
  const classes = charClasses(value);
  const nClasses = classCount(value);
  const lettersOnly = classes.digit === 0 && classes.other === 0;
  const wordy = isWordy(value);

  if (password) {
    // In code an unquoted value is a variable or a type (`password: Uint8Array`).
    if (syntax === 'expression') return reject('expression');
    if (entropy < 2.2) return reject('low_entropy');
    if (lettersOnly && !lettersLookRandom(value, 10)) return reject('word');
    if (wordy && classes.other === 0 && classes.digit === 0) return reject('word');
    if (nClasses < 2 && value.length < 12) return reject('simple');
    return { ok: true, score: 0.6 + (nClasses >= 3 ? 0.1 : 0) + (entropy >= 3.5 ? 0.1 : 0), signals: ['password'] };
  }

  if (/\s/.test(value)) return reject('prose');
  if (isUuid(value))
    return syntax === 'expression' ? reject('expression') : { ok: true, score: 0.6, signals: ['uuid'] };
  if (wordy) return reject('word');
  if (lettersOnly && !lettersLookRandom(value, 20)) return reject('word');
  if (nClasses < 2) return reject('simple');
  // An unquoted token in code is only plausible when it is unmistakably random.
  if (syntax === 'expression' && (value.length < 20 || entropy < 3.8 || classes.digit === 0))
    return reject('expression');
  const minEntropy = value.length >= 20 ? 3.2 : header ? 2.5 : 2.9;
  if (entropy < minEntropy) return reject('low_entropy');
  let score = 0.6;
  if (entropy >= 4) score += 0.1;
  if (value.length >= 24) score += 0.05;
  if (nClasses >= 3) score += 0.05;
  return { ok: true, score: Math.min(score, 0.85), signals: ['entropy'] };
}

/** A stricter bar for a token found at the end of the line rather than directly assigned. */
export function assessNearbyToken(value: string): ValueVerdict {
  if (value.length < 14 || value.length > 400) return reject('length');
  if (isUuid(value)) return { ok: true, score: 0.55, signals: ['uuid', 'nearby'] };
  const common = commonValueRejection(value, 'expression');
  if (common !== undefined) return reject(common);
  if (isWordy(value) || SLUG.test(value)) return reject('word');
  const entropy = shannonEntropy(value);
  const classes = charClasses(value);
  const nClasses = classCount(value);
  if (classes.digit === 0 && classes.other === 0 && !lettersLookRandom(value, 20)) return reject('word');
  if (nClasses < 2 || (nClasses === 2 && value.length < 20)) return reject('simple');
  if (entropy < (value.length >= 24 ? 3.5 : 3.2)) return reject('low_entropy');
  return { ok: true, score: 0.55, signals: ['entropy', 'nearby'] };
}

// ---- context rules --------------------------------------------------------------------------------

export interface ContextRule {
  readonly id: string;
  readonly family: string;
  readonly description: string;
  /** A name word (or, for words of 4+ letters, a substring of the name) that ties the value to the provider. */
  readonly context: readonly string[];
  /** The whole value must match. */
  readonly value: RegExp;
  readonly minEntropy?: number;
  readonly check?: (value: string) => boolean;
  /** Only for names that also contain one of these words (default: any name with the context). */
  readonly nameWords?: readonly string[];
  /**
   * The provider issues one exact format: a value under its name that does not have it is a
   * look-alike (a mangled or made-up key, a hash), and the generic rule does not report it either.
   */
  readonly strict?: boolean;
  /** Score when reported (default 0.85). */
  readonly score?: number;
}

const HEX32 = /^[a-f0-9]{32}$/;

/** First segment of a Discord bot token is the bot's numeric user id in base64. */
function discordIdSegment(value: string): boolean {
  const decoded = decodeBase64(value.slice(0, value.indexOf('.')));
  return decoded !== undefined && /^\d{17,20}$/.test(decoded);
}

export const CONTEXT_RULES: readonly ContextRule[] = [
  {
    id: 'aws_secret_access_key',
    family: 'aws',
    description: 'AWS secret access key (40 base64 characters) assigned to an AWS secret name',
    context: ['aws', 'secretaccesskey', 'secret_access_key'],
    value: /^[A-Za-z0-9/+]{40}$/,
    minEntropy: 4,
    check: (v) => classCount(v) >= 3,
  },
  {
    id: 'aws_session_token',
    family: 'aws',
    description: 'AWS session token assigned to an AWS session-token name',
    context: ['sessiontoken', 'session_token', 'security_token', 'securitytoken'],
    value: /^[A-Za-z0-9/+]{100,1200}={0,2}$/,
    minEntropy: 4.5,
  },
  {
    id: 'azure_storage_account_key',
    family: 'azure',
    description: 'Azure storage account key (88 base64 characters) assigned to an Azure/storage key name',
    context: ['azure', 'storage', 'accountkey', 'account'],
    value: /^[A-Za-z0-9+/]{86}==$/,
    minEntropy: 4.5,
  },
  {
    id: 'azure_devops_pat',
    family: 'azure',
    description: 'Azure DevOps personal access token (52 base32 characters)',
    context: ['azure', 'devops', 'ado', 'vsts'],
    value: /^[a-z2-7]{52}$/,
    minEntropy: 4,
  },
  {
    id: 'azure_openai_api_key',
    family: 'azure',
    description: 'Azure (OpenAI / Cognitive Services) key (32 hex) assigned to an Azure name',
    context: ['azure'],
    value: HEX32,
  },
  {
    id: 'cohere_api_key',
    family: 'cohere',
    description: 'Cohere API key (40 alphanumerics) assigned to a Cohere name',
    context: ['cohere', 'co'],
    value: /^[A-Za-z0-9]{40}$/,
    minEntropy: 4,
  },
  {
    id: 'mistral_api_key',
    family: 'mistral',
    description: 'Mistral AI API key (32 alphanumerics) assigned to a Mistral name',
    context: ['mistral'],
    value: /^[A-Za-z0-9]{32}$/,
    minEntropy: 3.8,
  },
  {
    id: 'together_api_key',
    family: 'together',
    description: 'Together AI API key (64 hex or tgp_v1_) assigned to a Together name',
    context: ['together', 'togetherai'],
    value: /^(?:[a-f0-9]{64}|tgp_v1_[A-Za-z0-9_-]{40,50})$/,
  },
  {
    id: 'deepseek_api_key',
    family: 'deepseek',
    description: 'DeepSeek API key (sk- + 32 hex) assigned to a DeepSeek name',
    context: ['deepseek'],
    value: /^sk-[a-f0-9]{32}$/,
  },
  {
    id: 'datadog_api_key',
    family: 'datadog',
    description: 'Datadog API key (32 hex) or application key (40 hex)',
    context: ['datadog', 'dd'],
    value: /^(?:[a-f0-9]{32}|[a-f0-9]{40})$/,
  },
  {
    id: 'twilio_auth_token',
    family: 'twilio',
    description: 'Twilio auth token (32 hex) assigned to a Twilio name',
    context: ['twilio'],
    value: HEX32,
  },
  {
    id: 'heroku_legacy_api_key',
    family: 'heroku',
    description: 'Heroku legacy API key (UUID) assigned to a Heroku name',
    context: ['heroku'],
    value: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  },
  {
    id: 'okta_api_token',
    family: 'okta',
    description: 'Okta API token (00 + 40 characters) assigned to an Okta name',
    context: ['okta'],
    value: /^00[A-Za-z0-9_-]{40}$/,
    minEntropy: 3.8,
  },
  {
    id: 'cloudflare_api_token',
    family: 'cloudflare',
    description: 'Cloudflare API token (40 characters) or global API key (37 hex)',
    context: ['cloudflare', 'cf'],
    value: /^(?:[A-Za-z0-9_-]{40}|[a-f0-9]{37})$/,
    minEntropy: 3.5,
  },
  {
    id: 'discord_bot_token',
    family: 'discord',
    description: 'Discord bot token (base64 user id . timestamp . HMAC)',
    context: ['discord', 'bot'],
    value: /^[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}$/,
    check: discordIdSegment,
  },
  {
    id: 'discord_client_secret',
    family: 'discord',
    description: 'Discord OAuth client secret (32 characters) assigned to a Discord name',
    context: ['discord'],
    value: /^[A-Za-z0-9_-]{32}$/,
    minEntropy: 3.8,
  },
  {
    id: 'sourcegraph_access_token',
    family: 'sourcegraph',
    description: 'Sourcegraph legacy access token (40 hex) assigned to a Sourcegraph name',
    context: ['sourcegraph'],
    value: /^[a-fA-F0-9]{40}$/,
  },
  {
    id: 'atlassian_api_token',
    family: 'atlassian',
    description: 'Atlassian legacy API token (24 alphanumerics) assigned to a Jira/Confluence name',
    context: ['atlassian', 'jira', 'confluence'],
    value: /^[A-Za-z0-9]{24}$/,
    minEntropy: 3.8,
  },
  {
    id: 'mailgun_api_key',
    family: 'mailgun',
    description: 'Mailgun API or webhook signing key assigned to a Mailgun name',
    context: ['mailgun'],
    value: /^(?:key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}|[a-f0-9]{32})$/,
  },
  {
    id: 'vercel_token',
    family: 'vercel',
    description: 'Vercel legacy access token (24 alphanumerics) assigned to a Vercel name',
    context: ['vercel'],
    value: /^[A-Za-z0-9]{24}$/,
    minEntropy: 3.8,
  },
  {
    id: 'netlify_token',
    family: 'netlify',
    description: 'Netlify legacy access token assigned to a Netlify name',
    context: ['netlify'],
    value: /^[A-Za-z0-9_-]{40,64}$/,
    minEntropy: 4,
  },
  {
    id: 'algolia_api_key',
    family: 'algolia',
    description: 'Algolia admin / search API key (32 hex) assigned to an Algolia name',
    context: ['algolia'],
    value: HEX32,
  },
  {
    id: 'facebook_app_secret',
    family: 'facebook',
    description: 'Meta (Facebook) app secret (32 hex) or app access token (app id|secret)',
    context: ['facebook', 'fb', 'meta'],
    value: /^(?:[a-f0-9]{32}|\d{15,16}(?:\||%7C)[A-Za-z0-9_-]{27,43})$/,
  },
  {
    id: 'twitter_api_secret',
    family: 'twitter',
    description: 'X (Twitter) API key, API secret or access token assigned to a Twitter name',
    context: ['twitter'],
    value: /^(?:[A-Za-z0-9]{25}|[A-Za-z0-9]{35,50}|\d{15,25}-[A-Za-z0-9]{20,50})$/,
    minEntropy: 3.8,
  },
  {
    id: 'gocardless_api_token',
    family: 'gocardless',
    description: 'GoCardless access token (live_ / sandbox_) assigned to a GoCardless name',
    context: ['gocardless'],
    value: /^(?:live|sandbox)_[A-Za-z0-9_=-]{40}$/,
  },
  {
    id: 'lob_api_key',
    family: 'lob',
    description: 'Lob API key (live_ / test_ + hex) assigned to a Lob name',
    context: ['lob'],
    value: /^(?:live|test)_(?:pub_)?[a-f0-9]{31,35}$/,
  },
  {
    id: 'snyk_api_token',
    family: 'snyk',
    description: 'Snyk API token (UUID) assigned to a Snyk name',
    context: ['snyk'],
    value: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  },
  {
    id: 'launchdarkly_key',
    family: 'launchdarkly',
    description: 'LaunchDarkly API access token or SDK key assigned to a LaunchDarkly name',
    context: ['launchdarkly'],
    value: /^(?:api|sdk)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  },
  {
    id: 'alibaba_access_key_secret',
    family: 'alibaba',
    description: 'Alibaba Cloud AccessKey secret (30 alphanumerics) assigned to an Alibaba name',
    context: ['alibaba', 'aliyun'],
    value: /^[A-Za-z0-9]{30}$/,
    minEntropy: 3.8,
  },
  {
    id: 'cisco_meraki_api_key',
    family: 'cisco',
    description: 'Cisco Meraki Dashboard API key (40 lowercase hex) assigned to a Meraki name',
    context: ['meraki'],
    value: /^[0-9a-f]{40}$/,
    minEntropy: 3,
    strict: true,
  },
  {
    id: 'discord_client_id',
    family: 'discord',
    description: 'Discord application (client) id, a numeric snowflake (low score: names whose secret is near)',
    context: ['discord'],
    value: /^\d{17,20}$/,
    nameWords: ['client', 'clientid', 'app', 'appid', 'application', 'id'],
    score: 0.3,
  },
  {
    id: 'pagerduty_api_key',
    family: 'pagerduty',
    description: 'PagerDuty REST API key (20 characters) assigned to a PagerDuty name',
    context: ['pagerduty'],
    value: /^[A-Za-z0-9_+-]{20}$/,
    minEntropy: 3.5,
  },
];

const CONTEXT_WORDS: readonly string[] = [...new Set(CONTEXT_RULES.flatMap((r) => r.context))];
const SHORT_CONTEXT = new Set(CONTEXT_WORDS.filter((w) => w.length < 4));
// Longer context words, by their first four letters, so a name word is checked with one lookup.
const LONG_CONTEXT = new Map<string, string[]>();
for (const w of CONTEXT_WORDS) {
  if (w.length < 4) continue;
  const list = LONG_CONTEXT.get(w.slice(0, 4)) ?? [];
  list.push(w);
  LONG_CONTEXT.set(w.slice(0, 4), list);
}

/**
 * Context words present in a name. Short ones must be whole words (CO_API_KEY, DD_API_KEY); longer
 * ones may also start a glued word (datadogapikey) but not sit inside another (rookTable is not Okta).
 */
function contextWordsIn(words: readonly string[]): string[] {
  const found: string[] = [];
  for (const word of words) {
    if (SHORT_CONTEXT.has(word)) found.push(word);
    const candidates = word.length >= 4 ? LONG_CONTEXT.get(word.slice(0, 4)) : undefined;
    if (candidates !== undefined) for (const w of candidates) if (word.startsWith(w)) found.push(w);
  }
  return found;
}

/** The matching context rule; `vetoed` when a strict provider's name holds a value not in its format. */
function matchContextRule(
  present: readonly string[],
  value: string,
  nameWords: readonly string[],
): ContextRule | 'vetoed' | undefined {
  if (present.length === 0) return undefined;
  let vetoed = false;
  for (const rule of CONTEXT_RULES) {
    if (!rule.context.some((w) => present.includes(w))) continue;
    if (rule.nameWords !== undefined && !rule.nameWords.some((w) => nameWords.includes(w))) continue;
    if (!rule.value.test(value)) {
      if (rule.strict === true) vetoed = true;
      continue;
    }
    if (rule.minEntropy !== undefined && shannonEntropy(value) < rule.minEntropy) continue;
    if (placeholderReason(value, { chunks: value.length <= 64 }) !== undefined) continue;
    if (rule.check !== undefined && !rule.check(value)) continue;
    return rule;
  }
  return vetoed ? 'vetoed' : undefined;
}

// ---- the rule ---------------------------------------------------------------------------------------

/** Lowercase hit words that start an assignment check; kept short so one hit covers many spellings. */
// Context words too common in code to be worth a check on their own.
const NOT_TRIGGERS = new Set(['account', 'storage', 'together', 'togetherai', 'devops', 'meta']);

export const GENERIC_KEYWORDS: readonly string[] = [
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'auth',
  'cred',
  'bearer',
  'jwt',
  'client_id',
  'clientid',
  'client-id',
  'app_id',
  'appid',
  'access_id',
  'accessid',
  'api_id',
  // Provider names also start a check, for names without a credential word (`sourcegraph: ...`).
  ...CONTEXT_WORDS.filter((w) => w.length >= 4 && !NOT_TRIGGERS.has(w) && !/pass|secret|token|key|auth|cred/.test(w)),
];

export const GENERIC_SECRET_ID = 'generic_secret';
export const CLIENT_ID_ID = 'oauth_client_id';
export const PUBLIC_KEY_ID = 'publishable_key';
export const GENERIC_PASSWORD_ID = 'generic_password';
export const BASIC_AUTH_HEADER_ID = 'http_basic_auth';
export const AUTH_HEADER_ID = 'authorization_header';

/** Which rule id each outcome of an assignment gets; consumers filter on these like any other id. */
export interface AssignmentFinding extends Candidate {
  ruleId: string;
}

function finding(ruleId: string, span: ValueSpan, score: number, signals: string[]): AssignmentFinding {
  return { ruleId, start: span.start, end: span.end, score, signals };
}

/** What a name says, computed once per distinct name: names repeat all over a code base. */
interface NameInfo {
  words: readonly string[];
  /** The name's category; 'context' for a provider name alone; undefined when it names no credential. */
  category: NameCategory | undefined;
  /** Provider context words in the name. */
  present: readonly string[];
}

const NAME_CACHE = new Map<string, NameInfo>();
const NAME_CACHE_LIMIT = 8192;
let lastName: NameInfo | undefined;

function nameInfo(raw: string): NameInfo {
  const words = splitWords(raw);
  let category = classifyName(words, raw);
  const present = contextWordsIn(words);
  if (category === undefined && present.length > 0) {
    const unrelated = words.some((w) => UNRELATED.has(w)) || META_LAST.has(words[words.length - 1]!);
    if (!unrelated) category = 'context';
  }
  return { words, category, present };
}

/** splitWords through the name cache; leaves the name's analysis in `lastName`. */
function cachedWords(raw: string): readonly string[] {
  let info = NAME_CACHE.get(raw);
  if (info === undefined) {
    info = nameInfo(raw);
    if (NAME_CACHE.size >= NAME_CACHE_LIMIT) NAME_CACHE.clear();
    NAME_CACHE.set(raw, info);
  }
  lastName = info;
  return info.words;
}

/** Evaluates the assignment around a keyword hit; returns at most one finding. */
export function evaluateAssignment(
  text: string,
  hit: number,
  keywordLength: number,
  state: { skipUntil: number } = { skipUntil: -1 },
): AssignmentFinding | undefined {
  let nameEnd = hit + keywordLength;
  const maxEnd = Math.min(text.length, nameEnd + 64);
  while (nameEnd < maxEnd && isIdentCode(text.charCodeAt(nameEnd))) nameEnd++;
  // Other keywords inside the same name (secret_key: "secret", "key") would repeat this work.
  state.skipUntil = nameEnd;
  if (!operatorFollows(text, nameEnd, hit)) return undefined;
  const ident = identifierAt(text, hit, hit + keywordLength, cachedWords);
  if (ident === undefined) return undefined;
  // Set by cachedWords for this identifier.
  const name = lastName!;
  if (name.category === undefined) return undefined;
  const category = name.category;
  const present = name.present;
  const assignment = assignmentAt(text, ident);
  if (assignment === undefined) return undefined;
  // The directly assigned value first. When it does not qualify, the last token on the line is
  // tried, but only where it can still be a value: inside a quoted value spoiled by stray quotes or
  // markup, or on a line that starts with the name (env, YAML). On a line of code it is more code.
  const direct = assignment.value;
  let lineStart: boolean | undefined;
  let directRejection: string | undefined;
  for (let k = 0; k < 2; k++) {
    const isDirect = k === 0;
    let span: ValueSpan | undefined;
    if (isDirect) {
      span = direct;
    } else {
      // Unless the value is quoted, a token outside it counts only on a line the name starts, and
      // one inside it only after a weak rejection: on a line of code, skip the scan of the line when
      // neither can apply (a token follows the value, or the value was rejected for good).
      if (direct?.quoted !== true) {
        lineStart ??= startsLine(text, ident.start);
        if (
          !lineStart &&
          (direct === undefined ||
            !WEAK_REJECTIONS.has(directRejection ?? '') ||
            tokenFollows(text, direct.end, assignment.rest + NEARBY_LIMIT))
        ) {
          continue;
        }
      }
      span = lastTokenOnLine(text, assignment.rest, NEARBY_LIMIT);
      if (span === undefined) continue;
      if (direct !== undefined && span.start === direct.start && span.end === direct.end) continue;
      const inside = direct !== undefined && span.start >= direct.start && span.end <= direct.end;
      if (inside) {
        if (!WEAK_REJECTIONS.has(directRejection ?? '')) continue;
      } else if (direct?.quoted !== true) {
        lineStart ??= startsLine(text, ident.start);
        if (!lineStart) continue;
      }
    }
    if (span === undefined) continue;
    const value = text.slice(span.start, span.end);
    const ctx = matchContextRule(present, value, ident.words);
    if (ctx === 'vetoed') continue;
    const signals = [`name:${category}`];
    if (ctx !== undefined) {
      return finding(ctx.id, span, ctx.score ?? 0.85, [...signals, `context:${ctx.family}`, 'format']);
    }
    if (category === 'context') continue;
    if (isDirect && assignment.scheme === 'basic') {
      const basic = basicAuthVerdict(value);
      if (basic !== undefined) return finding(BASIC_AUTH_HEADER_ID, span, basic, [...signals, 'basic_decoded']);
      directRejection = 'basic';
      continue;
    }
    if (category === 'client_id' || category === 'public_key') {
      const verdict = assessNearbyToken(value);
      if (verdict.ok && value.length >= 16) {
        const id = category === 'client_id' ? CLIENT_ID_ID : PUBLIC_KEY_ID;
        return finding(id, span, 0.3, [...signals, ...(verdict.signals ?? [])]);
      }
      continue;
    }
    if (assignment.operator === 'is' && !isDirect) continue;
    if (assignment.operator === 'is' && !/[0-9]/.test(value)) continue;
    let verdict: ValueVerdict;
    if (isDirect) {
      // The length bounds first: they need no look at the surrounding syntax.
      const length = lengthRejection(value, category);
      if (length !== undefined) {
        directRejection = length;
        continue;
      }
      const syntax: ValueSyntax = span.quoted
        ? 'quoted'
        : assignment.scheme !== undefined ||
            ident.flag ||
            assignment.operator === 'is' ||
            category === 'header' ||
            inQuery(text, ident.start) ||
            shellAssignment(text, ident.start, ident.end, span.start) ||
            flagArgument(text, ident.start, ident.end, span.start) ||
            lineLiteral(text, ident.start, span.end) ||
            quotedPair(text, ident.start, span.end)
          ? 'literal'
          : 'expression';
      verdict = assessValue(value, category, syntax);
    } else {
      verdict = assessNearbyToken(value);
    }
    if (!verdict.ok) {
      if (isDirect) directRejection = verdict.reason;
      continue;
    }
    const id =
      category === 'password' && isDirect
        ? GENERIC_PASSWORD_ID
        : category === 'header' || assignment.scheme !== undefined
          ? AUTH_HEADER_ID
          : GENERIC_SECRET_ID;
    const extra = assignment.scheme !== undefined ? [`scheme:${assignment.scheme}`] : [];
    return finding(id, span, verdict.score ?? 0.6, [...signals, ...extra, ...(verdict.signals ?? [])]);
  }
  return undefined;
}

/** How far past the operator the last token on the line is looked for. */
const NEARBY_LIMIT = 200;

// Rejections of a direct value that leave room for a real token inside it: stray quotes or
// markup around the token, or a value cut short by them.
const WEAK_REJECTIONS = new Set(['markup', 'short', 'simple', 'low_entropy', 'prose']);

// Values that documentation puts in URLs where a password goes.
const PASSWORD_PLACEHOLDERS = new Set([
  'password',
  'pass',
  'passwd',
  'pwd',
  'secret',
  'changeme',
  'user',
  'username',
  'pw',
  'xxx',
  'root',
  'admin',
  'guest',
  'test',
  'example',
  'token',
  'apikey',
  'p@ss',
  'p@ssword',
  'p@ss:word',
]);

/** A password written in a URL or command line: not a variable, a template or a documentation value. */
export function passwordLooksReal(password: string, user: string): boolean {
  if (password.length < 4 || password.length > 256) return false;
  if (PASSWORD_PLACEHOLDERS.has(password.toLowerCase())) return false;
  if (password === user) return false;
  const rejection = commonValueRejection(password, 'quoted');
  if (rejection !== undefined && rejection !== 'number' && rejection !== 'email') return false;
  if (/^\*+$|^x+$|^\.+$/i.test(password)) return false;
  return true;
}

function basicAuthVerdict(b64: string): number | undefined {
  if (!/^[A-Za-z0-9+/]{4,}={0,2}$/.test(b64)) return undefined;
  const cred = decodeBasicCredential(b64);
  if (cred === undefined) return undefined;
  const { user, password } = cred;
  if (password.length > 0) return passwordLooksReal(password, user) ? 0.85 : undefined;
  // An API key (or a bare user) sent as the user name with an empty password (`key:`).
  return user.length >= 3 && commonValueRejection(user, 'quoted') === undefined ? 0.8 : undefined;
}

/** Rule ids the assignment evaluator can produce besides the context rules, for the catalogue. */
export const ASSIGNMENT_RULES: readonly { id: string; family: string; description: string; specificity: number }[] = [
  {
    id: GENERIC_SECRET_ID,
    family: 'generic',
    description: 'High-entropy value assigned to a credential name (api_key, client_secret, token, auth, ...)',
    specificity: 10,
  },
  {
    id: GENERIC_PASSWORD_ID,
    family: 'generic',
    description: 'Literal password assigned to a password name (password, passwd, pwd, DB_PASS, --password)',
    specificity: 10,
  },
  {
    id: CLIENT_ID_ID,
    family: 'generic',
    description:
      'Random-looking OAuth client / app / access id assigned to such a name (low score: context, not a secret)',
    specificity: 5,
  },
  {
    id: PUBLIC_KEY_ID,
    family: 'generic',
    description: 'Random-looking publishable / public API key (low score: meant for client code, but names an account)',
    specificity: 5,
  },
  {
    id: AUTH_HEADER_ID,
    family: 'http',
    description: 'Literal credential in an Authorization / API-key header (Bearer, Token, X-Api-Key, ...)',
    specificity: 30,
  },
  {
    id: BASIC_AUTH_HEADER_ID,
    family: 'http',
    description: 'HTTP Basic credential (base64 user:password) in an Authorization header',
    specificity: 60,
  },
];

/**
 * What may follow a keyword for `operatorFollows` to succeed: more of the name, or the closing quote
 * or bracket, blanks or an operator right after it. `token)`, `key;`, `getToken(` fail here, in the
 * keyword pass, without a call into the rule.
 */
const AFTER_KEYWORD = gateTable(
  (c) => c !== GATE_EDGE && c < 128 && (isIdentCode(c) || '"\'`] \t=:?|+<'.includes(String.fromCharCode(c))),
);

export const assignmentRule: CustomRule = {
  kind: 'custom',
  id: GENERIC_SECRET_ID,
  family: 'generic',
  description: ASSIGNMENT_RULES[0]!.description,
  keywords: GENERIC_KEYWORDS,
  score: 0.6,
  specificity: 10,
  emits: [
    ...ASSIGNMENT_RULES,
    ...CONTEXT_RULES.map(
      (r): RuleInfo => ({ id: r.id, family: r.family, description: r.description, specificity: 75 }),
    ),
  ],
  gate: { after: AFTER_KEYWORD },
  match(text, hit, keyword, state) {
    const f = evaluateAssignment(text, hit, keyword.length, state);
    return f === undefined
      ? undefined
      : { start: f.start, end: f.end, score: f.score, signals: f.signals, ruleId: f.ruleId };
  },
};
