import type { z } from 'zod';

/** A zod failure as one sentence a caller can act on: the first few paths and what is wrong with each. */
export function describeIssues(
  error: z.ZodError,
  lead = 'Invalid request',
): { message: string; param: string | undefined } {
  const shown = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  const first = error.issues[0];
  return {
    message: `${lead}: ${shown.join('; ')}${more}`,
    param: first?.path.length ? first.path.join('.') : undefined,
  };
}
