// Numeric core of `keepdist-bench speed`: one loss + gradient, or the Gram matmul, per case.
import { createRng, gram, valueAndGrad } from '@keepdist/autograd';
import { randomUniform } from '@keepdist/sphere';
import type { PrepareSpeedCase } from '../commands/speed.js';
import { resolveBackend } from './backends.js';
import { methodRegularizer } from './methods.js';

/**
 * Prepares one timed case in float32 on the chosen backend: X uniform on S^{d−1} (seeded); `run`
 * computes the loss and Euclidean gradient of the method on all n rows (or X Xᵀ) and reads the
 * result back, so the time covers the whole computation, then frees the results (as a loop that
 * disposes them does; the cpu backend's are left to garbage collection).
 */
export const prepareSpeedCase: PrepareSpeedCase = async (input) => {
  const { backend } = await resolveBackend(input.backend);
  const X = randomUniform(input.n, input.d, { rng: createRng(input.seed), dtype: 'float32', backend });
  if (input.task === 'matmul') {
    return {
      run: async () => {
        const C = gram(X);
        await C.data();
        C.dispose();
      },
      dispose: () => X.dispose(),
    };
  }
  const f = valueAndGrad(methodRegularizer(input.method, { rng: createRng(input.seed + 1) }));
  return {
    run: async () => {
      const { value, grads } = f(X);
      await grads[0]!.data();
      value.dispose();
      grads[0]!.dispose();
    },
    dispose: () => X.dispose(),
  };
};
