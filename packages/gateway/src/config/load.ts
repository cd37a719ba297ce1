import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Config, configSchema } from './schema.ts';

const ENV_PREFIX = 'PORTCULLIS_';
/** Environment variables with this prefix that are not config keys. */
const NON_CONFIG_ENV = new Set(['PORTCULLIS_CONFIG', 'PORTCULLIS_DATASETS', 'PORTCULLIS_API_KEY', 'PORTCULLIS_URL']);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `maxBatch` → `MAX_BATCH`; a path [requestLog, maxBatch] → PORTCULLIS_REQUEST_LOG_MAX_BATCH. */
function envName(path: string[]): string {
  return ENV_PREFIX + path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

interface Leaf {
  path: string[];
  /** Arrays and records come from the environment as JSON. */
  json: boolean;
}

function leaves(schema: z.ZodType, path: string[] = []): Leaf[] {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  if (s instanceof z.ZodObject) {
    return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, json: s instanceof z.ZodArray || s instanceof z.ZodRecord }];
}

const LEAVES = new Map(leaves(configSchema).map((l) => [envName(l.path), l]));

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function getPath(source: unknown, path: PropertyKey[]): unknown {
  let node = source;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Where each value came from, so an error can say "from PORTCULLIS_SERVER_PORT" or "from portcullis.yaml". */
type Origins = Map<string, string>;

function applyEnv(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, origins: Origins): void {
  const aliases: Record<string, string> = { PORTCULLIS_MASTER_KEY: 'PORTCULLIS_SECRETS_MASTER_KEY' };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined || NON_CONFIG_ENV.has(name)) continue;
    const canonical = aliases[name] ?? name;
    const leaf = LEAVES.get(canonical);
    if (!leaf) {
      throw new ConfigError(`config error: environment variable ${name} is not a Portcullis setting`);
    }
    let parsed: unknown = value;
    if (leaf.json) {
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new ConfigError(`config error: ${leaf.path.join('.')} (from ${name}) must be JSON; got ${show(value)}`);
      }
    }
    setPath(raw, leaf.path, parsed);
    origins.set(leaf.path.join('.'), name);
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const SECRET_PATHS = new Set(['secrets.masterKey']);

function formatIssues(error: z.ZodError, raw: unknown, origins: Origins, file: string | undefined): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    const origin = origins.get(key) ?? (file ? file : 'defaults');
    const value = getPath(raw, issue.path);
    const shown = SECRET_PATHS.has(key) ? '(hidden)' : show(value);
    if (issue.code === 'unrecognized_keys') {
      return `  ${key === '(root)' ? '' : `${key}.`}${issue.keys.join(', ')}: unknown setting (in ${origin})`;
    }
    return `  ${key} = ${shown} (from ${origin}): ${issue.message}`;
  });
  return `config error:\n${lines.join('\n')}`;
}

export interface LoadOptions {
  /** Explicit file path (CLI --config). Falls back to PORTCULLIS_CONFIG, then ./portcullis.yaml if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides applied after file and environment (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

export function loadConfig(opts: LoadOptions = {}): { config: Config; file: string | undefined } {
  const env = opts.env ?? process.env;
  const explicit = opts.file ?? env.PORTCULLIS_CONFIG;
  const file = explicit ?? (existsSync('portcullis.yaml') ? 'portcullis.yaml' : undefined);
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ConfigError(`config error: cannot read config file ${file}`);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new ConfigError(`config error: ${file} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== 'object' || Array.isArray(doc)) {
        throw new ConfigError(`config error: ${file} must hold a mapping of settings at the top level`);
      }
      raw = doc as Record<string, unknown>;
    }
  }
  const origins: Origins = new Map();
  applyEnv(raw, env, origins);
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    setPath(raw, key.split('.'), value);
    origins.set(key, 'overrides');
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(formatIssues(result.error, raw, origins, file));
  return { config: result.data, file };
}
