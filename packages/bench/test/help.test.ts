import { describe, expect, it } from 'vitest';
import { flagNames } from '../src/args.js';
import { BACKENDS } from '../src/commonFlags.js';
import { commandHelp, globalHelp, wrapText } from '../src/help.js';
import { commandSpecs } from '../src/main.js';

const METHODS = ['mmd-riesz-euclidean', 'uniformity', 'slicedAxis'];
const specs = commandSpecs(METHODS);

describe('commandHelp', () => {
  it.each(Object.values(specs).map((s) => [s.name, s] as const))('%s lists every flag with its help', (_name, spec) => {
    const text = commandHelp(spec);
    expect(text).toMatch(new RegExp(`^Usage: keepdist-bench ${spec.name} \\[flags\\]`));
    for (const flag of flagNames(spec)) expect(text).toMatch(new RegExp(`^\\s+(-h, )?${flag} `, 'm'));
    for (const [name, flag] of Object.entries(spec.flags)) {
      expect(text.replace(/\s+/g, ' ')).toContain(flag.help.replace(/\s+/g, ' '));
      expect(text).toContain(`--${name}`);
    }
  });

  it('names the valid values, defaults and presets', () => {
    const text = commandHelp(specs.tammes).replace(/\s+/g, ' ');
    for (const m of METHODS) expect(text).toContain(m);
    for (const b of BACKENDS) expect(text).toContain(b);
    expect(text).toContain('Default: 24.');
    expect(text).toContain('paper: --n 24, --methods all, --iters 2500, --lr 0.005, --lr-decay none, --restarts 1');
    expect(text).toContain('--restarts <int> Independent uniform starts K per method');
    expect(text).toContain('time and iter/s cover all K starts. Must be an integer >= 1. Default: 1.');
    expect(text).toContain('Valid: one of none, cosine, linear. Default: none.');
    const synthetic = commandHelp(specs.synthetic).replace(/\s+/g, ' ');
    expect(synthetic).toContain('paper: --n 20000, --d 64, --iters 5000, --lr 0.001, --batch 512');
    expect(synthetic).toContain('--methods all, --lr-decay none');
    expect(synthetic).toContain('--lr-decay <choice> Learning-rate schedule');
    expect(synthetic).not.toContain('--restarts');
    expect(commandHelp(specs.speed)).not.toContain('--preset');
  });

  it("names each of the authors' choices and the presets that select them", () => {
    const tammes = commandHelp(specs.tammes).replace(/\s+/g, ' ');
    const synthetic = commandHelp(specs.synthetic).replace(/\s+/g, ' ');
    for (const text of [tammes, synthetic]) {
      expect(text).toContain('Valid: one of paper, authors.');
      expect(text).toMatch(/authors: --n \d+, .*--conventions authors/);
      expect(text).toContain("the chord √(2 − c) (chord: 'authors') in mmd-laplace-euclidean and mmd-riesz-euclidean");
      expect(text).toContain('ssw with its square root (sqrt: true)');
      expect(text).toContain('mmd-riesz-geodesic as their MHE, s = 0 summed over the pairs');
      expect(text).toContain('The loss is scaled, not the learning rate');
    }
    expect(tammes).toContain('--restarts 1, --conventions keepdist');
    expect(tammes).toContain('(stabilize = 1)');
  });

  it("names every start, optimizer and draw-count form, and the authors' Tammes settings", () => {
    const synthetic = commandHelp(specs.synthetic).replace(/\s+/g, ' ');
    for (const init of ['concentrated-e1 (the default', 'concentrated (the authors\' ps100, --preset authors)', 'uniform: uniform', 'normal (the authors\' gaussian): coordinates 10 + N(0, 1)', 'decay (the authors\' powerspherical_decay)']) {
      expect(synthetic).toContain(init);
    }
    expect(synthetic).toContain('Valid: one of adam, sgd, euclidean-adam. Default: adam.');
    expect(synthetic).toContain('euclidean-adam: the authors\' Euclidean baseline, plain Adam on the ambient coordinates');
    expect(synthetic).toContain('method=count items for one method each (e.g. lloyd=512,slicedAxis=24,ssw=50)');
    expect(synthetic).toMatch(/authors: .*--init concentrated/);
    const tammes = commandHelp(specs.tammes).replace(/\s+/g, ' ');
    expect(tammes).toMatch(/authors: --n 24, --methods all, --iters 10000, --lr 0.005, .*--gamma 1, --samples lloyd=300,slicedAxis=24,ssw=50/);
    const prototypes = commandHelp(specs.prototypes).replace(/\s+/g, ' ');
    expect(prototypes).toContain('Default: 100,1000.');
    expect(prototypes).toContain('Default: 16,64,256.');
  });

  it('keeps lines within 100 columns', () => {
    for (const spec of Object.values(specs)) {
      for (const line of commandHelp(spec).split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('globalHelp', () => {
  it('lists every subcommand and how to get its flags', () => {
    const text = globalHelp(Object.values(specs));
    for (const name of ['tammes', 'synthetic', 'prototypes', 'speed']) expect(text).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(text).toContain("keepdist-bench <command> --help");
  });
});

describe('wrapText', () => {
  it('wraps words at the width with an indent', () => {
    expect(wrapText('aa bb cc dd', 7, 2)).toEqual(['  aa bb', '  cc dd']);
    expect(wrapText('', 10, 0)).toEqual([]);
  });
});
