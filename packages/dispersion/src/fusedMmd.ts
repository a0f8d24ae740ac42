import { cpuBackend, defineOp, isGradEnabled, mul, tensor, type Tensor } from '@keepdist/autograd';
import type { KernelSpec } from './mmd.js';

/**
 * Row count from which {@link mmd} switches to {@link fusedMmd} on the cpu backend. Below it the
 * composed graph ({@link mmdComposed}) is used; from about a thousand rows its n × n temporaries
 * (gram, mask, kernel values and their cotangents, a dozen n × n arrays) dominate time and memory,
 * while the fused op needs O(n·d) memory.
 */
export const FUSED_MMD_MIN_ROWS = 1024;

/** Rows per tile edge of {@link fusedMmd}'s sweep: a J-block of 256 rows × d stays in cache. */
export const FUSED_MMD_TILE = 256;

/** Loss and (optionally) the Euclidean gradient of a fused sweep, in float64. */
export interface FusedMmdSweep {
  /** L = (2/P) Σ_{i<j} k(c_ij). */
  loss: number;
  /** ∂L/∂x_i = (2/P) Σ_{j≠i} k′(c_ij) x_j, row-major n × d; null when not requested. */
  grad: Float64Array | null;
}

/**
 * k(c) and k′(c) = dk/dc of the kernel `spec` at the cosine c, written to `out` ([k, k′]). The
 * derivative is the one reverse mode gives for the composed graph of {@link kernelOfCosine}: the
 * clamp passes the gradient only for −1 + ε ≤ c ≤ 1 − ε, the exact chord's max(2 − 2c, 0) only
 * where 2 − 2c ≥ 0.
 */
function makeKernel(spec: KernelSpec): (c: number, out: Float64Array) => void {
  const { gamma, s, eps } = spec;
  const lo = -1 + eps, hi = 1 - eps;
  // r(c) and r′(c) for the distance, written to rr ([r, r′]).
  const rr = new Float64Array(2);
  let dist: (c: number) => void;
  if (spec.distance === 'geodesic') {
    dist = (c) => {
      const cc = c < lo ? lo : c > hi ? hi : c;
      rr[0] = Math.acos(cc);
      rr[1] = c >= lo && c <= hi ? -1 / Math.sqrt(1 - cc * cc) : 0;
    };
  } else if (spec.chord === 'authors') {
    dist = (c) => {
      const e = Math.sqrt(2 - c);
      rr[0] = e;
      rr[1] = -1 / (2 * e);
    };
  } else {
    dist = (c) => {
      const u = 2 - 2 * c;
      const e = Math.sqrt((u > 0 ? u : 0) + eps);
      rr[0] = e;
      rr[1] = u >= 0 ? -1 / e : 0;
    };
  }
  if (spec.kernel === 'gaussian' && spec.distance === 'euclidean') {
    return (c, out) => {
      const k = Math.exp(gamma * c);
      out[0] = k;
      out[1] = gamma * k;
    };
  }
  if (spec.kernel === 'gaussian') {
    return (c, out) => {
      dist(c);
      const t = rr[0]!;
      const k = Math.exp(-gamma * t * t);
      out[0] = k;
      out[1] = -2 * gamma * t * k * rr[1]!;
    };
  }
  if (spec.kernel === 'laplace') {
    return (c, out) => {
      dist(c);
      const k = Math.exp(-gamma * rr[0]!);
      out[0] = k;
      out[1] = -gamma * k * rr[1]!;
    };
  }
  if (s === 0) {
    return (c, out) => {
      dist(c);
      out[0] = -Math.log(rr[0]!);
      out[1] = -rr[1]! / rr[0]!;
    };
  }
  const sign = s > 0 ? 1 : -1;
  return (c, out) => {
    dist(c);
    const r = rr[0]!;
    const p = Math.pow(r, -s - 1);
    out[0] = sign * p * r;
    out[1] = -sign * s * p * rr[1]!;
  };
}

/**
 * The fused MMD sweep on host rows (row-major n × d, any float array): the loss of SPEC §2.1 in
 * the cosines, L = (2/P) Σ_{i<j} k(c_ij), and, when `withGrad`, ∂L/∂x_i = (2/P) Σ_{j≠i} k′(c_ij) x_j.
 * The pairs are visited in TILE × TILE row blocks of the upper block triangle with plain float64
 * loops; the n × n cosine matrix is never stored. Memory O(n·d) (a float64 copy of X and the
 * gradient); time O(n² d).
 */
export function fusedMmdSweep(data: ArrayLike<number>, n: number, d: number, spec: KernelSpec,
  withGrad: boolean, tile = FUSED_MMD_TILE): FusedMmdSweep {
  const X = Float64Array.from(data as ArrayLike<number>);
  const G = withGrad ? new Float64Array(n * d) : null;
  const kernel = makeKernel(spec);
  const kk = new Float64Array(2);
  const gi = new Float64Array(d);
  let total = 0;
  for (let i0 = 0; i0 < n; i0 += tile) {
    const i1 = Math.min(n, i0 + tile);
    for (let j0 = i0; j0 < n; j0 += tile) {
      const j1 = Math.min(n, j0 + tile);
      let blockSum = 0;
      for (let i = i0; i < i1; i++) {
        const oi = i * d;
        const xi = X.subarray(oi, oi + d);
        const jStart = j0 === i0 ? i + 1 : j0;
        if (G) gi.fill(0);
        let rowSum = 0;
        let j = jStart;
        // Two columns j, j + 1 at a time: x_i and g_i are loaded once for both.
        for (; j + 1 < j1; j += 2) {
          const oa = j * d, ob = oa + d;
          let a0 = 0, a1 = 0, b0 = 0, b1 = 0, t = 0;
          for (; t + 1 < d; t += 2) {
            const x0 = xi[t]!, x1 = xi[t + 1]!;
            a0 += x0 * X[oa + t]!;
            a1 += x1 * X[oa + t + 1]!;
            b0 += x0 * X[ob + t]!;
            b1 += x1 * X[ob + t + 1]!;
          }
          if (t < d) {
            a0 += xi[t]! * X[oa + t]!;
            b0 += xi[t]! * X[ob + t]!;
          }
          kernel(a0 + a1, kk);
          const ka = kk[0]!, wa = kk[1]!;
          kernel(b0 + b1, kk);
          rowSum += ka + kk[0]!;
          if (G) {
            const wb = kk[1]!;
            for (let u = 0; u < d; u++) {
              const x = xi[u]!;
              gi[u]! += wa * X[oa + u]! + wb * X[ob + u]!;
              G[oa + u]! += wa * x;
              G[ob + u]! += wb * x;
            }
          }
        }
        if (j < j1) {
          const oj = j * d;
          let c = 0;
          for (let t = 0; t < d; t++) c += xi[t]! * X[oj + t]!;
          kernel(c, kk);
          rowSum += kk[0]!;
          if (G) {
            const w = kk[1]!;
            for (let u = 0; u < d; u++) {
              gi[u]! += w * X[oj + u]!;
              G[oj + u]! += w * xi[u]!;
            }
          }
        }
        blockSum += rowSum;
        if (G) for (let t = 0; t < d; t++) G[oi + t]! += gi[t]!;
      }
      total += blockSum;
    }
  }
  const scale = 2 / ((n * (n - 1)) / 2);
  if (G) for (let t = 0; t < G.length; t++) G[t]! *= scale;
  return { loss: total * scale, grad: G };
}

/**
 * Fused, tiled cpu MMD dispersion (SPEC §2.1), a {@link defineOp} equal to {@link mmdComposed}
 * (the reference, held equal by a property test) for a synchronous backend:
 *
 *   L = (2/P) Σ_{i<j} k(c_ij),   ∂L/∂x_i = (2/P) Σ_{j≠i} k′(c_ij) x_j,
 *
 * with k one of the six kernels of {@link kernelOfCosine} (same clamp ε, both chord conventions).
 * The sweep ({@link fusedMmdSweep}) never allocates the n × n matrix: memory O(n·d). When a
 * gradient will be needed (recording on and X requires a gradient) the forward computes the
 * gradient in the same sweep and keeps it (n × d) for the backward, which returns it times the
 * incoming scalar cotangent; otherwise the backward runs its own sweep. The backward is
 * differentiable in the cotangent only (no second derivatives in X). The loss has X's dtype;
 * everything is accumulated in float64.
 * @param X n × d tensor of unit rows on a synchronous backend (normally `cpuBackend`).
 * @param spec validated kernel parameters ({@link kernelSpec}).
 */
export function fusedMmd(X: Tensor, spec: KernelSpec): Tensor {
  const [n, d] = X.shape as [number, number];
  const wantGrad = isGradEnabled() && X.requiresGrad;
  let cached: Float64Array | null = null;
  const op = defineOp({
    name: 'fusedMmd',
    forward: (x) => {
      const r = fusedMmdSweep(x.readSync('fusedMmd'), n, d, spec, wantGrad);
      cached = r.grad;
      return tensor([r.loss], { shape: [], dtype: x.dtype, backend: x.backend });
    },
    backward: (dy, [x]) => {
      const g = cached ?? fusedMmdSweep(x!.readSync('fusedMmd'), n, d, spec, true).grad!;
      cached = null;
      return [mul(tensor(g, { shape: [n, d], dtype: x!.dtype, backend: x!.backend }), dy)];
    },
  });
  return op(X);
}

/** True when {@link mmd} takes the fused path for these rows: cpu backend and n ≥ {@link FUSED_MMD_MIN_ROWS}. */
export function usesFusedMmd(X: Tensor): boolean {
  return X.backend === cpuBackend && X.backend.synchronous && X.shape[0]! >= FUSED_MMD_MIN_ROWS;
}
