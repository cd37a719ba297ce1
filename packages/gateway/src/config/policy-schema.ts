import { z } from 'zod';

// Validates a guard policy override (config file, and later per tenant / key / prompt) so a typo
// in an action or a threshold out of range stops start-up instead of silently weakening a guard.

const action = z.enum(['block', 'mask', 'redact', 'hash', 'sanitize', 'flag', 'allow']);
const threshold = z.number().min(0).max(1);
const rule = z.object({ action: action.optional(), threshold: threshold.optional() }).strict();
const withEntities = rule.extend({ entities: z.array(z.string().min(1)).optional() }).strict();
const withCategories = rule.extend({ categories: z.record(z.string().min(1), action).optional() }).strict();

export const policyOverrideSchema = z
  .object({
    input: z
      .object({
        injection: rule.optional(),
        secrets: rule.optional(),
        pii: withEntities.optional(),
        moderation: withCategories.optional(),
        unicode: rule.optional(),
      })
      .strict()
      .optional(),
    output: z
      .object({
        secrets: rule.optional(),
        pii: withEntities.optional(),
        moderation: withCategories.optional(),
        canary: rule.optional(),
        promptLeak: rule.optional(),
        markup: rule
          .extend({ allowedHosts: z.array(z.string().min(1)).optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    budgetMs: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

export type PolicyOverrideInput = z.infer<typeof policyOverrideSchema>;
