import { describe, expect, it } from 'vitest';
import { parseFlags, selectCommand, wantsHelp } from '../src/args.js';
import { BACKENDS } from '../src/commonFlags.js';
import { speedCommand } from '../src/commands/speed.js';
import { syntheticCommand } from '../src/commands/synthetic.js';
import { tammesCommand } from '../src/commands/tammes.js';
import { UsageError } from '../src/usageError.js';

const METHODS = ['mmd-gaussian-euclidean', 'mmd-laplace-geodesic', 'mma', 'koleo'];
const tammes = tammesCommand(METHODS);
const synthetic = syntheticCommand(METHODS);
const speed = speedCommand(METHODS);

/** Runs `fn`, expects a UsageError, and returns it. */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError, got none');
}

describe('parseFlags: golden', () => {
  it('fills defaults when no flag is given', () => {
    const { values, given, preset } = parseFlags(tammes, []);
    expect(values).toEqual({
      n: 24, methods: METHODS, iters: 2500, lr: 0.005, 'lr-decay': 'none', restarts: 1, conventions: 'keepdist', seed: 42,
      backend: 'wasm', out: undefined, force: false, gamma: undefined, samples: undefined,
    });
    expect(given.size).toBe(0);
    expect(preset).toBeUndefined();
  });

  it('reads --flag value and --flag=value, lists, enums and floats', () => {
    const { values, given } = parseFlags(tammes, ['--n', '13', '--methods=mma,koleo', '--lr', '1e-3', '--backend', 'gpu:webgpu', '--out', 'res']);
    expect(values).toMatchObject({ n: 13, methods: ['mma', 'koleo'], lr: 0.001, backend: 'gpu:webgpu', out: 'res' });
    expect([...given].sort()).toEqual(['backend', 'lr', 'methods', 'n', 'out']);
  });

  it('accepts every backend value', () => {
    for (const b of BACKENDS) expect(parseFlags(tammes, ['--backend', b]).values.backend).toBe(b);
    expect(BACKENDS).toEqual(['cpu', 'wasm', 'wasm:1', 'wasm:2', 'gpu:webgpu', 'gpu:webgl2', 'gpu:webgl', 'gpu:headlessgl', 'gpu:webasm', 'gpu:cpu', 'gpu:auto']);
  });

  it('expands --methods all and drops repeated methods', () => {
    expect(parseFlags(tammes, ['--methods', 'all']).values.methods).toEqual(METHODS);
    expect(parseFlags(tammes, ['--methods', 'mma,koleo,mma']).values.methods).toEqual(['mma', 'koleo']);
  });

  it('validates methods against the injected list', () => {
    const custom = tammesCommand(['alpha', 'beta']);
    expect(parseFlags(custom, ['--methods', 'beta']).values.methods).toEqual(['beta']);
    expect(usageError(() => parseFlags(custom, ['--methods', 'mma'])).message).toMatch(/--methods: .*alpha, beta, got unknown item 'mma'/);
  });

  it('applies --preset paper, and flags given still win', () => {
    const paper = parseFlags(synthetic, ['--preset', 'paper', '--iters', '50']);
    expect(paper.preset).toBe('paper');
    expect(paper.values).toMatchObject({ n: 20000, d: 64, batch: 512, init: 'concentrated-e1', iters: 50, methods: METHODS });
    expect(parseFlags(synthetic, ['--preset', 'authors']).values.init).toBe('concentrated');
    const override = parseFlags(synthetic, ['--n', '100', '--preset=paper']);
    expect(override.values.n).toBe(100);
    expect(parseFlags(tammes, ['--preset', 'paper']).values.n).toBe(24);
  });

  it('reads --lr-decay on tammes and synthetic; --preset paper keeps the constant lr unless it is given', () => {
    for (const decay of ['none', 'cosine', 'linear']) {
      expect(parseFlags(tammes, ['--lr-decay', decay]).values['lr-decay']).toBe(decay);
      expect(parseFlags(synthetic, [`--lr-decay=${decay}`]).values['lr-decay']).toBe(decay);
    }
    expect(parseFlags(tammes, ['--preset', 'paper']).values['lr-decay']).toBe('none');
    expect(parseFlags(synthetic, ['--preset', 'paper']).values['lr-decay']).toBe('none');
    const given = parseFlags(tammes, ['--lr-decay', 'cosine', '--preset', 'paper']);
    expect(given.values).toMatchObject({ 'lr-decay': 'cosine', n: 24, iters: 2500, lr: 0.005 });
    expect([...given.given]).toEqual(['lr-decay']);
  });

  it('reads --restarts; --preset paper runs one start unless --restarts is given', () => {
    expect(parseFlags(tammes, ['--restarts', '8']).values.restarts).toBe(8);
    expect(parseFlags(tammes, ['--restarts=1']).values.restarts).toBe(1);
    expect(parseFlags(tammes, ['--preset', 'paper']).values.restarts).toBe(1);
    const given = parseFlags(tammes, ['--preset', 'paper', '--restarts', '16', '--lr-decay', 'cosine', '--n', '13']);
    expect(given.values).toMatchObject({ restarts: 16, 'lr-decay': 'cosine', n: 13, iters: 2500, lr: 0.005, seed: 42 });
    expect(given.preset).toBe('paper');
  });

  it('parses synthetic and speed flags', () => {
    const s = parseFlags(synthetic, ['--init', 'uniform', '--kappa', '2.5', '--every', '5', '--samples', '64', '--batch', '0']);
    expect(s.values).toMatchObject({ init: 'uniform', kappa: 2.5, every: 5, samples: ['64'], batch: 0 });
    expect(parseFlags(synthetic, []).values.samples).toBeUndefined();
    const p = parseFlags(speed, ['--sizes', '1024x64,20000x64', '--backend', 'cpu,gpu:webasm', '--repeats', '3', '--warmup', '0']);
    expect(p.values).toMatchObject({ sizes: ['1024x64', '20000x64'], backend: ['cpu', 'gpu:webasm'], repeats: 3, warmup: 0 });
  });
});

describe('parseFlags: edge (every error names flag, value and valid choices)', () => {
  it.each([
    [['--n', 'abc'], /^tammes --n: expected an integer >= 2, got 'abc'\.$/],
    [['--n', '2.5'], /--n: expected an integer >= 2, got '2\.5'/],
    [['--n', '1'], /--n: expected an integer >= 2, got '1'/],
    [['--n', '-3'], /--n: expected an integer >= 2, got '-3'/],
    [['--iters', '0'], /--iters: expected an integer >= 1, got '0'/],
    [['--lr', 'fast'], /--lr: expected a number > 0, got 'fast'/],
    [['--lr', '0'], /--lr: expected a number > 0, got '0'/],
    [['--lr', '0x10'], /--lr: expected a number > 0, got '0x10'/],
    [['--seed', '-1'], /--seed: expected an integer >= 0, got '-1'/],
    [['--backend', 'gpu:bogus'], /--backend: expected one of cpu, wasm, wasm:1, wasm:2, gpu:webgpu, gpu:webgl2, gpu:webgl, gpu:headlessgl, gpu:webasm, gpu:cpu, gpu:auto, got 'gpu:bogus'/],
    [['--backend', 'gpu'], /--backend: expected one of cpu, .*gpu:auto, got 'gpu'/],
    [['--methods', 'foo'], /--methods: expected 'all' or a comma-separated list of: mmd-gaussian-euclidean, mmd-laplace-geodesic, mma, koleo, got unknown item 'foo'/],
    [['--methods', 'mma,,koleo'], /--methods: expected .*, got an empty item in 'mma,,koleo'/],
    [['--methods', 'all,mma'], /--methods: expected 'all' alone or a list of names, got 'all,mma'/],
    [['--frob', '1'], /^tammes: unknown flag '--frob'\. Valid flags: --n, --methods, --iters, --lr, --lr-decay, --gamma, --samples, --restarts, --conventions, --seed, --backend, --out, --force, --preset, --help\.$/],
    [['--n'], /--n: expected a value \(an integer >= 2\), got none/],
    [['--n', '--iters', '5'], /--n: expected a value \(an integer >= 2\), got none/],
    [['--out', ''], /--out: expected a string, got ''/],
    [['--n', '5', '--n', '6'], /--n: expected the flag once, got it twice/],
    [['24'], /tammes: expected a flag such as --n, got '24'/],
    [['-n', '24'], /tammes: expected a flag such as --n, got '-n'/],
    [['--preset', 'fast'], /--preset: expected one of paper, authors, got 'fast'/],
    [['--restarts', '0'], /^tammes --restarts: expected an integer >= 1, got '0'\.$/],
    [['--restarts', '-2'], /--restarts: expected an integer >= 1, got '-2'/],
    [['--restarts', '2.5'], /--restarts: expected an integer >= 1, got '2\.5'/],
    [['--restarts', 'many'], /--restarts: expected an integer >= 1, got 'many'/],
    [['--restarts'], /--restarts: expected a value \(an integer >= 1\), got none/],
    [['--lr-decay', 'exp'], /^tammes --lr-decay: expected one of none, cosine, linear, got 'exp'\.$/],
    [['--lr-decay', 'Cosine'], /--lr-decay: expected one of none, cosine, linear, got 'Cosine'/],
    [['--lr-decay'], /--lr-decay: expected a value \(one of none, cosine, linear\), got none/],
    [['--lr-decay', 'none', '--lr-decay', 'linear'], /--lr-decay: expected the flag once, got it twice/],
    [['--preset', 'paper', '--preset', 'paper'], /--preset: expected the flag once, got it twice/],
  ])('tammes %j', (argv, pattern) => {
    const err = usageError(() => parseFlags(tammes, argv));
    expect(err.message).toMatch(pattern);
    expect(err.command).toBe('tammes');
  });

  it.each([
    [['--init', 'random'], /--init: expected one of concentrated-e1, concentrated, uniform, normal, decay, got 'random'/],
    [['--kappa', '-1'], /--kappa: expected a number > 0, got '-1'/],
    [['--batch', '-1'], /--batch: expected an integer >= 0, got '-1'/],
    [['--every', '0'], /--every: expected an integer >= 1, got '0'/],
    [['--samples', 'x'], /--samples: expected items of the form an integer or method=integer, such as 512 or lloyd=512,ssw=50, got 'x'/],
    [['--optimizer', 'lbfgs'], /^synthetic --optimizer: expected one of adam, sgd, euclidean-adam, got 'lbfgs'\.$/],
    [['--restarts', '4'], /^synthetic: unknown flag '--restarts'\. Valid flags: .*--lr-decay, .*--help\.$/],
    [['--lr-decay', 'step'], /^synthetic --lr-decay: expected one of none, cosine, linear, got 'step'\.$/],
    [['--backend', 'gpu:bogus'], /--backend: expected one of cpu, .*gpu:auto, got 'gpu:bogus'/],
  ])('synthetic %j', (argv, pattern) => {
    expect(usageError(() => parseFlags(synthetic, argv)).message).toMatch(pattern);
  });

  it.each([
    [['--sizes', '1024x64,big'], /--sizes: expected items of the form <n>x<d> such as 1024x64, got 'big'/],
    [['--sizes', '0x64'], /--sizes: expected items of the form <n>x<d> such as 1024x64, got '0x64'/],
    [['--backend', 'cpu,gpu:bogus'], /--backend: expected 'all' or a comma-separated list of: cpu, .*gpu:auto, got unknown item 'gpu:bogus'/],
    [['--repeats', '0'], /--repeats: expected an integer >= 1, got '0'/],
    [['--warmup', 'x'], /--warmup: expected an integer >= 0, got 'x'/],
    [['--preset', 'paper'], /^speed: unknown flag '--preset'\. Valid flags: --suite, --sizes, --methods, --workloads, --backend, --against, --python, --scale, --repeats, --warmup, --seed, --out, --force, --help\.$/],
    [['--every', '3'], /speed: unknown flag '--every'/],
    [['--lr-decay', 'cosine'], /speed: unknown flag '--lr-decay'/],
  ])('speed %j', (argv, pattern) => {
    expect(usageError(() => parseFlags(speed, argv)).message).toMatch(pattern);
  });

  it('rejects --methods all when no method is registered', () => {
    expect(usageError(() => parseFlags(tammesCommand([]), [])).message).toMatch(/--methods: expected at least one item, got none/);
  });
});

describe('selectCommand', () => {
  const names = ['tammes', 'synthetic', 'speed'];

  it('finds the subcommand and its arguments', () => {
    expect(selectCommand(['tammes', '--n', '5'], names)).toEqual({ kind: 'command', command: 'tammes', argv: ['--n', '5'] });
  });

  it('gives help for no arguments, -h, --help, help and help <command>', () => {
    for (const argv of [[], ['-h'], ['--help'], ['help']]) expect(selectCommand(argv, names)).toEqual({ kind: 'globalHelp' });
    expect(selectCommand(['help', 'speed'], names)).toEqual({ kind: 'commandHelp', command: 'speed' });
    expect(wantsHelp(['--n', '5', '-h'])).toBe(true);
    expect(wantsHelp(['--n', '5'])).toBe(false);
  });

  it.each([
    [['bogus'], /^keepdist-bench: expected a command, got 'bogus'\. Valid commands: tammes, synthetic, speed\.$/],
    [['--n', '5'], /expected a command before flags, got '--n'\. Valid commands: tammes, synthetic, speed/],
    [['help', 'bogus'], /expected a command, got 'bogus'\. Valid commands: tammes, synthetic, speed/],
  ])('rejects %j', (argv, pattern) => {
    const err = usageError(() => selectCommand(argv, names));
    expect(err.message).toMatch(pattern);
    expect(err.command).toBeUndefined();
  });
});
