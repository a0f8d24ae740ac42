import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import { fakeContext } from './fakeContext.js';

const unused = (): never => {
  throw new Error('not called in this test');
};
const core: NumericCore = {
  methods: ['mma', 'koleo'],
  runTammesMethod: unused,
  runSyntheticMethod: unused,
  runPrototypesMethod: unused,
  prepareSpeedCase: unused,
  speedSuite: { loadStacks: unused, workloadData: unused },
};

describe('main: exit codes', () => {
  it.each([[[]], [['--help']], [['help', 'synthetic']], [['speed', '--help']], [['tammes', '--n', 'abc', '-h']]])(
    'help %j → 0 on stdout',
    async (argv) => {
      const f = fakeContext();
      expect(await main(argv, core, f.ctx)).toBe(0);
      expect(f.out.join('')).toMatch(/^Usage: keepdist-bench /);
      expect(f.err).toEqual([]);
    },
  );

  it.each([
    [['bogus'], /expected a command, got 'bogus'\. Valid commands: tammes, synthetic, prototypes, speed\.\nRun 'keepdist-bench --help' for usage\./],
    [['tammes', '--n', 'abc'], /^tammes --n: expected an integer >= 2, got 'abc'\.\nRun 'keepdist-bench tammes --help' for usage\.\n$/],
    [['tammes', '--methods', 'foo'], /--methods: expected 'all' or a comma-separated list of: mma, koleo, got unknown item 'foo'/],
    [['tammes', '--restarts', '0'], /^tammes --restarts: expected an integer >= 1, got '0'\.\nRun 'keepdist-bench tammes --help' for usage\.\n$/],
    [['tammes', '--lr-decay', 'exp'], /^tammes --lr-decay: expected one of none, cosine, linear, got 'exp'\.\nRun 'keepdist-bench tammes --help' for usage\.\n$/],
    [['synthetic', '--lr-decay', 'step'], /synthetic --lr-decay: expected one of none, cosine, linear, got 'step'/],
    [['synthetic', '--backend', 'gpu:bogus'], /--backend: expected one of cpu, wasm, wasm:1, wasm:2, gpu:webgpu, .*, got 'gpu:bogus'/],
    [['speed', '--nope'], /speed: unknown flag '--nope'\. Valid flags: .*--repeats, --warmup/],
  ])('usage error %j → 2 on stderr', async (argv, pattern) => {
    const f = fakeContext();
    expect(await main(argv, core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(pattern);
    expect(f.out).toEqual([]);
  });

  it('any other error → 1 with its message', async () => {
    const f = fakeContext();
    const failing: NumericCore = { ...core, runTammesMethod: () => Promise.reject(new Error('tammes: backend exploded')) };
    expect(await main(['tammes', '--iters', '3'], failing, f.ctx)).toBe(1);
    expect(f.err.join('')).toBe('keepdist-bench: tammes: backend exploded\n');
  });

});
