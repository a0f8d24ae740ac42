// Golden vectors: testdata/golden/regularizers.json and metrics.json (PyTorch float64 reference of
// docs/math.md, cross-checked in mpmath; see testdata/golden/README.md). float64 at 1e-9 relative,
// float32 (inputs rounded to float32) at 1e-4, with the tolerances of @keepdist/autograd/testing.
// Runs on the cpu backend and on the wasm backend with one and two threads (made the default for its block).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuBackend, createWasmBackend, setBackend, valueAndGrad, type Backend, type DType, type Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import {
  circularVariance, meanAngle, medianAngle, minAngle, minAngleDegrees, minAnglePerPoint, angleSummary,
  regularizer, regularizers,
} from '@keepdist/dispersion';
import { sweepPairs } from '../src/metrics/pairSweep.js';
import { unitRowsOf } from '../src/metrics/hostRows.js';
import { caseOptions, caseX, metricCases, regularizerCases } from './golden.js';

/** proj(x_i, g_i) = g_i − (x_i · g_i) x_i, row-wise. */
function rgradOf(X: number[][], G: number[][]): number[][] {
  return X.map((x, i) => {
    const g = G[i]!;
    const dot = x.reduce((s, v, k) => s + v * g[k]!, 0);
    return g.map((v, k) => v - dot * x[k]!);
  });
}

const backends: [string, Backend][] = [['cpu', cpuBackend], ['wasm', createWasmBackend()], ['wasm (2 threads)', createWasmBackend({ threads: 2 })]];

describe.each(backends)('on the %s backend', (_name, backend) => {
beforeAll(() => setBackend(backend));
afterAll(() => setBackend(cpuBackend));

describe.each(['float64', 'float32'] as DType[])('regularizers golden (%s)', (dtype) => {
  it.each(regularizerCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const X = caseX(c, dtype);
    const f = regularizer(c.name, caseOptions(c, dtype) as never);
    const { value, grads } = valueAndGrad(f)(X);
    const grad = grads[0]!.toArray() as number[][];
    assertClose(`${c.id} loss`, value.item(), c.loss, dtype);
    assertClose(`${c.id} grad`, grad, c.grad, dtype);
    assertClose(`${c.id} rgrad`, rgradOf(X.toArray() as number[][], grad), c.rgrad, dtype);
  });
});

describe('regularizers golden via direct calls', () => {
  it('each function called directly (not through the registry) gives the registry value', () => {
    for (const c of regularizerCases.filter((k) => k.id.endsWith('/n7d4'))) {
      const X = caseX(c, 'float64');
      const fn = regularizers[c.name].fn as (X: Tensor, o: unknown) => Tensor;
      assertClose(c.id, fn(X, caseOptions(c, 'float64')).item(), c.loss, 'float64');
    }
  });
});

describe.each(['float64', 'float32'] as DType[])('metrics golden (%s)', (dtype) => {
  it.each(metricCases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const X = caseX(c, dtype);
    assertClose(`${c.id} minAngle`, minAngle(X) as number, c.minAngle, dtype);
    assertClose(`${c.id} minAngleDegrees`, minAngleDegrees(X) as number, c.minAngleDegrees, dtype);
    assertClose(`${c.id} minAnglePerPoint`, minAnglePerPoint(X) as Float64Array, c.minAnglePerPoint, dtype);
    assertClose(`${c.id} meanAngle`, meanAngle(X) as number, c.meanAngle, dtype);
    assertClose(`${c.id} medianAngle`, medianAngle(X) as number, c.medianAngle, dtype);
    assertClose(`${c.id} circularVariance`, circularVariance(X) as number, c.circularVariance, dtype);
    // The two middle pair angles, ascending.
    const [lo, hi] = sweepPairs(unitRowsOf('test', X.dataSync(), X.shape, 2), { median: true }).medianAngles!;
    assertClose(`${c.id} medianAngleLower`, lo, c.medianAngleLower, dtype);
    assertClose(`${c.id} medianAngleUpper`, hi, c.medianAngleUpper, dtype);
    const s = angleSummary(X);
    expect(s).not.toBeInstanceOf(Promise);
    if (!(s instanceof Promise)) {
      assertClose(`${c.id} summary.minAngle`, s.minAngle, c.minAngle, dtype);
      assertClose(`${c.id} summary.minAnglePerPoint`, s.minAnglePerPoint, c.minAnglePerPoint, dtype);
      assertClose(`${c.id} summary.meanAngle`, s.meanAngle, c.meanAngle, dtype);
      assertClose(`${c.id} summary.medianAngle`, s.medianAngle, c.medianAngle, dtype);
      assertClose(`${c.id} summary.circularVariance`, s.circularVariance, c.circularVariance, dtype);
    }
  });
});
});
