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
  readonly #exact = new Map<string, Price>();
  readonly #prefixes: Array<[string, Price]> = [];

  constructor(table: PriceTable) {
    for (const [key, price] of Object.entries({ ...DEFAULT_PRICES, ...table })) {
      if (key.endsWith('*')) this.#prefixes.push([key.slice(0, -1), price]);
      else this.#exact.set(key, price);
    }
    // Longest prefix wins, so `gpt-4o-mini*` beats `gpt-4o*`.
    this.#prefixes.sort((a, b) => b[0].length - a[0].length);
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
