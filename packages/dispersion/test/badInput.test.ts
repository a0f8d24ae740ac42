// Generative bad-input suite of the dispersion package (issue 13): every regularizer, lossAndGrad and every
// metric, on extreme inputs (NaN, ±∞, 1e±300, n = 0, 1, 2, d = 1, both dtypes, nested arrays with strings)
// and with options of the wrong type or range, returns a finite value (and finite gradient) or throws a
// KeepdistError naming the function.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { allFinite, expectKeepdistOutcome, extremeNumberArb, extremeTensorArb, unitRowsArb, wrongValueArb } from '@keepdist/autograd/testing';
import * as disp from '@keepdist/dispersion';

const RUNS = { seed: 13, numRuns: 80 } as const;
const rowsShape = fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 })).map(([n, d]) => [n, d]);
const pointsArg = fc.oneof(
  { weight: 3, arbitrary: unitRowsArb({ n: { min: 1, max: 5 }, d: { min: 1, max: 4 } }) },
  { weight: 1, arbitrary: unitRowsArb({ n: { min: 2, max: 5 }, d: { min: 2, max: 4 }, dtype: 'float32' }) },
  { weight: 1, arbitrary: extremeTensorArb({ shape: rowsShape }) },
  { weight: 1, arbitrary: wrongValueArb() },
);
// one-hot rows: every coordinate plane of slicedAxis and many sliced planes meet their origin
const oneHot = fc.integer({ min: 2, max: 4 }).map((d) => ag.tensor(Array.from({ length: 2 * d }, (_, i) => Array.from({ length: d }, (_, k) => (k === i % d ? (i < d ? 1 : -1) : 0))), { dtype: 'float64' }));
const optionValue = fc.oneof(extremeNumberArb(), wrongValueArb(), fc.integer({ min: -1, max: 5 }), fc.constantFrom(1e9, 0.5));

/** Regularizer options: a random subset of its schema's names with valid or invalid values, or no object at all. */
function optionsArb(name: disp.RegularizerName): fc.Arbitrary<unknown> {
  const names = disp.regularizers[name].options.map((o) => o.name).filter((o) => o !== 'rng' && o !== 'planes' && o !== 'pairs' && o !== 'points');
  const valid: Record<string, fc.Arbitrary<unknown>> = { kernel: fc.constantFrom('gaussian', 'laplace', 'riesz'), distance: fc.constantFrom('euclidean', 'geodesic') };
  const entries = Object.fromEntries(names.map((n) => [n, fc.oneof(valid[n] ?? optionValue, optionValue)]));
  const defaults = name === 'mmd' ? fc.record({ kernel: valid['kernel']!, distance: valid['distance']! }) : fc.constant({});
  return fc.oneof(
    { weight: 4, arbitrary: defaults },
    { weight: 4, arbitrary: fc.record(entries, { requiredKeys: name === 'mmd' ? ['kernel', 'distance'] : [] }) },
    { weight: 1, arbitrary: wrongValueArb() },
  );
}


describe('bad input: regularizers return a finite loss and gradient or throw a KeepdistError naming them', () => {
  for (const name of disp.regularizerNames) {
    const fn = disp.regularizers[name].fn as (X: unknown, o?: unknown) => Tensor;
    it(name, () => {
      fc.assert(fc.property(fc.oneof({ weight: 4, arbitrary: pointsArg }, { weight: 1, arbitrary: oneHot }), optionsArb(name), (X, o) => {
        const opts = o && typeof o === 'object' ? { ...(o as object), rng: ag.createRng(7) } : o;
        // the plain call first (X may be anything), then the gradient of a call that succeeded
        const plain = expectKeepdistOutcome(name, () => fn(X, opts));
        if (!plain.ok) return;
        const again = opts && typeof opts === 'object' ? { ...(opts as object), rng: ag.createRng(7) } : opts;
        const r = expectKeepdistOutcome(name, () => ag.valueAndGrad((Y) => fn(Y, again))(X as Tensor));
        if (!r.ok) throw new Error(`${name}: the call succeeded but its gradient threw`);
        if (!allFinite(r.value.value)) throw new Error(`${name}: non-finite loss ${r.value.value.item()} on ${String((X as Tensor).toArray())}`);
        if (!allFinite(r.value.grads[0]!)) throw new Error(`${name}: non-finite gradient on ${String((X as Tensor).toArray())}`);
      }), RUNS);
    });
  }
  it('regularizer and lossAndGrad', () => {
    fc.assert(fc.property(fc.oneof(fc.constantFrom(...disp.regularizerNames), wrongValueArb()), fc.oneof(wrongValueArb(), fc.record({ lrr: fc.constant(1) })), (name, o) => {
      expectKeepdistOutcome('regularizer', () => disp.regularizer(name as never, o as never));
      expectKeepdistOutcome('lossAndGrad', () => disp.lossAndGrad(name as never, o as never));
    }), RUNS);
  });
});

describe('bad input: metrics', () => {
  const metrics = ['minAngle', 'minAngleDegrees', 'minAnglePerPoint', 'meanAngle', 'medianAngle', 'circularVariance', 'angleSummary'] as const;
  const nested = fc.array(fc.array(fc.oneof(extremeNumberArb(), wrongValueArb()), { maxLength: 3 }), { maxLength: 3 });
  const huge = fc.tuple(unitRowsArb({ n: { min: 2, max: 5 }, d: { min: 1, max: 4 } }), fc.constantFrom(1e-300, 1e300, 5e-324 * 1e10))
    .map(([X, s]) => (X.toArray() as number[][]).map((row) => row.map((v) => v * s)));
  for (const name of metrics) {
    it(name, () => {
      fc.assert(fc.property(fc.oneof(pointsArg, nested, huge), (X) => {
        const r = expectKeepdistOutcome(name, () => disp[name](X as never));
        if (!r.ok) return;
        const v = r.value as unknown;
        const nums = typeof v === 'number' ? [v] : v instanceof Float64Array ? Array.from(v) : Object.values(v as object).flatMap((x) => (x instanceof Float64Array ? Array.from(x) : [x as number]));
        if (!nums.every(Number.isFinite)) throw new Error(`${name}: non-finite result ${String(nums)}`);
      }), RUNS);
    });
  }
});
