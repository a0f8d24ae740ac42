// The CLI never loses results: --out is checked before any work, nothing is overwritten unless --force,
// default folders are unique, and Ctrl-C keeps the method in progress (issue 13).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { NumericCore } from '../src/numericCore.js';
import type { RunTammesMethod, TammesReport } from '../src/commands/tammes.js';
import type { RunSyntheticMethod, SyntheticReport } from '../src/commands/synthetic.js';
import { onInterrupt } from '../src/output.js';
import { fakeContext } from './fakeContext.js';

const METHODS = ['mma', 'koleo'];
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** A core whose tammes runs count how often they were called. */
function countingCore(): { core: NumericCore; calls: string[] } {
  const calls: string[] = [];
  const runTammesMethod: RunTammesMethod = async (input, hooks) => {
    calls.push(input.method);
    for (let i = 1; i <= input.iters; i++) await hooks.step(i);
    return { perPointMinAnglesDeg: Float64Array.from({ length: input.n }, (_, i) => 40 + i), iterations: input.iters };
  };
  const runSyntheticMethod: RunSyntheticMethod = async (input, hooks) => {
    calls.push(`${input.method} batch=${String(input.batch)}`);
    for (let i = 0; i <= input.iters; i++) {
      if (i > 0) await hooks.step(i);
      hooks.record({ iteration: i, loss: 1 / (i + 1), minAngleDeg: 10 + i, circularVariance: 0.5, elapsedS: i });
    }
    return { iterations: input.iters };
  };
  const unused = (): never => {
    throw new Error('not called');
  };
  return { core: { methods: METHODS, runTammesMethod, runSyntheticMethod, runPrototypesMethod: unused, prepareSpeedCase: unused, speedSuite: { loadStacks: unused, workloadData: unused } }, calls };
}

describe('--out is checked before any work (exit 2)', () => {
  it('an --out that already holds results is refused unless --force', async () => {
    const f = fakeContext();
    const { core, calls } = countingCore();
    expect(await main(['tammes', '--iters', '1', '--out', 'res'], core, f.ctx)).toBe(0);
    const first = readFileSync(join(f.cwd, 'res', 'results.json'), 'utf8');
    calls.length = 0;
    expect(await main(['tammes', '--iters', '2', '--out', 'res'], core, f.ctx)).toBe(2);
    expect(calls).toEqual([]);
    expect(f.err.join('')).toMatch(/tammes --out: expected a directory where results can be written, got 'res', which already holds files \(results of an earlier run\?\)\. Pass --force/);
    expect(readFileSync(join(f.cwd, 'res', 'results.json'), 'utf8')).toBe(first);
    expect(await main(['tammes', '--iters', '2', '--out', 'res', '--force'], core, f.ctx)).toBe(0);
    expect(readJson<TammesReport>(join(f.cwd, 'res', 'results.json')).options.iters).toBe(2);
  });

  it('an empty existing directory is fine', async () => {
    const f = fakeContext();
    mkdirSync(join(f.cwd, 'empty'));
    expect(await main(['tammes', '--iters', '1', '--out', 'empty'], countingCore().core, f.ctx)).toBe(0);
    expect(existsSync(join(f.cwd, 'empty', 'results.json'))).toBe(true);
  });

  it.each([
    ['a file', (cwd: string) => (writeFileSync(join(cwd, 'file'), 'x'), 'file'), /which is a file, not a directory/],
    ['under a file', (cwd: string) => (writeFileSync(join(cwd, 'file'), 'x'), 'file/sub/dir'), /which is under '.*file', a file/],
    ['/dev/null', () => '/dev/null', /got '\/dev\/null', which is a file, not a directory/],
    ['under /proc', () => '/proc/nope', /got '\/proc\/nope', which is under \/proc/],
  ])('%s → exit 2 and nothing run', async (_what, make, pattern) => {
    for (const command of ['tammes', 'synthetic']) {
      const f = fakeContext();
      const { core, calls } = countingCore();
      const out = make(f.cwd);
      expect(await main([command, '--iters', '1', '--n', '4', '--out', out], core, f.ctx)).toBe(2);
      expect(calls).toEqual([]);
      expect(f.err.join('')).toMatch(new RegExp(`${command} --out: expected a directory where results can be written, `));
      expect(f.err.join('')).toMatch(pattern);
    }
  });

  it('the default folder is unique even for runs within one second', async () => {
    const f = fakeContext(); // its clock always says 2025-06-06 07:08:09
    const { core } = countingCore();
    for (let k = 0; k < 3; k++) expect(await main(['tammes', '--iters', '1'], core, f.ctx)).toBe(0);
    expect(readdirSync(join(f.cwd, 'keepdist-results')).sort()).toEqual(['tammes-20250606-070809', 'tammes-20250606-070809-2', 'tammes-20250606-070809-3']);
  });
});

describe('synthetic --batch', () => {
  it('--batch 1 is a usage error naming --batch (exit 2), before any work', async () => {
    const f = fakeContext();
    const { core, calls } = countingCore();
    expect(await main(['synthetic', '--batch', '1', '--iters', '1', '--out', 'r'], core, f.ctx)).toBe(2);
    expect(calls).toEqual([]);
    expect(f.err.join('')).toMatch(/^synthetic --batch: expected 0 \(all points\) or a minibatch of at least 2 rows/);
    expect(existsSync(join(f.cwd, 'r'))).toBe(false);
  });
  it('--batch 5000 with --n 100 records the full batch that ran (0), and says so', async () => {
    const f = fakeContext();
    const { core, calls } = countingCore();
    expect(await main(['synthetic', '--batch', '5000', '--n', '100', '--iters', '1', '--methods', 'mma', '--out', 'r'], core, f.ctx)).toBe(0);
    expect(calls).toEqual(['mma batch=undefined']);
    expect(readJson<SyntheticReport>(join(f.cwd, 'r', 'results.json')).options.batch).toBe(0);
    expect(f.err.join('')).toMatch(/--batch 5000 ≥ --n 100: every step uses all 100 points \(recorded as batch 0\)/);
  });
});

describe('help', () => {
  it('help tammes extra is a usage error', async () => {
    const f = fakeContext();
    expect(await main(['help', 'tammes', 'extra'], countingCore().core, f.ctx)).toBe(2);
    expect(f.err.join('')).toMatch(/^keepdist-bench help: expected one command name, got 'tammes extra'\./);
  });
});

describe('Ctrl-C', () => {
  it('keeps the tammes method in progress (its iterations so far) and prints the partial table', async () => {
    const f = fakeContext();
    const { core } = countingCore();
    let partial: TammesReport | undefined;
    const interrupted: RunTammesMethod = async (input, hooks) => {
      let done = 0;
      hooks.snapshot?.(() => ({ perPointMinAnglesDeg: [30 + done, 31 + done, 32, 33], iterations: done }));
      for (let i = 1; i <= input.iters; i++) {
        done = i;
        await hooks.step(i);
        if (input.method === 'koleo' && i === 3) {
          await f.interruptSave?.();
          partial = readJson<TammesReport>(join(f.cwd, 'res', 'results.json'));
        }
      }
      return { perPointMinAnglesDeg: [40, 41, 42, 43], iterations: input.iters };
    };
    expect(await main(['tammes', '--iters', '5', '--n', '4', '--out', 'res'], { ...core, runTammesMethod: interrupted }, f.ctx)).toBe(0);
    expect(partial?.complete).toBe(false);
    expect(partial?.results.map((r) => `${r.method} ${r.iterations} ${r.minAngleDeg}`)).toEqual(['mma 5 40', 'koleo 3 32']);
    expect(partial?.results[1]?.starts[0]).toMatchObject({ iterations: 3, partial: true });
    expect(f.err.join('')).toMatch(/Writing the results measured so far to .*res\.\.\./);
    expect(f.out.join('')).toMatch(/Partial results \(interrupted\):\nmethod\s+min angle[^\n]*\n-[^\n]*\nmma\s+40\.0000[^\n]*\nkoleo\s+32\.0000/);
  });

  it('before anything was measured: says so, writes nothing and leaves no empty default folder', async () => {
    const f = fakeContext();
    const { core } = countingCore();
    const early: RunTammesMethod = async (input) => {
      await f.interruptSave?.();
      throw new Error(`stop ${input.method}`); // stands for the exit that follows a real Ctrl-C
    };
    expect(await main(['tammes', '--iters', '5'], { ...core, runTammesMethod: early }, f.ctx)).toBe(1);
    expect(f.err.join('')).toMatch(/Nothing was measured yet: no results written\./);
    expect(f.err.join('')).not.toMatch(/Writing the results/);
    expect(readdirSync(join(f.cwd, 'keepdist-results'))).toEqual([]);
  });

  it('the SIGINT handler itself no longer promises results it may not have', async () => {
    const messages: string[] = [];
    const target = new (await import('node:events')).EventEmitter();
    let code = -1;
    onInterrupt(() => undefined, { target, exit: (c) => void (code = c), report: (m) => void messages.push(m) });
    target.emit('SIGINT');
    await new Promise((r) => setTimeout(r, 10));
    expect(code).toBe(130);
    expect(messages.join('')).toBe('\nInterrupted (Ctrl-C).\n');
  });
});
