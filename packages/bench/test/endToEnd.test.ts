// A tiny end-to-end run of each subcommand through the real numeric core (autograd, sphere,
// dispersion): exit code 0, results.json parses, every SVG is well-formed with one series per method.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { numericCore } from '../src/numericCore.js';
import { SYNTHETIC_PLOT_FILES } from '../src/commands/syntheticPlots.js';
import { TAMMES_FILES, type TammesReport } from '../src/commands/tammes.js';
import { fakeContext } from './fakeContext.js';
import { assertWellFormed, countMarks } from './svgInspect.js';

const methods = ['mmd-riesz-geodesic', 'mma', 'lloyd', 'sliced'];

function seriesIn(file: string): number {
  const svg = readFileSync(file, 'utf8');
  assertWellFormed(svg);
  return countMarks(svg, 'series_marks').paths;
}

describe('keepdist-bench end to end (real numeric core)', () => {
  it('tammes: table, JSON and the sorted-angle figure', async () => {
    const f = fakeContext();
    const argv = ['tammes', '--n', '6', '--iters', '300', '--lr', '0.03', '--methods', methods.join(','), '--out', 'res'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = JSON.parse(readFileSync(join(f.cwd, 'res', TAMMES_FILES.json), 'utf8'));
    expect(report.complete).toBe(true);
    expect(report.results.map((r: { method: string }) => r.method)).toEqual(methods);
    for (const r of report.results) {
      expect(r.sortedMinAnglesDeg).toHaveLength(6);
      expect(r.minAngleDeg, r.method).toBeGreaterThan(75); // a random start of n = 6 is far below; the octahedron has 90°
      expect(r.minAngleDeg).toBeLessThanOrEqual(90 + 1e-6); // the octahedron is optimal
    }
    expect(seriesIn(join(f.cwd, 'res', TAMMES_FILES.svg))).toBe(methods.length);
    expect(f.out.join('')).toMatch(/mma/);
  });

  /** Runs `tammes` through main and the real core; returns the parsed results.json. */
  async function tammesJson(args: readonly string[]): Promise<TammesReport> {
    const f = fakeContext();
    expect(await main(['tammes', ...args, '--out', 'res'], numericCore, f.ctx)).toBe(0);
    return JSON.parse(readFileSync(join(f.cwd, 'res', TAMMES_FILES.json), 'utf8')) as TammesReport;
  }

  it('tammes --restarts 3: every start in the JSON, the best reported', async () => {
    const report = await tammesJson(['--n', '7', '--iters', '40', '--lr', '0.03', '--methods', 'mma,lloyd', '--restarts', '3', '--seed', '5']);
    expect(report.complete).toBe(true);
    for (const r of report.results) {
      expect(r.starts.map((s) => s.seed)).toEqual([5, 6, 7]);
      const angles = r.starts.map((s) => s.minAngleDeg);
      expect(r.minAngleDeg).toBe(Math.max(...angles));
      expect(r.bestSeed).toBe(r.starts[angles.indexOf(r.minAngleDeg)]?.seed);
      expect(r.sortedMinAnglesDeg[0]).toBe(r.minAngleDeg);
      expect(r.iterations).toBe(120);
      expect(new Set(angles).size, `${r.method}: the starts differ`).toBe(3);
    }
  });

  it('tammes property: with the same --seed, the best of K starts >= the single start (seed set includes it)', async () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 10_000 }),
      restarts: fc.integer({ min: 2, max: 4 }),
      n: fc.integer({ min: 5, max: 12 }),
      decay: fc.constantFrom('none', 'cosine', 'linear'),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ seed, restarts, n, decay }) => {
        const common = ['--n', String(n), '--iters', '25', '--lr', '0.02', '--methods', 'koleo,sliced', '--seed', String(seed), '--lr-decay', decay];
        const one = await tammesJson(common);
        const many = await tammesJson([...common, '--restarts', String(restarts)]);
        for (const [k, r] of many.results.entries()) {
          const single = one.results[k]!;
          expect(r.starts[0]).toMatchObject({ seed, minAngleDeg: single.minAngleDeg });
          expect(r.minAngleDeg).toBeGreaterThanOrEqual(single.minAngleDeg);
          expect(r.gapPercent ?? 0).toBeLessThanOrEqual(single.gapPercent ?? 0);
        }
      }),
      { seed: 20261124, numRuns: 6 },
    );
  });

  it('tammes --lr-decay: the schedule reaches the optimizer (same seed, different end points)', async () => {
    const minAngle = async (decay: string): Promise<number> => {
      const f = fakeContext();
      const argv = ['tammes', '--n', '6', '--iters', '60', '--lr', '0.03', '--methods', 'mma', '--lr-decay', decay, '--out', 'res'];
      expect(await main(argv, numericCore, f.ctx)).toBe(0);
      return JSON.parse(readFileSync(join(f.cwd, 'res', TAMMES_FILES.json), 'utf8')).results[0].minAngleDeg;
    };
    const [none, again, cosine, linear] = [await minAngle('none'), await minAngle('none'), await minAngle('cosine'), await minAngle('linear')];
    expect(again).toBe(none);
    expect(cosine).not.toBe(none);
    expect(linear).not.toBe(none);
    expect(linear).not.toBe(cosine);
  });

  it('synthetic: records, JSON and four line plots', async () => {
    const f = fakeContext();
    const argv = ['synthetic', '--n', '40', '--d', '5', '--iters', '20', '--every', '5', '--batch', '16', '--lr', '0.01',
      '--methods', methods.join(','), '--out', 'syn'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = JSON.parse(readFileSync(join(f.cwd, 'syn', 'results.json'), 'utf8'));
    for (const r of report.results) {
      expect(r.records.map((x: { iteration: number }) => x.iteration)).toEqual([0, 5, 10, 15, 20]);
      const first = r.records[0], last = r.records.at(-1);
      expect(last.minAngleDeg).toBeGreaterThan(first.minAngleDeg);
    }
    for (const file of SYNTHETIC_PLOT_FILES) expect(seriesIn(join(f.cwd, 'syn', file))).toBe(methods.length);
  });

  it('synthetic --seeds: the real core draws a different start per seed; the summary is over the seeds', async () => {
    const f = fakeContext();
    const argv = ['synthetic', '--n', '30', '--d', '4', '--iters', '5', '--every', '5', '--batch', '0', '--methods', 'mma',
      '--seeds', '3,4', '--out', 'seeds'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = JSON.parse(readFileSync(join(f.cwd, 'seeds', 'results.json'), 'utf8'));
    const starts = report.results.map((r: { records: { minAngleDeg: number }[] }) => r.records[0]!.minAngleDeg);
    expect(report.results.map((r: { seed: number }) => r.seed)).toEqual([3, 4]);
    expect(starts[0]).not.toBe(starts[1]);
    expect(report.seedSummary[0].seeds).toEqual([3, 4]);
  });

  it('speed: a median per case and matmul GFLOP/s', async () => {
    const f = fakeContext();
    const argv = ['speed', '--sizes', '64x8', '--methods', 'mma,sliced', '--repeats', '2', '--warmup', '1', '--out', 'sp'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = JSON.parse(readFileSync(join(f.cwd, 'sp', 'results.json'), 'utf8'));
    expect(report.results.length).toBe(3);
    for (const r of report.results) expect(r.medianMs).toBeGreaterThan(0);
  });
});
