// The demo's pieces that run without a browser: the method list and its options against the
// bench and the registry, the pair-angle histogram, the uniform reference curve, and auto's pick.
import { describe, expect, it } from 'vitest';
import { createRng } from '@keepdist/autograd';
import { METHOD_NAMES } from '@keepdist/bench';
import { mmd, regularizers } from '@keepdist/dispersion';
import { randomUniform } from '@keepdist/sphere';
import { DEMO_METHODS, methodOptions, methodRegularizer } from '../src/methods.js';
import { pairAngleHistogram } from '../src/worker/histogram.js';
import { uniformAngleShares } from '../src/page/uniformAngles.js';
import { fastestBackend } from '../src/fastest.js';
import type { BackendProbe } from '../src/protocol.js';

describe('methods', () => {
  it("are the bench's 14, in its order", () => {
    expect(DEMO_METHODS).toEqual(METHOD_NAMES);
    expect(DEMO_METHODS).toHaveLength(14);
  });

  it("offer each regularizer's form-editable options, without the ones the name fixes", () => {
    expect(methodOptions('mma').map((o) => o.name)).toEqual(['clampEps', 'batchSize']);
    expect(methodOptions('mmd-gaussian-geodesic').map((o) => o.name)).toEqual(['gamma', 's', 'chord', 'clampEps', 'batchSize']);
    expect(methodOptions('ssw').map((o) => o.name)).toEqual(['projections', 'sqrt']);
    for (const m of DEMO_METHODS) {
      for (const o of methodOptions(m)) expect(['number', 'integer', 'boolean', 'enum']).toContain(o.type);
    }
  });

  it('bind the name, the options and the seed', () => {
    const X = randomUniform(30, 5, { rng: createRng(3), dtype: 'float64' });
    const viaDemo = methodRegularizer('mmd-laplace-geodesic', { gamma: 2 }, 1)(X).item();
    expect(viaDemo).toBeCloseTo(mmd(X, { kernel: 'laplace', distance: 'geodesic', gamma: 2 }).item(), 12);
    for (const m of DEMO_METHODS) {
      const a = methodRegularizer(m, {}, 7)(X).item(), b = methodRegularizer(m, {}, 7)(X).item();
      expect(Number.isFinite(a), m).toBe(true);
      expect(a, `${m} is reproducible from its seed`).toBe(b);
    }
    expect(() => methodRegularizer('mma', { kernel: 'riesz' }, 0)).toThrow(/expected options of 'mma'/);
    expect(() => methodRegularizer('nope', {}, 0)).toThrow(/expected a regularizer name/);
    expect(Object.keys(regularizers)).toContain('slicedAxis');
  });
});

describe('pairAngleHistogram', () => {
  it('counts the octahedron: 12 right angles and 3 antipodal pairs (180° in the last bin)', () => {
    const rows = [1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1];
    const { counts, points } = pairAngleHistogram(rows, 6, 3, 4);
    expect(points).toBe(6);
    expect(counts).toEqual([0, 0, 12, 3]);
  });

  it('counts every pair once, each in the bin of its angle', () => {
    const X = randomUniform(40, 7, { rng: createRng(5), dtype: 'float64' });
    const rows = X.dataSync(), bins = 36;
    const { counts } = pairAngleHistogram(rows, 40, 7, bins);
    expect(counts.reduce((a, b) => a + b, 0)).toBe((40 * 39) / 2);
    const expected = new Array<number>(bins).fill(0);
    for (let i = 0; i < 40; i++) {
      for (let j = i + 1; j < 40; j++) {
        let c = 0;
        for (let k = 0; k < 7; k++) c += rows[i * 7 + k]! * rows[j * 7 + k]!;
        expected[Math.min(bins - 1, Math.floor((Math.acos(c) * 180) / Math.PI / 5))]!++;
      }
    }
    expect(counts).toEqual(expected);
  });

  it('rejects a bad size', () => {
    expect(() => pairAngleHistogram([1, 0, 0], 2, 3, 10)).toThrow(/expected 2 × 3 = 6 values, got 3/);
    expect(() => pairAngleHistogram([1, 0, 0], 1, 3, 0)).toThrow(/expected bins a positive integer/);
  });
});

describe('uniformAngleShares', () => {
  it('on S² matches the exact share (cos a − cos b)/2 of each bin', () => {
    const bins = 90, w = Math.PI / bins, shares = uniformAngleShares(3, bins);
    shares.forEach((s, k) => expect(s).toBeCloseTo((Math.cos(k * w) - Math.cos((k + 1) * w)) / 2, 5));
  });

  it('sums to 1 and peaks at 90° in high dimension', () => {
    const shares = uniformAngleShares(256, 90);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(shares.indexOf(Math.max(...shares))).toBeOneOf([44, 45]);
  });
});

describe('fastestBackend', () => {
  const probe = (id: BackendProbe['id'], available: boolean, software = false): BackendProbe => ({ id, available, detail: '', software });
  it('prefers wasm, then a hardware GPU for large problems, never a software one', () => {
    const hw = [probe('wasm', false), probe('webgpu', true), probe('webgl2', true), probe('cpu', true)];
    expect(fastestBackend(hw, 24, 3)).toBe('cpu');
    expect(fastestBackend(hw, 2000, 64)).toBe('webgpu');
    expect(fastestBackend([probe('wasm', true), ...hw.slice(1)], 24, 3)).toBe('wasm');
    const sw = [probe('wasm', false), probe('webgpu', true, true), probe('webgl2', true, true), probe('cpu', true)];
    expect(fastestBackend(sw, 2000, 64)).toBe('cpu');
    expect(fastestBackend([probe('wasm', false), probe('webgpu', false), probe('webgl2', true), probe('cpu', true)], 2000, 64)).toBe('webgl2');
  });
});
