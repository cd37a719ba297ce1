import { z } from 'zod';

// What a model costs, in US dollars per million tokens. The table is configuration (`pricing` in the config file);
// the usage and budget work of the limits issue builds on the same lookup.

export const priceSchema = z
  .object({
    inputPerMTok: z.number().min(0).max(10_000),
    outputPerMTok: z.number().min(0).max(10_000),
  })
  .strict();
export type Price = z.infer<typeof priceSchema>;

/** Keys are `provider/model`, a model name, or a prefix ending in `*`. */
export const priceTableSchema = z.record(z.string().min(1).max(256), priceSchema);
export type PriceTable = z.infer<typeof priceTableSchema>;

/** The built-in mock has a made-up price so that cost accounting is visible (and testable) with no provider. */
export const DEFAULT_PRICES: PriceTable = {
  'mock/*': { inputPerMTok: 1, outputPerMTok: 2 },
};

export interface PricedUsage {
  promptTokens: number;
  completionTokens: number;
}

export class PriceBook {
  readonly #config: PriceTable;
  #exact = new Map<string, Price>();
  #prefixes: Array<[string, Price]> = [];

  constructor(table: PriceTable) {
    this.#config = table;
    this.#build({});
  }

  /**
   * Prices edited at run time (admin API), on top of the config file's: a stored entry wins over the same key in the
   * config. Replaces the previous stored set as a whole, so a deleted entry falls back to the config's.
   */
  setStored(stored: PriceTable): void {
    this.#build(stored);
  }

  #build(stored: PriceTable): void {
    const exact = new Map<string, Price>();
    const prefixes: Array<[string, Price]> = [];
    for (const [key, price] of Object.entries({ ...DEFAULT_PRICES, ...this.#config, ...stored })) {
      if (key.endsWith('*')) prefixes.push([key.slice(0, -1), price]);
      else exact.set(key, price);
    }
    // Longest prefix wins, so `gpt-4o-mini*` beats `gpt-4o*`.
    prefixes.sort((a, b) => b[0].length - a[0].length);
    // Swapped in whole, so a lookup never sees half a table.
    this.#exact = exact;
    this.#prefixes = prefixes;
  }

  /** Every entry in force, for the admin API. */
  entries(): Array<[string, Price]> {
    return [...this.#exact, ...this.#prefixes.map(([p, price]): [string, Price] => [`${p}*`, price])].sort((a, b) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
    );
  }

  lookup(provider: string | null, model: string | null): Price | undefined {
    const names = [provider && model ? `${provider}/${model}` : undefined, model ?? undefined].filter(
      (n): n is string => n !== undefined,
    );
    for (const n of names) {
      const hit = this.#exact.get(n);
      if (hit) return hit;
    }
    for (const n of names) {
      for (const [prefix, price] of this.#prefixes) if (n.startsWith(prefix)) return price;
    }
    return undefined;
  }

  /** Dollars, rounded to a millionth of a cent; null when the model has no price. */
  cost(provider: string | null, model: string | null, usage: PricedUsage): number | null {
    const price = this.lookup(provider, model);
    if (!price) return null;
    const usd = (usage.promptTokens * price.inputPerMTok + usage.completionTokens * price.outputPerMTok) / 1e6;
    return Math.round(usd * 1e8) / 1e8;
  }
}
