// Numeric core of `keepdist-bench synthetic`: the paper's synthetic dispersion experiment.
import { createRng, noGrad, type Tensor } from '@keepdist/autograd';
import { circularVariance, minAngle, toDegrees } from '@keepdist/dispersion';
import type { RunSyntheticMethod } from '../commands/synthetic.js';
import { resolveBackend } from './backends.js';
import { initialPoints } from './inits.js';
import { methodRegularizer } from './methods.js';
import { train } from './trainLoop.js';

/** The authors' draws per step: Lloyd as many samples as batch rows, slicedAxis and ssw 13, others their default. */
export function paperSamples(method: string, batch: number): number | undefined {
  if (method === 'lloyd') return batch;
  return method === 'slicedAxis' || method === 'ssw' ? 13 : undefined;
}

/**
 * Runs one method in float32 (as the paper): the start of n points on S^{d−1} that `input.init` names (`initialPoints`), the
 * optimizer `input.optimizer` names (`train`; the Riemannian ones with the exact exponential map and stabilize = 1,
 * as the authors' code), recording loss,
 * minimum angle and circular variance every `every` iterations; metric time is not counted.
 */
export const runSyntheticMethod: RunSyntheticMethod = async (input, hooks) => {
  const { backend } = await resolveBackend(input.backend);
  const rng = createRng(input.seed);
  const X = initialPoints(input.init, input.n, input.d, { rng, kappa: input.kappa, dtype: 'float32', backend, requiresGrad: true });
  const reg = methodRegularizer(input.method, {
    rng: createRng(input.seed + 1),
    batchSize: input.batch !== undefined && input.batch < input.n ? input.batch : undefined,
    samples: input.samples ?? paperSamples(input.method, input.batch ?? input.n),
    conventions: input.conventions,
  });
  let optimiseS = 0;
  let t0 = performance.now();
  const record = async (iteration: number, loss: Tensor | null): Promise<void> => {
    optimiseS += (performance.now() - t0) / 1000;
    const start = loss ?? noGrad(() => reg(X));
    const lossValue = (await start.data())[0]!;
    if (!loss) start.dispose();
    hooks.record({
      iteration,
      loss: lossValue,
      minAngleDeg: toDegrees(await minAngle(X)),
      circularVariance: await circularVariance(X),
      elapsedS: optimiseS,
    });
    t0 = performance.now();
  };
  await record(0, null);
  await train(X, reg, {
    lr: input.lr, lrDecay: input.lrDecay, iters: input.iters, stabilize: 1, optimizer: input.optimizer,
    afterStep: async (i, loss) => {
      if (i % input.every === 0 || i === input.iters) await record(i, loss);
      await hooks.step(i);
    },
  });
  X.dispose(); // n × d of wasm or device memory, freed now rather than whenever garbage collection runs
  return { iterations: input.iters };
};
