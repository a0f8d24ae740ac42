// --samples: a bare count, per-method counts, both; its errors; what each method's run receives; --optimizer's one refusal.
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import { runSynthetic, syntheticCommand, type RunSyntheticMethod } from '../src/commands/synthetic.js';
import { runTammes, tammesCommand, type RunTammesMethod } from '../src/commands/tammes.js';
import { drawsFor, parseDrawCounts } from '../src/drawCounts.js';
import { main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import { UsageError } from '../src/usageError.js';
import { fakeContext } from './fakeContext.js';

const METHODS = ['mma', 'lloyd', 'slicedAxis', 'ssw'];

describe('parseDrawCounts', () => {
  it('reads a bare count, method=count items, or both; a named method wins over the bare count', () => {
    expect(parseDrawCounts('synthetic', undefined, METHODS)).toEqual({ all: undefined, byMethod: {} });
    expect(parseDrawCounts('synthetic', ['64'], METHODS)).toEqual({ all: 64, byMethod: {} });
    const both = parseDrawCounts('synthetic', ['lloyd=512', '7', 'ssw=50'], METHODS);
    expect(both).toEqual({ all: 7, byMethod: { lloyd: 512, ssw: 50 } });
    expect(METHODS.map((m) => drawsFor(both, m))).toEqual([7, 512, 7, 50]);
    const named = parseDrawCounts('synthetic', ['slicedAxis=24'], METHODS);
    expect(METHODS.map((m) => drawsFor(named, m))).toEqual([undefined, undefined, 24, undefined]);
  });

  it.each([
    [['0'], /^synthetic --samples: expected a count that is an integer ≥ 1, got '0'\. Give at least one draw per step\.$/],
    [['lloyd=0'], /expected a count that is an integer ≥ 1, got 'lloyd=0'/],
    [['ssw=-3'], /expected a count that is an integer ≥ 1, got 'ssw=-3'/],
    [['lloyd=99999999999999999'], /expected a count that is an integer ≥ 1, got 'lloyd=99999999999999999'/],
    [['5', '6'], /^synthetic --samples: expected at most one bare count, got 5 and 6\. Name the method/],
    [['lloyd=5', 'lloyd=6'], /expected each method once, got 'lloyd' twice\. Give one count per method\./],
    [['Lloyd=5'], /expected a method among mma, lloyd, slicedAxis, ssw, got 'Lloyd' in 'Lloyd=5'\. Check the spelling\./],
  ])('refuses %j', (items, pattern) => {
    const run = (): unknown => parseDrawCounts('synthetic', items, METHODS);
    expect(run).toThrow(UsageError);
    expect(run).toThrow(pattern);
  });

  it('without the method list, takes any name', () => {
    expect(parseDrawCounts('tammes', ['other=3'])).toEqual({ all: undefined, byMethod: { other: 3 } });
  });
});

describe('--samples in the commands', () => {
  it('synthetic hands each method its own count (undefined: the paper default); repeated items are refused at parsing', async () => {
    const seen: [string, number | undefined][] = [];
    const run: RunSyntheticMethod = (input, hooks) => {
      seen.push([input.method, input.samples]);
      hooks.record({ iteration: 0, loss: 1, minAngleDeg: 1, circularVariance: 0.5, elapsedS: 0 });
      return { iterations: 0 };
    };
    const argv = ['--samples', 'lloyd=512,ssw=50', '--iters', '1', '--n', '10', '--d', '3', '--out', 'r'];
    const f = fakeContext();
    await runSynthetic(parseFlags(syntheticCommand(METHODS), argv).values, undefined, run, f.ctx);
    expect(seen).toEqual([['mma', undefined], ['lloyd', 512], ['slicedAxis', undefined], ['ssw', 50]]);
    expect(() => parseFlags(syntheticCommand(METHODS), ['--samples', 'ssw=5,ssw=5'])).toThrow(/expected distinct items, got 'ssw=5' twice/);
  });

  it("tammes --preset authors runs the bench script's counts: lloyd 300, slicedAxis 24, ssw 50, others their own", async () => {
    const seen: [string, number | undefined, number | undefined, number][] = [];
    const run: RunTammesMethod = (input) => {
      seen.push([input.method, input.samples, input.gamma, input.iters]);
      return { perPointMinAnglesDeg: [10, 10, 10], iterations: input.iters };
    };
    const f = fakeContext();
    const { values } = parseFlags(tammesCommand(METHODS), ['--preset', 'authors', '--n', '3', '--out', 'r']);
    await runTammes(values, 'authors', run, f.ctx);
    expect(seen).toEqual([['mma', undefined, 1, 10000], ['lloyd', 300, 1, 10000], ['slicedAxis', 24, 1, 10000], ['ssw', 50, 1, 10000]]);
  });

  const unused = (): never => {
    throw new Error('not called: the command line is refused first');
  };
  const core: NumericCore = {
    methods: METHODS, runTammesMethod: unused, runSyntheticMethod: unused, runPrototypesMethod: unused, prepareSpeedCase: unused,
    speedSuite: { loadStacks: unused, workloadData: unused },
  };

  it.each([
    [['synthetic', '--samples', 'sliced=4'], /^synthetic --samples: expected a method among mma, lloyd, slicedAxis, ssw, got 'sliced' in 'sliced=4'\./],
    [['tammes', '--samples', '0'], /^tammes --samples: expected a count that is an integer ≥ 1, got '0'\./],
    [['synthetic', '--optimizer', 'euclidean-adam', '--lr-decay', 'cosine'], /^synthetic --lr-decay: expected none with --optimizer euclidean-adam, got 'cosine'\./],
  ])('main %j → usage error 2 before any work', async (argv, pattern) => {
    const f = fakeContext();
    expect(await main(argv, core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(pattern);
    expect(f.err.join('')).toMatch(/Run 'keepdist-bench (synthetic|tammes) --help' for usage\./);
  });
});
