// `prototypes`: flags, the loop over sizes and methods, the files it writes, the bound, and the real core on a tiny size.
import { cpuBackend, createRng, tensor } from '@keepdist/autograd';
import { randomUniform } from '@keepdist/sphere';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import {
  minAngleBoundDeg, prototypeSizes, prototypesCommand, runPrototypes, type PrototypesReport, type RunPrototypesMethod,
} from '../src/commands/prototypes.js';
import { main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import { prototypeAngles, runPrototypesMethod } from '../src/numeric/prototypes.js';
import { fakeContext } from './fakeContext.js';

const METHODS = ['mma', 'koleo'];
const spec = prototypesCommand(METHODS);
const deg = (rad: number): number => (rad * 180) / Math.PI;

describe('prototypes flags', () => {
  it('defaults to k = 100, 1000 and d = 16, 64, 256, every method, k-major sizes', () => {
    const { values } = parseFlags(spec, []);
    expect(values).toMatchObject({ k: ['100', '1000'], d: ['16', '64', '256'], methods: METHODS, optimizer: 'adam', iters: 300 });
    expect(prototypeSizes(values).map((s) => `${s.k}x${s.d}`)).toEqual(['100x16', '100x64', '100x256', '1000x16', '1000x64', '1000x256']);
  });

  it.each([
    [['--k', '1'], /^prototypes --k: expected every value ≥ 2, got '1'\. Two prototypes are the fewest/],
    [['--d', '16,0'], /^prototypes --d: expected every value ≥ 2, got '0'\./],
    [['--k', 'ten'], /^prototypes --k: expected items of the form integers ≥ 2 such as 100,1000, got 'ten'\./],
    [['--d', '16,16'], /^prototypes --d: expected distinct items, got '16' twice in '16,16'\./],
    [['--samples', 'koleo=0'], /^prototypes --samples: expected a count that is an integer ≥ 1, got 'koleo=0'\./],
    [['--samples', 'ssw=4'], /^prototypes --samples: expected a method among mma, koleo, got 'ssw' in 'ssw=4'\./],
    [['--optimizer', 'euclidean-adam', '--lr-decay', 'linear'], /^prototypes --lr-decay: expected none with --optimizer euclidean-adam, got 'linear'\./],
    [['--batch', '8'], /^prototypes: unknown flag '--batch'\. Valid flags: --k, --d, --methods, --iters, --lr, --lr-decay, --optimizer, --samples, --conventions, --seed, --backend, --out, --force, --help\.\n/],
  ])('main %j → usage error 2, nothing run', async (argv, pattern) => {
    const never = (): never => {
      throw new Error('not called: refused first');
    };
    const core: NumericCore = {
      methods: METHODS, runTammesMethod: never, runSyntheticMethod: never, runPrototypesMethod: never, prepareSpeedCase: never,
      speedSuite: { loadStacks: never, workloadData: never },
    };
    const f = fakeContext();
    expect(await main(['prototypes', ...argv, '--out', 'r'], core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(pattern);
  });
});

describe('runPrototypes', () => {
  it('runs every method on every size, writes results.json and table.txt, prints the table with each size\'s start', async () => {
    const seen: string[] = [];
    const fake: RunPrototypesMethod = async (input, hooks) => {
      seen.push(`${input.method} ${input.k}x${input.d} ${input.samples ?? '-'}`);
      for (let i = 1; i <= input.iters; i++) await hooks.step(i);
      const a = { minAngleDeg: input.k + input.d, meanAngleDeg: 90, meanNearestDeg: input.d };
      return { start: { minAngleDeg: 1, meanAngleDeg: 89, meanNearestDeg: 2 }, final: a, iterations: input.iters, optimiseS: 0.5 };
    };
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--k', '5,9', '--d', '3', '--iters', '4', '--samples', 'koleo=7', '--out', 'r']);
    const report = await runPrototypes(values, fake, f.ctx);
    expect(seen).toEqual(['mma 5x3 -', 'koleo 5x3 7', 'mma 9x3 -', 'koleo 9x3 7']);
    const saved = JSON.parse(readFileSync(join(f.cwd, 'r', 'results.json'), 'utf8')) as PrototypesReport;
    expect(saved.complete).toBe(true);
    expect(saved.results.map((r) => [r.method, r.k, r.d, r.final.minAngleDeg])).toEqual([['mma', 5, 3, 8], ['koleo', 5, 3, 8], ['mma', 9, 3, 12], ['koleo', 9, 3, 12]]);
    const table = readFileSync(join(f.cwd, 'r', 'table.txt'), 'utf8');
    expect(f.out[0]).toBe(table);
    expect(table.split('\n')[0]).toMatch(/^k\s+d\s+method\s+min angle \(°\)\s+bound \(°\)\s+mean NN \(°\)\s+mean angle \(°\)\s+time \(s\)$/);
    // k = 5 ≤ d + 1 = 4? no: 4 < 5 ≤ 6 = 2d, Rankin's 90°; k = 9 > 2d: no closed-form bound
    expect(table).toMatch(/^5\s+3\s+\(start\)\s+1\.00\s+90\.00\s+2\.00\s+89\.00\s+-$/m);
    expect(table).toMatch(/^5\s+3\s+koleo\s+8\.00\s+90\.00\s+3\.00\s+90\.00\s+0\.50$/m);
    expect(table).toMatch(/^9\s+3\s+mma\s+12\.00\s+-\s+3\.00\s+90\.00\s+0\.50$/m);
    expect(report.results).toHaveLength(4);
  });

  it('minAngleBoundDeg: the simplex angle arccos(−1/(k − 1)) up to k = d + 1, 90° up to 2d, none beyond', () => {
    expect(minAngleBoundDeg(2, 2)).toBeCloseTo(180, 12);
    expect(minAngleBoundDeg(4, 3)).toBeCloseTo(deg(Math.acos(-1 / 3)), 12); // the tetrahedron, 109.47°
    expect(minAngleBoundDeg(100, 256)).toBeCloseTo(deg(Math.acos(-1 / 99)), 12);
    expect(minAngleBoundDeg(6, 3)).toBe(90); // the octahedron
    expect(minAngleBoundDeg(7, 3)).toBeUndefined();
  });
});

describe('prototypes core', () => {
  it('prototypeAngles of the octahedron ±eᵢ: min 90°, every nearest neighbour 90°, mean (12·90 + 3·180)/15 = 108°', async () => {
    const rows = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
    const a = await prototypeAngles(tensor(rows, { dtype: 'float64', backend: cpuBackend }));
    expect(a.minAngleDeg).toBeCloseTo(90, 10);
    expect(a.meanNearestDeg).toBeCloseTo(90, 10);
    expect(a.meanAngleDeg).toBeCloseTo(108, 10);
  });

  it('mma on k = 4 in d = 3 from a uniform start moves towards the tetrahedron (109.47°) and reports its start', async () => {
    const steps: number[] = [];
    const out = await runPrototypesMethod(
      { method: 'mma', k: 4, d: 3, iters: 300, lr: 0.02, lrDecay: 'none', optimizer: 'adam', samples: undefined, conventions: 'keepdist', seed: 3, backend: 'cpu' },
      { step: async (i) => void steps.push(i) },
    );
    expect(steps).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(out.iterations).toBe(300);
    // the start is the seed's uniform draw, float32 as the core's
    const start = await prototypeAngles(randomUniform(4, 3, { rng: createRng(3), dtype: 'float32', backend: cpuBackend }));
    expect(start).toEqual(out.start);
    expect(out.start.minAngleDeg).toBeLessThan(out.final.minAngleDeg);
    expect(out.final.minAngleDeg).toBeGreaterThan(105);
    expect(out.final.minAngleDeg).toBeLessThanOrEqual(deg(Math.acos(-1 / 3)) + 1e-3);
    expect(out.optimiseS).toBeGreaterThan(0);
  });
});
