/** Entity types, named as Presidio names them so that results line up with its datasets and tooling. */
export type PiiEntity =
  | 'EMAIL_ADDRESS'
  | 'PHONE_NUMBER'
  | 'CREDIT_CARD'
  | 'IBAN_CODE'
  | 'US_SSN'
  | 'IP_ADDRESS'
  | 'DATE_OF_BIRTH'
  | 'DATE_TIME'
  | 'STREET_ADDRESS'
  | 'PERSON'
  | 'US_DRIVER_LICENSE'
  | 'ZIP_CODE';

export const ALL_PII_ENTITIES: readonly PiiEntity[] = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'IP_ADDRESS',
  'DATE_OF_BIRTH',
  'DATE_TIME',
  'STREET_ADDRESS',
  'PERSON',
  'US_DRIVER_LICENSE',
  'ZIP_CODE',
];

/**
 * What `detectPii` looks for unless told otherwise. Plain dates are left out: most dates in prompts (deadlines,
 * release dates) are not personal, and masking them costs the model context; dates of birth are in.
 */
export const DEFAULT_PII_ENTITIES: readonly PiiEntity[] = ALL_PII_ENTITIES.filter((e) => e !== 'DATE_TIME');

export interface PiiOptions {
  /** Entity types to report (default: DEFAULT_PII_ENTITIES). Unknown names are ignored. */
  entities?: readonly string[];
  /** Findings scoring below this are dropped (default 0.5). */
  minScore?: number;
  /** ISO 3166 region used to read national phone numbers (default 'US'). */
  region?: string;
}

/** A recogniser's proposal, on the scanned copy of the text. */
export interface Candidate {
  type: PiiEntity;
  start: number;
  end: number;
  score: number;
  signals: string[];
}

export interface ScanContext {
  /** The scanned copy (see normalize.ts). */
  text: string;
  region: string;
  wants: ReadonlySet<PiiEntity>;
}
