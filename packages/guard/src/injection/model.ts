// The linear model's storage format. Weights are quantised to one signed byte each on a square-root scale (fine
// steps near zero, where most weights are, coarse ones for the few large weights) and stored as base64, so the
// file stays small and loads in one pass without any I/O beyond the module import.

import { decodeBase64 } from '../normalize/decode.ts';
import { CONCEPT_LEXICON_ID, type FeatureConfig } from './features.ts';

export interface LinearModel {
  features: FeatureConfig;
  weights: Float32Array;
  bias: number;
  /** Logit at which the model alone flags: chosen on validation data for the target false-positive rate. */
  threshold: number;
}

export interface ModelFile {
  format: 'portcullis-linear-v1';
  features: FeatureConfig;
  bias: number;
  threshold: number;
  /** Largest absolute weight; byte q decodes to sign(q) * (|q| / 127)^2 * scale. */
  scale: number;
  weights: string;
}

export function decodeModel(file: ModelFile): LinearModel {
  if (file.format !== 'portcullis-linear-v1') throw new Error(`unknown model format ${String(file.format)}`);
  if (file.features.concepts && file.features.conceptLexicon !== CONCEPT_LEXICON_ID) {
    throw new Error('model was trained with another word-class lexicon (src/injection/concepts.ts): retrain it');
  }
  const bytes = decodeBase64(file.weights);
  const size = 1 << file.features.bits;
  if (!bytes || bytes.length !== size) throw new Error('model weights are corrupt: wrong size');
  const weights = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const q = (bytes[i]! << 24) >> 24;
    const r = q / 127;
    weights[i] = Math.sign(r) * r * r * file.scale;
  }
  return { features: file.features, weights, bias: file.bias, threshold: file.threshold };
}

function toBase64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    out += alphabet[a >> 2]! + alphabet[((a & 3) << 4) | (b >> 4)]!;
    out += i + 1 < bytes.length ? alphabet[((b & 15) << 2) | (c >> 6)]! : '=';
    out += i + 2 < bytes.length ? alphabet[c & 63]! : '=';
  }
  return out;
}

/** Quantises a trained model for storage (used by the training script). */
export function encodeModel(model: LinearModel): ModelFile {
  let scale = 0;
  for (const w of model.weights) scale = Math.max(scale, Math.abs(w));
  if (scale === 0) scale = 1;
  const bytes = new Uint8Array(model.weights.length);
  for (let i = 0; i < model.weights.length; i++) {
    const w = model.weights[i]!;
    const q = Math.round(Math.sqrt(Math.abs(w) / scale) * 127) * Math.sign(w);
    bytes[i] = q & 0xff;
  }
  return {
    format: 'portcullis-linear-v1',
    features: model.features,
    bias: model.bias,
    threshold: model.threshold,
    scale,
    weights: toBase64(bytes),
  };
}
