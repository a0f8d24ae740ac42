// Bad input gives a clear error: `<fn>: expected <what>, got <what>. <fix>`.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError, OptionError, ShapeError, cpuBackend, createWasmBackend, tensor } from '@keepdist/autograd';
import {
  koleo, lloyd, lossAndGrad, meanAngle, minAngle, mma, mmcs, mmd, regularizer, sliced, slicedAxis, ssw, uniformity,
} from '@keepdist/dispersion';
import { mmdComposed } from '@keepdist/dispersion/internal';
import { spherePoints } from './helpers.js';

const X = spherePoints(1, 6, 3);
const gauss = { kernel: 'gaussian', distance: 'euclidean' } as const;

describe('input X', () => {
  const all = [
    (Y: typeof X) => mmd(Y, gauss), (Y: typeof X) => uniformity(Y), (Y: typeof X) => mma(Y), (Y: typeof X) => mmcs(Y),
    (Y: typeof X) => koleo(Y), (Y: typeof X) => lloyd(Y), (Y: typeof X) => sliced(Y), (Y: typeof X) => slicedAxis(Y),
    (Y: typeof X) => ssw(Y),
  ];
  it('X not 2-D', () => {
    for (const f of all) {
      expect(() => f(tensor([1, 0, 0], { dtype: 'float64' }))).toThrow(ShapeError);
      expect(() => f(tensor([1, 0, 0], { dtype: 'float64' }))).toThrow(/: expected X of rank 2 \(n × d\), got shape \[3\]\. Reshape/);
    }
  });
  it('n < 2', () => {
    for (const f of all) expect(() => f(tensor([[1, 0, 0]], { dtype: 'float64' }))).toThrow(/: expected at least 2 rows \(points\), got n = 1\./);
  });
  it('rows off the sphere, unless checkSphere is false', () => {
    const off = tensor([[1, 0, 0], [0, 1.01, 0], [0, 0, 1]], { dtype: 'float64' });
    for (const f of all) {
      expect(() => f(off)).toThrow(DomainError);
      expect(() => f(off)).toThrow(/: expected rows on the unit sphere \(max \|‖x_i‖ − 1\| ≤ 0\.00001\), got 1\.00e-2 at row 1\. Normalize X first/);
    }
    expect(() => mmd(off, { ...gauss, checkSphere: false })).not.toThrow();
    expect(() => mmd(off, { ...gauss, sphereTol: 0.1 })).not.toThrow();
    const nan = tensor([[1, 0, 0], [NaN, 0, 0]], { dtype: 'float64' });
    expect(() => mma(nan)).toThrow(/got a non-finite row at row 1/);
    const f32 = tensor([[1, 0, 0], [0, 1 + 5e-5, 0]], { dtype: 'float32' });
    expect(() => mmcs(f32)).not.toThrow(); // float32 tolerance 1e-4
  });
  it('sliced methods need d ≥ 2', () => {
    const line = tensor([[1], [-1]], { dtype: 'float64' });
    expect(() => sliced(line)).toThrow(/sliced: expected at least 2 columns \(ambient dimension d\), got d = 1\./);
    expect(() => slicedAxis(line)).toThrow(ShapeError);
    expect(() => ssw(line)).toThrow(ShapeError);
  });
});

describe('options', () => {
  it('unknown kernel or distance', () => {
    expect(() => mmd(X, { kernel: 'gauss' as never, distance: 'euclidean' })).toThrow(OptionError);
    expect(() => mmd(X, { kernel: 'gauss' as never, distance: 'euclidean' }))
      .toThrow(/^mmd: expected kernel 'gaussian' \| 'laplace' \| 'riesz', got 'gauss'\.$/);
    expect(() => mmd(X, { kernel: 'riesz', distance: 'manhattan' as never })).toThrow(/mmd: expected distance 'euclidean' \| 'geodesic', got 'manhattan'/);
    expect(() => mmd(X, { ...gauss, chord: 'approx' as never })).toThrow(/mmd: expected chord 'exact' \| 'authors'/);
    expect(() => mmd(X, {} as never)).toThrow(/mmd: expected kernel .*, got undefined/);
  });
  it('γ, t and ε of the wrong sign', () => {
    expect(() => mmd(X, { ...gauss, gamma: -1 })).toThrow(/mmd: expected gamma a finite number > 0 for the gaussian kernel .*, got -1\./);
    expect(() => mmd(X, { kernel: 'laplace', distance: 'geodesic', gamma: 0 })).toThrow(/expected gamma a finite number > 0 for the laplace kernel/);
    expect(() => mmd(X, { kernel: 'riesz', distance: 'geodesic', s: Number.NaN })).toThrow(/mmd: expected s a finite number, got NaN/);
    expect(() => mmd(X, { kernel: 'riesz', distance: 'geodesic', s: -2 })).not.toThrow(); // any real s
    expect(() => uniformity(X, { t: -2 })).toThrow(/uniformity: expected t a finite number > 0 .*, got -2\./);
    expect(() => koleo(X, { eps: -1e-8 })).toThrow(/koleo: expected eps a finite number > 0 .*, got -1e-8\./);
    expect(() => koleo(X, { eps: 0 })).toThrow(OptionError);
    expect(() => koleo(X, { eps: 0 })).toThrow(/^koleo: expected eps a finite number > 0 \(log\(e \+ ε\) is −∞ at coincident points when ε = 0\), got 0\.$/);
    expect(() => mma(X, { clampEps: 0 })).toThrow(/mma: expected clampEps a finite number > 0 and ≤ 0\.1, got 0\./);
  });
  it('a gaussian/euclidean γ whose e^γ the dtype cannot hold', () => {
    const X32 = tensor(X.toArray() as number[][]);
    expect(() => mmd(X32, { ...gauss, gamma: 84 })).toThrow(OptionError);
    expect(() => mmd(X32, { ...gauss, gamma: 84 }))
      .toThrow(/^mmd: expected gamma ≤ 83\.6 for the gaussian\/euclidean kernel on float32 rows, got 84\. exp\(γc\) reaches e\^γ .* use float64 rows or a smaller gamma\.$/);
    expect(() => mmd(X32, { ...gauss, gamma: 83.6 })).not.toThrow();
    expect(() => mmd(X, { ...gauss, gamma: 710 })).toThrow(/mmd: expected gamma ≤ 702\.5 for the gaussian\/euclidean kernel on float64 rows, got 710\./);
    expect(() => mmdComposed(X, { ...gauss, gamma: 710 })).toThrow(/mmdComposed: expected gamma ≤ 702\.5/);
    expect(() => mmd(X, { kernel: 'gaussian', distance: 'geodesic', gamma: 1e6 })).not.toThrow(); // exp(−γθ²) ≤ 1
  });
  it('a riesz s whose r^−s could overflow the dtype (issue 13: s = ±1e6 gave ±∞)', () => {
    const X32 = tensor(X.toArray() as number[][]);
    expect(() => mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 1e6 }))
      .toThrow(/^mmd: expected s ≤ 85\.4 for the riesz\/euclidean kernel on float64 rows, got 1000000\. r\^−s at the closest distance the clamp allows \(r = 3\.16e-4\), with its gradient, would exceed the largest float64 \(1\.80e\+308\); use a smaller \|s\|\.$/);
    expect(() => mmd(X, { kernel: 'riesz', distance: 'geodesic', s: -1e6 })).toThrow(/mmd: expected s ≥ −607\.1 for the riesz\/geodesic kernel on float64 rows, got -1000000\./);
    expect(() => mmd(X32, { kernel: 'riesz', distance: 'geodesic', s: 9.2 })).toThrow(/expected s ≤ 9\.1 .* on float32 rows, got 9\.2\. .*; use float64 rows or a smaller \|s\|\./);
    expect(() => mmd(X32, { kernel: 'riesz', distance: 'geodesic', s: 9.1 })).not.toThrow();
    // the authors' chord √(2 − c) ≥ 1 bounds r^−s for every s > 0
    expect(() => mmd(X, { kernel: 'riesz', distance: 'euclidean', chord: 'authors', s: 1e6 })).not.toThrow();
    const big = mmd(X, { kernel: 'riesz', distance: 'euclidean', s: 85.4 }).item();
    expect(Number.isFinite(big)).toBe(true);
  });
  it('batchSize > n, too small, or not an integer', () => {
    expect(() => mmd(X, { ...gauss, batchSize: 7 })).toThrow(/mmd: expected batchSize ≤ n = 6, got 7\. Use a smaller batch/);
    for (const f of [uniformity, mma, mmcs, koleo, lloyd]) expect(() => f(X, { batchSize: 10 })).toThrow(/expected batchSize ≤ n = 6, got 10/);
    expect(() => mma(X, { batchSize: 1 })).toThrow(/mma: expected batchSize an integer ≥ 2, got 1\./);
    expect(() => mma(X, { batchSize: 2.5 })).toThrow(/mma: expected batchSize an integer ≥ 2, got 2\.5\./);
  });
  it('counts and explicit draws', () => {
    expect(() => lloyd(X, { samples: 0 })).toThrow(/lloyd: expected samples an integer ≥ 1, got 0\./);
    expect(() => sliced(X, { slices: 1.5 })).toThrow(/sliced: expected slices an integer ≥ 1, got 1\.5\./);
    expect(() => ssw(X, { projections: -3 })).toThrow(/ssw: expected projections an integer ≥ 1/);
    expect(() => lloyd(X, { points: [[1, 0]] })).toThrow(/lloyd: expected points of shape \[m, 3\] with m ≥ 1, got \[1,2\]/);
    expect(() => lloyd(X, { points: [[1, 1, 0]] })).toThrow(/lloyd: expected points rows on the unit sphere/);
    expect(() => lloyd(X, { points: [[1, 0, 0]], samples: 2 })).toThrow(/lloyd: expected samples = 1 \(the number of rows of points\), got 2\./);
    expect(() => sliced(X, { planes: [[[1, 0, 0], [1, 0, 0]]] })).toThrow(/sliced: expected planes\[0\] = \[p, q\] orthonormal .*Gram–Schmidt/);
    expect(() => sliced(X, { planes: [[[1, 0], [0, 1]]] })).toThrow(/sliced: expected planes\[0\]\[0\] of length d = 3, got length 2/);
    expect(() => sliced(X, { planes: [] })).toThrow(/sliced: expected planes to be a non-empty array/);
    expect(() => sliced(X, { planes: [[[1, 0, 0], [0, 1, 0]]], slices: 2 })).toThrow(/expected slices .*the number of planes given/);
    expect(() => slicedAxis(X, { pairs: [[1, 1]] })).toThrow(/slicedAxis: expected pairs\[0\] to be two distinct column indices in \[0, 3\), got \[1,1\]/);
    expect(() => slicedAxis(X, { pairs: [[0, 3]] })).toThrow(OptionError);
    expect(() => ssw(X, { sqrt: 'yes' as never })).toThrow(/ssw: expected sqrt true or false, got 'yes'/);
    expect(() => sliced(X, { rng: {} as never })).toThrow(/sliced: expected rng to be a generator from createRng\(seed\)/);
  });
  it('registry and lossAndGrad', () => {
    expect(() => regularizer('mmdd' as never)).toThrow(/regularizer: expected a regularizer name among mmd, uniformity, .*, got 'mmdd'\./);
    expect(() => regularizer('mmd', { gama: 1 } as never)).toThrow(/regularizer: expected options of 'mmd' among kernel, distance, .*, got 'gama'\./);
    expect(() => lossAndGrad('mma')(new Float64Array(5), 2, 3)).toThrow(/lossAndGrad: expected x of length n · d = 2 · 3, got length 5/);
    expect(() => lossAndGrad('mma')([1, 0] as never, 1, 2)).toThrow(/lossAndGrad: expected x to be a Float32Array or Float64Array/);
    expect(() => lossAndGrad('mma', { dtype: 'int8' as never })).toThrow(/lossAndGrad: expected dtype 'float64' \| 'float32', got 'int8'/);
  });
});

describe('metrics', () => {
  it('shape and row errors', () => {
    expect(() => minAngle(tensor([1, 2, 3]))).toThrow(/minAngle: expected X of rank 2 \(n × d\), got shape \[3\]/);
    expect(() => meanAngle([[1, 0]])).toThrow(/meanAngle: expected at least 2 rows \(points\), got n = 1/);
    expect(() => minAngle([[1, 0], [0, 0]])).toThrow(/minAngle: expected finite non-zero rows, got a zero row 1\./);
    expect(() => minAngle([[1, 0], [0]])).toThrow(/minAngle: expected a rectangular n × d array/);
  });
});

describe('the sphere check decides as the exact host scan, also next to the tolerance', () => {
  // the backend's sums settle clear rows; a row within rounding of the tolerance must still get
  // the verdict (and the message) of the float64 host scan computed here
  const wasm = createWasmBackend();
  it('rows scaled to 1 ± (0.9995…1.0005)·tol, float32 and float64, cpu and wasm', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 2, max: 300 }), fc.integer(), fc.double({ min: 0.9995, max: 1.0005, noNaN: true }),
      fc.boolean(), fc.constantFrom('float32' as const, 'float64' as const), (n, d, seed, f, up, dtype) => {
        const tol = dtype === 'float32' ? 1e-4 : 1e-5;
        const rows = spherePoints(seed, n, d).readSync('test');
        const at = Math.abs(seed) % n, scale = 1 + (up ? 1 : -1) * f * tol;
        const data = Array.from(rows, (v, i) => (Math.floor(i / d) === at ? v * scale : v));
        for (const backend of [cpuBackend, wasm]) {
          const Xt = tensor(data, { shape: [n, d], dtype, backend });
          const stored = Xt.readSync('test');
          let worst = 0, row = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let k = i * d; k < (i + 1) * d; k++) s += stored[k]! * stored[k]!;
            const dev = Math.abs(Math.sqrt(s) - 1);
            if (dev > worst) [worst, row] = [dev, i];
          }
          const call = (): unknown => sliced(Xt);
          if (worst <= tol) expect(call).not.toThrow();
          else expect(call).toThrow(`got ${worst.toExponential(2)} at row ${row}.`);
        }
      }), { seed: 20261201, numRuns: 60 });
  });
});
