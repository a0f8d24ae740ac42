// Generative bad-input suite (issue 13): every public function, called with extreme tensors (NaN, ±∞, −0,
// 1e±300, subnormals, empty and one-element shapes, both dtypes) and with wrong-typed or out-of-range
// arguments, either returns — finite wherever the math is finite — or throws a KeepdistError whose message
// starts with the function's name. Never a TypeError or RangeError from inside, never a hang.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import {
  allFinite, expectKeepdistOutcome, extremeNumberArb, extremeTensorArb, finiteExtremeNumberArb, wrongValueArb,
} from '@keepdist/autograd/testing';

const RUNS = { seed: 13, numRuns: 150 } as const;
const isTensor = (v: unknown): v is Tensor => v instanceof ag.Tensor;
/** The result's tensors (a tensor, an array of them, or { values, indices }). */
const tensorsOf = (v: unknown): Tensor[] =>
  isTensor(v) ? [v] : Array.isArray(v) ? v.filter(isTensor) : v && typeof v === 'object' ? Object.values(v).filter(isTensor) : [];
const finiteInputs = (args: unknown[]): boolean =>
  args.every((a) => (isTensor(a) ? allFinite(a) : typeof a !== 'number' || Number.isFinite(a)));

const tensorArg = fc.oneof(extremeTensorArb(), extremeTensorArb({ values: finiteExtremeNumberArb() }));
const anyArg = fc.oneof({ weight: 3, arbitrary: tensorArg }, { weight: 1, arbitrary: extremeNumberArb() }, { weight: 1, arbitrary: wrongValueArb() });
const dimArg = fc.oneof(fc.integer({ min: -4, max: 4 }), wrongValueArb(), fc.constant([0, 1]));
const shapeArg = fc.oneof(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }), wrongValueArb(), fc.constant([1e10, 1e10]));

/** One public function under test: its name in errors, its arguments, and whether finite inputs must give finite outputs. */
interface Case {
  name: string;
  args: fc.Arbitrary<unknown[]>;
  call: (...args: never[]) => unknown;
  finite?: boolean;
}

const unary = (name: string, finite: boolean): Case => ({
  name, args: fc.tuple(fc.oneof(tensorArg, wrongValueArb())), call: (ag as unknown as Record<string, (x: unknown) => unknown>)[name]!, finite,
});
const binary = (name: string, finite: boolean): Case => ({
  name, args: fc.tuple(anyArg, anyArg), call: (ag as unknown as Record<string, (a: unknown, b: unknown) => unknown>)[name]!, finite,
});
const reduction = (name: string, finite: boolean): Case => ({
  name, args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), dimArg, fc.oneof(fc.boolean(), wrongValueArb())),
  call: (ag as unknown as Record<string, (x: unknown, d: unknown, k: unknown) => unknown>)[name]!, finite,
});

const cases: Case[] = [
  ...['neg', 'abs', 'sign', 'sin', 'cos', 'tanh', 'sigmoid', 'relu'].map((n) => unary(n, true)),
  ...['exp', 'log', 'sqrt', 'square', 'reciprocal', 'acos', 'asin'].map((n) => unary(n, false)),
  ...['atan2', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((n) => binary(n, true)),
  ...['add', 'sub', 'mul', 'div', 'pow'].map((n) => binary(n, false)),
  ...['max', 'min', 'argmax', 'argmin', 'norm', 'logsumexp', 'mean', 'sum'].map((n) => reduction(n, true)),
  { name: 'tensor', args: fc.tuple(fc.oneof(anyArg, fc.array(anyArg, { maxLength: 3 })), fc.oneof(fc.constant(undefined), wrongValueArb(), fc.record({ shape: shapeArg }))), call: ag.tensor as never },
  ...['zeros', 'ones'].map((name): Case => ({ name, args: fc.tuple(shapeArg, fc.oneof(fc.constant(undefined), wrongValueArb(), fc.record({ dtype: fc.constantFrom('float32', 'float64', 'int8') }))), call: (ag as never)[name] })),
  { name: 'full', args: fc.tuple(shapeArg, anyArg), call: ag.full as never },
  { name: 'eye', args: fc.tuple(fc.oneof(fc.integer({ min: -1, max: 3 }), wrongValueArb()), fc.oneof(fc.integer({ min: 0, max: 3 }), wrongValueArb())), call: ag.eye as never },
  { name: 'arange', args: fc.tuple(extremeNumberArb(), fc.oneof(extremeNumberArb(), wrongValueArb()), fc.oneof(fc.constant(1), extremeNumberArb(), wrongValueArb())), call: ((a: number, b: number, s: number) => (Math.abs((b - a) / s) > 1e6 ? ag.arange(0) : ag.arange(a, b, s))) as never, finite: true },
  { name: 'randn', args: fc.tuple(shapeArg, fc.oneof(fc.constant(ag.createRng(1)), wrongValueArb())), call: ag.randn as never, finite: true },
  { name: 'rand', args: fc.tuple(shapeArg, fc.oneof(fc.constant(ag.createRng(1)), wrongValueArb())), call: ag.rand as never, finite: true },
  { name: 'createRng', args: fc.tuple(fc.oneof(extremeNumberArb(), wrongValueArb(), fc.integer())), call: ag.createRng as never },
  { name: 'reshape', args: fc.tuple(tensorArg, shapeArg), call: ag.reshape as never },
  { name: 'unsqueeze', args: fc.tuple(tensorArg, dimArg), call: ag.unsqueeze as never },
  { name: 'squeeze', args: fc.tuple(tensorArg, fc.oneof(fc.constant(undefined), dimArg)), call: ag.squeeze as never },
  { name: 'permute', args: fc.tuple(tensorArg, fc.oneof(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }), wrongValueArb())), call: ag.permute as never },
  { name: 'transpose', args: fc.tuple(tensorArg, dimArg, dimArg), call: ag.transpose as never },
  { name: 'expand', args: fc.tuple(tensorArg, shapeArg), call: ag.expand as never },
  { name: 'slice', args: fc.tuple(tensorArg, dimArg, fc.oneof(fc.integer({ min: -3, max: 3 }), wrongValueArb()), fc.oneof(fc.integer({ min: -3, max: 4 }), wrongValueArb()), fc.oneof(fc.integer({ min: -2, max: 2 }), wrongValueArb())), call: ag.slice as never },
  { name: 'indexSelect', args: fc.tuple(tensorArg, dimArg, fc.oneof(fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), extremeNumberArb()), { maxLength: 3 }), wrongValueArb())), call: ag.indexSelect as never },
  { name: 'concat', args: fc.tuple(fc.oneof(fc.array(tensorArg, { maxLength: 3 }), wrongValueArb()), dimArg), call: ag.concat as never },
  { name: 'stack', args: fc.tuple(fc.oneof(fc.array(tensorArg, { maxLength: 3 }), wrongValueArb()), dimArg), call: ag.stack as never },
  { name: 'cast', args: fc.tuple(tensorArg, fc.oneof(fc.constantFrom('float32', 'float64'), wrongValueArb())), call: ag.cast as never },
  { name: 'toBackend', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(fc.constant(ag.cpuBackend), wrongValueArb())), call: ag.toBackend as never },
  { name: 'sort', args: fc.tuple(tensorArg, fc.oneof(fc.constant(-1), dimArg)), call: ag.sort as never },
  { name: 'argsort', args: fc.tuple(tensorArg, fc.oneof(fc.constant(-1), dimArg)), call: ag.argsort as never },
  { name: 'flip', args: fc.tuple(tensorArg, dimArg), call: ag.flip as never },
  { name: 'matmul', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(tensorArg, wrongValueArb())), call: ag.matmul as never },
  { name: 'gram', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb())), call: ag.gram as never },
  { name: 'normalize', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(fc.constant(-1), dimArg), fc.oneof(fc.constant(1e-12), extremeNumberArb(), wrongValueArb())), call: ag.normalize as never },
  { name: 'softmax', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(fc.constant(-1), dimArg)), call: ag.softmax as never, finite: true },
  { name: 'logSoftmax', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(fc.constant(-1), dimArg)), call: ag.logSoftmax as never },
  { name: 'fillDiagonal', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), extremeNumberArb()), call: ag.fillDiagonal as never },
  { name: 'clamp', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), fc.oneof(extremeNumberArb(), wrongValueArb()), fc.oneof(extremeNumberArb(), wrongValueArb())), call: ag.clamp as never },
  { name: 'where', args: fc.tuple(fc.oneof(tensorArg, wrongValueArb()), anyArg, anyArg), call: ag.where as never },
];

describe('bad input: every autograd function returns finite values or throws a KeepdistError naming it', () => {
  for (const c of cases) {
    it(c.name, () => {
      fc.assert(fc.property(c.args, (args) => {
        const r = expectKeepdistOutcome(c.name, () => (c.call as (...a: unknown[]) => unknown)(...args));
        if (r.ok && c.finite && finiteInputs(args)) {
          for (const t of tensorsOf(r.value)) {
            if (!allFinite(t)) throw new Error(`${c.name}: finite inputs gave a non-finite output ${String(t.toArray())}`);
          }
        }
      }), RUNS);
    });
  }

  it('grad and valueAndGrad', () => {
    fc.assert(fc.property(fc.oneof(fc.constant((x: Tensor) => ag.sum(ag.square(x))), wrongValueArb()), fc.oneof(tensorArg, wrongValueArb()), (f, x) => {
      for (const name of ['grad', 'valueAndGrad'] as const) {
        const r = expectKeepdistOutcome(name, () => ag[name](f as never)(x as never));
        if (r.ok && isTensor(x) && allFinite(x) && x.dtype === 'float64' && x.dataSync().every((v) => Math.abs(v) < 1e150)) {
          const grads = Array.isArray(r.value) ? r.value : r.value.grads;
          if (!grads.every(allFinite)) throw new Error(`${name}: a finite input gave a non-finite gradient`);
        }
      }
    }), RUNS);
  });

  it('SGD and Adam: construction with wrong params or options, steps with extreme gradients', () => {
    const optionArb = fc.oneof(wrongValueArb(), fc.record({ lr: fc.oneof(extremeNumberArb(), wrongValueArb()) }), fc.record({ lr: fc.constant(0.1), betas: wrongValueArb() }), fc.constant({ lr: 0.1, lrr: 1 }));
    fc.assert(fc.property(fc.oneof(fc.array(fc.oneof(tensorArg, wrongValueArb()), { maxLength: 2 }), wrongValueArb()), optionArb, tensorArg, (params, opts, g) => {
      const ps = Array.isArray(params) ? params.map((p) => (isTensor(p) ? p.detach().requireGrad() : p)) : params;
      for (const name of ['SGD', 'Adam'] as const) {
        const r = expectKeepdistOutcome(name, () => new ag[name](ps as never, opts as never));
        if (!r.ok) continue;
        const opt = r.value;
        for (const p of opt.params) p.grad = g;
        const before = opt.params.map((p) => p.dataSync().slice());
        const s = expectKeepdistOutcome(name, () => opt.step());
        if (!s.ok) opt.params.forEach((p, i) => {
          if (p.dataSync().some((v, k) => !Object.is(v, before[i]![k]))) throw new Error(`${name}: a refused step changed a parameter`);
        });
      }
    }), { seed: 13, numRuns: 200 });
  });
});
