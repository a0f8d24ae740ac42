// Generative bad-input suite of keepdist-bench (issue 13): arbitrary command lines (known and unknown flags,
// values of the wrong type or range, bad --out paths) give exit 0 (help or a run), or exit 2 with a message that
// names the command and a flag before any work; never a crash, never an exit 1 from a bad command line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandSpecs, main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import { fakeContext } from './fakeContext.js';

const METHODS = ['mma', 'koleo'];

/** Speed is not run in this suite. */
const notRun = (): never => {
  throw new Error('speed is not run in this suite');
};

/** A core that records what ran and measures nothing real. */
function recordingCore(calls: string[]): NumericCore {
  return {
    methods: METHODS,
    runTammesMethod: (input) => {
      calls.push(`tammes ${input.method}`);
      return { perPointMinAnglesDeg: Array.from({ length: input.n }, () => 30), iterations: input.iters };
    },
    runSyntheticMethod: (input, hooks) => {
      calls.push(`synthetic ${input.method}`);
      hooks.record({ iteration: 0, loss: 1, minAngleDeg: 10, circularVariance: 0.5, elapsedS: 0 });
      return { iterations: input.iters };
    },
    runPrototypesMethod: notRun,
    prepareSpeedCase: notRun,
    speedSuite: { loadStacks: notRun, workloadData: notRun },
  };
}

const specs = commandSpecs(METHODS);
const valueArb = fc.oneof(
  fc.constantFrom('', '0', '1', '2', '-1', '1.5', 'NaN', 'Infinity', '1e999', '1e-999', 'abc', '--', '-', 'all', 'mma', 'mma,koleo', 'mma,,koleo',
    'cpu', 'gpu:bogus', 'none', 'cosine', 'true', 'false', 'ü', ' '),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -3, max: 40 }).map(String),
);
const outArb = fc.constantFrom('res', 'FILE', 'FILE/sub', '/dev/null', '/proc/nope', '/sys/x', '', '.');
/** For tammes and synthetic: small runs, plus one or two flags drawn from the command's own and a few strangers. */
const argvArb = fc.constantFrom('tammes', 'synthetic').chain((command) => {
  const names = [...Object.keys(specs[command].flags), 'preset', 'help', 'frob'];
  const flag = fc.tuple(fc.constantFrom(...names), valueArb, fc.boolean()).map(([n, v, eq]) => (n === 'force' ? ['--force'] : eq ? [`--${n}=${v}`] : [`--${n}`, v]));
  return fc.tuple(fc.array(flag, { maxLength: 3 }), outArb, fc.boolean()).map(([flags, out, force]) => [
    command, '--iters', '1', '--n', '4', '--methods', 'mma', ...(command === 'synthetic' ? ['--d', '3', '--batch', '0'] : []),
    ...flags.flat(), '--out', out, ...(force ? ['--force'] : []),
  ]);
});

describe('bad input: keepdist-bench command lines', () => {
  it('exit 0, or exit 2 naming the command before any work; never 1 or a throw from a bad line', async () => {
    await fc.assert(fc.asyncProperty(argvArb, async (argv) => {
      const f = fakeContext();
      writeFileSync(join(f.cwd, 'FILE'), 'not a folder');
      const calls: string[] = [];
      const code = await main(argv, recordingCore(calls), f.ctx);
      const err = f.err.join('');
      if (code === 2) {
        expect(calls).toEqual([]);
        expect(err).toMatch(/^(tammes|synthetic|keepdist-bench)[ :]/m);
        expect(err).toMatch(/Run 'keepdist-bench( tammes| synthetic)? --help' for usage\./);
      } else {
        expect(code, `exit ${code}: ${err}`).toBe(0);
      }
    }), { seed: 13, numRuns: 150 });
  });

  it('help with extra or unknown words', async () => {
    await fc.assert(fc.asyncProperty(fc.array(valueArb, { minLength: 1, maxLength: 3 }), async (words) => {
      const f = fakeContext();
      const code = await main(['help', ...words], recordingCore([]), f.ctx);
      const valid = words.length === 1 && ['tammes', 'synthetic', 'speed'].includes(words[0]!);
      expect(code).toBe(valid ? 0 : 2);
    }), { seed: 13, numRuns: 60 });
  });
});
