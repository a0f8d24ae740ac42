// The README's second example: spread points on the sphere with a regularizer and RiemannianAdam.
import { describe, expect, it } from 'vitest';
import { createRng } from '@keepdist/autograd';
import { RiemannianAdam, randomUniform } from '@keepdist/sphere';
import { lossAndGrad, minAngleDegreesSync, mmd } from '@keepdist/dispersion';

describe('sphere + dispersion training from the tarballs', () => {
  it('RiemannianAdam on mmd raises the minimum angle of 200 points on S^15', () => {
    const X = randomUniform(200, 16, { rng: createRng(7), requiresGrad: true });
    const before = minAngleDegreesSync(X);   // a number, typed as one
    const opt = new RiemannianAdam([X], { lr: 0.01 });
    for (let step = 0; step < 60; step++) {
      opt.zeroGrad();
      mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 1 }).backward();
      opt.step();
    }
    const after = minAngleDegreesSync(X);
    expect(after).toBeGreaterThan(before + 2);
  });

  it('lossAndGrad works from a Float32Array', () => {
    const rng = createRng(3);
    const f = lossAndGrad('mma', { dtype: 'float32' });
    const { loss, grad } = f(Float32Array.from((randomUniform(10, 3, { rng }).toArray() as number[][]).flat()), 10, 3);
    expect(Number.isFinite(loss)).toBe(true);
    expect(grad).toHaveLength(30);
  });
});
