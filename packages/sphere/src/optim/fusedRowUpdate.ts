/**
 * Fused host updates of `RiemannianAdam` and `RiemannianSGD`: the same step as the composed
 * references (`composedAdamUpdate`, `composedSgdUpdate`), in one pass over the rows, on every
 * synchronous backend (cpu: in place of its typed arrays; others: read once, written back with
 * one upload per result). The wasm backend runs the same loops as a kernel on its heap instead
 * (wasmRowUpdate.ts); these loops are its reference.
 *
 * The composed update chains ~25 tensor ops, each allocating a fresh n × d array; on the cpu
 * backend first-touching that memory dominates the step. When the parameter, its gradient and its
 * state are all cpu typed arrays of one dtype and shape, these loops instead read each row once,
 * work in float64 on length-d scratch rows, and store into the only other arrays they
 * allocate: the new x, the new m (n × d) and the new v (and v_max with amsgrad; [n], Adam). Nothing an input or an earlier
 * state holds is reused or written. Each formula is evaluated in
 * the composed version's operation order (same sums, same series branch below
 * `seriesThreshold[dtype]`, same renormalisations), so in float64 the results are the composed
 * ones to rounding (in practice bit for bit); in float32 they differ only in that intermediates
 * are not rounded to float32.
 *
 * Every other case returns null and the caller runs the composed reference: an asynchronous backend,
 * mixed dtypes or shapes (a broadcast gradient), a graph to record (an input with requiresGrad
 * while recording), a negative second moment (so that sqrt raises its usual DomainError), or an SGD
 * step whose ‖u‖² overflows float64 (the composed norm scales before squaring and stays finite).
 * @module
 */
import { Tensor, cpuBackend, tensor, type DType, type TypedArray } from '@keepdist/autograd';
import { CpuStorage, isGradEnabled } from '@keepdist/autograd/internal';
import { seriesThreshold } from '../numerics.js';
import type { RiemannianAdamHyperparameters, RiemannianAdamState } from './riemannianAdam.js';
import { largestFinite, weightDecayOverflow, type Retraction, type RiemannianUpdate } from './riemannianOptions.js';
import type { RiemannianSGDHyperparameters, RiemannianSGDState } from './riemannianSgd.js';

/**
 * True when a fused update may take `t` as an operand: `dtype` and exactly `shape`, and not a
 * tensor that would put the update on the tape. The host loops here and the wasm kernels
 * (wasmRowUpdate.ts) both ask it.
 */
export function fusableOperand(t: Tensor, dtype: DType, shape: readonly number[]): boolean {
  if (t.dtype !== dtype) return false;
  if (t.requiresGrad && isGradEnabled()) return false;
  if (t.shape.length !== shape.length) return false;
  for (let i = 0; i < shape.length; i++) if (t.shape[i] !== shape[i]) return false;
  return true;
}

/**
 * The values of `t` when the fused path may read them ({@link fusableOperand}, on a synchronous
 * backend: `readSync`, the cpu backend's own array, a copy elsewhere); null otherwise.
 */
function hostArray(t: Tensor, dtype: DType, shape: readonly number[]): TypedArray | null {
  if (!t.backend.synchronous || !fusableOperand(t, dtype, shape)) return null;
  return t.readSync('RiemannianOptimizer.step');
}

/** A fresh zeroed array of `dtype`. */
function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/**
 * A new tensor over `data` on `like`'s backend: on the cpu backend without a copy (`data` was
 * allocated here and is handed over), elsewhere one upload.
 */
function wrap(data: TypedArray, shape: readonly number[], like: Tensor): Tensor {
  if (like.backend === cpuBackend) return new Tensor(new CpuStorage(data), shape.slice(), cpuBackend);
  return tensor(data, { shape: shape.slice(), dtype: like.dtype, backend: like.backend });
}

/**
 * Row i of the retraction before its final normalisation, y = R̃(x_i, u) into `y` (float64 scratch
 * of length d); returns ‖y‖². The caller divides by ‖y‖ ({@link normalizeDot}):
 *   'expmap': θ = √tt = ‖u‖;  y = x + (sinc θ · u − 2 sin²(θ/2) · x)
 *             (sinc θ by its Taylor series 1 − θ²/6 + θ⁴/120 − θ⁶/5040 below `threshold`)
 *   'retr':   y = x + u
 * exactly as `retract` composes `projx(expmap(x, u))` and `retr(x, u)`.
 */
function retractRow(retraction: Retraction, x: TypedArray, o: number, u: Float64Array, tt: number,
  y: Float64Array, d: number, threshold: number): number {
  let rr = 0;
  if (retraction === 'expmap') {
    const theta = Math.sqrt(tt);
    let sinc: number;
    if (theta < threshold) {
      const t2 = theta * theta;
      sinc = 1 + t2 * (-1 / 6 + t2 * (1 / 120 + t2 * (-1 / 5040)));
    } else {
      sinc = Math.sin(theta) / theta;
    }
    const s = Math.sin(theta * 0.5);
    const twoS2 = s * s * 2;
    for (let k = 0; k < d; k++) {
      const xk = x[o + k]!;
      const yk = xk + (sinc * u[k]! - twoS2 * xk);
      y[k] = yk;
      rr += yk * yk;
    }
  } else {
    for (let k = 0; k < d; k++) {
      const yk = x[o + k]! + u[k]!;
      y[k] = yk;
      rr += yk * yk;
    }
  }
  return rr;
}

/**
 * Row i of the Riemannian gradient into `g` (float64 scratch of length d): with e = ∇ + λ·x
 * (e = ∇ when λ = 0), g = e − ⟨x, e⟩ x, as `projUnchecked(x, withWeightDecay(…, ∇, x, λ))` composes it.
 * An e beyond the dtype's range (where the composed sum overflows, to its rounding) throws the
 * composed path's DomainError.
 */
function projectedGradientRow(name: string, dtype: DType, xs: TypedArray, gs: TypedArray, o: number, d: number,
  weightDecay: number, g: Float64Array): void {
  if (weightDecay === 0) {
    for (let k = 0; k < d; k++) g[k] = gs[o + k]!;
  } else {
    const limit = largestFinite[dtype];
    for (let k = 0; k < d; k++) {
      const e = gs[o + k]! + xs[o + k]! * weightDecay;
      if (!(Math.abs(e) <= limit)) throw weightDecayOverflow(name, weightDecay, e > 0 ? Infinity : e < 0 ? -Infinity : e, o + k);
      g[k] = e;
    }
  }
  let dot = 0;
  for (let k = 0; k < d; k++) dot += xs[o + k]! * g[k]!;
  for (let k = 0; k < d; k++) g[k] = g[k]! - dot * xs[o + k]!;
}

/** y ← y / √rr (projx), and returns ⟨y, v⟩ for the transport that follows (0 without v). */
function normalizeDot(y: Float64Array, rr: number, v: Float64Array | null, d: number): number {
  const r = Math.sqrt(rr);
  let dot = 0;
  for (let k = 0; k < d; k++) {
    const yk = y[k]! / r;
    y[k] = yk;
    if (v) dot += yk * v[k]!;
  }
  return dot;
}

/** Σ_k y_k². */
function sumSquares(y: Float64Array, d: number): number {
  let rr = 0;
  for (let k = 0; k < d; k++) rr += y[k]! * y[k]!;
  return rr;
}

/**
 * Finishes row i: v ← v − dot · y (the transport proj(y, v) with dot = ⟨y, v⟩), then, at a
 * stabilize step, y ← y / ‖y‖ and v ← proj(y, v) again; stores y into xOut and v into vOut
 * (rounding to their dtype).
 */
function finishRow(y: Float64Array, v: Float64Array | null, dot: number, stabilize: boolean,
  xOut: TypedArray, vOut: TypedArray | null, o: number, d: number): void {
  if (v) for (let k = 0; k < d; k++) v[k] = v[k]! - dot * y[k]!;
  if (stabilize) {
    const dot2 = normalizeDot(y, sumSquares(y, d), v, d);
    if (v) for (let k = 0; k < d; k++) v[k] = v[k]! - dot2 * y[k]!;
  }
  for (let k = 0; k < d; k++) xOut[o + k] = y[k]!;
  if (v && vOut) for (let k = 0; k < d; k++) vOut[o + k] = v[k]!;
}

/**
 * RiemannianAdam's update fused over the rows (cpu only). Per row i, with t = step, e = ∇ + λ x:
 *   g = e − ⟨x, e⟩ x;   m₁ = β1 m + (1 − β1) g;   v = β2 v + (1 − β2) ‖g‖²;   w = amsgrad ? max(v_max, v) : v
 *   u = (m₁ / (1 − β1ᵗ)) / (√(w / (1 − β2ᵗ)) + eps) · (−lr);   x' = R(x, u);   m = proj(x', m₁)
 * and every `stabilize` steps x' ← x' / ‖x'‖, m ← proj(x', m).
 * @param h the optimizer's hyperparameters (the class itself)
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the previous state, or undefined before the first step
 * @returns the new point and state (all new tensors), or null where the composed path must run
 */
export function fusedAdamUpdate(h: RiemannianAdamHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> | null {
  if (x.rank !== 2) return null;
  const dtype = x.dtype, shape = x.shape;
  const [n, d] = shape as [number, number];
  const xs = hostArray(x, dtype, shape), gs = hostArray(grad, dtype, shape);
  const ms = state ? hostArray(state.m, dtype, shape) : null;
  const vs = state ? hostArray(state.v, dtype, [n]) : null;
  const amsgrad = h.amsgrad;
  const vMaxIn = amsgrad && state?.vMax ? hostArray(state.vMax, dtype, [n]) : null;
  if (!xs || !gs || (state && (!ms || !vs)) || (amsgrad && state?.vMax && !vMaxIn)) return null;

  const step = (state?.step ?? 0) + 1;
  const { beta1, beta2, eps } = h;
  const c1 = 1 - beta1, c2 = 1 - beta2;
  const bc1 = 1 - beta1 ** step, bc2 = 1 - beta2 ** step;
  const negLr = -h.lr;
  const stabilize = h.stabilize !== null && step % h.stabilize === 0;
  const threshold = seriesThreshold[dtype];
  const xOut = allocate(dtype, n * d), mOut = allocate(dtype, n * d), vOut = allocate(dtype, n);
  const vMaxOut = amsgrad ? allocate(dtype, n) : null;
  const g = new Float64Array(d), m1 = new Float64Array(d), u = new Float64Array(d), y = new Float64Array(d);

  for (let i = 0; i < n; i++) {
    const o = i * d;
    projectedGradientRow('RiemannianAdam', dtype, xs, gs, o, d, h.weightDecay, g);
    let gg = 0;
    for (let k = 0; k < d; k++) {
      const gk = g[k]!;
      gg += gk * gk;
      m1[k] = ms ? ms[o + k]! * beta1 + gk * c1 : gk * c1;
    }
    const v = vs ? vs[i]! * beta2 + gg * c2 : gg * c2;
    // AMSGrad: the running maximum, with maximum's rule (the first argument on ties and NaN)
    const vm = vMaxIn ? vMaxIn[i]! : v;
    const vMax = vm >= v || vm !== vm ? vm : v;
    if (vMaxOut) vMaxOut[i] = vMax;
    const vHat = (amsgrad ? vMax : v) / bc2;
    // A negative second moment (only from a hand-made state) is sqrt's domain error: let the
    // composed path raise it with its usual message. NaN passes through, as there.
    if (vHat < 0) return null;
    const denom = Math.sqrt(vHat) + eps;
    let tt = 0;
    for (let k = 0; k < d; k++) {
      const uk = (m1[k]! / bc1 / denom) * negLr;
      u[k] = uk;
      tt += uk * uk;
    }
    const dot2 = normalizeDot(y, retractRow(h.retraction, xs, o, u, tt, y, d, threshold), m1, d);
    finishRow(y, m1, dot2, stabilize, xOut, mOut, o, d);
    vOut[i] = v;
  }
  const next: RiemannianAdamState = { step, m: wrap(mOut, shape, x), v: wrap(vOut, [n], x) };
  if (vMaxOut) next.vMax = wrap(vMaxOut, [n], x);
  return { value: wrap(xOut, shape, x), state: next };
}

/**
 * RiemannianSGD's update fused over the rows (cpu only). Per row i, with e = ∇ + λ x:
 *   g = e − ⟨x, e⟩ x;   m = β m + (1 − dampening) g (m = g without a previous buffer);
 *   dir = Nesterov ? g + β m : m (dir = g without momentum);   x' = R(x, −lr · dir);   m ← proj(x', m)
 * and every `stabilize` steps x' ← x' / ‖x'‖, m ← proj(x', m).
 * @param h the optimizer's hyperparameters (the class itself)
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the previous state, or undefined before the first step
 * @returns the new point and state (all new tensors), or null where the composed path must run
 */
export function fusedSgdUpdate(h: RiemannianSGDHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> | null {
  if (x.rank !== 2) return null;
  const dtype = x.dtype, shape = x.shape;
  const [n, d] = shape as [number, number];
  const xs = hostArray(x, dtype, shape), gs = hostArray(grad, dtype, shape);
  const useMomentum = h.momentum > 0;
  const prev = useMomentum ? state?.m ?? null : null;
  const ms = prev ? hostArray(prev, dtype, shape) : null;
  if (!xs || !gs || (prev && !ms)) return null;

  const step = (state?.step ?? 0) + 1;
  const beta = h.momentum, nesterov = h.nesterov, c = 1 - h.dampening;
  const negLr = -h.lr;
  const stabilize = h.stabilize !== null && step % h.stabilize === 0;
  const threshold = seriesThreshold[dtype];
  const xOut = allocate(dtype, n * d);
  const mOut = useMomentum ? allocate(dtype, n * d) : null;
  const g = new Float64Array(d), m = new Float64Array(d), u = new Float64Array(d), y = new Float64Array(d);

  for (let i = 0; i < n; i++) {
    const o = i * d;
    projectedGradientRow('RiemannianSGD', dtype, xs, gs, o, d, h.weightDecay, g);
    let tt = 0;
    for (let k = 0; k < d; k++) {
      const gk = g[k]!;
      let dir = gk;
      if (useMomentum) {
        const mk = ms ? ms[o + k]! * beta + gk * c : gk;
        m[k] = mk;
        dir = nesterov ? gk + mk * beta : mk;
      }
      const uk = dir * negLr;
      u[k] = uk;
      tt += uk * uk;
    }
    const mRow = mOut ? m : null;
    const rr = retractRow(h.retraction, xs, o, u, tt, y, d, threshold);
    // ‖u‖² or ‖y‖² overflowed (a gradient of 1e160): the composed path's norm scales first and stays finite
    if (!Number.isFinite(tt) || !Number.isFinite(rr)) return null;
    const dot2 = normalizeDot(y, rr, mRow, d);
    finishRow(y, mRow, dot2, stabilize, xOut, mOut, o, d);
  }
  return { value: wrap(xOut, shape, x), state: { step, m: mOut ? wrap(mOut, shape, x) : null } };
}
