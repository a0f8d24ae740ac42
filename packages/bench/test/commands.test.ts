import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import type { CommandContext } from '../src/commandContext.js';
import { runSpeed, speedCommand, type PrepareSpeedCase, type SpeedReport } from '../src/commands/speed.js';
import { runSynthetic, syntheticCommand, type RunSyntheticMethod, type SyntheticMethodInput } from '../src/commands/synthetic.js';
import { SYNTHETIC_PLOT_FILES } from '../src/commands/syntheticPlots.js';
import { TAMMES_FILES, runTammes, tammesCommand, type RunTammesMethod, type TammesReport } from '../src/commands/tammes.js';
import { SERIES_LAYER } from '../src/plots.js';
import { fakeContext } from './fakeContext.js';
import { assertWellFormed, countMarks } from './svgInspect.js';

const METHODS = ['mma', 'koleo', 'sliced'];
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const seriesIn = (path: string): number => {
  const svg = readFileSync(path, 'utf8');
  assertWellFormed(svg);
  return countMarks(svg, `${SERIES_LAYER}_marks`).paths;
};

/** A stand-in Tammes core: point i of method k gets angle 40 + k + i / n degrees; steps through every iteration. */
const fakeTammes: RunTammesMethod = async (input, hooks) => {
  for (let i = 1; i <= input.iters; i++) await hooks.step(i);
  const k = METHODS.indexOf(input.method);
  return { perPointMinAnglesDeg: Float64Array.from({ length: input.n }, (_, i) => 48 - k - i / input.n), iterations: input.iters };
};

describe('tammes', () => {
  const spec = tammesCommand(METHODS);

  it('writes results.json, one line per method in min-angles.svg, and the table', async () => {
    const f = fakeContext();
    const { values, preset } = parseFlags(spec, ['--iters', '4', '--out', 'res', '--preset', 'paper']);
    const report = await runTammes(values, preset, fakeTammes, f.ctx);
    expect(report.outDir).toBe(join(f.cwd, 'res'));
    const saved = readJson<TammesReport>(join(report.outDir, TAMMES_FILES.json));
    expect(saved.complete).toBe(true);
    expect(saved.preset).toBe('paper');
    expect(saved.results.map((r) => r.method)).toEqual(METHODS);
    const mma = saved.results[0];
    expect(mma?.minAngleDeg).toBeCloseTo(48 - 23 / 24, 12);
    expect(mma?.gapPercent).toBeCloseTo(((43.6907671 - (48 - 23 / 24)) / 43.6907671) * 100, 10);
    expect(mma?.sortedMinAnglesDeg).toHaveLength(24);
    expect(mma?.iterationsPerS).toBeGreaterThan(0);
    expect(seriesIn(join(report.outDir, TAMMES_FILES.svg))).toBe(METHODS.length);
    const table = f.out.join('');
    for (const m of METHODS) expect(table).toMatch(new RegExp(`^${m}\\s+\\d+\\.\\d{4}\\s+43\\.6908\\s+-?\\d+\\.\\d{2}`, 'm'));
    expect(f.interruptSave).toBeUndefined();
  });

  it('with one start (the default) prints the same columns as before restarts existed', async () => {
    const f = fakeContext();
    const { values, preset } = parseFlags(spec, ['--iters', '2', '--out', 'res', '--preset', 'paper']);
    await runTammes(values, preset, fakeTammes, f.ctx);
    const lines = f.out.join('').split('\n');
    expect(lines[0]).toBe('method  min angle (°)  optimum (°)  gap (%)  time (s)  iter/s');
    expect(lines[2]).toBe('mma           47.0417      43.6908    -7.67      0.01   200.0');
  });

  it('--restarts K: seeds seed … seed+K−1 per method, the best start reported, every start in the JSON', async () => {
    const f = fakeContext();
    const seen: string[] = [];
    const offsets: number[] = [];
    const ctx: CommandContext = {
      ...f.ctx,
      createProgress: ({ total }) => {
        expect(total).toBe(METHODS.length * 3 * 4);
        return { update: (value) => void (value % 4 === 1 && offsets.push(value)), stop: () => undefined };
      },
    };
    // Start with seed s of method k reaches 40 + k + ((s · 7) mod 5) degrees: seeds 10, 11, 12 give 40, 42, 44 (+ k) → best seed 12.
    const bySeed: RunTammesMethod = async (input, hooks) => {
      seen.push(`${input.method}@${input.seed}`);
      for (let i = 1; i <= input.iters; i++) await hooks.step(i);
      const top = 40 + METHODS.indexOf(input.method) + ((input.seed * 7) % 5);
      return { perPointMinAnglesDeg: Float64Array.from({ length: input.n }, (_, i) => top + i), iterations: input.iters };
    };
    const argv = ['--iters', '4', '--n', '13', '--restarts', '3', '--seed', '10', '--out', 'res'];
    const report = await runTammes(parseFlags(spec, argv).values, undefined, bySeed, ctx);
    expect(seen).toEqual(METHODS.flatMap((m) => [`${m}@10`, `${m}@11`, `${m}@12`]));
    expect(offsets).toEqual(Array.from({ length: 9 }, (_, j) => 4 * j + 1));
    const saved = readJson<TammesReport>(join(report.outDir, TAMMES_FILES.json));
    expect(saved).toEqual(JSON.parse(JSON.stringify(report)));
    for (const [k, r] of saved.results.entries()) {
      expect(r.starts.map((x) => [x.seed, x.minAngleDeg])).toEqual([[10, 40 + k], [11, 42 + k], [12, 44 + k]]);
      expect(r.minAngleDeg).toBe(Math.max(...r.starts.map((x) => x.minAngleDeg)));
      expect(r).toMatchObject({ bestSeed: 12, medianMinAngleDeg: 42 + k, iterations: 12 });
      expect(r.sortedMinAnglesDeg[0]).toBe(r.minAngleDeg);
      expect(r.wallTimeS).toBeCloseTo(r.starts.reduce((t, x) => t + x.wallTimeS, 0), 12);
      expect(r.gapPercent).toBeCloseTo(((57.1367031 - (44 + k)) / 57.1367031) * 100, 10);
    }
    expect(seriesIn(join(report.outDir, TAMMES_FILES.svg))).toBe(METHODS.length);
    const out = f.out.join('');
    expect(out).toMatch(/^Best of 3 uniform starts per method \(seeds 10–12\)/);
    expect(out).toMatch(/^method\s+min angle \(°\)\s+optimum \(°\)\s+gap \(%\)\s+starts\s+best seed\s+median \(°\)\s+time \(s\)\s+iter\/s$/m);
    expect(out).toMatch(/^koleo\s+45\.0000\s+57\.1367\s+21\.24\s+3\s+12\s+43\.0000\s/m);
  });

  it('keeps the first of equal best starts (the lowest seed)', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--iters', '1', '--methods', 'mma', '--restarts', '4', '--seed', '3', '--out', 'res']);
    const report = await runTammes(values, undefined, fakeTammes, f.ctx);
    expect(report.results[0]).toMatchObject({ bestSeed: 3, starts: [{ seed: 3 }, { seed: 4 }, { seed: 5 }, { seed: 6 }] });
  });

  it('Ctrl-C between starts writes the starts finished so far', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--iters', '2', '--restarts', '3', '--out', 'res']);
    let partial: TammesReport | undefined;
    const interrupted: RunTammesMethod = async (input, hooks) => {
      if (input.method === 'koleo' && input.seed === 44) {
        await f.interruptSave?.();
        partial = readJson<TammesReport>(join(f.cwd, 'res', TAMMES_FILES.json));
      }
      return fakeTammes(input, hooks);
    };
    await runTammes(values, undefined, interrupted, f.ctx);
    expect(partial?.complete).toBe(false);
    expect(partial?.results.map((r) => `${r.method}:${r.starts.map((x) => x.seed).join(',')}`)).toEqual(['mma:42,43,44', 'koleo:42,43']);
  });

  it('hands --lr-decay to the numeric core (none unless given)', async () => {
    const decays: string[] = [];
    const spy: RunTammesMethod = (input, hooks) => {
      decays.push(input.lrDecay);
      return fakeTammes(input, hooks);
    };
    for (const argv of [['--preset', 'paper'], ['--lr-decay', 'linear', '--preset', 'paper'], ['--lr-decay', 'cosine']]) {
      const { values, preset } = parseFlags(spec, ['--iters', '1', '--methods', 'mma', '--out', 'res', ...argv]);
      await runTammes(values, preset, spy, fakeContext().ctx);
    }
    expect(decays).toEqual(['none', 'linear', 'cosine']);
  });

  it('Ctrl-C mid-run writes the methods finished so far', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--iters', '2', '--out', 'res', '--n', '7']);
    let partial: TammesReport | undefined;
    const interrupted: RunTammesMethod = async (input, hooks) => {
      if (input.method === 'sliced') {
        await f.interruptSave?.();
        partial = readJson<TammesReport>(join(f.cwd, 'res', TAMMES_FILES.json));
      }
      return fakeTammes(input, hooks);
    };
    await runTammes(values, undefined, interrupted, f.ctx);
    expect(partial?.complete).toBe(false);
    expect(partial?.results.map((r) => r.method)).toEqual(['mma', 'koleo']);
    expect(partial?.optimumDeg).toBeUndefined();
    expect(f.err.join('')).toMatch(/no best known optimum is tabulated for n = 7/);
  });

  it('an error writes the partial results and is rethrown', async () => {
    const f = fakeContext();
    const { values } = parseFlags(spec, ['--iters', '2', '--out', 'res']);
    const failing: RunTammesMethod = (input, hooks) => {
      if (input.method === 'koleo') throw new Error('koleo: out of memory');
      return fakeTammes(input, hooks);
    };
    await expect(runTammes(values, undefined, failing, f.ctx)).rejects.toThrow('koleo: out of memory');
    const saved = readJson<TammesReport>(join(f.cwd, 'res', TAMMES_FILES.json));
    expect(saved.complete).toBe(false);
    expect(saved.results.map((r) => r.method)).toEqual(['mma']);
    expect(seriesIn(join(f.cwd, 'res', TAMMES_FILES.svg))).toBe(1);
  });
});

describe('synthetic', () => {
  it('records every k iterations and draws four plots with one line per method', async () => {
    const f = fakeContext();
    const inputs: SyntheticMethodInput[] = [];
    const run: RunSyntheticMethod = async (input, hooks) => {
      inputs.push(input);
      for (let i = 0; i <= input.iters; i++) {
        if (i > 0) await hooks.step(i);
        if (i % input.every === 0 || i === input.iters) {
          hooks.record({ iteration: i, loss: 1 / (i + 1), minAngleDeg: 10 + i, circularVariance: i / input.iters, elapsedS: i * 0.01 });
        }
      }
      return { iterations: input.iters };
    };
    const { values } = parseFlags(syntheticCommand(METHODS), ['--iters', '25', '--every', '10', '--n', '50', '--d', '8', '--batch', '0']);
    const report = await runSynthetic(values, undefined, run, f.ctx);
    expect(inputs[0]).toMatchObject({ method: 'mma', n: 50, d: 8, batch: undefined, samples: undefined, every: 10, init: 'concentrated-e1', lrDecay: 'none', optimizer: 'adam' });
    expect(report.results.map((r) => r.records.map((x) => x.iteration))).toEqual(METHODS.map(() => [0, 10, 20, 25]));
    expect(report.outDir).toBe(join(f.cwd, 'keepdist-results', 'synthetic-20250606-070809'));
    for (const file of SYNTHETIC_PLOT_FILES) expect(seriesIn(join(report.outDir, file))).toBe(METHODS.length);
    expect(SYNTHETIC_PLOT_FILES).toEqual([
      'min-angle-vs-iterations.svg',
      'min-angle-vs-time.svg',
      'circular-variance-vs-iterations.svg',
      'circular-variance-vs-time.svg',
    ]);
    expect(f.out.join('')).toMatch(/^sliced\s+25\s+35\.000\s+1\.0000/m);
  });
});

describe('speed', () => {
  it('times each case, keeps going past a failing backend, computes GFLOP/s and speed-ups', async () => {
    const f = fakeContext();
    const calls: string[] = [];
    const prepare: PrepareSpeedCase = (input) => {
      if (input.backend === 'gpu:webgpu') throw new Error('gpu:webgpu is not available here');
      const name = input.task === 'matmul' ? 'matmul' : input.method;
      return { run: () => void calls.push(`${name} ${input.n}x${input.d}`), dispose: () => void calls.push('dispose') };
    };
    const argv = ['--sizes', '16x4', '--methods', 'mma', '--backend', 'cpu,gpu:webgpu', '--repeats', '3', '--warmup', '1', '--out', 'sp'];
    const report = await runSpeed(parseFlags(speedCommand(METHODS), argv).values, prepare, f.ctx);
    expect(calls).toEqual([...Array(4).fill('matmul 16x4'), 'dispose', ...Array(4).fill('mma 16x4'), 'dispose']);
    const saved = readJson<SpeedReport>(join(f.cwd, 'sp', 'results.json'));
    expect(saved.results.map((r) => `${r.method} ${r.backend} ${r.error ?? 'ok'}`)).toEqual([
      'matmul cpu ok',
      'mma cpu ok',
      'matmul gpu:webgpu gpu:webgpu is not available here',
      'mma gpu:webgpu gpu:webgpu is not available here',
    ]);
    const matmul = saved.results[0];
    expect(matmul?.timesMs).toEqual([10, 10, 10]);
    expect(matmul?.medianMs).toBe(10);
    expect(matmul?.gflops).toBeCloseTo((2 * 16 * 16 * 4) / 1e7, 15);
    expect(matmul?.speedup).toBe(1);
    expect(f.err.join('')).toMatch(/speed: matmul 16x4 on gpu:webgpu failed: gpu:webgpu is not available here/);
    expect(f.out.join('')).toMatch(/speed-up vs cpu/);
  });

  it('fails when every case fails', async () => {
    const f = fakeContext();
    const { values } = parseFlags(speedCommand(METHODS), ['--sizes', '8x2', '--methods', 'mma', '--out', 'sp']);
    await expect(runSpeed(values, () => Promise.reject(new Error('no backend')), f.ctx)).rejects.toThrow(
      /speed: every case failed; the first with: no backend/,
    );
    expect(existsSync(join(f.cwd, 'sp'))).toBe(false);
  });
});
