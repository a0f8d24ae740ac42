import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import { resolveSeeds, runSynthetic, syntheticCommand, type RunSyntheticMethod, type SyntheticReport } from '../src/commands/synthetic.js';
import { SYNTHETIC_PLOT_FILES } from '../src/commands/syntheticPlots.js';
import { main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import { BAND_LAYER, SERIES_LAYER } from '../src/plots.js';
import { fakeContext } from './fakeContext.js';
import { assertWellFormed, countMarks } from './svgInspect.js';

const METHODS = ['mma', 'koleo'];
const spec = syntheticCommand(METHODS);

/** A stand-in core whose metrics depend on the method and, non-linearly, on the seed; records every `every` steps. */
const fakeSynthetic: RunSyntheticMethod = async (input, hooks) => {
  const k = METHODS.indexOf(input.method);
  for (let i = 0; i <= input.iters; i++) {
    if (i > 0) await hooks.step(i);
    if (i % input.every === 0 || i === input.iters) {
      hooks.record({
        iteration: i,
        loss: 1 / (input.seed + i + 1),
        minAngleDeg: 10 + k + Math.sqrt(input.seed) * i,
        circularVariance: (i / input.iters) * (1 - 1 / input.seed),
        elapsedS: i * 0.001 * (input.seed % 7),
      });
    }
  }
  return { iterations: input.iters };
};

/** Sample mean and standard deviation (denominator k − 1), written out here rather than reused from src. */
function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) * (v - mean), 0) / (values.length - 1));
  return { mean, sd };
}

describe('synthetic --seeds', () => {
  it('runs every method once per seed; the JSON summary is the statistics of its per-seed records', async () => {
    const f = fakeContext();
    const argv = ['--seeds', '42,52,62', '--iters', '20', '--every', '5', '--n', '30', '--d', '4', '--batch', '0', '--out', 'r'];
    const { values } = parseFlags(spec, argv);
    expect(values.seeds).toEqual(['42', '52', '62']);
    const seen: string[] = [];
    await runSynthetic(values, undefined, async (input, hooks) => {
      seen.push(`${input.method} ${input.seed}`);
      return fakeSynthetic(input, hooks);
    }, f.ctx);
    expect(seen).toEqual(['mma 42', 'mma 52', 'mma 62', 'koleo 42', 'koleo 52', 'koleo 62']);
    const saved = JSON.parse(readFileSync(join(f.cwd, 'r', 'results.json'), 'utf8')) as SyntheticReport;
    expect(saved.results.map((r) => `${r.method} ${r.seed}`)).toEqual(seen);
    expect(saved.seedSummary?.map((s) => s.method)).toEqual(METHODS);
    const table = f.out.join('');
    for (const summary of saved.seedSummary ?? []) {
      const runs = saved.results.filter((r) => r.method === summary.method);
      expect(summary.seeds).toEqual([42, 52, 62]);
      const final = (key: 'minAngleDeg' | 'circularVariance' | 'loss'): number[] => runs.map((r) => r.records.at(-1)![key]);
      for (const key of ['minAngleDeg', 'circularVariance', 'loss'] as const) {
        const { mean, sd } = meanSd(final(key));
        expect(summary[key].mean).toBeCloseTo(mean, 12);
        expect(summary[key].sd).toBeCloseTo(sd, 12);
        expect(summary[key].min).toBe(Math.min(...final(key)));
        expect(summary[key].max).toBe(Math.max(...final(key)));
      }
      expect(summary.wallTimeS.mean).toBeCloseTo(meanSd(runs.map((r) => r.wallTimeS)).mean, 12);
      const angle = meanSd(final('minAngleDeg'));
      const loss = meanSd(final('loss'));
      expect(table).toMatch(new RegExp(`^${summary.method}\\s+3\\s+${angle.mean.toFixed(3)} ± ${angle.sd.toFixed(3)}\\s.*${loss.mean.toFixed(5)} ± ${loss.sd.toFixed(5)}`, 'm'));
    }
    for (const file of SYNTHETIC_PLOT_FILES) {
      const svg = readFileSync(join(f.cwd, 'r', file), 'utf8');
      assertWellFormed(svg);
      expect(countMarks(svg, `${SERIES_LAYER}_marks`).paths).toBe(METHODS.length);
      expect(countMarks(svg, `${BAND_LAYER}_marks`).paths).toBe(METHODS.length);
    }
  });

  it('without --seeds runs --seed once, with no summary and no bands', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--seed', '7', '--iters', '4', '--every', '2', '--n', '10', '--d', '3', '--batch', '0', '--out', 'r']);
    const report = await runSynthetic(values, undefined, fakeSynthetic, f.ctx);
    expect(report.results.map((r) => `${r.method} ${r.seed}`)).toEqual(['mma 7', 'koleo 7']);
    expect(report.seedSummary).toBeUndefined();
    const svg = readFileSync(join(f.cwd, 'r', SYNTHETIC_PLOT_FILES[0]!), 'utf8');
    expect(countMarks(svg, `${BAND_LAYER}_marks`).paths).toBe(0);
  });

  it('a single seed in --seeds gives its values as the mean and no sd', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--seeds', '5', '--methods', 'mma', '--iters', '3', '--n', '10', '--d', '3', '--batch', '0', '--out', 'r']);
    const report = await runSynthetic(values, undefined, fakeSynthetic, f.ctx);
    const summary = report.seedSummary?.[0];
    expect(summary?.minAngleDeg).toEqual({ mean: 10 + Math.sqrt(5) * 3, sd: null, min: 10 + Math.sqrt(5) * 3, max: 10 + Math.sqrt(5) * 3 });
    expect(f.out.join('')).toMatch(/^mma\s+1\s+16\.708\s/m);
  });

  const unused = (): never => {
    throw new Error('not called: the command line is refused first');
  };
  const core: NumericCore = {
    methods: METHODS,
    runTammesMethod: unused,
    runSyntheticMethod: unused,
    runPrototypesMethod: unused,
    prepareSpeedCase: unused,
    speedSuite: { loadStacks: unused, workloadData: unused },
  };
  it('a given --seed beats the preset seeds; --seed with --seeds is a usage error', async () => {
    const parsed = parseFlags(spec, ['--preset', 'authors', '--seed', '7']);
    expect(parsed.values.seeds).toEqual(['42', '52', '62']);
    expect(resolveSeeds(parsed.values, parsed.given).seeds).toBeUndefined();
    const kept = parseFlags(spec, ['--preset', 'authors']);
    expect(resolveSeeds(kept.values, kept.given).seeds).toEqual(['42', '52', '62']);
    const f = fakeContext();
    expect(await main(['synthetic', '--seed', '1', '--seeds', '2,3'], core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(/^synthetic --seeds: expected either --seed or --seeds, got both\. Put every seed in --seeds\.\n/);
  });

  it.each([
    ['', /^synthetic --seeds: expected a comma-separated list of non-negative integers such as 42,52,62, got an empty item in ''\./],
    ['42,,52', /got an empty item in '42,,52'\./],
    ['42,52,42', /^synthetic --seeds: expected distinct items, got '42' twice in '42,52,42'\. Give each once\./],
    ['4.2', /^synthetic --seeds: expected items of the form non-negative integers such as 42,52,62, got '4\.2'\./],
    ['-1', /expected items of the form .*, got '-1'\./],
    ['42,abc', /got 'abc'\./],
    ['1234567890123456', /got '1234567890123456'\./],
  ])('--seeds %j is a usage error (exit 2)', async (raw, pattern) => {
    const f = fakeContext();
    expect(await main(['synthetic', `--seeds=${raw}`, '--out', 'r'], core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(pattern);
    expect(f.err.join('')).toContain("Run 'keepdist-bench synthetic --help' for usage.");
  });
});
