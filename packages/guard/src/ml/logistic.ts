// L2-regularised logistic regression over sparse rows, fitted by dual coordinate descent (Yu, Huang & Lin 2011,
// the method behind liblinear's -s 7): one pass over the rows per epoch, each row's dual variable set by a few
// Newton steps, so a fit costs a handful of passes over the non-zeros instead of hundreds of gradient evaluations.
// The row order of each epoch comes from a seeded generator, so the same data and settings always give the same
// weights and a committed model can be rebuilt bit for bit. Training-time only; detectors read quantised weights.

import { seededRandom } from './metrics.ts';

/** Rows in compressed sparse row form over a compact feature index 0..dim-1. */
export interface SparseRows {
  dim: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface FitOptions {
  /**
   * Penalty of the objective l2/2 * |w|^2 + sum_i c_i * logloss_i / sum_i c_i. The bias is fitted as the weight of
   * a constant feature and so is penalised too, which barely matters at these strengths.
   */
  l2: number;
  /** Stop when the largest projected dual gradient of an epoch falls below this. Default 0.01. */
  eps?: number;
  maxEpochs?: number;
  seed?: number;
}

export interface Fitted {
  weights: Float64Array;
  bias: number;
  epochs: number;
}

/** Value of the constant feature that carries the bias. */
const BIAS_FEATURE = 1;

/** Fits one binary classifier; `weights[i]` is row i's weight in the loss (0 leaves the row out). */
export function fitLogistic(x: SparseRows, labels: Uint8Array, weights: Float64Array, opts: FitOptions): Fitted {
  const rows = x.indptr.length - 1;
  const eps = opts.eps ?? 0.01;
  const maxEpochs = opts.maxEpochs ?? 200;
  const random = seededRandom(opts.seed ?? 1);
  let csum = 0;
  for (let i = 0; i < rows; i++) csum += weights[i]!;
  const w = new Float64Array(x.dim);
  let b = 0;
  if (csum === 0) return { weights: w, bias: 0, epochs: 0 };
  // Dual of min 1/2 |w|^2 + sum C_i logloss_i: the objective above divided by l2.
  const scale = 1 / (opts.l2 * csum);
  const active: number[] = [];
  const cap = new Float64Array(rows);
  const sq = new Float64Array(rows);
  const y = new Float64Array(rows);
  // alpha[i] and its complement cap[i] - alpha[i] are both kept, for precision near either bound.
  const alpha = new Float64Array(rows);
  const comp = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (weights[i]! <= 0) continue;
    active.push(i);
    cap[i] = weights[i]! * scale;
    y[i] = labels[i] === 1 ? 1 : -1;
    let s = BIAS_FEATURE * BIAS_FEATURE;
    for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) s += x.values[k]! * x.values[k]!;
    sq[i] = s;
    alpha[i] = Math.min(0.001 * cap[i]!, 1e-8);
    comp[i] = cap[i]! - alpha[i]!;
    const d = y[i]! * alpha[i]!;
    for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) w[x.indices[k]!]! += d * x.values[k]!;
    b += d * BIAS_FEATURE;
  }
  let innerEps = 0.01;
  const innerEpsMin = Math.min(1e-8, eps);
  let epoch = 0;
  const order = active.slice();
  for (; epoch < maxEpochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let gmax = 0;
    for (const i of order) {
      const c = cap[i]!;
      const a = sq[i]!;
      const lo = x.indptr[i]!;
      const hi = x.indptr[i + 1]!;
      let wx = b * BIAS_FEATURE;
      for (let k = lo; k < hi; k++) wx += w[x.indices[k]!]! * x.values[k]!;
      const yb = y[i]! * wx;
      // Minimise over z in (0, C): z log z + (C - z) log(C - z) + a/2 (z - z0)^2 + sign * yb * (z - z0), on
      // whichever of alpha and its complement keeps the Newton steps away from the bound.
      let useComp = false;
      let sign = 1;
      if (0.5 * a * (comp[i]! - alpha[i]!) + yb < 0) {
        useComp = true;
        sign = -1;
      }
      const z0 = useComp ? comp[i]! : alpha[i]!;
      let z = z0;
      if (c - z < 0.5 * c) z *= 0.1;
      let gp = a * (z - z0) + sign * yb + Math.log(z / (c - z));
      gmax = Math.max(gmax, Math.abs(gp));
      let steps = 0;
      while (steps < 100 && Math.abs(gp) >= innerEps) {
        const gpp = a + c / (c - z) / z;
        const next = z - gp / gpp;
        z = next <= 0 ? z * 0.1 : next;
        gp = a * (z - z0) + sign * yb + Math.log(z / (c - z));
        steps++;
      }
      if (steps === 0) continue;
      if (useComp) {
        comp[i] = z;
        alpha[i] = c - z;
      } else {
        alpha[i] = z;
        comp[i] = c - z;
      }
      const d = sign * (z - z0) * y[i]!;
      for (let k = lo; k < hi; k++) w[x.indices[k]!]! += d * x.values[k]!;
      b += d * BIAS_FEATURE;
    }
    if (gmax < eps) break;
    if (gmax < innerEps) innerEps = Math.max(innerEpsMin, 0.1 * innerEps);
  }
  return { weights: w, bias: b * BIAS_FEATURE, epochs: epoch + 1 };
}

/** Logit of every row under fitted weights. */
export function predictRows(x: SparseRows, fitted: Fitted): Float64Array {
  const rows = x.indptr.length - 1;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = fitted.bias;
    for (let k = x.indptr[i]!; k < x.indptr[i + 1]!; k++) z += fitted.weights[x.indices[k]!]! * x.values[k]!;
    out[i] = z;
  }
  return out;
}
