const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `90s`, `15m`, `24h`, `30d`, `2w` into milliseconds; rejects negatives, zero and unknown units. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m)
    throw new Error(
      `"${text.slice(0, 40)}" is not a duration; use a positive number with ms, s, m, h, d or w (e.g. 30d)`,
    );
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  if (ms <= 0) throw new Error(`duration "${text}" must be positive`);
  return ms;
}
