// The training loop the experiments share: Riemannian Adam or SGD, or the Euclidean baseline with renormalised rows.
import { Adam, OptionError, noGrad, tidy, type Tensor } from '@keepdist/autograd';
import { tensorsIn } from '@keepdist/autograd/internal';
import { RiemannianAdam, RiemannianSGD, projx } from '@keepdist/sphere';
import type { Regularizer } from '@keepdist/dispersion';
import type { OptimizerName } from '../commonFlags.js';
import { scheduledLr, type LrDecay } from '../lrSchedule.js';

/** Options of {@link train}. */
export interface TrainLoop {
  /** Learning rate (at the first step, when decayed). */
  lr: number;
  /** Learning-rate schedule over the iterations; 'none' keeps `lr` constant (the only choice of `euclidean-adam`). */
  lrDecay: LrDecay;
  /** Iterations to run. */
  iters: number;
  /** Re-project every k steps (the paper: 1); null for never. Riemannian optimizers only. */
  stabilize: number | null;
  /** Which optimizer; default `adam` (RiemannianAdam). */
  optimizer?: OptimizerName;
  /** Awaited after every iteration (progress, Ctrl-C); `loss` is that iteration's value. */
  afterStep: (iteration: number, loss: Tensor) => Promise<void>;
}

/** One optimizer step on X with the step's learning rate. */
interface Stepper {
  zeroGrad(): void;
  step(lr: number): void;
  /** Frees the optimizer's state tensors now (a run's last use of them). */
  release(): void;
}

/** Disposes every tensor held in an optimizer's per-parameter state (flat records such as { step, m, v }). */
function releaseState(state: Map<Tensor, unknown>): void {
  for (const s of state.values()) for (const t of tensorsIn(s)) t.dispose();
  state.clear();
}

/**
 * The step of `optimizer` on X: RiemannianAdam / RiemannianSGD with the exact exponential map, or plain Adam
 * (autograd's, fixed `lr`) followed by x_i ← x_i / ‖x_i‖ for every row.
 * @throws OptionError for `euclidean-adam` with a decayed learning rate (commands refuse that before any work).
 */
export function stepper(X: Tensor, optimizer: OptimizerName, o: Pick<TrainLoop, 'lr' | 'lrDecay' | 'stabilize'>): Stepper {
  if (optimizer === 'euclidean-adam') {
    if (o.lrDecay !== 'none') throw new OptionError(`train: expected lrDecay 'none' with euclidean-adam, got '${o.lrDecay}'. autograd's Adam has a fixed learning rate.`);
    const adam = new Adam([X], { lr: o.lr });
    return {
      zeroGrad: () => adam.zeroGrad(),
      step: () => {
        adam.step();
        noGrad(() => X.assign(projx(X.detach())));
      },
      release: () => releaseState(adam.state),
    };
  }
  const riemannian = { lr: o.lr, retraction: 'expmap', stabilize: o.stabilize } as const;
  const opt = optimizer === 'sgd' ? new RiemannianSGD([X], riemannian) : new RiemannianAdam([X], riemannian);
  return {
    zeroGrad: () => opt.zeroGrad(),
    step: (lr) => {
      opt.lr = lr;
      opt.step();
    },
    release: () => releaseState(opt.state),
  };
}

/**
 * Minimises `loss(X)` over the rows of X (a leaf with requiresGrad, rows on the sphere) with the chosen
 * optimizer (see {@link stepper}), updating X in place. Iteration i (1-based) steps with
 * `scheduledLr(lrDecay, lr, i − 1, iters)`. Each step's loss is disposed once `afterStep` has
 * returned; the optimizer's state and X's gradient are freed when the loop ends.
 */
export async function train(X: Tensor, loss: Regularizer, o: TrainLoop): Promise<void> {
  const opt = stepper(X, o.optimizer ?? 'adam', o);
  try {
    for (let i = 1; i <= o.iters; i++) {
      const lr = scheduledLr(o.lrDecay, o.lr, i - 1, o.iters);
      // tidy frees the step's temporaries at once (device memory on the gpu backend, which garbage
      // collection does not see); X's new value, its gradient and the optimizer's state escape the scope
      const l = tidy(() => {
        opt.zeroGrad();
        const value = loss(X);
        value.backward();
        opt.step(lr);
        return value;
      });
      await o.afterStep(i, l);
      l.dispose();
    }
  } finally {
    // the state and the last gradient are large (n × d each) and garbage collection, which sees only
    // their small wrappers, may leave them for long: a run of several methods would keep them all
    opt.zeroGrad();
    opt.release();
  }
}
