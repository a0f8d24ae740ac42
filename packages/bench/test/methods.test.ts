import { createRng, type Tensor } from '@keepdist/autograd';
import { randomUniform } from '@keepdist/sphere';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/args.js';
import type { CommandSpec } from '../src/flagTypes.js';
import { runTammes, tammesCommand, type TammesMethodInput } from '../src/commands/tammes.js';
import { runSynthetic, syntheticCommand, type SyntheticMethodInput } from '../src/commands/synthetic.js';
import { BENCH_METHODS, methodRegularizer, methodSpec } from '../src/numeric/methods.js';
import { tammesStabilize } from '../src/numeric/tammes.js';
import { fakeContext } from './fakeContext.js';

/** What --conventions authors changes, per bench method, written out from docs/math.md §6 (all others: nothing). */
const AUTHORS_CHANGES: Record<string, Record<string, unknown>> = {
  'mmd-laplace-euclidean': { chord: 'authors' },
  'mmd-riesz-euclidean': { chord: 'authors' },
  'mmd-riesz-geodesic': { s: 0 },
  ssw: { sqrt: true },
};

async function rowsOf(X: Tensor): Promise<number[][]> {
  const [n, d] = X.shape as [number, number];
  const data = await X.data();
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
}

/** Σ_{i<j} f(c_ij) over the rows, in plain float64 arithmetic. */
function pairSum(rows: readonly number[][], f: (c: number) => number): number {
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const c = rows[i]!.reduce((acc, v, k) => acc + v * rows[j]![k]!, 0);
      total += f(c);
    }
  }
  return total;
}

describe('--preset authors and --conventions', () => {
  it("parses: authors is paper with the authors conventions and their scripts' other settings; paper keeps keepdist; a given flag still wins", () => {
    const specs: readonly [CommandSpec, Record<string, unknown>][] = [
      [tammesCommand(BENCH_METHODS), { iters: 10000, gamma: 1, samples: ['lloyd=300', 'slicedAxis=24', 'ssw=50'] }],
      [syntheticCommand(BENCH_METHODS), { seeds: ['42', '52', '62'], init: 'concentrated' }],
    ];
    for (const [spec, alsoSets] of specs) {
      const paper = parseFlags(spec, ['--preset', 'paper']).values;
      const authors = parseFlags(spec, ['--preset', 'authors']).values;
      expect(paper['conventions']).toBe('keepdist');
      expect(authors).toEqual({ ...paper, conventions: 'authors', ...alsoSets });
      expect(parseFlags(spec, []).values['conventions']).toBe('keepdist');
      expect(parseFlags(spec, ['--conventions', 'authors']).values['conventions']).toBe('authors');
      expect(parseFlags(spec, ['--preset', 'authors', '--conventions=keepdist']).values['conventions']).toBe('keepdist');
    }
  });

  it.each([
    [['--conventions', 'paper'], /^tammes --conventions: expected one of keepdist, authors, got 'paper'\.$/],
    [['--preset', 'author'], /^tammes --preset: expected one of paper, authors, got 'author'\.$/],
    [['--preset', 'paper', '--preset', 'authors'], /^tammes --preset: expected the flag once, got it twice\./],
  ])('refuses %j', (argv, pattern) => {
    expect(() => parseFlags(tammesCommand(BENCH_METHODS), argv)).toThrow(pattern);
  });

  it('gives each method exactly the authors options, through what the tammes command hands its core', async () => {
    const inputs: TammesMethodInput[] = [];
    const f = fakeContext();
    const { values, preset } = parseFlags(tammesCommand(BENCH_METHODS), ['--preset', 'authors', '--iters', '1', '--out', 'r']);
    await runTammes(values, preset, (input) => {
      inputs.push(input);
      return { perPointMinAnglesDeg: new Array<number>(input.n).fill(10), iterations: input.iters };
    }, f.ctx);
    expect(inputs.map((i) => i.method)).toEqual(BENCH_METHODS);
    const rng = createRng(1);
    for (const input of inputs) {
      expect(input.conventions).toBe('authors');
      expect(tammesStabilize(input.conventions)).toBe(1);
      const theirs = methodSpec(input.method, { rng, conventions: input.conventions });
      const ours = methodSpec(input.method, { rng });
      expect(theirs.name).toBe(ours.name);
      expect(theirs.options).toEqual({ ...ours.options, ...(AUTHORS_CHANGES[input.method] ?? {}) });
      expect(ours.lossScale(24)).toBe(1);
      expect(theirs.lossScale(24)).toBe(input.method === 'mmd-riesz-geodesic' ? 138 : 1);
    }
    expect(tammesStabilize('keepdist')).toBeNull();
    expect(methodSpec('mmd-riesz-geodesic', { rng, conventions: 'authors', batchSize: 8 }).lossScale(24)).toBe(0.5);
    expect(() => methodSpec('mhe', { rng, conventions: 'authors' })).toThrow(/expected a method among mmd-gaussian-euclidean, .*, got 'mhe'\./);
  });

  it('hands the synthetic core the authors conventions; its minibatched MHE is scaled by 1/2', async () => {
    const inputs: SyntheticMethodInput[] = [];
    const f = fakeContext();
    const argv = ['--preset', 'authors', '--n', '40', '--d', '3', '--batch', '8', '--iters', '1', '--seeds', '1',
      '--methods', 'mmd-riesz-geodesic,ssw', '--out', 'r'];
    const { values, preset } = parseFlags(syntheticCommand(BENCH_METHODS), argv);
    await runSynthetic(values, preset, (input, hooks) => {
      inputs.push(input);
      hooks.record({ iteration: 1, loss: 0, minAngleDeg: 1, circularVariance: 0, elapsedS: 0 });
      return { iterations: 1 };
    }, f.ctx);
    expect(inputs.map((i) => `${i.method} ${i.conventions} ${i.batch}`)).toEqual(['mmd-riesz-geodesic authors 8', 'ssw authors 8']);
    const rng = createRng(1);
    const mhe = methodSpec('mmd-riesz-geodesic', { rng, conventions: inputs[0]!.conventions, batchSize: inputs[0]!.batch });
    expect(mhe.options).toMatchObject({ s: 0, batchSize: 8 });
    expect(mhe.lossScale(40)).toBe(0.5);
    expect(methodSpec('ssw', { rng, conventions: inputs[1]!.conventions }).options['sqrt']).toBe(true);
  });

  it("computes the authors' values: MHE as the sum of −log θ over pairs, the √(2 − c) laplace chord, ssw's root", async () => {
    const X = randomUniform(9, 4, { rng: createRng(7), dtype: 'float64' });
    const rows = await rowsOf(X);
    const authors = { rng: createRng(3), conventions: 'authors' as const };
    const value = async (method: string, s: Parameters<typeof methodRegularizer>[1]) =>
      (await methodRegularizer(method, s)(X).data())[0]!;
    const mhe = pairSum(rows, (c) => -Math.log(Math.acos(c)));
    expect(await value('mmd-riesz-geodesic', authors)).toBeCloseTo(mhe, 10);
    const pairs = (9 * 8) / 2;
    const laplace = (2 / pairs) * pairSum(rows, (c) => Math.exp(-Math.sqrt(2 - c)));
    expect(await value('mmd-laplace-euclidean', authors)).toBeCloseTo(laplace, 12);
    const squared = await value('ssw', { rng: createRng(3) });
    expect(await value('ssw', authors)).toBeCloseTo(Math.sqrt(squared), 14);
  });
});
