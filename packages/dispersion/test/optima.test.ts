// Known optima: optimizing each regularizer with RiemannianAdam reaches the configurations the
// theory predicts (docs/math.md §4; testdata/tammes.json: n = 4 → 109.4712206°, n = 12 → 63.4349488°).
import { describe, expect, it } from 'vitest';
import { createRng, type Tensor } from '@keepdist/autograd';
import { RiemannianAdam, randomUniform } from '@keepdist/sphere';
import { lloyd, minAngle, minAngleDegrees, minAnglePerPoint, mmd, sliced } from '@keepdist/dispersion';
import { sync } from './helpers.js';

/**
 * Riemannian Adam from uniform random points, learning rate decayed geometrically from lr0 to
 * lr0 · decay over the run (the stochastic losses need a decaying step to settle).
 */
function optimize(n: number, d: number, steps: number, lr0: number, decay: number, loss: (x: Tensor) => Tensor, seed = 1): Tensor {
  const x = randomUniform(n, d, { rng: createRng(seed), dtype: 'float64', requiresGrad: true });
  const opt = new RiemannianAdam([x], { lr: lr0 });
  for (let i = 0; i < steps; i++) {
    opt.lr = lr0 * decay ** (i / steps);
    opt.zeroGrad();
    loss(x).backward();
    opt.step();
  }
  return x;
}

describe('known optima', () => {
  it('sliced on S¹ spaces n points equally (min angle 2π/n within 1e-3 rad)', () => {
    for (const n of [5, 8]) {
      const rng = createRng(3);
      const x = optimize(n, 2, 300, 0.05, 0.01, (y) => sliced(y, { rng }));
      const per = sync(minAnglePerPoint(x));
      for (const a of per) expect(Math.abs(a - (2 * Math.PI) / n)).toBeLessThan(1e-3);
    }
  });

  it('mmd riesz s = 1 (Thomson) on n = 4, d = 3 reaches the regular tetrahedron', () => {
    const x = optimize(4, 3, 300, 0.1, 0.1, (y) => mmd(y, { kernel: 'riesz', distance: 'euclidean', s: 1 }));
    const tetra = Math.acos(-1 / 3);
    expect(Math.abs(sync(minAngle(x)) - tetra)).toBeLessThan(1e-4);
    // every pair at the tetrahedral angle: all six cosines −1/3
    const rows = x.toArray() as number[][];
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) expect(rows[i]!.reduce((s, v, k) => s + v * rows[j]![k]!, 0)).toBeCloseTo(-1 / 3, 4);
    }
  });

  it('lloyd on n = 12, d = 3 gets within 2° of the icosahedron (63.4349°)', () => {
    const rng = createRng(11);
    const x = optimize(12, 3, 2000, 0.05, 0.002, (y) => lloyd(y, { samples: 500, rng }));
    expect(Math.abs(sync(minAngleDegrees(x)) - 63.4349488)).toBeLessThan(2);
  });

  it('sliced on n = 12, d = 3 gets within 2° of the icosahedron (63.4349°)', () => {
    const rng = createRng(11);
    const x = optimize(12, 3, 2000, 0.05, 0.002, (y) => sliced(y, { slices: 64, rng }));
    expect(Math.abs(sync(minAngleDegrees(x)) - 63.4349488)).toBeLessThan(2);
  });
});
