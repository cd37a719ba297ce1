export type { PayloadKind } from './decode.ts';
export { stripInvisible, unicodeDetector } from './detector.ts';
export type {
  DecodedPayload,
  NormalizationSignal,
  NormalizedText,
  NormalizeOptions,
  ObfuscationSpan,
  OffsetMap,
} from './normalize.ts';
export { normalizeForDetection, toOriginalSpan } from './normalize.ts';
