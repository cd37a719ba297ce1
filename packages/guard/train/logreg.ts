// L2-regularised logistic regression over sparse rows, fitted with L-BFGS. Full-batch and deterministic: the same
// data and settings always give the same weights, which keeps the committed model reproducible.

export interface Row {
  ids: Int32Array;
  values: Float32Array;
}

export interface TrainSet {
  rows: Row[];
  labels: Uint8Array;
  /** Per-row weight (class and source balancing). */
  weights: Float64Array;
}

export interface LogisticOptions {
  /** L2 strength for positive weights. */
  l2: number;
  /**
   * L2 strength for negative weights. Stronger than `l2`, it keeps the model from learning "looks like a benign
   * source I know" as evidence: scores of unfamiliar benign text then stay near the bias instead of drifting up.
   */
  l2Negative?: number;
  maxIter: number;
  /** Stop when the relative decrease of the objective over 5 iterations falls below this. */
  tol: number;
  log?: (msg: string) => void;
}

export interface LogisticModel {
  w: Float64Array;
  b: number;
  iterations: number;
  loss: number;
}

function logLoss(z: number, y: number): number {
  const m = y === 1 ? -z : z;
  return m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Objective and gradient; theta = [w..., b]. */
function evaluate(
  set: TrainSet,
  theta: Float64Array,
  dim: number,
  l2: number,
  l2Neg: number,
  grad: Float64Array,
): number {
  grad.fill(0);
  let total = 0;
  let wsum = 0;
  const b = theta[dim]!;
  for (let i = 0; i < set.rows.length; i++) {
    const row = set.rows[i]!;
    let z = b;
    for (let k = 0; k < row.ids.length; k++) z += theta[row.ids[k]!]! * row.values[k]!;
    const c = set.weights[i]!;
    const y = set.labels[i]!;
    total += c * logLoss(z, y);
    wsum += c;
    const r = c * (sigmoid(z) - y);
    for (let k = 0; k < row.ids.length; k++) grad[row.ids[k]!]! += r * row.values[k]!;
    grad[dim]! += r;
  }
  let reg = 0;
  for (let j = 0; j <= dim; j++) grad[j]! /= wsum;
  for (let j = 0; j < dim; j++) {
    const w = theta[j]!;
    const lambda = w < 0 ? l2Neg : l2;
    reg += lambda * w * w;
    grad[j]! += lambda * w;
  }
  return total / wsum + 0.5 * reg;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function trainLogistic(set: TrainSet, dim: number, opts: LogisticOptions): LogisticModel {
  const n = dim + 1;
  const m = 10;
  const theta = new Float64Array(n);
  let grad = new Float64Array(n);
  const l2Neg = opts.l2Negative ?? opts.l2;
  let f = evaluate(set, theta, dim, opts.l2, l2Neg, grad);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const history: number[] = [f];
  const dir = new Float64Array(n);
  const alpha = new Array<number>(m).fill(0);
  let iter = 0;
  for (; iter < opts.maxIter; iter++) {
    // Two-loop recursion: dir = -H * grad.
    for (let i = 0; i < n; i++) dir[i] = -grad[i]!;
    const k = sHist.length;
    for (let j = k - 1; j >= 0; j--) {
      alpha[j] = rhoHist[j]! * dot(sHist[j]!, dir);
      const y = yHist[j]!;
      const a = alpha[j]!;
      for (let i = 0; i < n; i++) dir[i]! -= a * y[i]!;
    }
    if (k > 0) {
      const gamma = dot(sHist[k - 1]!, yHist[k - 1]!) / dot(yHist[k - 1]!, yHist[k - 1]!);
      for (let i = 0; i < n; i++) dir[i]! *= gamma;
    } else {
      const norm = Math.sqrt(dot(grad, grad));
      for (let i = 0; i < n; i++) dir[i]! /= Math.max(norm, 1e-12);
    }
    for (let j = 0; j < k; j++) {
      const beta = rhoHist[j]! * dot(yHist[j]!, dir);
      const s = sHist[j]!;
      const a = alpha[j]! - beta;
      for (let i = 0; i < n; i++) dir[i]! += a * s[i]!;
    }
    const slope = dot(grad, dir);
    if (slope >= 0) break;
    // Backtracking line search (Armijo).
    let step = 1;
    const next = new Float64Array(n);
    const nextGrad = new Float64Array(n);
    let fNext = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) next[i] = theta[i]! + step * dir[i]!;
      fNext = evaluate(set, next, dim, opts.l2, l2Neg, nextGrad);
      if (fNext <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNext < f)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i]! - theta[i]!;
      y[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      sHist.push(s);
      yHist.push(y);
      rhoHist.push(1 / sy);
      if (sHist.length > m) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    theta.set(next);
    grad = nextGrad;
    f = fNext;
    history.push(f);
    if (opts.log && iter % 20 === 0) opts.log(`  iter ${iter} loss ${f.toFixed(5)}`);
    if (history.length > 5) {
      const old = history[history.length - 6]!;
      if ((old - f) / Math.max(Math.abs(old), 1e-12) < opts.tol) break;
    }
  }
  return { w: theta.subarray(0, dim), b: theta[dim]!, iterations: iter, loss: f };
}
