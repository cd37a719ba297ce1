// Builds a Provider from a configured record. Settings are validated here, at load time, so a typo'd
// timeout or an impossible failure rate is a startup error instead of a surprise at request time.

import { z } from 'zod';
import { AnthropicProvider } from './anthropic.ts';
import type { MockSettings } from './mock.ts';
import { MockProvider } from './mock.ts';
import { OpenAIProvider } from './openai.ts';
import type { Provider, ProviderKind } from './types.ts';

export interface ProviderConfig {
  name: string;
  kind: ProviderKind;
  baseUrl?: string | null | undefined;
  /** The plain key, decrypted by the caller just before this call. */
  apiKey?: string | null | undefined;
  settings?: Record<string, unknown> | null | undefined;
}

export class ProviderConfigError extends Error {
  readonly provider: string;
  constructor(provider: string, message: string) {
    super(`provider "${provider}": ${message}`);
    this.name = 'ProviderConfigError';
    this.provider = provider;
  }
}

const positiveInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();
const headerValue = z.string().regex(/^[^\r\n\0]*$/, 'header values cannot contain line breaks');

const routerHints = {
  timeoutMs: positiveInt.optional(),
  maxRetries: nonNegInt.max(10).optional(),
};

const httpSettings = z.object({
  ...routerHints,
  maxConnections: positiveInt.optional(),
  keepAliveTimeoutMs: positiveInt.optional(),
  connectTimeoutMs: positiveInt.optional(),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'invalid header name'), headerValue).optional(),
});

const openaiSettings = httpSettings.extend({
  organization: headerValue.optional(),
  project: headerValue.optional(),
  streamUsage: z.boolean().optional(),
  maxTokensField: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
});

const anthropicSettings = httpSettings.extend({
  version: headerValue.optional(),
  defaultMaxTokens: positiveInt.optional(),
  beta: z.array(headerValue).optional(),
});

const mockSettings = z.object({
  ...routerHints,
  latencyMs: z.number().nonnegative().optional(),
  chunkDelayMs: z.number().nonnegative().optional(),
  seed: z.number().int().optional(),
  failure: z
    .object({
      kind: z.union([
        z.enum(['timeout', 'drop']),
        z.number().int().min(400).max(599),
        z.string().regex(/^[45]\d\d$/, 'expected timeout, drop or an HTTP status 400-599'),
      ]),
      rate: z.number().min(0).max(1).optional(),
      times: nonNegInt.optional(),
      retryAfterMs: nonNegInt.optional(),
      afterChunks: nonNegInt.optional(),
    })
    .optional(),
});

function parseSettings<S extends z.ZodType>(name: string, schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (!result.success) throw new ProviderConfigError(name, `invalid settings: ${z.prettifyError(result.error)}`);
  return result.data;
}

export function createProvider(config: ProviderConfig): Provider {
  const { name, kind } = config;
  if (!name || /[/\s]/.test(name)) {
    // `/` separates provider from model in explicit `provider/model` targets.
    throw new ProviderConfigError(name, 'name must be non-empty and contain no "/" or spaces');
  }
  try {
    switch (kind) {
      case 'mock':
        return new MockProvider({ name, settings: parseSettings(name, mockSettings, config.settings) as MockSettings });
      case 'openai':
      case 'openai-compatible':
        return new OpenAIProvider({
          name,
          kind,
          baseUrl: config.baseUrl,
          apiKey: config.apiKey,
          settings: parseSettings(name, openaiSettings, config.settings),
        });
      case 'anthropic':
        return new AnthropicProvider({
          name,
          baseUrl: config.baseUrl,
          apiKey: config.apiKey,
          settings: parseSettings(name, anthropicSettings, config.settings),
        });
      default:
        throw new ProviderConfigError(name, `unknown kind ${JSON.stringify(kind satisfies never)}`);
    }
  } catch (err) {
    if (err instanceof ProviderConfigError) throw err;
    // Adapters report missing keys or bad URLs as plain errors; give them one recognisable type.
    const message = err instanceof Error ? err.message.replace(/^provider "[^"]*": /, '') : 'invalid configuration';
    throw new ProviderConfigError(name, message);
  }
}
