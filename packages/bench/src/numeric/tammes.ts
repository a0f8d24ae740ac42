// Numeric core of `keepdist-bench tammes`: n points on S² from a uniform start, RiemannianAdam + expmap.
import { createRng } from '@keepdist/autograd';
import { minAnglePerPoint, toDegrees } from '@keepdist/dispersion';
import { randomUniform } from '@keepdist/sphere';
import type { RunTammesMethod } from '../commands/tammes.js';
import type { Conventions } from '../commonFlags.js';
import { resolveBackend } from './backends.js';
import { methodRegularizer } from './methods.js';
import { train } from './trainLoop.js';

/** The paper's gaussian bandwidth for the Tammes runs: γ = 20 for n ≤ 14, 25 otherwise (n = 24). */
export function paperGamma(n: number): number {
  return n <= 14 ? 20 : 25;
}

/** The paper's Lloyd sample count for the Tammes runs: 200 for n ≤ 14, 300 otherwise. */
export function paperLloydSamples(n: number): number {
  return n <= 14 ? 200 : 300;
}

/** Re-projection period of the Tammes runs: every step (1) under the authors' conventions, as their script; never under keepdist's. */
export function tammesStabilize(conventions: Conventions): number | null {
  return conventions === 'authors' ? 1 : null;
}

/** Runs one method on the Tammes problem and returns its per-point minimum angles in degrees. */
export const runTammesMethod: RunTammesMethod = async (input, hooks) => {
  const { backend, dtype } = await resolveBackend(input.backend);
  const rng = createRng(input.seed);
  const X = randomUniform(input.n, input.d, { rng, dtype, backend, requiresGrad: true });
  const reg = methodRegularizer(input.method, {
    rng: createRng(input.seed + 1),
    gamma: input.gamma ?? paperGamma(input.n),
    samples: input.method === 'lloyd' ? input.samples ?? paperLloydSamples(input.n) : input.samples,
    conventions: input.conventions,
  });
  let done = 0;
  // a Ctrl-C between iterations keeps this start: the angles after the `done` iterations so far
  hooks.snapshot?.(async () => ({ perPointMinAnglesDeg: Array.from(await minAnglePerPoint(X), toDegrees), iterations: done }));
  await train(X, reg, {
    lr: input.lr, lrDecay: input.lrDecay, iters: input.iters, stabilize: tammesStabilize(input.conventions),
    afterStep: (i) => {
      done = i;
      return hooks.step(i);
    },
  });
  const perPoint = await minAnglePerPoint(X);
  return { perPointMinAnglesDeg: Array.from(perPoint, toDegrees), iterations: input.iters };
};
