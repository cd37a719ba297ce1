import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { policyOverrideSchema } from '../config/policy-schema.ts';

// A prompt definition as authors write it (YAML or JSON). Everything a request could otherwise smuggle in — the
// text, the model, the parameters, the guard policy — lives here, reviewed and versioned; callers send variables.

export const PROMPT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const LABEL = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** `{{ name }}`; anything else in braces is literal text. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g;

export const MAX_STRING_LENGTH = 100_000;
const MAX_TEMPLATE_LENGTH = 100_000;

const common = {
  description: z.string().max(500).optional(),
  required: z.boolean().optional(),
  trusted: z.boolean().optional(),
};

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

const stringVar = z
  .object({
    type: z.literal('string'),
    minLength: z.number().int().min(0).max(MAX_STRING_LENGTH).optional(),
    maxLength: z.number().int().min(1).max(MAX_STRING_LENGTH).optional(),
    // Authored by admins, applied to untrusted values: short, and only with a bounded length (see below).
    pattern: z.string().min(1).max(500).refine(compiles, 'is not a valid regular expression').optional(),
    default: z.string().max(MAX_STRING_LENGTH).optional(),
    ...common,
  })
  .strict();
const enumVar = z
  .object({
    type: z.literal('enum'),
    values: z.array(z.string().min(1).max(200)).min(1).max(200),
    default: z.string().optional(),
    ...common,
  })
  .strict();
const integerVar = z
  .object({
    type: z.literal('integer'),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    default: z.number().int().optional(),
    ...common,
  })
  .strict();
const numberVar = z
  .object({
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    default: z.number().optional(),
    ...common,
  })
  .strict();
const booleanVar = z.object({ type: z.literal('boolean'), default: z.boolean().optional(), ...common }).strict();

const itemVar = z.discriminatedUnion('type', [
  stringVar.omit({ default: true, required: true, trusted: true, description: true }),
  enumVar.omit({ default: true, required: true, trusted: true, description: true }),
  integerVar.omit({ default: true, required: true, trusted: true, description: true }),
  numberVar.omit({ default: true, required: true, trusted: true, description: true }),
  booleanVar.omit({ default: true, required: true, trusted: true, description: true }),
]);
const arrayVar = z
  .object({
    type: z.literal('array'),
    items: itemVar,
    minItems: z.number().int().min(0).max(1000).optional(),
    maxItems: z.number().int().min(1).max(1000).optional(),
    default: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .max(1000)
      .optional(),
    ...common,
  })
  .strict();

export const variableSchema = z.discriminatedUnion('type', [
  stringVar,
  enumVar,
  integerVar,
  numberVar,
  booleanVar,
  arrayVar,
]);
export type VariableSpec = z.infer<typeof variableSchema>;
export type ItemSpec = z.infer<typeof itemVar>;

const parametersSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().min(1).max(128_000).optional(),
    topP: z.number().min(0).max(1).optional(),
    stop: z.array(z.string().min(1).max(100)).max(4).optional(),
  })
  .strict();

const baseDefinition = z
  .object({
    id: z.string().regex(PROMPT_ID, 'lowercase letters, digits, - or _, starting with a letter or digit (max 64)'),
    description: z.string().max(1000).default(''),
    /** Keys limited to a project may run only that project's prompts. */
    project: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a project id')
      .optional(),
    model: z.string().min(1).max(256),
    parameters: parametersSchema.default({}),
    system: z.string().max(MAX_TEMPLATE_LENGTH).default(''),
    user: z.string().min(1).max(MAX_TEMPLATE_LENGTH),
    variables: z
      .record(z.string().regex(VARIABLE_NAME, 'a variable name: letters, digits and _ (max 64)'), variableSchema)
      .default({}),
    guards: policyOverrideSchema.optional(),
    labels: z.array(z.string().regex(LABEL, 'a label: lowercase letters, digits, - or _ (max 32)')).max(10).optional(),
  })
  .strict();

function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** Rules that span fields: every placeholder declared and used, ranges ordered, trust only where values are inert. */
export const promptDefinitionSchema = baseDefinition.superRefine((d, ctx) => {
  const used = new Set([...placeholders(d.system), ...placeholders(d.user)]);
  for (const name of used) {
    if (!(name in d.variables)) {
      ctx.addIssue({ code: 'custom', path: ['variables'], message: `{{${name}}} is used but not declared` });
    }
  }
  for (const [name, v] of Object.entries(d.variables)) {
    const at = ['variables', name];
    if (!used.has(name)) ctx.addIssue({ code: 'custom', path: at, message: 'is declared but not used' });
    if (v.trusted && (v.type === 'array' || (v.type === 'string' && v.pattern === undefined))) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'trusted'],
        message: 'only enum, integer, number, boolean, or a string with a pattern can be trusted',
      });
    }
    // A pattern runs over untrusted text: bound the text so a slow pattern stays bounded too.
    const s = v.type === 'array' ? v.items : v;
    if (s.type === 'string' && s.pattern !== undefined && (s.maxLength ?? MAX_STRING_LENGTH) > 10_000) {
      ctx.addIssue({ code: 'custom', path: at, message: 'a string with a pattern needs maxLength ≤ 10000' });
    }
    if (s.type === 'string' && s.minLength !== undefined && s.maxLength !== undefined && s.minLength > s.maxLength) {
      ctx.addIssue({ code: 'custom', path: at, message: 'minLength is greater than maxLength' });
    }
    if ((s.type === 'integer' || s.type === 'number') && s.min !== undefined && s.max !== undefined && s.min > s.max) {
      ctx.addIssue({ code: 'custom', path: at, message: 'min is greater than max' });
    }
    if (v.type === 'array' && v.minItems !== undefined && v.maxItems !== undefined && v.minItems > v.maxItems) {
      ctx.addIssue({ code: 'custom', path: at, message: 'minItems is greater than maxItems' });
    }
    if (v.type === 'enum' && v.default !== undefined && !v.values.includes(v.default)) {
      ctx.addIssue({ code: 'custom', path: [...at, 'default'], message: 'is not one of the values' });
    }
  }
});

export type PromptDefinitionInput = z.input<typeof promptDefinitionSchema>;
export type PromptDefinition = z.infer<typeof promptDefinitionSchema>;

/** The stored form: labels are an action of the push, not part of the version. */
export type StoredDefinition = Omit<PromptDefinition, 'labels'>;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

export function storedForm(d: PromptDefinition): StoredDefinition {
  const { labels: _labels, ...rest } = d;
  return canonical(rest) as StoredDefinition;
}

export function definitionHash(d: StoredDefinition): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(d)))
    .digest('hex');
}

/** The form people read and diff: YAML with keys in a fixed order. */
export function definitionYaml(d: StoredDefinition): string {
  const { id, description, project, model, parameters, system, user, variables, guards } = d;
  return toYaml(
    {
      id,
      description,
      ...(project ? { project } : {}),
      model,
      parameters,
      system,
      user,
      variables,
      ...(guards ? { guards } : {}),
    },
    {
      lineWidth: 0,
    },
  );
}
