// Test helper: the speed workloads written out in float64 loops, independently of every stack, with their gradients by hand.
import type { Workload, WorkloadData, WorkloadValues } from '../src/speed/workloads.js';
import { LLOYD_CLAMP_EPS, inputOf } from '../src/speed/workloads.js';

const rowDot = (a: Float32Array, i: number, b: Float32Array, j: number, d: number): number => {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k]! * b[j * d + k]!;
  return s;
};

/** C = A·B in float64. */
function matmulRef(A: Float32Array, B: Float32Array, n: number, d: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += A[i * d + k]! * B[k * m + j]!;
    C[i * m + j] = s;
  }
  return C;
}

/** L = 2/(n(n−1)) Σ_{i≠j} exp(c_ij); ∂L/∂x_i = 2/(n(n−1)) · 2 Σ_{j≠i} exp(c_ij) x_j (each pair appears as ij and ji). */
function mmdRef(X: Float32Array, n: number, d: number): { loss: number; grad: Float64Array } {
  const scale = 2 / (n * (n - 1));
  const grad = new Float64Array(n * d);
  let loss = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (i === j) continue;
    const e = Math.exp(rowDot(X, i, X, j, d));
    loss += scale * e;
    for (let k = 0; k < d; k++) grad[i * d + k] += 2 * scale * e * X[j * d + k]!;
  }
  return { loss, grad };
}

/**
 * L = (1/m) Σ_s min_i θ_si², θ = acos(clamp(s·x_i)); the sample's nearest row i* gets
 * (1/m) · 2θ · (−1/√(1 − c²)) · s (zero where the clamp is active).
 */
function lloydRef(X: Float32Array, S: Float32Array, n: number, m: number, d: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(n * d);
  let loss = 0;
  for (let s = 0; s < m; s++) {
    let best = -1, bestTheta = Infinity, bestC = 0;
    for (let i = 0; i < n; i++) {
      const c = Math.min(Math.max(rowDot(S, s, X, i, d), -1 + LLOYD_CLAMP_EPS), 1 - LLOYD_CLAMP_EPS);
      const theta = Math.acos(c);
      if (theta < bestTheta) [best, bestTheta, bestC] = [i, theta, c];
    }
    loss += bestTheta ** 2 / m;
    const dc = (2 * bestTheta * (-1 / Math.sqrt(1 - bestC * bestC))) / m;
    for (let k = 0; k < d; k++) grad[best * d + k] += dc * S[s * d + k]!;
  }
  return { loss, grad };
}

/**
 * θ_i = atan2(x_i·q, x_i·p), r_i = θ_i − mean(θ) − φ_{rank_i}, L = ½ Σ r_i²;
 * ∂L/∂θ_i = r_i − mean(r) (mean(θ) is differentiated), ∂θ_i/∂x_i = (u_i q − v_i p)/(u_i² + v_i²), u = x·p, v = x·q.
 */
function slicedRef(X: Float32Array, p: Float32Array, q: Float32Array, n: number, d: number): { loss: number; grad: Float64Array } {
  const u = Array.from({ length: n }, (_, i) => rowDot(X, i, p, 0, d));
  const v = Array.from({ length: n }, (_, i) => rowDot(X, i, q, 0, d));
  const theta = u.map((ui, i) => Math.atan2(v[i]!, ui));
  const order = theta.map((_, i) => i).sort((a, b) => theta[a]! - theta[b]! || a - b);
  const rank = new Array<number>(n);
  order.forEach((i, r) => (rank[i] = r + 1));
  const mean = theta.reduce((a, b) => a + b, 0) / n;
  const resid = theta.map((t, i) => t - mean - (-Math.PI + ((2 * rank[i]! - 1) * Math.PI) / n));
  const meanResid = resid.reduce((a, b) => a + b, 0) / n;
  const grad = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = (resid[i]! - meanResid) / (u[i]! ** 2 + v[i]! ** 2);
    for (let k = 0; k < d; k++) grad[i * d + k] = g * (u[i]! * q[k]! - v[i]! * p[k]!);
  }
  return { loss: 0.5 * resid.reduce((a, r) => a + r * r, 0), grad };
}

/** What a workload computes, in float64 from its float32 inputs: C for matmul, else the loss and ∂L/∂X. */
export type ReferenceValues = { kind: 'forward'; output: Float64Array } | { kind: 'lossGrad'; loss: number; grad: Float64Array };

/** The float64 reference of workload `w` on `data`. */
export function referenceValues(w: Workload, data: WorkloadData): ReferenceValues {
  const get = (name: string): Float32Array => inputOf(data, name).data;
  switch (w.kind) {
    case 'matmul':
      return { kind: 'forward', output: matmulRef(get('A'), get('B'), w.n, w.d, w.m) };
    case 'mmd':
      return { kind: 'lossGrad', ...mmdRef(get('X'), w.n, w.d) };
    case 'lloyd':
      return { kind: 'lossGrad', ...lloydRef(get('X'), get('S'), w.n, w.m, w.d) };
    case 'sliced':
      return { kind: 'lossGrad', ...slicedRef(get('X'), get('p'), get('q'), w.n, w.d) };
  }
}

/** The flat arrays of a result to compare: [C] for matmul, [loss, ∂L/∂X] otherwise. */
export function comparable(v: WorkloadValues | ReferenceValues): { loss: number[]; array: ArrayLike<number> } {
  return v.kind === 'forward' ? { loss: [], array: v.output } : { loss: [v.loss], array: v.grad };
}
