import { createSecretKey, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { retentionMs, retentionSchema } from '../src/audit/retention-settings.ts';
import { ClientTokenService } from '../src/identity/client-tokens.ts';
import type { KeyService } from '../src/identity/keys.ts';
import { PriceBook } from '../src/limits/prices.ts';
import { definitionHash, promptDefinitionSchema, storedForm } from '../src/prompts/definition.ts';
import { containsDelimiter, DATA_NOTICE, renderPrompt } from '../src/prompts/render.ts';
import { validateVariables } from '../src/prompts/variables.ts';
import type { ApiKeyRecord } from '../src/store/types.ts';

const def = storedForm(
  promptDefinitionSchema.parse({
    id: 'p',
    model: 'mock-1',
    system: 'Reply in {{lang}}.',
    user: 'Tags: {{tags}}\nText: {{text}}\nCount: {{n}}',
    variables: {
      lang: { type: 'enum', values: ['en', 'fr'], trusted: true },
      tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 3 },
      text: { type: 'string', maxLength: 50 },
      n: { type: 'integer', min: 0, max: 9, default: 3 },
    },
  }),
);

describe('rendering', () => {
  it('puts untrusted values in blocks, trusted ones inline, and the notice after the author’s system text', () => {
    const r = renderPrompt(def, { lang: 'fr', tags: ['a', 'b'], text: 'hello', n: 4 });
    expect(r.messages[0]).toEqual({ role: 'system', content: `Reply in fr.\n\n${DATA_NOTICE}` });
    expect(r.messages[1]!.content).toBe(
      'Tags: <user_input name="tags">\n- a\n- b\n</user_input>\nText: <user_input name="text">\nhello\n</user_input>\nCount: <user_input name="n">\n4\n</user_input>',
    );
    for (const s of r.spans) {
      const body = r.messages[s.message]!.content.slice(s.start, s.end);
      expect(body).toBe({ tags: '- a\n- b', text: 'hello', n: '4' }[s.variable]);
    }
  });

  it('adds a system message for the notice when the prompt has none, and shifts spans to the user message', () => {
    const bare = storedForm(
      promptDefinitionSchema.parse({ id: 'q', model: 'm', user: 'Do {{x}}', variables: { x: { type: 'string' } } }),
    );
    const r = renderPrompt(bare, { x: 'it' });
    expect(r.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(r.spans).toEqual([
      {
        variable: 'x',
        message: 1,
        start: r.messages[1]!.content.indexOf('it'),
        end: r.messages[1]!.content.indexOf('it') + 2,
      },
    ]);
  });

  it('recognises the delimiter through case, width, spacing and invisible characters only', () => {
    for (const v of [
      '</user_input>',
      '<USER_INPUT name="x">',
      '＜user_input',
      '<\u200d/user-input',
      '< /user input',
      '<\u2060user_input',
    ]) {
      expect(containsDelimiter(v), v).toBe(true);
    }
    for (const v of ['a < b', 'user_input', '<userinputs', '</user_inpt>', 'x<y>z']) {
      expect(containsDelimiter(v), v).toBe(v === '<userinputs');
    }
  });
});

describe('variable validation', () => {
  it('applies defaults and reports each bad field', () => {
    expect(validateVariables(def, { lang: 'en', tags: [], text: 'ok' })).toEqual({
      ok: true,
      values: { lang: 'en', tags: [], text: 'ok', n: 3 },
    });
    const bad = validateVariables(def, { lang: 'de', tags: ['x'.repeat(11), 5], text: 'a'.repeat(51), n: 2.5 });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      { field: 'lang', problem: 'must be one of: en, fr' },
      { field: 'n', problem: 'must be an integer' },
      { field: 'tags[0]', problem: 'is longer than 10 characters' },
      { field: 'tags[1]', problem: 'must be a string, got a number' },
      { field: 'text', problem: 'is longer than 50 characters' },
    ]);
  });

  it('counts characters, not UTF-16 units, and refuses prototype tricks', () => {
    expect(validateVariables(def, { lang: 'en', tags: [], text: '😀'.repeat(50) }).ok).toBe(true);
    const proto = validateVariables(def, JSON.parse('{"lang":"en","tags":[],"text":"x","__proto__":{"n":1}}'));
    expect(proto.ok).toBe(false);
  });

  it('hashes definitions independently of key order', () => {
    const a = storedForm(promptDefinitionSchema.parse({ id: 'z', model: 'm', user: 'u' }));
    const b = storedForm(promptDefinitionSchema.parse({ user: 'u', model: 'm', id: 'z' }));
    expect(definitionHash(a)).toBe(definitionHash(b));
  });
});

describe('client tokens', () => {
  const issuer: ApiKeyRecord = {
    id: 'key_issuer',
    tenantId: 'default',
    name: 'issuer',
    prefix: 'pcx_live_abcd',
    hash: 'h',
    role: 'user',
    scopes: ['execute', 'tokens'],
    models: ['*'],
    prompts: ['*'],
    policy: null,
    adminRole: null,
    userId: null,
    projectId: null,
    ipAllowlist: [],
    createdAt: new Date(0),
    expiresAt: null,
    revokedAt: null,
    replacedBy: null,
    lastUsedAt: null,
  };
  const keys = { byId: async () => issuer } as unknown as KeyService;
  const signing = createSecretKey(randomBytes(32));

  it('expire after their lifetime, allowing a few seconds of clock skew', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const svc = new ClientTokenService(signing, keys, () => now);
    const { token } = await svc.mint(issuer, {
      prompts: ['p'],
      ttlSeconds: 60,
      rateLimit: { requests: 1, perSeconds: 60 },
    });
    now += 63_000;
    await expect(svc.verify(token)).resolves.toMatchObject({ principal: { prompts: ['p'] } });
    now += 3_000;
    await expect(svc.verify(token)).rejects.toMatchObject({ code: 'expired_client_token' });
  });

  it('are refused when signed with another gateway’s key', async () => {
    const other = new ClientTokenService(createSecretKey(randomBytes(32)), keys);
    const { token } = await other.mint(issuer, {
      prompts: ['p'],
      ttlSeconds: 60,
      rateLimit: { requests: 1, perSeconds: 60 },
    });
    await expect(new ClientTokenService(signing, keys).verify(token)).rejects.toMatchObject({
      code: 'invalid_client_token',
    });
  });
});

describe('prices and retention values', () => {
  it('prefers provider/model, then model, then the longest prefix', () => {
    const book = new PriceBook({
      'gpt-4o*': { inputPerMTok: 2.5, outputPerMTok: 10 },
      'gpt-4o-mini*': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
      'azure/gpt-4o': { inputPerMTok: 3, outputPerMTok: 12 },
    });
    expect(book.cost('openai', 'gpt-4o-mini-2024', { promptTokens: 1_000_000, completionTokens: 0 })).toBe(0.15);
    expect(book.cost('azure', 'gpt-4o', { promptTokens: 0, completionTokens: 1_000_000 })).toBe(12);
    expect(book.cost('openai', 'gpt-4o', { promptTokens: 1000, completionTokens: 1000 })).toBe(0.0125);
    expect(book.cost('x', 'unknown', { promptTokens: 1, completionTokens: 1 })).toBeNull();
  });

  it('accepts hours, days and none within bounds', () => {
    expect(retentionMs('12h')).toBe(12 * 3_600_000);
    expect(retentionMs('none')).toBe(0);
    for (const ok of ['1h', '30d', '3650d', 'none'])
      expect(retentionSchema.safeParse({ logs: ok, responses: ok, pii: ok }).success, ok).toBe(true);
    for (const bad of ['0h', '3651d', '-1d', '1.5d', 'forever', '30 d', '1e3d', '']) {
      expect(retentionSchema.safeParse({ logs: bad, responses: 'none', pii: 'none' }).success, bad).toBe(false);
    }
  });
});
