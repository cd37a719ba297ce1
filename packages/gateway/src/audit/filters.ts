import { z } from 'zod';

// Audit search filters, validated at every edge (HTTP query, CLI options) before they reach a query. Values are
// always bound parameters; the patterns here keep the inputs to what the fields can hold and make mistakes clear.

const MAX_TEXT = 256;
// Printable, no control characters: what actors, targets and subject ids look like.
const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u, 'must be printable text without control characters');

const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const isoDate = z
  .string()
  .regex(DATE, 'an ISO 8601 date or time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z')
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    return d;
  });

export const AUDIT_OUTCOMES = ['success', 'failure', 'allowed', 'refused', 'failed'] as const;

export const auditFiltersSchema = z
  .object({
    since: isoDate.optional(),
    until: isoDate.optional(),
    actor: printable(200).optional(),
    /** Shorthand for `actor: user:<id>`. */
    user: printable(190).optional(),
    key: z
      .string()
      .regex(/^[\w-]{1,100}$/, 'a key id such as key_01J...')
      .optional(),
    action: z
      .string()
      .regex(
        /^[a-z][a-z0-9_-]{0,31}(\.[a-z0-9_-]{1,32}){0,3}(\.\*)?$/,
        'an action such as key.revoke, or a prefix such as privacy.*',
      )
      .optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    /** The end user's id as the application knows it (mapped to its pseudonym before the query). */
    subject: printable(MAX_TEXT).optional(),
    target: printable(300).optional(),
    cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    order: z.enum(['asc', 'desc']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine((f) => !(f.user && f.actor), { message: 'give either actor or user, not both', path: ['user'] })
  .refine((f) => !(f.since && f.until && f.since.getTime() >= f.until.getTime()), {
    message: 'since must be before until',
    path: ['since'],
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export const subjectSchema = printable(MAX_TEXT);

/** Turns a zod failure into one line naming each bad field, for CLI and HTTP errors. */
export function describeFilterError(err: z.ZodError): { message: string; param: string | undefined } {
  const parts = err.issues.map((i) => `${i.path.join('.') || 'filters'}: ${i.message}`);
  return { message: parts.join('; '), param: err.issues[0]?.path.join('.') || undefined };
}
