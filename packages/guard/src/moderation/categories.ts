// Moderation categories, the dataset labels they come from, and how severe each is.

/** Main categories: every text gets a score for each. */
export const MAIN_CATEGORIES = [
  'sexual',
  'hate',
  'harassment',
  'violence',
  'self_harm',
  'sexual_minors',
  'illicit',
] as const;

/**
 * Sub-types: reported only together with their parent (a sub-type score never exceeds its parent's), so a policy
 * can treat the sharper case more strictly.
 */
export const SUB_CATEGORIES = ['hate_threatening', 'violence_graphic', 'self_harm_intent'] as const;

export type MainCategory = (typeof MAIN_CATEGORIES)[number];
export type SubCategory = (typeof SUB_CATEGORIES)[number];
export type ModerationCategory = MainCategory | SubCategory;

export const ALL_CATEGORIES: readonly ModerationCategory[] = [...MAIN_CATEGORIES, ...SUB_CATEGORIES];

export const PARENT: Readonly<Record<SubCategory, MainCategory>> = {
  hate_threatening: 'hate',
  violence_graphic: 'violence',
  self_harm_intent: 'self_harm',
};

/**
 * Labels of the OpenAI moderation dataset (openai/moderation-api-release) and the category each trains. `illicit`
 * and `self_harm_intent` have no label there: they come from the lexicon alone.
 */
export const DATASET_LABELS = {
  S: 'sexual',
  H: 'hate',
  V: 'violence',
  HR: 'harassment',
  SH: 'self_harm',
  S3: 'sexual_minors',
  H2: 'hate_threatening',
  V2: 'violence_graphic',
} as const satisfies Record<string, ModerationCategory>;

export type DatasetLabel = keyof typeof DATASET_LABELS;

export type Severity = 'block' | 'flag';

/**
 * What a default policy does with each category when it is flagged.
 *
 * `block` is for content that is harmful whatever the application and wherever it appears, and for which a wrong
 * block costs little:
 * - sexual_minors: illegal to produce or distribute almost everywhere; no product wants it in or out.
 * - hate_threatening: a threat of violence against a protected group; a direct call to harm people.
 * - self_harm_intent: a person says they mean to hurt themselves. Blocking means the gateway answers with the
 *   policy's response (which should carry crisis resources) instead of whatever the model would have said; the
 *   conversation is not silently dropped.
 *
 * Everything else is `flag` (allowed, recorded, alerted): sexual content, insults, violence and discussion of
 * self-harm, hate speech and crime all occur in legitimate uses (fiction, news, medicine, moderation tooling,
 * security research), and whether they are acceptable depends on the application, so the tenant's policy decides.
 * violence_graphic is `flag` for the same reason (news and fiction describe injuries); illicit is `flag` because it
 * comes from word lists without labelled data behind it and has the highest false-positive risk.
 */
export const SEVERITY: Readonly<Record<ModerationCategory, Severity>> = {
  sexual: 'flag',
  hate: 'flag',
  harassment: 'flag',
  violence: 'flag',
  self_harm: 'flag',
  sexual_minors: 'block',
  illicit: 'flag',
  hate_threatening: 'block',
  violence_graphic: 'flag',
  self_harm_intent: 'block',
};

/** The categories a default policy blocks (see SEVERITY). */
export const SEVERE_CATEGORIES: readonly ModerationCategory[] = ALL_CATEGORIES.filter((c) => SEVERITY[c] === 'block');

export function isSevere(category: string): boolean {
  return (SEVERITY as Record<string, Severity | undefined>)[category] === 'block';
}
