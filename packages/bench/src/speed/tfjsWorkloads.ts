// The speed workloads written with TensorFlow.js ops and tf.valueAndGrad (the reference stack, a dev dependency).
import type * as Tf from '@tensorflow/tfjs';
import type { PreparedWorkload } from './keepdistWorkloads.js';
import { LLOYD_CLAMP_EPS, inputOf, type Workload, type WorkloadData } from './workloads.js';

/** The TensorFlow.js module (`@tensorflow/tfjs`), as loaded at run time. */
export type TfModule = typeof Tf;

/** The input `name` of `data` as a tensor of the active tfjs backend. */
function input(tf: TfModule, data: WorkloadData, name: string): Tf.Tensor {
  const a = inputOf(data, name);
  return tf.tensor(a.data, [...a.shape], 'float32');
}

/** A loss of X written in tf ops, and the constants it holds (freed by `dispose`). */
interface TfLoss {
  readonly loss: (X: Tf.Tensor) => Tf.Scalar;
  readonly dispose: () => void;
}

/**
 * The formulas in tf ops (the same as keepdist's, see `keepdistLoss`):
 * - mmd: L = 2/(n(n−1)) · (Σ_ij exp(C_ij) − Σ_i exp(‖x_i‖²)), C = X·Xᵀ;
 * - lloyd: L = mean_s min_i acos(clamp(S·Xᵀ, −1+ε, 1−ε))²;
 * - sliced: θ = atan2(X·q, X·p), target_i = mean(θ) + φ_{rank_i}, L = ½ Σ (θ − target)². The ranks
 *   (a sort of θ, by `topk`) are piecewise constant, so φ_{rank} is a custom-gradient op with zero
 *   gradient (tfjs has no gradient for topk's indices); mean(θ) stays differentiable.
 */
export function tfjsLoss(tf: TfModule, w: Workload, data: WorkloadData): TfLoss {
  switch (w.kind) {
    case 'mmd': {
      const scale = 2 / (w.n * (w.n - 1));
      const loss = (X: Tf.Tensor): Tf.Scalar => {
        const all = tf.sum(tf.exp(tf.matMul(X, X, false, true)));
        const diagonal = tf.sum(tf.exp(tf.sum(tf.square(X), 1)));
        return tf.mul(tf.sub(all, diagonal), scale) as Tf.Scalar;
      };
      return { loss, dispose: () => undefined };
    }
    case 'lloyd': {
      const S = input(tf, data, 'S');
      const loss = (X: Tf.Tensor): Tf.Scalar => {
        const c = tf.clipByValue(tf.matMul(S, X, false, true), -1 + LLOYD_CLAMP_EPS, 1 - LLOYD_CLAMP_EPS);
        return tf.mean(tf.min(tf.square(tf.acos(c)), 1));
      };
      return { loss, dispose: () => S.dispose() };
    }
    case 'sliced':
      return tfjsSlicedLoss(tf, w.n, data);
    case 'matmul':
      throw new Error('speed: expected a loss workload (mmd, lloyd, sliced), got matmul, which is forward only.');
  }
}

function tfjsSlicedLoss(tf: TfModule, n: number, data: WorkloadData): TfLoss {
  const p = tf.reshape(input(tf, data, 'p'), [-1, 1]), q = tf.reshape(input(tf, data, 'q'), [-1, 1]);
  const phi = tf.tensor1d(Float32Array.from({ length: n }, (_, r) => -Math.PI + ((2 * (r + 1) - 1) * Math.PI) / n));
  const positions = tf.range(0, n, 1, 'int32');
  // φ_{rank_i}: the ascending order of θ from topk of −θ, inverted by a scatter into ranks
  const rankedPhi = tf.customGrad((...args: (Tf.Tensor | Tf.GradSaveFunc)[]) => {
    const theta = args[0] as Tf.Tensor;
    const order = tf.reshape(tf.topk(tf.neg(theta), n).indices, [n, 1]);
    const rank = tf.scatterND(order, positions, [n]);
    return { value: tf.gather(phi, rank), gradFunc: () => tf.zerosLike(theta) };
  });
  const loss = (X: Tf.Tensor): Tf.Scalar => {
    const theta = tf.reshape(tf.atan2(tf.matMul(X, q), tf.matMul(X, p)), [n]);
    const target = tf.add(tf.mean(theta), rankedPhi(theta));
    return tf.mul(tf.sum(tf.square(tf.sub(theta, target))), 0.5) as Tf.Scalar;
  };
  return { loss, dispose: () => tf.dispose([p, q, phi, positions]) };
}

/**
 * Sets up workload `w` on the active tfjs backend in float32: matmul reads back C = A·B; the others
 * run `tf.valueAndGrad` of {@link tfjsLoss} at X and read back the loss and ∂L/∂X (`dataSync`).
 */
export function prepareTfjsWorkload(tf: TfModule, w: Workload, data: WorkloadData): PreparedWorkload {
  if (w.kind === 'matmul') {
    const A = input(tf, data, 'A'), B = input(tf, data, 'B');
    return {
      run: async () => {
        const C = tf.matMul(A, B);
        const output = C.dataSync() as Float32Array;
        C.dispose();
        return { kind: 'forward', output };
      },
      dispose: () => tf.dispose([A, B]),
    };
  }
  const X = input(tf, data, 'X');
  const { loss, dispose } = tfjsLoss(tf, w, data);
  const f = tf.valueAndGrad(loss);
  return {
    run: async () => {
      let value = NaN;
      let grad: Float32Array = new Float32Array(0);
      tf.tidy(() => {
        const r = f(X);
        value = r.value.dataSync()[0]!;
        grad = r.grad.dataSync() as Float32Array;
      });
      return { kind: 'lossGrad', loss: value, grad };
    },
    dispose: () => { X.dispose(); dispose(); },
  };
}
