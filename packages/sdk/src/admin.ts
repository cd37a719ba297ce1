// Admin calls (docs/prompts.md "Admin API" and "Client tokens"). Every one of them is safe to retry: pushing an
// unchanged definition creates nothing, moving a label or storing settings twice ends in the same state, and a
// second client token is merely unused.

import type { Transport } from './transport.ts';
import type {
  ClientToken,
  ClientTokenParams,
  DiffResult,
  HistoryEntry,
  LabelResult,
  PromptDefinition,
  PromptDetail,
  PromptSummary,
  PromptVersion,
  PushResult,
  RequestOptions,
  RetentionSettings,
} from './types.ts';

const seg = encodeURIComponent;

export class Prompts {
  readonly #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  async list(opts: RequestOptions = {}): Promise<PromptSummary[]> {
    const r = await this.#t.json<{ data: PromptSummary[] }>({ ...opts, method: 'GET', path: '/v1/admin/prompts' });
    return r.data.data;
  }

  async get(id: string, opts: RequestOptions = {}): Promise<PromptDetail> {
    return (await this.#t.json<PromptDetail>({ ...opts, method: 'GET', path: `/v1/admin/prompts/${seg(id)}` })).data;
  }

  async version(id: string, version: number, opts: RequestOptions = {}): Promise<PromptVersion> {
    const path = `/v1/admin/prompts/${seg(id)}/versions/${seg(String(version))}`;
    return (await this.#t.json<PromptVersion>({ ...opts, method: 'GET', path })).data;
  }

  /** Creates a new version when the definition changed; `created` is false when it did not. */
  async push(definition: PromptDefinition, opts: RequestOptions = {}): Promise<PushResult> {
    return (await this.#t.json<PushResult>({ ...opts, method: 'POST', path: '/v1/admin/prompts', body: definition }))
      .data;
  }

  async diff(id: string, from: number, to: number, opts: RequestOptions = {}): Promise<DiffResult> {
    const path = `/v1/admin/prompts/${seg(id)}/diff`;
    return (await this.#t.json<DiffResult>({ ...opts, method: 'GET', path, query: { from, to } })).data;
  }

  /** Points `label` at `version`; rollback is moving a label back. */
  async setLabel(id: string, label: string, version: number, opts: RequestOptions = {}): Promise<LabelResult> {
    const path = `/v1/admin/prompts/${seg(id)}/labels`;
    return (await this.#t.json<LabelResult>({ ...opts, method: 'POST', path, body: { label, version } })).data;
  }

  async history(id: string, opts: RequestOptions = {}): Promise<HistoryEntry[]> {
    const path = `/v1/admin/prompts/${seg(id)}/history`;
    return (await this.#t.json<{ data: HistoryEntry[] }>({ ...opts, method: 'GET', path })).data.data;
  }
}

export class Settings {
  readonly #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  async getRetention(opts: RequestOptions = {}): Promise<RetentionSettings> {
    return (await this.#t.json<RetentionSettings>({ ...opts, method: 'GET', path: '/v1/admin/settings/retention' }))
      .data;
  }

  async setRetention(retention: RetentionSettings, opts: RequestOptions = {}): Promise<RetentionSettings> {
    const spec = { ...opts, method: 'PUT' as const, path: '/v1/admin/settings/retention', body: retention };
    return (await this.#t.json<RetentionSettings>(spec)).data;
  }
}

export class ClientTokens {
  readonly #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /** Mints a short-lived `pct_` token a front end may use to execute the listed prompts (needs the `tokens` scope). */
  async create(params: ClientTokenParams, opts: RequestOptions = {}): Promise<ClientToken> {
    return (await this.#t.json<ClientToken>({ ...opts, method: 'POST', path: '/v1/client-tokens', body: params })).data;
  }
}
