import { defaultModerationModel } from '../moderation/moderate.ts';
import { createPiiVault } from '../pii/transform.ts';
import { DEFAULT_POLICY } from '../policy/defaults.ts';
import { screenInput } from './input.ts';
import { screenOutput } from './output.ts';

const SAMPLE =
  'Hi, could you summarise the attached notes for Jane Doe (jane.doe@example.com, +1 415 555 0132) and ' +
  'list the next steps? The meeting is at 1200 Market Street. Thanks!';

/**
 * Decodes the models and runs every detector a few times, so that the first real request does not pay for model
 * decoding and cold code (tens of milliseconds, enough to exceed a tight budget and fail closed). Call it once at
 * start-up.
 */
export function warmUpGuard(rounds = 3): void {
  defaultModerationModel();
  const policy = { ...DEFAULT_POLICY, budgetMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < rounds; i++) {
    const vault = createPiiVault();
    const input = screenInput([{ role: 'user', content: SAMPLE }], policy, { vault, exhaustive: true });
    screenOutput(input.messages[0]?.content ?? SAMPLE, policy, {
      vault,
      canary: 'pcx-canary-0011223344556677',
      systemPrompt: 'You are a helpful assistant for an online shop. Answer questions about orders politely.',
    });
  }
}
