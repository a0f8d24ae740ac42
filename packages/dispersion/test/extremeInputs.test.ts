// Bad input and extreme values of the regularizers and metrics (issue 13).
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { OptionError } from '@keepdist/autograd';
import {
  koleo, lloyd, lossAndGrad, meanAngle, medianAngle, minAngle, mma, mmcs, mmd, sliced, slicedAxis, ssw, uniformity, angleSummary,
  circularVariance,
} from '@keepdist/dispersion';
import { spherePoints } from './helpers.js';

const f64 = (rows: number[][]): ag.Tensor => ag.tensor(rows, { dtype: 'float64' });
const call = (f: () => unknown): unknown => f;
const X = spherePoints(1, 6, 3);

describe('sliced, slicedAxis and ssw: subgradient 0 at the origin of a slice, never NaN', () => {
  // one-hot rows: every coordinate plane (a, b) has rows with X_ia = X_ib = 0
  const oneHot = f64([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 0, 0], [0, -1, 0], [0, 0, -1]]);
  const p = [1, 0, 0], q = [0, 1, 0]; // rows ±e3 lie on the normal of this plane
  const cases: [string, (Y: ag.Tensor) => ag.Tensor][] = [
    ['sliced', (Y) => sliced(Y, { planes: [[p, q]] })],
    ['ssw', (Y) => ssw(Y, { planes: [[p, q], [q, [0, 0, 1]]] })],
    ['slicedAxis', (Y) => slicedAxis(Y, { pairs: [[0, 1], [1, 2], [0, 2]] })],
  ];
  for (const [name, f] of cases) {
    it(`${name}: finite gradient, 0 for the rows at the origin of every slice`, () => {
      const { value, grads } = ag.valueAndGrad(f)(oneHot);
      expect(Number.isFinite(value.item())).toBe(true);
      const g = grads[0]!.toArray() as number[][];
      for (const row of g) for (const v of row) expect(Number.isFinite(v)).toBe(true);
      if (name === 'sliced') {
        // rows ±e3 project to the origin of the only plane: no gradient from it
        expect(g[2]).toEqual([0, 0, 0]);
        expect(g[5]).toEqual([0, 0, 0]);
      }
    });
  }
  it('the value at the origin is atan2(0, 0) = 0 as before (unchanged loss)', () => {
    const Y = f64([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    // θ = [0, 0, π/2]: sorted [0, 0, π/2], mean π/6, targets −2π/3, 0, 2π/3
    const theta = [0, 0, Math.PI / 2], mean = Math.PI / 6, phi = [-2 * Math.PI / 3, 0, 2 * Math.PI / 3];
    const expected = 0.5 * theta.reduce((s, t, r) => s + (t - mean - phi[r]!) ** 2, 0);
    expect(sliced(Y, { planes: [[p, q]] }).item()).toBeCloseTo(expected, 12);
  });
});

describe('draw counts have an upper bound (OptionError naming the option, before any allocation)', () => {
  it('lloyd samples, sliced/slicedAxis slices, ssw projections of 1e9', () => {
    expect(call(() => lloyd(X, { samples: 1e9 }))).toThrow(OptionError);
    expect(call(() => lloyd(X, { samples: 1e9 }))).toThrow(/^lloyd: expected samples ≤ 29826161 \(samples × \(n \+ d\) ≤ 2\^28 values held at once\), got 1000000000\./);
    expect(call(() => sliced(X, { slices: 1e9 }))).toThrow(/^sliced: expected slices ≤ \d+ /);
    expect(call(() => slicedAxis(X, { slices: 1e9 }))).toThrow(/^slicedAxis: expected slices ≤ \d+ /);
    expect(call(() => ssw(X, { projections: 1e9 }))).toThrow(/^ssw: expected projections ≤ \d+ /);
  });
  it('a count at the bound is still accepted (checked, not guessed)', () => {
    expect(Number.isFinite(lloyd(X, { samples: 2000 }).item())).toBe(true);
  });
});

describe('options', () => {
  const all: [string, (o: never) => unknown][] = [
    ['mmd', (o) => mmd(X, typeof o === 'object' && !Array.isArray(o) ? { kernel: 'gaussian', distance: 'euclidean', ...(o as object) } : o)],
    ['uniformity', (o) => uniformity(X, o)], ['mma', (o) => mma(X, o)], ['mmcs', (o) => mmcs(X, o)],
    ['koleo', (o) => koleo(X, o)], ['lloyd', (o) => lloyd(X, o)], ['sliced', (o) => sliced(X, o)],
    ['slicedAxis', (o) => slicedAxis(X, o)], ['ssw', (o) => ssw(X, o)],
  ];
  it('an options argument of 5 or an array is an OptionError', () => {
    // (mmd reads its required kernel first, so 5 fails there, naming mmd and kernel)
    for (const [fn, f] of all.slice(1)) {
      expect(call(() => f(5 as never))).toThrow(new RegExp(`^${fn}: expected an options object \\(or none\\), got 5\\.`));
      expect(call(() => f([] as never))).toThrow(OptionError);
    }
  });
  it("checkSphere: 'no' is refused", () => {
    for (const [fn, f] of all) expect(call(() => f({ checkSphere: 'no' } as never))).toThrow(new RegExp(`^${fn}: expected checkSphere true or false, got 'no'\\.`));
  });
  it('lossAndGrad reports its own name', () => {
    expect(call(() => lossAndGrad('nope' as never))).toThrow(/^lossAndGrad: expected a regularizer name among/);
    expect(call(() => lossAndGrad('mma', { lrr: 1 } as never))).toThrow(/^lossAndGrad: expected options of 'mma' among/);
    expect(call(() => lossAndGrad('mma', 5 as never))).toThrow(/^lossAndGrad: expected options to be an object, got 5\./);
  });
});

describe('metrics', () => {
  it('meanAngle and medianAngle of a 1e-9 rad pair are 1e-9, as minAngle', () => {
    const t = 1e-9;
    const pair = [[1, 0, 0], [Math.cos(t), Math.sin(t), 0]];
    expect(minAngle(pair) as number).toBeCloseTo(t, 20);
    expect((meanAngle(pair) as number) / t).toBeCloseTo(1, 6);
    expect((medianAngle(pair) as number) / t).toBeCloseTo(1, 6);
    expect(((angleSummary(pair) as { meanAngle: number }).meanAngle) / t).toBeCloseTo(1, 6);
    // near π as well: the antipode of the second point
    const far = [[1, 0, 0], [-Math.cos(t), -Math.sin(t), 0]];
    expect((Math.PI - (meanAngle(far) as number)) / t).toBeCloseTo(1, 6);
  });
  it('string rows are refused, not coerced', () => {
    for (const f of [minAngle, meanAngle, medianAngle, circularVariance]) {
      expect(call(() => f([['1', 0, 0], [0, 1, 0]] as never))).toThrow(/: expected numbers in X, got the string '1' in row 0\./);
    }
  });
  it('rows of 1e200 and 1e-200 are normalised, not called infinite or zero', () => {
    expect(minAngle([[1e200, 0, 0], [0, 1e200, 0]]) as number).toBeCloseTo(Math.PI / 2, 14);
    expect(minAngle([[1e-200, 0, 0], [0, 1e-200, 0]]) as number).toBeCloseTo(Math.PI / 2, 14);
  });
});
