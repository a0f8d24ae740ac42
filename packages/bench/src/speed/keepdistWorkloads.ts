// The speed workloads on keepdist: W1 is autograd's matmul; W2–W4 are dispersion's mmd, lloyd and sliced.
import { matmul, tensor, valueAndGrad, type Backend, type Tensor } from '@keepdist/autograd';
import { lloyd, mmd, sliced } from '@keepdist/dispersion';
import { LLOYD_CLAMP_EPS, inputOf, type Workload, type WorkloadData, type WorkloadValues } from './workloads.js';

/** A workload set up on one stack (inputs in place, untimed): `run` computes it once and reads the result back. */
export interface PreparedWorkload {
  run(): Promise<WorkloadValues>;
  dispose(): void;
}

/**
 * The loss of a W2–W4 workload as a keepdist regularizer call (the formulas, each equal to a
 * dispersion regularizer, docs/math.md §2):
 * - mmd: 2/(n(n−1)) · (Σ_ij exp(c_ij) − Σ_i exp(‖x_i‖²)) = (2/P) Σ_{i<j} exp(c_ij) with P = n(n−1)/2,
 *   which is `mmd(X, { kernel: 'gaussian', distance: 'euclidean' })` (γ = 1, §2.1); the diagonal
 *   terms cancel in value and gradient.
 * - lloyd: mean_s min_i acos(clampc(s·x_i))² is `lloyd(X, { points: S })` (§2.6).
 * - sliced: one plane (p, q) is `sliced(X, { planes: [[p, q]] })` (§2.7).
 * Sphere checks are off: the inputs have unit rows by construction, and no other stack checks.
 * `dispose` frees the constant inputs (lloyd's S) on `backend`.
 */
export function keepdistLoss(w: Workload, data: WorkloadData, backend: Backend): { loss: (X: Tensor) => Tensor; dispose(): void } {
  switch (w.kind) {
    case 'mmd':
      return { loss: (X) => mmd(X, { kernel: 'gaussian', distance: 'euclidean', checkSphere: false }), dispose: () => undefined };
    case 'lloyd': {
      const S = input(data, 'S', backend);
      return { loss: (X) => lloyd(X, { points: S, clampEps: LLOYD_CLAMP_EPS, checkSphere: false }), dispose: () => S.dispose() };
    }
    case 'sliced': {
      const planes = [[inputOf(data, 'p').data, inputOf(data, 'q').data] as const];
      return { loss: (X) => sliced(X, { planes, checkSphere: false }), dispose: () => undefined };
    }
    case 'matmul':
      throw new Error('speed: expected a loss workload (mmd, lloyd, sliced), got matmul, which is forward only.');
  }
}

/** The input `name` of `data` as a float32 tensor on `backend`. */
function input(data: WorkloadData, name: string, backend: Backend): Tensor {
  const a = inputOf(data, name);
  return tensor(a.data, { shape: a.shape, dtype: 'float32', backend });
}

const asFloat32 = (values: ArrayLike<number>): Float32Array =>
  values instanceof Float32Array ? values : Float32Array.from(values);

/**
 * Sets up workload `w` on keepdist's `backend` in float32: matmul reads back C = A·B; the others
 * run `valueAndGrad` of {@link keepdistLoss} at X and read back the loss and ∂L/∂X.
 */
export function prepareKeepdistWorkload(w: Workload, data: WorkloadData, backend: Backend): PreparedWorkload {
  if (w.kind === 'matmul') {
    const A = input(data, 'A', backend), B = input(data, 'B', backend);
    return {
      run: async () => {
        const C = matmul(A, B);
        const output = asFloat32(await C.data());
        C.dispose();
        return { kind: 'forward', output };
      },
      dispose: () => { A.dispose(); B.dispose(); },
    };
  }
  const X = input(data, 'X', backend);
  const { loss, dispose } = keepdistLoss(w, data, backend);
  const f = valueAndGrad(loss);
  return {
    run: async () => {
      const { value, grads } = f(X);
      const g = grads[0]!;
      const grad = asFloat32(await g.data());
      const loss = (await value.data())[0]!;
      value.dispose();
      g.dispose();
      return { kind: 'lossGrad', loss, grad };
    },
    dispose: () => { X.dispose(); dispose(); },
  };
}
