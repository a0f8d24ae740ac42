// regularizer(name, options), the registry's schemas, and the typed-array entry lossAndGrad.
import { describe, expect, it } from 'vitest';
import { createRng, tensor, valueAndGrad } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import {
  lossAndGrad, mmd, regularizer, regularizerNames, regularizers, sliced, type RegularizerName,
} from '@keepdist/dispersion';
import { configs, rowsOf, spherePoints, withDraws } from './helpers.js';

describe('registry', () => {
  it('lists every regularizer of docs/math.md §2 in order, each with a schema that covers its defaults', () => {
    expect(regularizerNames).toEqual(['mmd', 'uniformity', 'mma', 'mmcs', 'koleo', 'lloyd', 'sliced', 'slicedAxis', 'ssw']);
    for (const name of regularizerNames) {
      const info = regularizers[name];
      expect(info.name).toBe(name);
      expect(typeof info.fn).toBe('function');
      expect(info.description.length).toBeGreaterThan(10);
      expect(info.cost).toMatch(/^O\(/);
      const keys = info.options.map((o) => o.name);
      expect(new Set(keys).size).toBe(keys.length);
      for (const [k, v] of Object.entries(info.defaults)) {
        const schema = info.options.find((o) => o.name === k);
        expect(schema, `${name}.${k}`).toBeDefined();
        expect(schema!.default).toBe(v);
      }
      expect(keys).toContain('checkSphere');
      expect(keys.includes('batchSize')).toBe(info.batched);
      expect(keys.includes('rng')).toBe(info.batched || info.stochastic);
    }
  });

  it('regularizer(name, options) equals the direct call, with defaults filled in', () => {
    const X = spherePoints(3, 8, 4);
    expect(regularizer('mmd')(X).item()).toBe(mmd(X, { kernel: 'gaussian', distance: 'euclidean', gamma: 1 }).item());
    expect(regularizer('mmd', { kernel: 'riesz', s: 0 })(X).item()).toBe(mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 0 }).item());
    expect(regularizer('sliced', { rng: createRng(1) })(X).item()).toBe(sliced(X, { slices: 1, rng: createRng(1) }).item());
    for (const cfg of configs) {
      const { options } = withDraws(cfg, rowsOf(X), 5);
      const fn = regularizers[cfg.name].fn as (Y: typeof X, o: unknown) => typeof X;
      expect(regularizer(cfg.name, options as never)(X).item()).toBe(fn(X, options).item());
    }
  });

  it('explicit draws are not overridden by the default count', () => {
    const X = spherePoints(3, 8, 4);
    const points = rowsOf(spherePoints(4, 7, 4));
    expect(() => regularizer('lloyd', { points })(X)).not.toThrow();
    expect(() => regularizer('ssw', { planes: [[[1, 0, 0, 0], [0, 1, 0, 0]]] })(X)).not.toThrow();
  });
});

describe('lossAndGrad (typed arrays)', () => {
  it('matches the tensor API for every regularizer, float64 and float32 input', () => {
    const X = spherePoints(9, 7, 3);
    const data = X.dataSync() as Float64Array;
    for (const cfg of configs) {
      const { options } = withDraws(cfg, rowsOf(X), 2);
      const f = lossAndGrad(cfg.name, options as never);
      const { loss, grad } = f(data, 7, 3);
      const ref = valueAndGrad(regularizer(cfg.name, options as never))(X);
      expect(grad).toBeInstanceOf(Float64Array);
      expect(grad.length).toBe(21);
      assertClose(`${cfg.label} loss`, loss, ref.value.item(), 'float64');
      assertClose(`${cfg.label} grad`, grad, ref.grads[0]!.dataSync(), 'float64');
      // float32 input is promoted to float64 inside by default.
      const f32 = Float32Array.from(data);
      const r32 = f(f32, 7, 3);
      const X32 = tensor(Float64Array.from(f32), { shape: [7, 3] });
      assertClose(`${cfg.label} loss f32 in`, r32.loss, regularizer(cfg.name, options as never)(X32).item(), 'float64');
    }
  });

  it('dtype float32 runs the graph in float32 (within 1e-4)', () => {
    const X = spherePoints(9, 7, 3);
    const data = X.dataSync() as Float64Array;
    const a = lossAndGrad('mmd', { kernel: 'riesz', distance: 'geodesic' })(data, 7, 3);
    const b = lossAndGrad('mmd', { kernel: 'riesz', distance: 'geodesic', dtype: 'float32' })(Float32Array.from(data), 7, 3);
    assertClose('loss', b.loss, a.loss, 'float32');
    assertClose('grad', b.grad, a.grad, 'float32');
  });

  it('stochastic regularizers draw afresh at each call from their generator', () => {
    const X = spherePoints(9, 7, 3);
    const data = X.dataSync() as Float64Array;
    const names: RegularizerName[] = ['lloyd', 'sliced', 'slicedAxis', 'ssw'];
    for (const name of names) {
      const f = lossAndGrad(name, { rng: createRng(1) });
      const g = lossAndGrad(name, { rng: createRng(1) });
      const first = f(data, 7, 3).loss;
      expect(g(data, 7, 3).loss).toBe(first);
      expect(f(data, 7, 3).loss).not.toBe(first);
    }
  });
});
