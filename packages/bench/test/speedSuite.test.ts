// `speed --suite workloads` with stand-in stacks (tables, ratios, JSON, skips, failures), its flags and exit codes,
// and one tiny run through the real stacks.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import { speedCommand } from '../src/commands/speed.js';
import { checkSpeedFlags } from '../src/commands/speedDispatch.js';
import { commandHelp } from '../src/help.js';
import {
  OTHER_STACKS, runSpeedSuite, type SpeedStack, type SpeedSuiteCore, type SpeedSuiteOptions, type SpeedSuiteReport, type Timing,
} from '../src/commands/speedSuite.js';
import { main } from '../src/main.js';
import { numericCore, type NumericCore } from '../src/numericCore.js';
import { WORKLOAD_IDS, workloadFlops, type Workload } from '../src/speed/workloads.js';
import { UsageError } from '../src/usageError.js';
import { fakeContext } from './fakeContext.js';

const METHODS = ['mma', 'sliced'];
const spec = speedCommand(METHODS);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A stand-in stack: fixed times per workload kind (or a failure), recording what it was asked. */
function fakeStack(name: string, keepdist: boolean, times: Partial<Record<Workload['kind'], number[] | Error>>, seen: string[], kinds?: Workload['kind'][]): SpeedStack {
  return {
    name, keepdist, info: `${name} for tests`, ...(kinds ? { kinds } : {}),
    measure: async (w, data, t: Timing) => {
      seen.push(`${name} ${w.id} n=${w.n} warmup=${t.warmup} repeats=${t.repeats} data=${data.arrays[0]?.name}`);
      const r = times[w.kind];
      if (r instanceof Error) throw r;
      for (let i = 0; i < t.warmup + t.repeats; i++) await t.step();
      return { timesMs: r ?? [1], loss: w.kind === 'matmul' ? undefined : 0.5 };
    },
  };
}

function fakeCore(seen: string[], stacks?: SpeedStack[]): SpeedSuiteCore {
  return {
    loadStacks: async (req) => {
      seen.push(`load ${req.backends.join(',')} against ${req.against.join(',')} python ${req.python ?? '-'}`);
      return {
        stacks: stacks ?? [
          fakeStack('keepdist cpu', true, { matmul: [30, 10, 20], lloyd: [40, 40, 40] }, seen),
          fakeStack('tfjs-wasm', false, { matmul: [5, 5, 5], lloyd: [10, 20, 30] }, seen),
          { ...fakeStack('torch-1', false, { matmul: [2, 2, 2], lloyd: new Error('torch: killed') }, seen), details: { threads: 1 } },
          fakeStack('torch-1 acos(rowmax)', false, { lloyd: [8, 8, 8] }, seen, ['lloyd']),
        ],
        skipped: [{ name: 'keepdist wasm', reason: 'wasm: not available in this build' }],
      };
    },
    workloadData: (w, seed) => {
      seen.push(`data ${w.id} seed=${seed}`);
      return { arrays: [{ name: 'X', shape: [w.n, w.d], data: new Float32Array(w.n * w.d) }] };
    },
  };
}

function suiteOptions(argv: readonly string[]): SpeedSuiteOptions {
  const { values, given } = parseFlags(spec, ['--suite', 'workloads', ...argv]);
  checkSpeedFlags(values, given);
  const { workloads, backend, against, python, repeats, warmup, seed, scale, out } = values;
  return { workloads, backend, against, python, repeats, warmup, seed, scale, out };
}

describe('speed --suite workloads (stand-in stacks)', () => {
  it('times every stack on each workload, once per workload drawn data, and writes ratios, GFLOP/s and tables', async () => {
    const f = fakeContext();
    const seen: string[] = [];
    const options = suiteOptions(['--workloads', 'w1-matmul,w3-lloyd', '--backend', 'cpu,wasm', '--scale', '0.5', '--seed', '9', '--out', 'sp']);
    const report = await runSpeedSuite(options, fakeCore(seen), f.ctx);
    expect(seen).toEqual([
      'load cpu,wasm against tfjs-cpu,tfjs-wasm,torch-1,torch-2 python -',
      'data w1-matmul seed=9',
      'keepdist cpu w1-matmul n=512 warmup=1 repeats=3 data=X',
      'tfjs-wasm w1-matmul n=512 warmup=1 repeats=3 data=X',
      'torch-1 w1-matmul n=512 warmup=1 repeats=3 data=X',
      'data w3-lloyd seed=9',
      'keepdist cpu w3-lloyd n=2048 warmup=1 repeats=3 data=X',
      'tfjs-wasm w3-lloyd n=2048 warmup=1 repeats=3 data=X',
      'torch-1 w3-lloyd n=2048 warmup=1 repeats=3 data=X',
      'torch-1 acos(rowmax) w3-lloyd n=2048 warmup=1 repeats=3 data=X',
    ]);
    const saved = readJson<SpeedSuiteReport>(join(f.cwd, 'sp', 'results.json'));
    expect(saved).toEqual(JSON.parse(JSON.stringify(report)));
    expect(saved.complete).toBe(true);
    expect(saved.skipped).toEqual([{ name: 'keepdist wasm', reason: 'wasm: not available in this build' }]);
    expect(saved.stacks.map((s) => [s.name, s.keepdist, s.details])).toEqual([
      ['keepdist cpu', true, undefined], ['tfjs-wasm', false, undefined], ['torch-1', false, { threads: 1 }], ['torch-1 acos(rowmax)', false, undefined],
    ]);
    const [matmul, lloyd] = saved.results;
    expect(matmul!.rows.map((r) => [r.stack, r.medianMs, r.minMs, r.ratios['keepdist cpu']])).toEqual([
      ['keepdist cpu', 20, 10, 1], ['tfjs-wasm', 5, 5, 4], ['torch-1', 2, 2, 10],
    ]);
    expect(matmul!.rows[1]!.gflops).toBeCloseTo(workloadFlops(matmul!.workload)! / 5e6, 9);
    expect(workloadFlops(matmul!.workload)).toBe(2 * 512 ** 3);
    expect(lloyd!.rows.map((r) => [r.stack, r.medianMs, r.ratios['keepdist cpu'], r.error ?? 'ok'])).toEqual([
      ['keepdist cpu', 40, 1, 'ok'], ['tfjs-wasm', 20, 2, 'ok'], ['torch-1', undefined, undefined, 'torch: killed'], ['torch-1 acos(rowmax)', 8, 5, 'ok'],
    ]);
    expect(lloyd!.rows[0]!.gflops).toBeUndefined();
    expect(f.err.join('')).toMatch(/speed: w3-lloyd on torch-1 failed: torch: killed/);
    const out = f.out.join('');
    expect(out.startsWith(
      '$ keepdist-bench speed --suite workloads --workloads w1-matmul,w3-lloyd --backend cpu,wasm ' +
      '--against tfjs-cpu,tfjs-wasm,torch-1,torch-2 --repeats 3 --warmup 1 --seed 9 --scale 0.5 --out sp\n',
    )).toBe(true);
    expect(out).toContain('tfjs-wasm: tfjs-wasm for tests\n');
    expect(out).toContain('keepdist wasm: skipped: wasm: not available in this build\n');
    expect(out).toMatch(/^W1 matmul 512x512 by 512x512 \(forward\)\nstack\s+median \(ms\)\s+min \(ms\)\s+GFLOP\/s\s+keepdist cpu \/ this\s+note$/m);
    expect(out).toMatch(/^tfjs-wasm\s+5\.00\s+5\.00\s+53\.69\s+4\.00$/m);
    expect(out).toMatch(/^W3 lloyd m=2048 n=2048 d=64 \(loss \+ gradient\)\nstack\s+median \(ms\)\s+min \(ms\)\s+loss\s+keepdist cpu \/ this\s+note$/m);
    expect(out).toMatch(/^torch-1\s+-\s+-\s+-\s+-\s+torch: killed$/m);
    expect(out).toMatch(/^W3 lloyd m=2048 n=2048 d=64\s+40\.0\s+20\.0\s+-\s+8\.0$/m);
    expect(out).toMatch(/Median of 3 timed runs after 1 warm-up \(min: the fastest run\); load average/);
    expect(out).toMatch(/Results written to .*sp\n$/);
  });

  it('passes --python and the stacks asked for to the loader', async () => {
    const seen: string[] = [];
    const options = suiteOptions(['--workloads', 'w4-sliced', '--against', 'torch-2,tfjs-cpu', '--python', '/opt/py', '--out', 'sp']);
    await runSpeedSuite(options, fakeCore(seen), fakeContext().ctx);
    expect(seen[0]).toBe('load cpu against torch-2,tfjs-cpu python /opt/py');
  });

  it('fails when every measurement fails, and when no stack loads; writes nothing then', async () => {
    const f = fakeContext();
    const seen: string[] = [];
    const failing = [fakeStack('keepdist cpu', true, { sliced: new Error('out of memory') }, seen)];
    await expect(runSpeedSuite(suiteOptions(['--workloads', 'w4-sliced', '--out', 'sp']), fakeCore(seen, failing), f.ctx))
      .rejects.toThrow(/speed: every measurement failed; the first with: out of memory/);
    await expect(runSpeedSuite(suiteOptions(['--out', 'sp']), fakeCore(seen, []), f.ctx))
      .rejects.toThrow(/expected at least one stack to run, got none/);
    expect(existsSync(join(f.cwd, 'sp'))).toBe(false);
  });
});

describe('speed flags', () => {
  it('--help names the suites, the workloads, the reference stacks and how to install torch', () => {
    const text = commandHelp(spec).replace(/\s+/g, ' ');
    expect(text).toContain('--suite <choice> methods: every --methods regularizer');
    expect(text).toContain('Valid: one of methods, workloads. Default: methods.');
    for (const w of WORKLOAD_IDS) expect(text).toContain(w);
    for (const s of OTHER_STACKS) expect(text).toContain(s);
    expect(text).toContain('bash packages/bench/scripts/install-torch.sh');
    expect(text).toContain('--python <text>');
    expect(text).toContain('--scale <number>');
  });

  it('defaults: the methods suite, median of 3 after 1 warm-up, every workload and reference stack', () => {
    const { values } = parseFlags(spec, []);
    expect(values).toMatchObject({ suite: 'methods', repeats: 3, warmup: 1, scale: 1, python: undefined, backend: ['cpu'] });
    expect(values.workloads).toEqual([...WORKLOAD_IDS]);
    expect(values.against).toEqual([...OTHER_STACKS]);
    const { values: v } = parseFlags(spec, ['--backend', 'wasm:2,cpu,wasm', '--against', 'torch-2', '--scale', '0.25', '--python', '/usr/bin/python3']);
    expect(v).toMatchObject({ backend: ['wasm:2', 'cpu', 'wasm'], against: ['torch-2'], scale: 0.25, python: '/usr/bin/python3' });
  });

  it.each([
    [['--suite', 'bogus'], /^speed --suite: expected one of methods, workloads, got 'bogus'\.$/],
    [['--workloads', 'w9'], /^speed --workloads: expected 'all' or a comma-separated list of: w1-matmul, w2-mmd-1024, w2-mmd-4096, w3-lloyd, w4-sliced, got unknown item 'w9'\.$/],
    [['--against', 'torch-3'], /^speed --against: expected 'all' or a comma-separated list of: tfjs-cpu, tfjs-wasm, torch-1, torch-2, got unknown item 'torch-3'\.$/],
    [['--against', 'all,torch-1'], /--against: expected 'all' alone or a list of names, got 'all,torch-1'/],
    [['--backend', 'wasm:3'], /^speed --backend: expected 'all' or a comma-separated list of: cpu, wasm, wasm:1, wasm:2, gpu:webgpu, .*, got unknown item 'wasm:3'\.$/],
    [['--scale', '0'], /^speed --scale: expected a number > 0, got '0'\.$/],
    [['--scale', '-0.5'], /^speed --scale: expected a number > 0, got '-0.5'\.$/],
    [['--scale', 'half'], /^speed --scale: expected a number > 0, got 'half'\.$/],
    [['--python'], /^speed --python: expected a value \(a string\), got none\.$/],
    [['--python', ''], /^speed --python: expected a string, got ''\.$/],
    [['--repeats', '0'], /^speed --repeats: expected an integer >= 1, got '0'\.$/],
    [['--warmup', '-1'], /^speed --warmup: expected an integer >= 0, got '-1'\.$/],
  ])('%j is a usage error', (argv, pattern) => {
    expect(() => parseFlags(spec, argv)).toThrow(UsageError);
    expect(() => parseFlags(spec, argv)).toThrow(pattern);
  });

  it.each([
    [['--workloads', 'w1-matmul'], /^speed --workloads: expected --suite workloads with it, got --suite methods\. Add --suite workloads, or drop --workloads\.$/],
    [['--against', 'tfjs-cpu'], /^speed --against: expected --suite workloads with it, got --suite methods\./],
    [['--python', 'python3'], /^speed --python: expected --suite workloads with it/],
    [['--scale', '0.1'], /^speed --scale: expected --suite workloads with it/],
    [['--suite', 'workloads', '--sizes', '8x2'], /^speed --sizes: expected --suite methods with it, got --suite workloads\. Add --suite methods, or drop --sizes\.$/],
    [['--suite', 'workloads', '--methods', 'mma'], /^speed --methods: expected --suite methods with it, got --suite workloads\./],
    [['--sizes', '64x8,1x64'], /^speed --sizes: expected n >= 2 in every <n>x<d> \(a dispersion loss needs two or more points\), got '1x64'\.$/],
  ])('%j fits no suite', (argv, pattern) => {
    const { values, given } = parseFlags(spec, argv);
    expect(() => checkSpeedFlags(values, given)).toThrow(UsageError);
    expect(() => checkSpeedFlags(values, given)).toThrow(pattern);
  });
});

describe('speed exit codes (main)', () => {
  const never = (): never => {
    throw new Error('not called in this test');
  };
  const core = (over: Partial<NumericCore>): NumericCore => ({
    methods: METHODS, runTammesMethod: never, runSyntheticMethod: never, runPrototypesMethod: never, prepareSpeedCase: never,
    speedSuite: { loadStacks: never, workloadData: never }, ...over,
  });

  it('--sizes 1x64 exits 2 with the reason and writes nothing', async () => {
    const f = fakeContext();
    expect(await main(['speed', '--sizes', '1x64', '--out', 'sp'], core({}), f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(/^speed --sizes: expected n >= 2 .*got '1x64'\.\nRun 'keepdist-bench speed --help' for usage\.\n$/);
    expect(f.out.join('')).not.toMatch(/Results written/);
    expect(existsSync(join(f.cwd, 'sp'))).toBe(false);
  });

  it('exits 1 when every method fails though matmul ran', async () => {
    const f = fakeContext();
    const prepareSpeedCase: NumericCore['prepareSpeedCase'] = (input) => {
      if (input.task === 'lossGrad') throw new Error(`${input.method}: expected at least 2 columns`);
      return { run: () => undefined };
    };
    expect(await main(['speed', '--sizes', '8x1', '--out', 'sp'], core({ prepareSpeedCase }), f.ctx)).toBe(1);
    expect(f.err.join('')).toMatch(/every method failed \(only matmul ran\); the first with: mma: expected at least 2 columns/);
    expect(f.out.join('')).not.toMatch(/Results written/);
  });

  it('--suite workloads runs the suite core; a suite mismatch exits 2', async () => {
    const f = fakeContext();
    const seen: string[] = [];
    expect(await main(['speed', '--suite', 'workloads', '--workloads', 'w2-mmd-1024', '--out', 'sp'], core({ speedSuite: fakeCore(seen) }), f.ctx)).toBe(0);
    expect(seen.filter((s) => s.startsWith('data'))).toEqual(['data w2-mmd-1024 seed=42']);
    expect(await main(['speed', '--scale', '0.5'], core({}), f.ctx)).toBe(2);
  });
});

describe('speed --suite workloads through the real stacks (tiny sizes)', () => {
  it('keepdist cpu against tfjs cpu and wasm: every workload timed, the same loss on every stack', async () => {
    const f = fakeContext();
    const argv = ['speed', '--suite', 'workloads', '--scale', '0.002', '--against', 'tfjs-cpu,tfjs-wasm', '--repeats', '1', '--warmup', '0', '--out', 'sp'];
    expect(await main(argv, numericCore, f.ctx)).toBe(0);
    const report = readJson<SpeedSuiteReport>(join(f.cwd, 'sp', 'results.json'));
    expect(report.stacks.map((s) => s.name)).toEqual(['keepdist cpu', 'tfjs-cpu', 'tfjs-wasm']);
    expect(report.results.map((r) => r.workload.id)).toEqual([...WORKLOAD_IDS]);
    for (const r of report.results) {
      expect(r.rows.map((x) => x.error ?? 'ok')).toEqual(['ok', 'ok', 'ok']);
      for (const x of r.rows) expect(x.timesMs).toHaveLength(1);
      const losses = r.rows.map((x) => x.loss);
      if (r.workload.kind === 'matmul') expect(losses).toEqual([undefined, undefined, undefined]);
      else for (const l of losses) expect(Math.abs(l! - losses[0]!)).toBeLessThanOrEqual(1e-4 * Math.abs(losses[0]!));
    }
  });
});
