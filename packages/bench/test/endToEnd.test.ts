// A tiny end-to-end run of each subcommand through the real numeric core (autograd, sphere,
// dispersion): exit code 0, results.json parses, every SVG is well-formed with one series per method.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { numericCore } from '../src/numericCore';
import { SYNTHETIC_PLOT_FILES } from '../src/commands/syntheticPlots';
import { TAMMES_FILES } from '../src/commands/tammes';
import { fakeContext } from './fakeContext';
import { assertWellFormed, countMarks } from './svgInspect';

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

  it('speed: a median per case and matmul GFLOP/s', async () => {
    const f = fakeContext();
    const argv = ['speed', '--sizes', '64x8', '--methods', 'mma,sliced', '--repeats', '2', '--warmup', '1', '--out', 'sp'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = JSON.parse(readFileSync(join(f.cwd, 'sp', 'results.json'), 'utf8'));
    expect(report.results.length).toBe(3);
    for (const r of report.results) expect(r.medianMs).toBeGreaterThan(0);
  });
});
