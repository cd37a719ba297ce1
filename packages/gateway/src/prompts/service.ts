import { createTwoFilesPatch } from 'diff';
import { GatewayError } from '../http/errors.ts';
import type { PromptChange, PromptStore, PromptSummary } from '../store/types.ts';
import { describeIssues } from '../util/zod-issues.ts';
import {
  definitionHash,
  definitionYaml,
  LABEL,
  PROMPT_ID,
  type PromptDefinition,
  promptDefinitionSchema,
  type StoredDefinition,
  storedForm,
} from './definition.ts';

export const DEFAULT_LABEL = 'production';
/** How long a label → version answer is trusted from memory: bounds how late a rollback lands on other replicas. */
const LABEL_TTL_MS = 1000;
const MAX_CACHED = 2000;
const PUSH_ATTEMPTS = 20;

export interface PushResult {
  id: string;
  version: number;
  created: boolean;
  diff: string;
  labels: Record<string, number>;
}

export interface ResolvedPrompt {
  id: string;
  version: number;
  definition: StoredDefinition;
}

export function lineDiff(id: string, from: { v: number; yaml: string }, to: { v: number; yaml: string }): string {
  return createTwoFilesPatch(`${id}@${from.v}`, `${id}@${to.v}`, from.yaml, to.yaml, '', '', { context: 3 });
}

function notFound(what: string): GatewayError {
  return new GatewayError('prompt_not_found', what, { param: 'promptId' });
}

/** The registry: validated pushes that version, labels that move, and a fast resolve for the execute path. */
export class PromptService {
  readonly #store: PromptStore;
  readonly #now: () => number;
  // Versions never change once written, so they are cached without expiry (bounded); labels briefly.
  readonly #versions = new Map<string, StoredDefinition>();
  readonly #pointers = new Map<string, { version: number | undefined; until: number }>();

  constructor(store: PromptStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  static parse(input: unknown): PromptDefinition {
    const parsed = promptDefinitionSchema.safeParse(input);
    if (!parsed.success) {
      const { message, param } = describeIssues(parsed.error, 'Invalid prompt definition');
      throw new GatewayError('invalid_prompt', message, param ? { param } : {});
    }
    return parsed.data;
  }

  /** What a push would do, without doing it (`prompts push --dry-run`). */
  async preview(
    tenantId: string,
    input: unknown,
  ): Promise<{ id: string; current: number; changed: boolean; diff: string }> {
    const def = PromptService.parse(input);
    const stored = storedForm(def);
    const current = await this.#store.get(tenantId, def.id);
    const basedOn = current?.latestVersion ?? 0;
    const latest = current ? await this.#store.version(tenantId, def.id, basedOn) : undefined;
    if (latest && latest.hash === definitionHash(stored))
      return { id: def.id, current: basedOn, changed: false, diff: '' };
    const before = latest ? definitionYaml(latest.definition as StoredDefinition) : '';
    const diff = lineDiff(def.id, { v: basedOn, yaml: before }, { v: basedOn + 1, yaml: definitionYaml(stored) });
    return { id: def.id, current: basedOn, changed: true, diff };
  }

  /** Validates and stores a definition; a new version only when it differs from the latest. */
  async push(tenantId: string, input: unknown, actor: string): Promise<PushResult> {
    const def = PromptService.parse(input);
    const stored = storedForm(def);
    const hash = definitionHash(stored);
    for (let attempt = 0; attempt < PUSH_ATTEMPTS; attempt++) {
      const current = await this.#store.get(tenantId, def.id);
      const basedOn = current?.latestVersion ?? 0;
      let previousYaml = '';
      if (current) {
        const latest = await this.#store.version(tenantId, def.id, basedOn);
        if (latest && latest.hash === hash) {
          const labels = await this.#applyLabels(tenantId, def, basedOn, actor, current.labels);
          return { id: def.id, version: basedOn, created: false, diff: '', labels };
        }
        previousYaml = latest ? definitionYaml(latest.definition as StoredDefinition) : '';
      }
      const version = basedOn + 1;
      const diff = lineDiff(def.id, { v: basedOn, yaml: previousYaml }, { v: version, yaml: definitionYaml(stored) });
      const added = await this.#store.addVersion({
        tenantId,
        promptId: def.id,
        description: def.description,
        definition: stored as unknown as Record<string, unknown>,
        hash,
        basedOn,
        diff,
        actor,
        at: new Date(this.#now()),
      });
      if (!added) {
        // Another writer took this number: back off a little, then diff against theirs and try again.
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      const labels = await this.#applyLabels(tenantId, def, version, actor, current?.labels ?? {});
      return { id: def.id, version, created: true, diff, labels };
    }
    throw new GatewayError('idempotency_conflict', 'The prompt is being changed concurrently; retry the push');
  }

  async #applyLabels(
    tenantId: string,
    def: PromptDefinition,
    version: number,
    actor: string,
    labels: Record<string, number>,
  ): Promise<Record<string, number>> {
    const out = { ...labels };
    for (const label of def.labels ?? []) {
      if (out[label] === version) continue;
      await this.setLabel(tenantId, def.id, label, version, actor);
      out[label] = version;
    }
    return out;
  }

  list(tenantId: string): Promise<PromptSummary[]> {
    return this.#store.list(tenantId);
  }

  async get(tenantId: string, id: string) {
    const summary = PROMPT_ID.test(id) ? await this.#store.get(tenantId, id) : undefined;
    if (!summary) throw notFound(`No prompt "${id.slice(0, 64)}"`);
    return { ...summary, versions: await this.#store.versions(tenantId, id) };
  }

  async version(tenantId: string, id: string, version: number) {
    const v = PROMPT_ID.test(id) ? await this.#store.version(tenantId, id, version) : undefined;
    if (!v) throw notFound(`Prompt "${id.slice(0, 64)}" has no version ${version}`);
    return v;
  }

  async diff(tenantId: string, id: string, from: number, to: number): Promise<string> {
    const [a, b] = await Promise.all([this.version(tenantId, id, from), this.version(tenantId, id, to)]);
    return lineDiff(
      id,
      { v: from, yaml: definitionYaml(a.definition as StoredDefinition) },
      { v: to, yaml: definitionYaml(b.definition as StoredDefinition) },
    );
  }

  async setLabel(tenantId: string, id: string, label: string, version: number, actor: string) {
    if (!LABEL.test(label)) {
      throw new GatewayError('invalid_request', 'A label is lowercase letters, digits, - or _ (max 32)', {
        param: 'label',
      });
    }
    await this.version(tenantId, id, version);
    const { previous } = await this.#store.setLabel(tenantId, id, label, version, actor, new Date(this.#now()));
    this.#pointers.delete(`${tenantId}\u0000${id}\u0000${label}`);
    return { label, version, previous };
  }

  async history(tenantId: string, id: string, limit?: number): Promise<PromptChange[]> {
    await this.get(tenantId, id);
    return this.#store.history(tenantId, id, limit);
  }

  /**
   * The version an execute runs: an explicit version, else the label's, else `production`'s, else the latest.
   * Unknown prompts, versions and labels are all `prompt_not_found`.
   */
  async resolve(tenantId: string, id: string, pick: { label?: string; version?: number }): Promise<ResolvedPrompt> {
    if (!PROMPT_ID.test(id)) throw notFound(`No prompt "${id.slice(0, 64)}"`);
    let version = pick.version;
    if (version === undefined) {
      const label = pick.label ?? DEFAULT_LABEL;
      version = await this.#pointer(tenantId, id, label);
      if (version === undefined && pick.label !== undefined) {
        throw notFound(`Prompt "${id}" has no label "${label.slice(0, 32)}"`);
      }
      version ??= await this.#pointer(tenantId, id, undefined);
      if (version === undefined) throw notFound(`No prompt "${id}"`);
    }
    const key = `${tenantId}\u0000${id}\u0000${version}`;
    let definition = this.#versions.get(key);
    if (!definition) {
      const v = await this.#store.version(tenantId, id, version);
      if (!v) throw notFound(`Prompt "${id}" has no version ${version}`);
      definition = v.definition as unknown as StoredDefinition;
      if (this.#versions.size >= MAX_CACHED) this.#versions.clear();
      this.#versions.set(key, definition);
    }
    return { id, version, definition };
  }

  /** Forgets cached label pointers (another process moved a label or added a version); versions never change. */
  invalidate(): void {
    this.#pointers.clear();
  }

  /** A label's version, or the latest version when `label` is undefined; cached for a second. */
  async #pointer(tenantId: string, id: string, label: string | undefined): Promise<number | undefined> {
    const key = `${tenantId}\u0000${id}\u0000${label ?? '\u0000latest'}`;
    const now = this.#now();
    const hit = this.#pointers.get(key);
    if (hit && hit.until > now) return hit.version;
    const summary = await this.#store.get(tenantId, id);
    const version =
      summary === undefined ? undefined : label === undefined ? summary.latestVersion : summary.labels[label];
    if (this.#pointers.size >= MAX_CACHED) this.#pointers.clear();
    this.#pointers.set(key, { version, until: now + LABEL_TTL_MS });
    return version;
  }
}
