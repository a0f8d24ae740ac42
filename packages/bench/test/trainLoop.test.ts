// The shared training loop's optimizers: the Euclidean baseline renormalises, RiemannianSGD runs, a step is what it says.
import { cpuBackend, createRng, tensor, type Tensor } from '@keepdist/autograd';
import { regularizer } from '@keepdist/dispersion';
import { randomUniform } from '@keepdist/sphere';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../src/commonFlags.js';
import { train } from '../src/numeric/trainLoop.js';

const n = 12, d = 4;
const start = (): Tensor => randomUniform(n, d, { rng: createRng(5), dtype: 'float64', backend: cpuBackend, requiresGrad: true });
const rowsOf = (X: Tensor): number[][] => {
  const data = X.readSync('test');
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
};
const norm = (v: readonly number[]): number => Math.hypot(...v);
const loss = regularizer('mma', { checkSphere: false });

async function run(optimizer: (typeof OPTIMIZERS)[number], iters: number, lr: number): Promise<{ X: Tensor; losses: number[] }> {
  const X = start();
  const losses: number[] = [];
  await train(X, loss, {
    lr, lrDecay: 'none', iters, stabilize: 1, optimizer,
    afterStep: async (_i, l) => {
      losses.push((await l.data())[0]!);
    },
  });
  return { X, losses };
}

describe('train', () => {
  it.each(OPTIMIZERS)('%s: every row stays on the sphere and the loss falls', async (optimizer) => {
    const { X, losses } = await run(optimizer, 200, optimizer === 'sgd' ? 0.05 : 0.01);
    for (const r of rowsOf(X)) expect(Math.abs(norm(r) - 1)).toBeLessThan(1e-14);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! - 0.05);
  });

  it("euclidean-adam's first step is x ← normalise(x − lr · g / (|g| + 1e-8)), g the Euclidean gradient", async () => {
    const lr = 0.03;
    const x0 = start();
    const rows0 = rowsOf(x0);
    const probe = tensor(x0.readSync('test').slice(), { shape: [n, d], dtype: 'float64', backend: cpuBackend, requiresGrad: true });
    loss(probe).backward();
    const g = probe.grad!.readSync('test');
    const { X } = await run('euclidean-adam', 1, lr);
    const rows1 = rowsOf(X);
    for (let i = 0; i < n; i++) {
      // Adam's first step: m̂ = g and v̂ = g², so the step is lr · g / (|g| + eps) coordinate-wise
      const y = rows0[i]!.map((v, k) => v - (lr * g[i * d + k]!) / (Math.abs(g[i * d + k]!) + 1e-8));
      const r = norm(y);
      for (let k = 0; k < d; k++) expect(rows1[i]![k]).toBeCloseTo(y[k]! / r, 14);
    }
    // a Riemannian step from the same start lands elsewhere: the baseline is not RiemannianAdam in disguise
    const riemannian = rowsOf((await run('adam', 1, lr)).X);
    expect(Math.max(...riemannian.flatMap((r, i) => r.map((v, k) => Math.abs(v - rows1[i]![k]!))))).toBeGreaterThan(1e-4);
  });

  it('euclidean-adam refuses a decayed learning rate', async () => {
    await expect(train(start(), loss, { lr: 0.01, lrDecay: 'cosine', iters: 1, stabilize: 1, optimizer: 'euclidean-adam', afterStep: async () => {} }))
      .rejects.toThrow(/expected lrDecay 'none' with euclidean-adam, got 'cosine'/);
  });
});
