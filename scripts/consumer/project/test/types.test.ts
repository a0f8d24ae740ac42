// Every package's declarations are read by `tsc` (strict, NodeNext, skipLibCheck off) through the
// imports below; the test itself checks that the runtime values behind them exist.
import { describe, expect, it } from 'vitest';
import { parseFlags, tammesOptimumDeg } from '@keepdist/bench';
import { makeSpirals, type Dataset } from '@keepdist/autograd/examples/spirals';
import { createRng } from '@keepdist/autograd';

describe('the declarations of every entry point', () => {
  it('bench exports typed helpers', () => {
    expect(typeof parseFlags).toBe('function');
    const optimum: number | undefined = tammesOptimumDeg(24);
    expect(optimum).toBeCloseTo(43.69, 2);
    // tsc only: a string is not a point count (the directive itself errors if the types were `any`)
    // @ts-expect-error
    const misuse = (): unknown => tammesOptimumDeg('24');
    expect(misuse).toBeTypeOf('function');
  });

  it('examples/spirals is exported', () => {
    const d: Dataset = makeSpirals(10, createRng(1));
    expect(d.labels).toHaveLength(20);
  });
});
