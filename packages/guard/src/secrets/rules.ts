// Provider credential formats, written from the providers' published token formats. Every pattern
// is tried sticky at a keyword hit, starts with a look-behind boundary (so inside a long run of token
// characters only the run's first position can match) and uses only bounded quantifiers without
// nesting, so a single attempt costs at most its maximum token length.

import { type MatchContext, type RegexRule, regexRule, type Verdict } from './rule.ts';
import {
  base62Crc32Valid,
  charClasses,
  decodeBase64,
  distinctChars,
  jwtShape,
  looksLikeHexDigest,
  placeholderReason,
  shannonEntropy,
} from './validators.ts';

function rx(strings: TemplateStringsArray, ...subs: string[]): RegExp {
  return new RegExp(String.raw({ raw: strings.raw }, ...subs), 'dy');
}

/** Case-insensitive variant, for names that tools write in any case (environment variables, headers). */
function rxi(strings: TemplateStringsArray, ...subs: string[]): RegExp {
  return new RegExp(String.raw({ raw: strings.raw }, ...subs), 'diy');
}

/**
 * Keys that are not secret by design (Google API keys live in web pages and apps, restricted by
 * referrer or API instead) and that SDKs and docs publish, are reported where they are used as a
 * value (assigned, quoted, passed as a parameter, written in prose) rather than where one stands
 * alone at the start of a line, as in lists of known public keys.
 */
const usedAsValue = (ctx: MatchContext): Verdict => {
  let i = ctx.start - 1;
  while (i >= 0 && (ctx.text.charCodeAt(i) === 32 || ctx.text.charCodeAt(i) === 9)) i--;
  if (i < 0) return false;
  const c = ctx.text.charCodeAt(i);
  return c === 10 || c === 13 ? false : undefined;
};

// Boundaries. `L`/`R`: not inside a word. `LB`/`RB`: also not inside a base64 blob or a
// dash-joined identifier, for short prefixes that occur by chance in encoded data.
const L = '(?<![A-Za-z0-9_])';
const LB = '(?<![A-Za-z0-9_+/-])';
const R = '(?![A-Za-z0-9_])';
const RD = '(?![A-Za-z0-9_-])';
const RB = '(?![A-Za-z0-9_+/=-])';

const checksum62 = (ctx: MatchContext): Verdict =>
  base62Crc32Valid(ctx.body) ? { signal: 'checksum', score: 0.99 } : { signal: 'checksum_mismatch', score: 0.7 };

/** The random part is lowercase hex of a digest length: a file hash, not this rule's mixed-case token. */
const notDigest = (ctx: MatchContext): Verdict => (looksLikeHexDigest(ctx.body) ? false : undefined);

const needsLetterAndDigit = (ctx: MatchContext): Verdict => {
  const c = charClasses(ctx.body);
  return c.digit > 0 && c.lower + c.upper > 0 ? undefined : false;
};

/** Requires one of `words` within `distance` characters before the match (case-insensitive). */
function contextBefore(words: readonly string[], distance: number): (ctx: MatchContext) => Verdict {
  return (ctx) => {
    const window = ctx.text.slice(Math.max(0, ctx.start - distance), ctx.start).toLowerCase();
    for (const w of words) if (window.includes(w)) return { signal: `context:${w}` };
    return false;
  };
}

/** Character classes a keyword hit must follow (`precededBy`). */
const afterDigit = /[0-9]/;
const afterHex = /[0-9a-f]/;

export const REGEX_RULES: readonly RegexRule[] = [
  // ---- AI providers ------------------------------------------------------------------------
  regexRule({
    id: 'openai_api_key',
    family: 'openai',
    description: 'OpenAI API key (user or legacy key carrying the T3BlbkFJ marker)',
    keywords: ['sk-'],
    pattern: rx`${L}sk-(?<body>[A-Za-z0-9_-]{8,200}T3BlbkFJ[A-Za-z0-9_-]{8,200})${RD}`,
    score: 0.97,
    specificity: 92,
  }),
  regexRule({
    id: 'openai_project_key',
    family: 'openai',
    description: 'OpenAI project API key (sk-proj-)',
    keywords: ['sk-proj-'],
    pattern: rx`${L}sk-proj-(?<body>[A-Za-z0-9_-]{40,300})${RD}`,
    specificity: 96,
  }),
  regexRule({
    id: 'openai_service_account_key',
    family: 'openai',
    description: 'OpenAI service account key (sk-svcacct-)',
    keywords: ['sk-svcacct-'],
    pattern: rx`${L}sk-svcacct-(?<body>[A-Za-z0-9_-]{40,300})${RD}`,
    specificity: 96,
  }),
  regexRule({
    id: 'openai_admin_key',
    family: 'openai',
    description: 'OpenAI admin API key (sk-admin-)',
    keywords: ['sk-admin-'],
    pattern: rx`${L}sk-admin-(?<body>[A-Za-z0-9_-]{40,300})${RD}`,
    specificity: 96,
  }),
  regexRule({
    id: 'openai_compatible_api_key',
    family: 'openai',
    description: 'sk- prefixed API key of the OpenAI-compatible shape (OpenAI legacy, DeepSeek, Moonshot, ...)',
    keywords: ['sk-'],
    pattern: rx`${L}sk-(?<body>[A-Za-z0-9]{32,64})${RD}`,
    minEntropy: 3.3,
    score: 0.75,
    specificity: 60,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'anthropic_api_key',
    family: 'anthropic',
    description: 'Anthropic API key (sk-ant-api03-)',
    keywords: ['sk-ant-api'],
    pattern: rx`${L}sk-ant-api\d{2}-(?<body>[A-Za-z0-9_-]{93}AA)${RD}`,
    score: 0.98,
    specificity: 95,
  }),
  regexRule({
    id: 'anthropic_admin_key',
    family: 'anthropic',
    description: 'Anthropic Admin API key (sk-ant-admin01-)',
    keywords: ['sk-ant-admin'],
    pattern: rx`${L}sk-ant-admin\d{2}-(?<body>[A-Za-z0-9_-]{93}AA)${RD}`,
    score: 0.98,
    specificity: 95,
  }),
  regexRule({
    id: 'anthropic_oauth_token',
    family: 'anthropic',
    description: 'Anthropic OAuth access or refresh token (sk-ant-oat01-, sk-ant-ort01-)',
    keywords: ['sk-ant-o'],
    pattern: rx`${L}sk-ant-o[ar]t\d{2}-(?<body>[A-Za-z0-9_-]{80,120})${RD}`,
    specificity: 95,
  }),
  regexRule({
    id: 'groq_api_key',
    family: 'groq',
    description: 'Groq API key (gsk_)',
    keywords: ['gsk_'],
    pattern: rx`${L}gsk_(?<body>[A-Za-z0-9]{52})${R}`,
  }),
  regexRule({
    id: 'xai_api_key',
    family: 'xai',
    description: 'xAI API key (xai-)',
    keywords: ['xai-'],
    pattern: rx`${L}xai-(?<body>[A-Za-z0-9]{80})${R}`,
  }),
  regexRule({
    id: 'perplexity_api_key',
    family: 'perplexity',
    description: 'Perplexity API key (pplx-)',
    keywords: ['pplx-'],
    pattern: rx`${L}pplx-(?<body>[A-Za-z0-9]{48})${R}`,
  }),
  regexRule({
    id: 'huggingface_token',
    family: 'huggingface',
    description: 'Hugging Face user access token (hf_)',
    keywords: ['hf_'],
    pattern: rx`${L}hf_(?<body>[A-Za-z]{34})${R}`,
    minEntropy: 3.5,
    specificity: 85,
  }),
  regexRule({
    id: 'huggingface_org_token',
    family: 'huggingface',
    description: 'Hugging Face organization API token (api_org_)',
    keywords: ['api_org_'],
    pattern: rx`${L}api_org_(?<body>[A-Za-z]{34})${R}`,
    minEntropy: 3.5,
  }),
  regexRule({
    id: 'replicate_api_token',
    family: 'replicate',
    description: 'Replicate API token (r8_)',
    keywords: ['r8_'],
    pattern: rx`${L}r8_(?<body>[A-Za-z0-9]{37})${R}`,
  }),
  regexRule({
    id: 'openrouter_api_key',
    family: 'openrouter',
    description: 'OpenRouter API key (sk-or-v1-)',
    keywords: ['sk-or-v1-'],
    pattern: rx`${L}sk-or-v1-(?<body>[a-f0-9]{64})${R}`,
    specificity: 90,
  }),
  regexRule({
    id: 'langsmith_api_key',
    family: 'langchain',
    description: 'LangSmith API key (lsv2_pt_, lsv2_sk_)',
    keywords: ['lsv2_'],
    pattern: rx`${L}lsv2_(?:pt|sk)_(?<body>[a-f0-9]{32}_[a-f0-9]{10})${R}`,
  }),
  regexRule({
    id: 'elevenlabs_api_key',
    family: 'elevenlabs',
    description: 'ElevenLabs API key (sk_ + 48 hex)',
    keywords: ['sk_'],
    pattern: rx`${L}sk_(?<body>[a-f0-9]{48})${R}`,
    score: 0.8,
    specificity: 70,
  }),

  // ---- cloud ---------------------------------------------------------------------------------
  regexRule({
    id: 'aws_access_key_id',
    family: 'aws',
    description: 'AWS access key id (AKIA long-term, ASIA temporary, and other key prefixes)',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: rx`${LB}(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])(?<body>[A-Z2-7]{16}))${R}`,
    minEntropy: 3,
    validate: (ctx) => (distinctChars(ctx.body) >= 8 ? undefined : false),
  }),
  regexRule({
    id: 'aws_bedrock_api_key',
    family: 'aws',
    description: 'Amazon Bedrock long-term API key (ABSK + base64 of "BedrockAPIKey-")',
    keywords: ['absk'],
    pattern: rx`${LB}ABSKQmVkcm9ja0FQSUtleS(?<body>[A-Za-z0-9+/]{20,400}={0,2})${RB}`,
  }),
  regexRule({
    id: 'aws_bedrock_short_term_key',
    family: 'aws',
    description: 'Amazon Bedrock short-term API key (bedrock-api-key- + base64 presigned URL)',
    keywords: ['bedrock-api-key-'],
    // Real keys continue with the rest of a presigned URL, hundreds of characters long. The fixed
    // part (base64 of "bedrock.amazonaws.com") occurs nowhere else, so it is reported even when the
    // rest is missing (cut off, or wrapped onto the next line), with a lower score.
    pattern: rx`${L}(?<secret>bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t(?<body>[A-Za-z0-9+/=]{0,4000}))${RB}`,
    minEntropy: 0,
    placeholderCheck: false,
    validate: (ctx) => {
      if (ctx.body.length < 40) return { signal: 'prefix_only', score: 0.6 };
      return placeholderReason(ctx.body, { chunks: false }) === undefined && shannonEntropy(ctx.body) >= 3
        ? undefined
        : false;
    },
  }),
  regexRule({
    id: 'gcp_api_key',
    family: 'gcp',
    description: 'Google API key (AIza)',
    keywords: ['aiza'],
    pattern: rx`${LB}AIza(?<body>[A-Za-z0-9_-]{35})${RD}`,
    minEntropy: 3.5,
    score: 0.85,
    validate: usedAsValue,
  }),
  regexRule({
    id: 'gcp_oauth_client_secret',
    family: 'gcp',
    description: 'Google OAuth client secret (GOCSPX-)',
    keywords: ['gocspx-'],
    pattern: rx`${L}GOCSPX-(?<body>[A-Za-z0-9_-]{28})${RD}`,
  }),
  regexRule({
    id: 'gcp_oauth_access_token',
    family: 'gcp',
    description: 'Google OAuth access token (ya29.)',
    keywords: ['ya29.'],
    pattern: rx`${L}ya29\.(?<body>[A-Za-z0-9_-]{30,2048})${RD}`,
    score: 0.85,
  }),
  regexRule({
    id: 'gcp_oauth_refresh_token',
    family: 'gcp',
    description: 'Google OAuth refresh token (1//0)',
    keywords: ['1//0'],
    pattern: rx`(?<![A-Za-z0-9_/])1//0(?<body>[A-Za-z0-9_-]{40,512})${RD}`,
    score: 0.8,
  }),
  regexRule({
    id: 'gcp_service_account',
    family: 'gcp',
    description: 'Google Cloud service account key file marker ("type": "service_account")',
    keywords: ['service_account'],
    pattern: rx`(?<="type"\s{0,3}:\s{0,3}")service_account(?=")`,
    minEntropy: 0,
    placeholderCheck: false,
    score: 0.5,
    specificity: 20,
    // The marker alone also appears in API docs; a key file has its other fields around it.
    validate: (ctx) => {
      const around = ctx.text.slice(Math.max(0, ctx.start - 3000), ctx.end + 3000);
      return /"(?:private_key_id|private_key|client_email)"\s*:/.test(around) ? { signal: 'key_file_fields' } : false;
    },
  }),
  regexRule({
    id: 'azure_ad_client_secret',
    family: 'azure',
    description: 'Microsoft Entra ID (Azure AD) client secret (xxxNQ~ ...)',
    keywords: ['q~'],
    back: 4,
    pattern: rx`(?<![A-Za-z0-9_~.-])(?<body>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])`,
    minEntropy: 3.5,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'azure_storage_account_key',
    family: 'azure',
    description: 'Azure storage account key in a connection string (AccountKey=)',
    keywords: ['accountkey='],
    pattern: rx`AccountKey=(?<secret>(?<body>[A-Za-z0-9+/]{86}==))`,
    minEntropy: 4,
  }),
  regexRule({
    id: 'azure_shared_access_key',
    family: 'azure',
    description: 'Azure Service Bus / Event Hubs / IoT Hub shared access key (SharedAccessKey=)',
    keywords: ['sharedaccesskey='],
    pattern: rx`SharedAccessKey=(?<secret>(?<body>[A-Za-z0-9+/]{42,43}=))`,
    minEntropy: 4,
  }),
  regexRule({
    id: 'azure_sas_token',
    family: 'azure',
    description: 'Azure shared access signature (sig= in a URL that also carries sv=)',
    keywords: ['sig='],
    pattern: rx`(?<=[?&])sig=(?<secret>(?<body>[A-Za-z0-9%+/]{40,120}(?:=|%3D){0,2}))(?![A-Za-z0-9%+/=])`,
    minEntropy: 3.5,
    score: 0.85,
    validate: contextBefore(['sv=20', 'sv=%', 'se=20'], 400),
  }),
  regexRule({
    id: 'alibaba_access_key_id',
    family: 'alibaba',
    description: 'Alibaba Cloud AccessKey id (LTAI)',
    keywords: ['ltai'],
    pattern: rx`${LB}LTAI(?<body>[A-Za-z0-9]{12,20})${R}`,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'digitalocean_pat',
    family: 'digitalocean',
    description: 'DigitalOcean personal access token (dop_v1_)',
    keywords: ['dop_v1_'],
    pattern: rx`${L}dop_v1_(?<body>[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'digitalocean_oauth_token',
    family: 'digitalocean',
    description: 'DigitalOcean OAuth access token (doo_v1_)',
    keywords: ['doo_v1_'],
    pattern: rx`${L}doo_v1_(?<body>[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'digitalocean_refresh_token',
    family: 'digitalocean',
    description: 'DigitalOcean OAuth refresh token (dor_v1_)',
    keywords: ['dor_v1_'],
    pattern: rx`${L}dor_v1_(?<body>[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'heroku_api_key',
    family: 'heroku',
    description: 'Heroku platform API key (HRKU-)',
    keywords: ['hrku-'],
    pattern: rx`${L}HRKU-(?<body>AA[A-Za-z0-9_-]{58})${RD}`,
  }),
  regexRule({
    id: 'cloudflare_origin_ca_key',
    family: 'cloudflare',
    description: 'Cloudflare Origin CA key (v1.0-)',
    keywords: ['v1.0-'],
    pattern: rx`${L}v1\.0-(?<body>[a-f0-9]{24}-[a-f0-9]{146})${R}`,
  }),
  regexRule({
    id: 'flyio_token',
    family: 'flyio',
    description: 'Fly.io access token (fo1_, fm1r_, fm1a_, fm2_)',
    keywords: ['fo1_', 'fm1', 'fm2_'],
    pattern: rx`${L}(?:fo1_(?<body>[A-Za-z0-9_-]{43})${RD}|fm(?:1[ar]|2)_[A-Za-z0-9+/]{100,4000}={0,3}${RB})`,
  }),
  regexRule({
    id: 'vercel_token',
    family: 'vercel',
    description: 'Vercel access token (vcp_, vci_, vca_, vcr_, vck_)',
    keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    pattern: rx`${L}vc[picrk]_(?<body>[A-Za-z0-9]{24,100})${R}`,
    minEntropy: 3.5,
    score: 0.85,
  }),
  regexRule({
    id: 'netlify_token',
    family: 'netlify',
    description: 'Netlify access token (nfp_, nfo_, nfc_, nfu_)',
    keywords: ['nfp_', 'nfo_', 'nfc_', 'nfu_'],
    pattern: rx`${L}nf[pocu]_(?<body>[A-Za-z0-9]{36,64})${R}`,
    minEntropy: 3.5,
    score: 0.85,
  }),
  regexRule({
    id: 'supabase_pat',
    family: 'supabase',
    description: 'Supabase personal access token (sbp_)',
    keywords: ['sbp_'],
    pattern: rx`${L}sbp_(?:v0_)?(?<body>[a-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'supabase_secret_key',
    family: 'supabase',
    description: 'Supabase secret API key (sb_secret_)',
    keywords: ['sb_secret_'],
    pattern: rx`${L}sb_secret_(?<body>[A-Za-z0-9_-]{20,80})${RD}`,
  }),
  regexRule({
    id: 'render_api_key',
    family: 'render',
    description: 'Render API key (rnd_)',
    keywords: ['rnd_'],
    pattern: rx`${L}rnd_(?<body>[A-Za-z0-9]{32})${R}`,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'databricks_token',
    family: 'databricks',
    description: 'Databricks personal access token (dapi)',
    keywords: ['dapi'],
    pattern: rx`${L}dapi(?<body>[a-f0-9]{32})(?:-\d)?${R}`,
  }),
  regexRule({
    id: 'pulumi_access_token',
    family: 'pulumi',
    description: 'Pulumi access token (pul-)',
    keywords: ['pul-'],
    pattern: rx`${LB}pul-(?<body>[a-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'terraform_cloud_token',
    family: 'hashicorp',
    description: 'Terraform Cloud / Enterprise API token (.atlasv1.)',
    keywords: ['.atlasv1.'],
    back: 14,
    pattern: rx`(?<![A-Za-z0-9_.])(?<body>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})${RD}`,
  }),
  regexRule({
    id: 'vault_token',
    family: 'hashicorp',
    description: 'HashiCorp Vault service, batch or recovery token (hvs., hvb., hvr.)',
    keywords: ['hvs.', 'hvb.', 'hvr.'],
    pattern: rx`${L}hv[sbr]\.(?<body>[A-Za-z0-9_-]{90,400})${RD}`,
  }),
  regexRule({
    id: 'vault_legacy_token',
    family: 'hashicorp',
    description: 'HashiCorp Vault legacy service token (s. + 24 characters)',
    keywords: ['s.'],
    pattern: rx`(?<![A-Za-z0-9_.$])s\.(?<body>[A-Za-z0-9]{24})(?![A-Za-z0-9_.(])`,
    minEntropy: 3.6,
    score: 0.75,
    specificity: 50,
    validate: (ctx) => {
      const c = charClasses(ctx.body);
      return c.digit >= 2 && c.lower >= 2 && c.upper >= 2 ? undefined : false;
    },
  }),
  regexRule({
    id: 'doppler_token',
    family: 'doppler',
    description: 'Doppler token (dp.pt., dp.st., dp.sa., dp.ct., dp.scim., dp.audit.)',
    keywords: ['dp.'],
    pattern: rx`${L}dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{2,35}\.)?(?<body>[A-Za-z0-9]{40,44})${R}`,
  }),
  regexRule({
    id: 'tailscale_key',
    family: 'tailscale',
    description: 'Tailscale auth, API or OAuth client key (tskey-)',
    keywords: ['tskey-'],
    pattern: rx`${L}tskey-(?:auth|api|client|scim|webhook)-(?<body>[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64})${R}`,
  }),

  // ---- observability ---------------------------------------------------------------------------
  regexRule({
    id: 'grafana_cloud_token',
    family: 'grafana',
    description: 'Grafana Cloud access policy token (glc_)',
    keywords: ['glc_'],
    pattern: rx`${L}glc_(?<body>[A-Za-z0-9+/]{32,400}={0,2})${RB}`,
  }),
  regexRule({
    id: 'grafana_service_account_token',
    family: 'grafana',
    description: 'Grafana service account token (glsa_)',
    keywords: ['glsa_'],
    pattern: rx`${L}glsa_(?<body>[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})${R}`,
  }),
  regexRule({
    id: 'grafana_api_key',
    family: 'grafana',
    description: 'Grafana legacy API key (base64 of {"k":")',
    keywords: ['eyjrijoi'],
    pattern: rx`${LB}(?<body>eyJrIjoi[A-Za-z0-9+/]{50,400}={0,2})${RB}`,
    validate: (ctx) => (decodeBase64(ctx.body)?.includes('"n":"') ? { signal: 'decoded' } : undefined),
  }),
  regexRule({
    id: 'new_relic_user_api_key',
    family: 'newrelic',
    description: 'New Relic user API key (NRAK-)',
    keywords: ['nrak-'],
    pattern: rx`${L}NRAK-(?<body>[A-Z0-9]{27})${R}`,
  }),
  regexRule({
    id: 'new_relic_browser_api_key',
    family: 'newrelic',
    description: 'New Relic browser API key (NRJS-)',
    keywords: ['nrjs-'],
    pattern: rx`${L}NRJS-(?<body>[a-f0-9]{19})${R}`,
  }),
  regexRule({
    id: 'new_relic_insert_key',
    family: 'newrelic',
    description: 'New Relic insights insert / query key (NRII-, NRIQ-)',
    keywords: ['nrii-', 'nriq-'],
    pattern: rx`${L}NRI[IQ]-(?<body>[A-Za-z0-9_-]{32})${RD}`,
  }),
  regexRule({
    id: 'new_relic_admin_key',
    family: 'newrelic',
    description: 'New Relic admin API key (NRAA-)',
    keywords: ['nraa-'],
    pattern: rx`${L}NRAA-(?<body>[a-f0-9]{27})${R}`,
  }),
  regexRule({
    id: 'new_relic_license_key',
    family: 'newrelic',
    description: 'New Relic ingest license key (40 characters ending in NRAL)',
    keywords: ['nral'],
    back: 36,
    pattern: rx`${L}(?<body>[a-f0-9]{36})NRAL${R}`,
  }),
  regexRule({
    id: 'sentry_org_token',
    family: 'sentry',
    description: 'Sentry organization auth token (sntrys_)',
    keywords: ['sntrys_'],
    pattern: rx`${L}sntrys_(?<body>eyJ[A-Za-z0-9+/=]{60,600}_[A-Za-z0-9+/]{43})${RB}`,
  }),
  regexRule({
    id: 'sentry_user_token',
    family: 'sentry',
    description: 'Sentry user auth token (sntryu_)',
    keywords: ['sntryu_'],
    pattern: rx`${L}sntryu_(?<body>[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'dynatrace_api_token',
    family: 'dynatrace',
    description: 'Dynatrace API token (dt0c01.)',
    keywords: ['dt0c01.'],
    pattern: rx`${L}dt0c01\.(?<body>[A-Za-z0-9]{24}\.[A-Za-z0-9]{64})${R}`,
  }),

  // ---- source control, CI and package registries -------------------------------------------------
  regexRule({
    id: 'github_pat',
    family: 'github',
    description: 'GitHub personal access token, classic (ghp_)',
    keywords: ['ghp_'],
    pattern: rx`${L}ghp_(?<body>[A-Za-z0-9]{36})${R}`,
    validate: checksum62,
  }),
  regexRule({
    id: 'github_oauth_token',
    family: 'github',
    description: 'GitHub OAuth access token (gho_)',
    keywords: ['gho_'],
    pattern: rx`${L}gho_(?<body>[A-Za-z0-9]{36})${R}`,
    validate: checksum62,
  }),
  regexRule({
    id: 'github_user_to_server_token',
    family: 'github',
    description: 'GitHub App user-to-server token (ghu_)',
    keywords: ['ghu_'],
    pattern: rx`${L}ghu_(?<body>[A-Za-z0-9]{36})${R}`,
    validate: checksum62,
  }),
  regexRule({
    id: 'github_server_to_server_token',
    family: 'github',
    description: 'GitHub App installation (server-to-server) token (ghs_)',
    keywords: ['ghs_'],
    pattern: rx`${L}ghs_(?<body>[A-Za-z0-9]{36})${R}`,
    validate: checksum62,
  }),
  regexRule({
    id: 'github_refresh_token',
    family: 'github',
    description: 'GitHub App refresh token (ghr_)',
    keywords: ['ghr_'],
    pattern: rx`${L}ghr_(?<body>[A-Za-z0-9]{36,76})${R}`,
  }),
  regexRule({
    id: 'github_fine_grained_pat',
    family: 'github',
    description: 'GitHub fine-grained personal access token (github_pat_)',
    keywords: ['github_pat_'],
    // 22 + "_" + 59 characters today; any split of the 82 is accepted.
    pattern: rx`${L}github_pat_(?<body>[A-Za-z0-9_]{82})${R}`,
  }),
  regexRule({
    id: 'gitlab_pat',
    family: 'gitlab',
    description: 'GitLab personal, project or group access token (glpat-)',
    keywords: ['glpat-'],
    pattern: rx`${L}glpat-(?<body>[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{7,9}|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{9}|[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_pipeline_trigger_token',
    family: 'gitlab',
    description: 'GitLab pipeline trigger token (glptt-)',
    keywords: ['glptt-'],
    pattern: rx`${L}glptt-(?<body>[a-f0-9]{40}|[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_runner_token',
    family: 'gitlab',
    description: 'GitLab runner authentication token (glrt-)',
    keywords: ['glrt-'],
    pattern: rx`${L}glrt-(?<body>t\d_[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{7,9}|t\d_[A-Za-z0-9_-]{27,300}\.[0-9a-z]{9}|[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_runner_registration_token',
    family: 'gitlab',
    description: 'GitLab runner registration token (GR1348941)',
    keywords: ['gr1348941'],
    pattern: rx`${L}GR1348941(?<body>[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_ci_job_token',
    family: 'gitlab',
    description: 'GitLab CI/CD job token (glcbt-)',
    keywords: ['glcbt-'],
    pattern: rx`${L}glcbt-(?<body>(?:[0-9a-zA-Z]{1,5}_)?[A-Za-z0-9_-]{20,30})${RD}`,
  }),
  regexRule({
    id: 'gitlab_deploy_token',
    family: 'gitlab',
    description: 'GitLab deploy token (gldt-)',
    keywords: ['gldt-'],
    pattern: rx`${L}gldt-(?<body>[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_feature_flag_token',
    family: 'gitlab',
    description: 'GitLab feature flags client token (glffct-)',
    keywords: ['glffct-'],
    pattern: rx`${L}glffct-(?<body>[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_feed_token',
    family: 'gitlab',
    description: 'GitLab feed token (glft-)',
    keywords: ['glft-'],
    pattern: rx`${L}glft-(?<body>[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_incoming_mail_token',
    family: 'gitlab',
    description: 'GitLab incoming mail token (glimt-)',
    keywords: ['glimt-'],
    pattern: rx`${L}glimt-(?<body>[A-Za-z0-9_-]{25})${RD}`,
  }),
  regexRule({
    id: 'gitlab_agent_token',
    family: 'gitlab',
    description: 'GitLab agent for Kubernetes token (glagent-)',
    keywords: ['glagent-'],
    pattern: rx`${L}glagent-(?<body>[A-Za-z0-9_-]{50})${RD}`,
  }),
  regexRule({
    id: 'gitlab_oauth_app_secret',
    family: 'gitlab',
    description: 'GitLab OAuth application secret (gloas-)',
    keywords: ['gloas-'],
    pattern: rx`${L}gloas-(?<body>[A-Za-z0-9_-]{64})${RD}`,
  }),
  regexRule({
    id: 'gitlab_scim_token',
    family: 'gitlab',
    description: 'GitLab SCIM OAuth token (glsoat-)',
    keywords: ['glsoat-'],
    pattern: rx`${L}glsoat-(?<body>[A-Za-z0-9_-]{20})${RD}`,
  }),
  regexRule({
    id: 'gitlab_session_cookie',
    family: 'gitlab',
    description: 'GitLab session cookie (_gitlab_session=)',
    keywords: ['_gitlab_session='],
    pattern: rx`_gitlab_session=(?<secret>(?<body>[0-9a-z]{32}))${R}`,
  }),
  regexRule({
    id: 'bitbucket_app_password',
    family: 'bitbucket',
    description: 'Bitbucket app password or access token (ATBB, ATCTT3)',
    keywords: ['atbb', 'atctt3'],
    pattern: rx`${L}(?:ATBB(?<body>[A-Za-z0-9_=.-]{32})|ATCTT3[A-Za-z0-9_=-]{150,250})${RD}`,
  }),
  regexRule({
    id: 'atlassian_api_token',
    family: 'atlassian',
    description: 'Atlassian API token (ATATT3)',
    keywords: ['atatt3'],
    pattern: rx`${L}ATATT3(?<body>[A-Za-z0-9_=-]{150,250})${RD}`,
  }),
  regexRule({
    id: 'npm_access_token',
    family: 'npm',
    description: 'npm access token (npm_)',
    keywords: ['npm_'],
    pattern: rx`${L}npm_(?<body>[A-Za-z0-9]{36})${R}`,
    validate: checksum62,
  }),
  regexRule({
    id: 'pypi_upload_token',
    family: 'pypi',
    description: 'PyPI / TestPyPI upload token (pypi-AgEIcHlwaS5vcmc, pypi-AgENdGVzdC5weXBpLm9yZw)',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    pattern: rx`${L}pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)(?<body>[A-Za-z0-9_-]{50,1000})${RD}`,
  }),
  regexRule({
    id: 'rubygems_api_key',
    family: 'rubygems',
    description: 'RubyGems API key (rubygems_)',
    keywords: ['rubygems_'],
    pattern: rx`${L}rubygems_(?<body>[a-f0-9]{48})${R}`,
  }),
  regexRule({
    id: 'dockerhub_token',
    family: 'docker',
    description: 'Docker Hub personal or organization access token (dckr_pat_, dckr_oat_)',
    keywords: ['dckr_'],
    pattern: rx`${L}dckr_(?:pat|oat)_(?<body>[A-Za-z0-9_-]{27,36})${RD}`,
  }),
  regexRule({
    id: 'clojars_api_token',
    family: 'clojars',
    description: 'Clojars deploy token (CLOJARS_)',
    keywords: ['clojars_'],
    pattern: rx`${L}CLOJARS_(?<body>[a-z0-9]{60})${R}`,
  }),
  regexRule({
    id: 'nuget_api_key',
    family: 'nuget',
    description: 'NuGet API key (oy2)',
    keywords: ['oy2'],
    pattern: rx`${L}oy2(?<body>[a-z0-9]{43})${R}`,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'sourcegraph_access_token',
    family: 'sourcegraph',
    description: 'Sourcegraph access token (sgp_)',
    keywords: ['sgp_'],
    pattern: rx`${L}sgp_(?<body>(?:[A-Fa-f0-9]{16}|local)_[A-Fa-f0-9]{40}|[A-Fa-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'sonarqube_token',
    family: 'sonar',
    description: 'SonarQube / SonarCloud token (squ_, sqp_, sqa_)',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    pattern: rx`${L}sq[upa]_(?<body>[a-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'buildkite_token',
    family: 'buildkite',
    description: 'Buildkite user access token (bkua_)',
    keywords: ['bkua_'],
    pattern: rx`${L}bkua_(?<body>[a-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'deno_deploy_token',
    family: 'deno',
    description: 'Deno Deploy access token (ddp_, ddw_)',
    keywords: ['ddp_', 'ddw_'],
    pattern: rx`${L}dd[pw]_(?<body>[A-Za-z0-9]{36})${R}`,
  }),
  regexRule({
    id: 'octopus_deploy_api_key',
    family: 'octopus',
    description: 'Octopus Deploy API key (API-)',
    keywords: ['api-'],
    pattern: rx`${LB}API-(?<body>[A-Z0-9]{26})${R}`,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'harness_api_key',
    family: 'harness',
    description: 'Harness personal or service account token (pat., sat.)',
    keywords: ['pat.', 'sat.'],
    pattern: rx`${L}[ps]at\.(?<body>[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20})${R}`,
  }),
  regexRule({
    id: 'jfrog_api_key',
    family: 'jfrog',
    description: 'JFrog Artifactory API key (AKCp)',
    keywords: ['akcp'],
    pattern: rx`${LB}AKCp(?<body>[A-Za-z0-9]{69})${R}`,
  }),
  regexRule({
    id: 'jfrog_reference_token',
    family: 'jfrog',
    description: 'JFrog Artifactory reference token (cmVmd, base64 of "ref")',
    keywords: ['cmvmd'],
    pattern: rx`${LB}cmVmd(?<body>[A-Za-z0-9]{59})${R}`,
  }),
  regexRule({
    id: 'clickhouse_cloud_api_secret',
    family: 'clickhouse',
    description: 'ClickHouse Cloud API secret key (4b1d)',
    keywords: ['4b1d'],
    pattern: rx`${LB}4b1d(?<body>[A-Za-z0-9]{38})${R}`,
    validate: notDigest,
  }),
  regexRule({
    id: 'infracost_api_token',
    family: 'infracost',
    description: 'Infracost API token (ico-)',
    keywords: ['ico-'],
    pattern: rx`(?<![A-Za-z0-9_.+/-])ico-(?<body>[A-Za-z0-9]{32})${R}`,
    validate: notDigest,
  }),
  regexRule({
    id: 'prefect_api_key',
    family: 'prefect',
    description: 'Prefect API key (pnu_)',
    keywords: ['pnu_'],
    pattern: rx`${L}pnu_(?<body>[A-Za-z0-9]{36})${R}`,
  }),
  regexRule({
    id: 'readme_api_key',
    family: 'readme',
    description: 'ReadMe API key (rdme_)',
    keywords: ['rdme_'],
    pattern: rx`${L}rdme_(?<body>[a-z0-9]{70})${R}`,
  }),
  regexRule({
    id: 'scalingo_api_token',
    family: 'scalingo',
    description: 'Scalingo API token (tk-us-)',
    keywords: ['tk-us-'],
    pattern: rx`${L}tk-us-(?<body>[A-Za-z0-9_-]{48})${RD}`,
  }),
  regexRule({
    id: 'planetscale_token',
    family: 'planetscale',
    description: 'PlanetScale service token, OAuth token or password (pscale_tkn_, pscale_oauth_, pscale_pw_)',
    keywords: ['pscale_'],
    pattern: rx`${L}pscale_(?:tkn|oauth|pw)_(?<body>[A-Za-z0-9=._-]{32,64})(?![A-Za-z0-9=._-])`,
  }),

  // ---- collaboration, messaging and productivity -----------------------------------------------
  regexRule({
    id: 'slack_bot_token',
    family: 'slack',
    description: 'Slack bot token (xoxb-)',
    keywords: ['xoxb-'],
    pattern: rx`${L}xoxb-(?<body>\d{8,14}-(?:\d{8,14}-)?[A-Za-z0-9]{18,34})${RD}`,
  }),
  regexRule({
    id: 'slack_user_token',
    family: 'slack',
    description: 'Slack user token (xoxp-)',
    keywords: ['xoxp-'],
    pattern: rx`${L}xoxp-(?<body>\d{8,14}-\d{8,14}-\d{8,14}-[A-Za-z0-9]{28,34})${RD}`,
  }),
  regexRule({
    id: 'slack_legacy_token',
    family: 'slack',
    description: 'Slack legacy, workspace or refresh token (xoxa-, xoxo-, xoxs-, xoxr-)',
    keywords: ['xoxa-', 'xoxo-', 'xoxs-', 'xoxr-'],
    pattern: rx`${L}xox[aosr]-(?<body>\d-[A-Za-z0-9]{30,200}|\d{8,14}-\d{8,14}-\d{8,14}-[a-f0-9]{30,64})${RD}`,
  }),
  regexRule({
    id: 'slack_app_token',
    family: 'slack',
    description: 'Slack app-level token (xapp-)',
    keywords: ['xapp-'],
    pattern: rx`${L}xapp-\d-(?<body>[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{60,70})${RD}`,
  }),
  regexRule({
    id: 'slack_config_token',
    family: 'slack',
    description: 'Slack app configuration access or refresh token (xoxe.xoxp-, xoxe-)',
    keywords: ['xoxe.xox', 'xoxe-'],
    pattern: rx`${L}xoxe(?:\.xox[bp])?-\d-(?<body>[A-Za-z0-9]{140,250})${RD}`,
  }),
  regexRule({
    id: 'slack_webhook_url',
    family: 'slack',
    description: 'Slack incoming webhook, workflow or workflow trigger URL',
    keywords: ['hooks.slack.com/'],
    // services/T…/B…/secret, workflows/T…/A…/id/secret, and triggers/T…/id/secret, whose trigger id
    // is numeric with no A/B id before it.
    pattern: rx`hooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>(?<body>T[A-Z0-9]{6,12}/(?:[AB][A-Z0-9]{6,12}/(?:\d{6,20}/)?|\d{6,20}/)[A-Za-z0-9]{20,32}))${R}`,
    specificity: 90,
  }),
  regexRule({
    id: 'discord_webhook_url',
    family: 'discord',
    description: 'Discord webhook URL',
    keywords: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern: rx`discord(?:app)?\.com/api/webhooks/(?<secret>\d{17,20}/(?<body>[A-Za-z0-9_-]{60,68}))${RD}`,
    specificity: 90,
  }),
  regexRule({
    id: 'microsoft_teams_webhook_url',
    family: 'microsoft',
    description: 'Microsoft Teams incoming webhook URL',
    keywords: ['.webhook.office.com/webhookb2/'],
    pattern: rx`\.webhook\.office\.com/webhookb2/(?<secret>(?<body>[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[A-Za-z0-9]{32}/[a-z0-9-]{36}(?:/[A-Za-z0-9_-]{10,80})?))`,
    specificity: 90,
  }),
  regexRule({
    id: 'telegram_bot_token',
    family: 'telegram',
    description: 'Telegram Bot API token (bot id:AA...)',
    keywords: [':aa'],
    back: [8, 9, 10],
    precededBy: afterDigit,
    // Letters may precede the id: API URLs are written .../bot<token>/sendMessage.
    pattern: rx`(?<![0-9_:])(?<body>\d{8,10}:AA[A-Za-z0-9_-]{33})${RD}`,
    minEntropy: 3.5,
  }),
  regexRule({
    id: 'linear_api_key',
    family: 'linear',
    description: 'Linear personal API key or OAuth token (lin_api_, lin_oauth_)',
    keywords: ['lin_api_', 'lin_oauth_'],
    pattern: rx`${L}lin_(?:api_(?<body>[A-Za-z0-9]{40})|oauth_[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'notion_token',
    family: 'notion',
    description: 'Notion integration token (ntn_, secret_)',
    keywords: ['ntn_', 'secret_'],
    pattern: rx`${L}(?:ntn_(?<body>\d{11}[A-Za-z0-9]{35})|secret_[A-Za-z0-9]{43})${R}`,
    validate: (ctx) =>
      ctx.body.startsWith('secret_') ? undefined : needsLetterAndDigit({ ...ctx, body: ctx.body.slice(11) }),
  }),
  regexRule({
    id: 'postman_api_key',
    family: 'postman',
    description: 'Postman API key (PMAK-)',
    keywords: ['pmak-'],
    pattern: rx`${L}PMAK-(?<body>[a-f0-9]{24}-[a-f0-9]{34})${R}`,
  }),
  regexRule({
    id: 'airtable_pat',
    family: 'airtable',
    description: 'Airtable personal access token (pat + 14 characters . 64 hex)',
    keywords: ['pat'],
    pattern: rx`${L}pat(?<body>[A-Za-z0-9]{14}\.[a-f0-9]{64})${R}`,
  }),
  regexRule({
    id: 'asana_pat',
    family: 'asana',
    description: 'Asana personal access token (1/ or 2/ + ids + 32 hex)',
    keywords: ['1/', '2/'],
    pattern: rx`(?<![A-Za-z0-9_/])[12]/(?<body>\d{10,20}(?:/\d{10,20})?:[a-f0-9]{32})${R}`,
  }),
  regexRule({
    id: 'figma_pat',
    family: 'figma',
    description: 'Figma personal access token (figd_)',
    keywords: ['figd_'],
    pattern: rx`${L}figd_(?<body>[A-Za-z0-9_-]{40,80})${RD}`,
  }),
  regexRule({
    id: 'contentful_pat',
    family: 'contentful',
    description: 'Contentful content management personal access token (CFPAT-)',
    keywords: ['cfpat-'],
    pattern: rx`${L}CFPAT-(?<body>[A-Za-z0-9_-]{43})${RD}`,
  }),
  regexRule({
    id: 'typeform_api_token',
    family: 'typeform',
    description: 'Typeform personal access token (tfp_)',
    keywords: ['tfp_'],
    pattern: rx`${L}tfp_(?<body>[A-Za-z0-9_.=-]{59})(?![A-Za-z0-9_.=-])`,
  }),
  regexRule({
    id: 'hubspot_private_app_token',
    family: 'hubspot',
    description: 'HubSpot private app access token (pat-na1-, pat-eu1-)',
    keywords: ['pat-na1-', 'pat-eu1-'],
    pattern: rx`${L}pat-(?:na|eu)1-(?<body>[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})${R}`,
  }),
  regexRule({
    id: 'frameio_api_token',
    family: 'frameio',
    description: 'Frame.io developer token (fio-u-)',
    keywords: ['fio-u-'],
    pattern: rx`${L}fio-u-(?<body>[A-Za-z0-9_=-]{64})(?![A-Za-z0-9_=-])`,
  }),
  regexRule({
    id: 'settlemint_token',
    family: 'settlemint',
    description: 'SettleMint personal, application or service access token (sm_pat_, sm_aat_, sm_sat_)',
    keywords: ['sm_pat_', 'sm_aat_', 'sm_sat_'],
    pattern: rx`${L}sm_[pas]at_(?<body>[A-Za-z0-9]{16})${R}`,
  }),
  regexRule({
    id: 'onepassword_secret_key',
    family: '1password',
    description: '1Password account secret key (A3-)',
    keywords: ['a3-'],
    pattern: rx`${L}A3-(?<body>[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})${RD}`,
  }),
  regexRule({
    id: 'onepassword_service_account_token',
    family: '1password',
    description: '1Password service account token (ops_eyJ)',
    keywords: ['ops_eyj'],
    pattern: rx`${L}ops_(?<body>eyJ[A-Za-z0-9+/]{250,6000}={0,3})${RB}`,
  }),
  regexRule({
    id: 'age_secret_key',
    family: 'age',
    description: 'age encryption secret key (AGE-SECRET-KEY-1)',
    keywords: ['age-secret-key-1'],
    pattern: rx`${L}AGE-SECRET-KEY-1(?<body>[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})${R}`,
  }),
  regexRule({
    id: 'authress_access_key',
    family: 'authress',
    description: 'Authress service client access key',
    keywords: ['sc_', 'ext_', 'scauth_', 'authress_'],
    pattern: rx`${L}(?:sc|ext|scauth|authress)_(?<body>[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120})(?![a-z0-9+/_=-])`,
  }),

  // ---- payments and commerce -----------------------------------------------------------------------
  regexRule({
    id: 'stripe_secret_key',
    family: 'stripe',
    description: 'Stripe live secret key (sk_live_)',
    keywords: ['sk_live_'],
    pattern: rx`${L}sk_live_(?<body>[A-Za-z0-9]{24,247})${R}`,
    score: 0.97,
  }),
  regexRule({
    id: 'stripe_restricted_key',
    family: 'stripe',
    description: 'Stripe restricted key (rk_live_, rk_test_)',
    keywords: ['rk_live_', 'rk_test_'],
    pattern: rx`${L}rk_(?:live|test)_(?<body>[A-Za-z0-9]{24,247})${R}`,
  }),
  regexRule({
    id: 'stripe_test_secret_key',
    family: 'stripe',
    description: 'Stripe test-mode secret key (sk_test_)',
    keywords: ['sk_test_'],
    pattern: rx`${L}sk_test_(?<body>[A-Za-z0-9]{24,247})${R}`,
    score: 0.7,
  }),
  regexRule({
    id: 'stripe_webhook_secret',
    family: 'stripe',
    description: 'Stripe webhook signing secret (whsec_)',
    keywords: ['whsec_'],
    pattern: rx`${L}whsec_(?<body>[A-Za-z0-9+/]{32,64}={0,2})${RB}`,
  }),
  regexRule({
    id: 'square_access_token',
    family: 'square',
    description: 'Square access token (EAAA, sq0atp-)',
    keywords: ['eaaa', 'sq0atp-'],
    pattern: rx`${LB}(?:EAAA(?<body>[A-Za-z0-9_-]{60})|sq0atp-[A-Za-z0-9_-]{22})${RD}`,
  }),
  regexRule({
    id: 'square_oauth_secret',
    family: 'square',
    description: 'Square OAuth application secret (sq0csp-)',
    keywords: ['sq0csp-'],
    pattern: rx`${L}sq0csp-(?<body>[A-Za-z0-9_-]{43})${RD}`,
  }),
  regexRule({
    id: 'shopify_token',
    family: 'shopify',
    description: 'Shopify access token or shared secret (shpat_, shpca_, shppa_, shpss_)',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: rx`${L}shp(?:at|ca|pa|ss)_(?<body>[a-fA-F0-9]{32})${R}`,
  }),
  regexRule({
    id: 'paypal_braintree_access_token',
    family: 'paypal',
    description: 'PayPal Braintree access token (access_token$production$...)',
    keywords: ['access_token$'],
    pattern: rx`${L}access_token\$(?:production|sandbox)\$(?<body>[0-9a-z]{16}\$[0-9a-f]{32})${R}`,
  }),
  regexRule({
    id: 'flutterwave_secret_key',
    family: 'flutterwave',
    description: 'Flutterwave secret or encryption key (FLWSECK-, FLWSECK_TEST)',
    keywords: ['flwseck'],
    pattern: rx`${L}FLWSECK(?:_TEST)?(?:-(?<body>[a-h0-9]{32})-X|(?<enc>[a-h0-9]{12}|-[a-h0-9]{12}))${R}`,
    minEntropy: 2.5,
  }),
  regexRule({
    id: 'freemius_secret_key',
    family: 'freemius',
    description: "Freemius SDK secret key ('secret_key' => 'sk_...' in a PHP configuration array)",
    keywords: ['secret_key'],
    pattern: rxi`(?<=['"])secret_key['"]\s{0,10}=>\s{0,10}['"](?<secret>sk_(?<body>\S{29}))['"]`,
    minEntropy: 3.5,
  }),
  regexRule({
    id: 'shippo_api_token',
    family: 'shippo',
    description: 'Shippo API token (shippo_live_, shippo_test_)',
    keywords: ['shippo_'],
    pattern: rx`${L}shippo_(?:live|test)_(?<body>[a-f0-9]{40})${R}`,
  }),
  regexRule({
    id: 'duffel_api_token',
    family: 'duffel',
    description: 'Duffel API token (duffel_live_, duffel_test_)',
    keywords: ['duffel_'],
    pattern: rx`${L}duffel_(?:test|live)_(?<body>[A-Za-z0-9_=-]{43})(?![A-Za-z0-9_=-])`,
  }),
  regexRule({
    id: 'easypost_api_key',
    family: 'easypost',
    description: 'EasyPost production or test API key (EZAK, EZTK)',
    keywords: ['ezak', 'eztk'],
    pattern: rx`${LB}EZ[AT]K(?<body>[A-Za-z0-9]{54})${RB}`,
  }),
  regexRule({
    id: 'plaid_access_token',
    family: 'plaid',
    description: 'Plaid access token (access-production-, access-sandbox-)',
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
    pattern: rx`${L}access-(?:sandbox|development|production)-(?<body>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})${R}`,
  }),
  regexRule({
    id: 'sidekiq_enterprise_credentials',
    family: 'sidekiq',
    description: 'Sidekiq Pro/Enterprise gem server credentials (BUNDLE_*__CONTRIBSYS__COM=user:password)',
    keywords: ['__contribsys__com'],
    back: [11, 17],
    // Bundler folds the variable name's case; the value may sit after quotes, a YAML/Ruby operator
    // or a few more name characters (`BUNDLE_GEMS__CONTRIBSYS__COM_TOKEN`).
    pattern: rxi`BUNDLE_(?:GEMS|ENTERPRISE)__CONTRIBSYS__COM[\w.-]{0,20}[\s'"\x60]{0,5}(?:=>|:=|[:=]){1,2}[\s'"\x60=]{0,5}(?<secret>(?<body>[a-fA-F0-9]{8}:[a-fA-F0-9]{8}))${R}`,
    minEntropy: 2.5,
  }),
  regexRule({
    id: 'intra42_client_secret',
    family: 'intra42',
    description: '42 Intra API client secret (s-s4t2ud-, s-s4t2af-)',
    keywords: ['s-s4t2'],
    pattern: rx`${L}s-s4t2(?:ud|af)-(?<body>[a-f0-9]{64})${R}`,
  }),

  // ---- email and messaging APIs ----------------------------------------------------------------------
  regexRule({
    id: 'sendgrid_api_key',
    family: 'sendgrid',
    description: 'SendGrid API key (SG.x.y)',
    keywords: ['sg.'],
    pattern: rx`${L}SG\.(?<body>[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})${RD}`,
  }),
  regexRule({
    id: 'sendinblue_api_key',
    family: 'brevo',
    description: 'Brevo (Sendinblue) API key (xkeysib-)',
    keywords: ['xkeysib-'],
    pattern: rx`${L}xkeysib-(?<body>[a-f0-9]{64}-[A-Za-z0-9]{16})${R}`,
  }),
  regexRule({
    id: 'mailgun_api_key',
    family: 'mailgun',
    description: 'Mailgun private API key (key- + 32 hex) near a mention of Mailgun',
    keywords: ['key-'],
    pattern: rx`${L}key-(?<body>[0-9a-f]{32})${R}`,
    validate: contextBefore(['mailgun'], 300),
  }),
  regexRule({
    id: 'mailchimp_api_key',
    family: 'mailchimp',
    description: 'Mailchimp API key (32 hex + -usN datacenter)',
    keywords: ['-us'],
    back: 32,
    precededBy: afterHex,
    pattern: rx`${L}(?<body>[0-9a-f]{32})-us\d{1,2}${R}`,
  }),
  regexRule({
    id: 'twilio_api_key',
    family: 'twilio',
    description: 'Twilio API key SID (SK + 32 hex)',
    keywords: ['sk'],
    pattern: rx`${LB}SK(?<body>[0-9a-f]{32})${R}`,
  }),
  regexRule({
    id: 'resend_api_key',
    family: 'resend',
    description: 'Resend API key (re_)',
    keywords: ['re_'],
    pattern: rx`${L}re_(?<body>[A-Za-z0-9]{8}_[A-Za-z0-9]{24})${R}`,
    validate: needsLetterAndDigit,
  }),
  regexRule({
    id: 'mailersend_api_token',
    family: 'mailersend',
    description: 'MailerSend API token (mlsn.)',
    keywords: ['mlsn.'],
    pattern: rx`${L}mlsn\.(?<body>[a-f0-9]{64})${R}`,
  }),

  // ---- social / misc APIs ------------------------------------------------------------------------------
  regexRule({
    id: 'adobe_client_secret',
    family: 'adobe',
    description: 'Adobe Developer Console (IMS) OAuth client secret (p8e- + 32 characters)',
    keywords: ['p8e-'],
    pattern: rx`${LB}p8e-(?<body>[A-Za-z0-9]{32})${RD}`,
    validate: needsLetterAndDigit,
    specificity: 85,
  }),
  regexRule({
    id: 'facebook_access_token',
    family: 'facebook',
    description: 'Meta (Facebook) user or page access token (EAA...)',
    keywords: ['eaa'],
    pattern: rx`${LB}EAA(?<body>[A-Za-z0-9]{90,400})${R}`,
    minEntropy: 3.5,
    specificity: 70,
  }),
  regexRule({
    id: 'facebook_app_access_token',
    family: 'facebook',
    description: 'Meta (Facebook) app access token (app id|app secret)',
    keywords: ['|', '%7c'],
    back: [15, 16],
    precededBy: afterDigit,
    pattern: rx`(?<![A-Za-z0-9_])(?<body>\d{15,16}(?:\||%7C)[A-Za-z0-9_-]{27})${RD}`,
    minEntropy: 3.5,
  }),
  regexRule({
    id: 'twitter_bearer_token',
    family: 'twitter',
    description: 'X (Twitter) app-only bearer token (22 A + URL-encoded key)',
    keywords: ['aaaaaaaaaaaaaaaaaaaaaa'],
    // Case-insensitive run: keys copied through case-folding tools keep their length and shape.
    pattern: rx`(?<![A-Za-z0-9%])[Aa]{22}(?<body>[A-Za-z0-9%]{80,400})(?![A-Za-z0-9%])`,
    specificity: 85,
  }),
  regexRule({
    id: 'dropbox_short_lived_token',
    family: 'dropbox',
    description: 'Dropbox short-lived access token (sl.)',
    keywords: ['sl.'],
    pattern: rx`${L}sl\.(?:u\.)?(?<body>[A-Za-z0-9_-]{130,1400})${RD}`,
  }),
  regexRule({
    id: 'dropbox_long_lived_token',
    family: 'dropbox',
    description: 'Dropbox long-lived access token (11 chars + AAAAAAAAAA + 43 chars)',
    keywords: ['aaaaaaaaaa'],
    back: 11,
    pattern: rx`${L}(?<body>[a-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_-]{43})${RD}`,
  }),
  regexRule({
    id: 'mapbox_secret_token',
    family: 'mapbox',
    description: 'Mapbox secret access token (sk.eyJ)',
    keywords: ['sk.eyj'],
    pattern: rx`${L}sk\.(?<body>eyJ[A-Za-z0-9_-]{50,300}\.[A-Za-z0-9_-]{20,30})${RD}`,
  }),
  regexRule({
    id: 'openshift_user_token',
    family: 'openshift',
    description: 'OpenShift user OAuth token (sha256~)',
    keywords: ['sha256~'],
    pattern: rx`${L}sha256~(?<body>[A-Za-z0-9_-]{43})${RD}`,
  }),
  regexRule({
    id: 'maxmind_license_key',
    family: 'maxmind',
    description: 'MaxMind license key (..._mmk)',
    keywords: ['_mmk'],
    back: 36,
    pattern: rx`${L}(?<body>[A-Za-z0-9]{6}_[A-Za-z0-9]{29})_mmk${R}`,
  }),
  regexRule({
    id: 'yandex_api_key',
    family: 'yandex',
    description: 'Yandex Cloud API key (AQVN)',
    keywords: ['aqvn'],
    pattern: rx`${LB}AQVN(?<body>[A-Za-z0-9_-]{35,38})${RD}`,
  }),
  regexRule({
    id: 'yandex_iam_token',
    family: 'yandex',
    description: 'Yandex Cloud IAM token (t1.)',
    keywords: ['t1.'],
    pattern: rx`${L}t1\.(?<body>[A-Za-z0-9_-]{8,200}={0,2}\.[A-Za-z0-9_-]{86}={0,2})(?![A-Za-z0-9_=-])`,
  }),
  regexRule({
    id: 'portcullis_api_key',
    family: 'portcullis',
    description: 'Portcullis gateway API key (pcx_live_, pcx_test_)',
    keywords: ['pcx_'],
    pattern: rx`${L}pcx_(?:live|test)_(?<body>[0-9A-Za-z]{49})${R}`,
    validate: checksum62,
    specificity: 95,
  }),

  // ---- tokens recognised by structure ----------------------------------------------------------
  regexRule({
    id: 'jwt',
    family: 'jwt',
    description: 'JSON Web Token (header decodes to JSON with alg; payload decodes to JSON)',
    keywords: ['eyj'],
    pattern: rx`(?<![A-Za-z0-9_.-])(?<body>eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{4,8000}\.[A-Za-z0-9_-]{0,2000})(?![A-Za-z0-9_.-])`,
    minEntropy: 0,
    placeholderCheck: false,
    score: 0.85,
    specificity: 40,
    validate: (ctx) => (jwtShape(ctx.body) === 'valid' ? { signal: 'decoded' } : false),
  }),
];
