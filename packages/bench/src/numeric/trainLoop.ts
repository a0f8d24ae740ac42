// The Riemannian training loop both experiments share.
import { tidy, type Tensor } from '@keepdist/autograd';
import { RiemannianAdam } from '@keepdist/sphere';
import type { Regularizer } from '@keepdist/dispersion';
import { scheduledLr, type LrDecay } from '../lrSchedule.js';

/** Options of {@link train}. */
export interface TrainLoop {
  /** Learning rate of RiemannianAdam (at the first step, when decayed). */
  lr: number;
  /** Learning-rate schedule over the iterations; 'none' keeps `lr` constant. */
  lrDecay: LrDecay;
  /** Iterations to run. */
  iters: number;
  /** Re-project every k steps (the paper: 1); null for never. */
  stabilize: number | null;
  /** Awaited after every iteration (progress, Ctrl-C); `loss` is that iteration's value. */
  afterStep: (iteration: number, loss: Tensor) => Promise<void>;
}

/**
 * Minimises `loss(X)` over the rows of X (a leaf with requiresGrad, rows on the sphere) with
 * RiemannianAdam and the exact exponential map, updating X in place. Iteration i (1-based) steps with
 * `scheduledLr(lrDecay, lr, i − 1, iters)`.
 */
export async function train(X: Tensor, loss: Regularizer, o: TrainLoop): Promise<void> {
  const opt = new RiemannianAdam([X], { lr: o.lr, retraction: 'expmap', stabilize: o.stabilize });
  for (let i = 1; i <= o.iters; i++) {
    opt.lr = scheduledLr(o.lrDecay, o.lr, i - 1, o.iters);
    // tidy frees the step's temporaries at once (device memory on the gpu backend, which garbage
    // collection does not see); X's new value, its gradient and Adam's state escape the scope
    const l = tidy(() => {
      opt.zeroGrad();
      const value = loss(X);
      value.backward();
      opt.step();
      return value;
    });
    await o.afterStep(i, l);
  }
}
