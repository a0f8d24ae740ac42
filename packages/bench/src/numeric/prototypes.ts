// Numeric core of `keepdist-bench prototypes`: k prototypes from a uniform start, one method on all k at once.
import { createRng, type Tensor } from '@keepdist/autograd';
import { angleSummary, toDegrees } from '@keepdist/dispersion';
import { randomUniform } from '@keepdist/sphere';
import type { PrototypeAngles, RunPrototypesMethod } from '../commands/prototypes.js';
import { resolveBackend } from './backends.js';
import { methodRegularizer } from './methods.js';
import { train } from './trainLoop.js';

/** The minimum, mean nearest-neighbour and mean pairwise angle of the rows of X, in degrees. */
export async function prototypeAngles(X: Tensor): Promise<PrototypeAngles> {
  const s = await angleSummary(X);
  const nearest = s.minAnglePerPoint.reduce((a, b) => a + b, 0) / s.minAnglePerPoint.length;
  return { minAngleDeg: s.minAngleDegrees, meanAngleDeg: toDegrees(s.meanAngle), meanNearestDeg: toDegrees(nearest) };
}

/**
 * Places k prototypes in float32 on the run's backend: a uniform start drawn from `seed` (the same for every
 * method), `iters` steps of the method on all k rows (no minibatch; draws seeded by seed + 1) with the chosen
 * optimizer at stabilize = 1; returns the start's and the final angles and the time spent in the steps.
 */
export const runPrototypesMethod: RunPrototypesMethod = async (input, hooks) => {
  const { backend } = await resolveBackend(input.backend);
  const X = randomUniform(input.k, input.d, { rng: createRng(input.seed), dtype: 'float32', backend, requiresGrad: true });
  const start = await prototypeAngles(X);
  const reg = methodRegularizer(input.method, { rng: createRng(input.seed + 1), samples: input.samples, conventions: input.conventions });
  const t0 = performance.now();
  await train(X, reg, {
    lr: input.lr, lrDecay: input.lrDecay, iters: input.iters, stabilize: 1, optimizer: input.optimizer,
    afterStep: (i) => hooks.step(i),
  });
  const optimiseS = (performance.now() - t0) / 1000;
  const final = await prototypeAngles(X);
  X.dispose();
  return { start, final, iterations: input.iters, optimiseS };
};
