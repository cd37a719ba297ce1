import type { Detector, Finding } from '../types.ts';
import { scratchBytes } from './chars.ts';
import { toInputSpan, toPiiText } from './normalize.ts';
import { findAddresses } from './recognizers/address.ts';
import { findCards } from './recognizers/card.ts';
import { findDates } from './recognizers/date.ts';
import { findEmails } from './recognizers/email.ts';
import { findIbans } from './recognizers/iban.ts';
import { findIps } from './recognizers/ip.ts';
import { findLicenses, findZips } from './recognizers/misc.ts';
import { findPersons } from './recognizers/person.ts';
import { findPhones } from './recognizers/phone.ts';
import { findSsns } from './recognizers/ssn.ts';
import {
  ALL_PII_ENTITIES,
  type Candidate,
  DEFAULT_PII_ENTITIES,
  type PiiEntity,
  type PiiOptions,
  type ScanContext,
} from './types.ts';

interface Recognizer {
  produces: readonly PiiEntity[];
  /** Cheap pattern recognisers always run, so their candidates can claim characters even when not reported. */
  always?: boolean;
  run(ctx: ScanContext, out: Candidate[]): void;
}

const RECOGNIZERS: readonly Recognizer[] = [
  { produces: ['EMAIL_ADDRESS'], always: true, run: findEmails },
  { produces: ['CREDIT_CARD'], always: true, run: findCards },
  { produces: ['IBAN_CODE'], always: true, run: findIbans },
  { produces: ['US_SSN'], always: true, run: findSsns },
  { produces: ['IP_ADDRESS'], always: true, run: findIps },
  { produces: ['PHONE_NUMBER'], always: true, run: findPhones },
  { produces: ['DATE_OF_BIRTH', 'DATE_TIME'], always: true, run: findDates },
  { produces: ['US_DRIVER_LICENSE'], run: findLicenses },
  { produces: ['ZIP_CODE'], run: findZips },
  { produces: ['STREET_ADDRESS'], run: findAddresses },
  { produces: ['PERSON'], run: findPersons },
];

const KNOWN = new Set<string>(ALL_PII_ENTITIES);

let defaultEntities: ReadonlySet<PiiEntity> | undefined;

function entitySet(requested: readonly string[] | undefined): ReadonlySet<PiiEntity> {
  // The default set is only read (recognisers see it as ReadonlySet): built once.
  if (requested !== undefined) return entitySetOf(requested);
  defaultEntities ??= entitySetOf(DEFAULT_PII_ENTITIES);
  return defaultEntities;
}

function entitySetOf(list: readonly string[]): Set<PiiEntity> {
  const out = new Set<PiiEntity>();
  for (const e of list) if (KNOWN.has(e)) out.add(e as PiiEntity);
  return out;
}

/** A capitalised place line inside a postal address ("Port Whangarei", "María Albina") is the city, not a person. */
function dropNamesInsideAddresses(cands: Candidate[]): Candidate[] {
  const blocks = cands
    .filter((c) => c.type === 'STREET_ADDRESS' && c.signals.includes('postal_tail'))
    .sort((a, b) => a.start - b.start);
  if (blocks.length === 0) return cands;
  // For each block, the furthest end of any block starting at or before it, so one binary search answers.
  const reach: number[] = [];
  let far = -1;
  for (const b of blocks) {
    far = Math.max(far, b.end);
    reach.push(far);
  }
  const inside = (c: Candidate): boolean => {
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[mid]!.start < c.start) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && c.end <= reach[lo - 1]!;
  };
  return cands.filter((c) => c.type !== 'PERSON' || !inside(c));
}

/** Highest score first; ties go to the longer span, then the earlier one, so the outcome never depends on order. */
function resolve(cands: Candidate[], length: number): Candidate[] {
  const sorted = [...cands].sort(
    (a, b) =>
      b.score - a.score ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0),
  );
  // Characters already claimed; candidates are short, so checking their span keeps this linear in practice.
  const claimed = scratchBytes(length);
  const taken: Candidate[] = [];
  for (const c of sorted) {
    let free = true;
    for (let i = c.start; i < c.end; i++) {
      if (claimed[i]) {
        free = false;
        break;
      }
    }
    if (!free) continue;
    claimed.fill(1, c.start, c.end);
    taken.push(c);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** `[...new Set(signals)]` for the few signals of a candidate, without the set. */
function uniqueSignals(signals: readonly string[]): string[] {
  // Usually there is no duplicate: then an exact-size copy.
  let dup = false;
  for (let i = 1; i < signals.length && !dup; i++) {
    for (let j = 0; j < i; j++) {
      if (signals[i] === signals[j]) {
        dup = true;
        break;
      }
    }
  }
  if (!dup) return signals.slice();
  const out: string[] = [];
  for (const s of signals) if (!out.includes(s)) out.push(s);
  return out;
}

/**
 * Finds personal data in `text`. Findings do not overlap (where two recognisers claim the same characters, the
 * higher score wins), are sorted by position, carry spans on the original text and never the matched value.
 */
export function detectPii(text: string, opts: PiiOptions = {}): Finding[] {
  const wants = entitySet(opts.entities);
  const minScore = opts.minScore ?? 0.5;
  const scanned = toPiiText(text);
  const ctx: ScanContext = { text: scanned.text, region: (opts.region ?? 'US').toUpperCase(), wants };
  const cands: Candidate[] = [];
  for (const r of RECOGNIZERS) {
    if (!r.always && !r.produces.some((e) => wants.has(e))) continue;
    r.run(ctx, cands);
  }
  // Unwanted types still compete for their characters, so a card number is not half-reported as a phone number
  // when only phones were asked for.
  const eligible = dropNamesInsideAddresses(cands.filter((c) => c.score >= minScore && c.end > c.start));
  const findings: Finding[] = [];
  for (const c of resolve(eligible, scanned.text.length)) {
    if (!wants.has(c.type)) continue;
    const span = toInputSpan(scanned, c.start, c.end);
    findings.push({
      detector: 'pii',
      type: c.type,
      start: span.start,
      end: span.end,
      score: c.score,
      signals: uniqueSignals(c.signals),
    });
  }
  return findings;
}

export const piiDetector: Detector<PiiOptions> = {
  name: 'pii',
  detect(text: string, options?: PiiOptions) {
    return { findings: detectPii(text, options) };
  },
};
