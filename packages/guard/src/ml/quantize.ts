// Storage format for multi-head linear models over hashed features. Only buckets with a non-zero weight in some
// head are stored (the rest of the hash space was never seen in training), as delta-coded varints, followed by one
// signed byte per head on a square-root scale: fine steps near zero where most weights are, coarse ones for the
// few large weights. Both are base64 so the file is plain JSON that a module import loads with no I/O of our own.

export interface SparseHeadsFile {
  format: 'portcullis-sparse-heads-v1';
  bits: number;
  heads: string[];
  /** Largest absolute weight per head; byte q decodes to sign(q) * (|q| / 127)^2 * scale. */
  scales: number[];
  biases: number[];
  /** Number of stored buckets. */
  count: number;
  /** Varint deltas between consecutive stored bucket ids. */
  buckets: string;
  /** count * heads.length signed bytes, bucket-major. */
  values: string;
}

/** Dense weights, bucket-major: weights[bucket * heads + head]. What training produces. */
export interface DenseHeads {
  bits: number;
  heads: string[];
  weights: Float32Array;
  biases: Float64Array;
}

/** Decoded weights as bytes, bucket-major, with a 256-entry table per head mapping a byte to its weight. */
export interface QuantizedHeads {
  bits: number;
  heads: string[];
  /** q[bucket * heads + head]: the signed byte of that weight. */
  q: Int8Array;
  /** lut[head * 256 + (q + 128)]: the weight a byte stands for. */
  lut: Float32Array;
  biases: Float64Array;
}

function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x4000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x4000));
  return btoa(bin);
}

export function decodeSparseHeads(file: SparseHeadsFile): QuantizedHeads {
  if (file.format !== 'portcullis-sparse-heads-v1') throw new Error(`unknown model format ${String(file.format)}`);
  const h = file.heads.length;
  const size = 1 << file.bits;
  const q = new Int8Array(size * h);
  const ids = fromBase64(file.buckets);
  const vals = fromBase64(file.values);
  if (vals.length !== file.count * h) throw new Error('model weights are corrupt: wrong size');
  let pos = 0;
  let bucket = 0;
  for (let k = 0; k < file.count; k++) {
    let delta = 0;
    let shift = 0;
    for (;;) {
      const byte = ids[pos++];
      if (byte === undefined) throw new Error('model weights are corrupt: truncated bucket list');
      delta += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      shift += 7;
    }
    bucket += delta;
    if (bucket >= size) throw new Error('model weights are corrupt: bucket out of range');
    for (let j = 0; j < h; j++) q[bucket * h + j] = (vals[k * h + j]! << 24) >> 24;
  }
  const lut = new Float32Array(h * 256);
  for (let j = 0; j < h; j++) {
    for (let v = -128; v < 128; v++) {
      const r = v / 127;
      lut[j * 256 + v + 128] = Math.sign(r) * r * r * file.scales[j]!;
    }
  }
  return { bits: file.bits, heads: [...file.heads], q, lut, biases: Float64Array.from(file.biases) };
}

/** Quantises dense bucket-major weights; buckets whose every head rounds to zero are dropped. */
export function encodeSparseHeads(model: DenseHeads): SparseHeadsFile {
  const h = model.heads.length;
  const size = 1 << model.bits;
  const scales = new Array<number>(h).fill(0);
  for (let b = 0; b < size; b++) {
    for (let j = 0; j < h; j++) scales[j] = Math.max(scales[j]!, Math.abs(model.weights[b * h + j]!));
  }
  for (let j = 0; j < h; j++) if (scales[j] === 0) scales[j] = 1;
  const idBytes: number[] = [];
  const valBytes: number[] = [];
  let last = 0;
  let count = 0;
  const q = new Int8Array(h);
  for (let b = 0; b < size; b++) {
    let any = false;
    for (let j = 0; j < h; j++) {
      const w = model.weights[b * h + j]!;
      q[j] = Math.round(Math.sqrt(Math.abs(w) / scales[j]!) * 127) * Math.sign(w);
      if (q[j] !== 0) any = true;
    }
    if (!any) continue;
    let delta = b - last;
    last = b;
    while (delta >= 0x80) {
      idBytes.push((delta & 0x7f) | 0x80);
      delta = Math.floor(delta / 128);
    }
    idBytes.push(delta);
    for (let j = 0; j < h; j++) valBytes.push(q[j]! & 0xff);
    count++;
  }
  return {
    format: 'portcullis-sparse-heads-v1',
    bits: model.bits,
    heads: [...model.heads],
    scales,
    biases: [...model.biases],
    count,
    buckets: toBase64(Uint8Array.from(idBytes)),
    values: toBase64(Uint8Array.from(valBytes)),
  };
}

/** Float weights of decoded bytes: what a scorer multiplies with (one load per weight, no table lookup). */
export function dequantize(qh: QuantizedHeads): DenseHeads {
  const h = qh.heads.length;
  const weights = new Float32Array(qh.q.length);
  for (let i = 0; i < qh.q.length; i++) weights[i] = qh.lut[((i % h) << 8) + qh.q[i]! + 128]!;
  return { bits: qh.bits, heads: qh.heads, weights, biases: qh.biases };
}
