// Generative bad-input suite of the sphere package (issue 13): extreme points and vectors (NaN, ±∞, −0,
// 1e±300, subnormals; n = 0, 1, 2; d = 1; both dtypes) and wrong-typed arguments and options give finite
// results on valid input or a KeepdistError naming the function — never a TypeError or a silent NaN.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import type { Tensor } from '@keepdist/autograd';
import { allFinite, expectKeepdistOutcome, extremeNumberArb, extremeTensorArb, finiteExtremeNumberArb, unitRowsArb, wrongValueArb } from '@keepdist/autograd/testing';
import * as sphere from '@keepdist/sphere';

const RUNS = { seed: 13, numRuns: 120 } as const;
const rowsShape = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 })).map(([n, d]) => [n, d]);
/** Rows with extreme entries, finite extreme entries, or exact unit rows (valid points). */
const rowsArg = fc.oneof(
  extremeTensorArb({ shape: rowsShape }),
  extremeTensorArb({ shape: rowsShape, values: finiteExtremeNumberArb() }),
  unitRowsArb({ n: { min: 1, max: 3 }, d: { min: 1, max: 4 } }),
  unitRowsArb({ n: { min: 1, max: 3 }, d: { min: 1, max: 4 }, dtype: 'float32' }),
  extremeTensorArb(),
  wrongValueArb(),
);
const isTensor = (v: unknown): v is Tensor => v instanceof ag.Tensor;

/** Sphere ops whose output is finite whenever the call succeeds on finite inputs (they validate their domain). */
const ops: [string, number][] = [
  ['proj', 2], ['egrad2rgrad', 2], ['projx', 1], ['transp', 3], ['expmap', 2], ['expmapDelta', 2], ['logmap', 2],
  ['retr', 2], ['ptransp', 3], ['dist', 2], ['inner', 3],
];

describe('bad input: sphere ops return finite values or throw a KeepdistError naming them', () => {
  for (const [name, arity] of ops) {
    it(name, () => {
      const f = (sphere as unknown as Record<string, (...a: unknown[]) => Tensor>)[name]!;
      fc.assert(fc.property(fc.array(rowsArg, { minLength: arity, maxLength: arity }), (args) => {
        const r = expectKeepdistOutcome(name, () => f(...args));
        if (r.ok && args.every((a) => isTensor(a) && allFinite(a)) && !allFinite(r.value)) {
          throw new Error(`${name}: finite inputs on synchronous cpu gave a non-finite result ${String(r.value.toArray())}`);
        }
      }), RUNS);
    });
  }
});

describe('valid points with tangent vectors of every size (1e-300 … 1e300): finite results or a named error', () => {
  const scaleArb = fc.constantFrom(0, 5e-324, 1e-300, 1e-150, 1e-8, 1, 10, 1e150, 1e300);
  const geometry = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('float32', 'float64') as fc.Arbitrary<ag.DType>)
    .chain(([n, d, dtype]) => fc.tuple(unitRowsArb({ n, d, dtype }), unitRowsArb({ n, d, dtype }), unitRowsArb({ n, d, dtype }), scaleArb));
  // (inner is left out: ⟨u, u⟩ of a 1e300 vector overflows in the math itself)
  for (const [name] of ops.filter(([n]) => n !== 'inner')) {
    it(name, () => {
      const f = (sphere as unknown as Record<string, (...a: unknown[]) => Tensor>)[name]!;
      fc.assert(fc.property(geometry, ([x, y, g, scale]) => {
        const u = ag.noGrad(() => ag.mul(sphere.proj(x, g), scale));
        if (!allFinite(u)) return; // the scale overflowed the dtype: not a valid input
        const args = name === 'projx' ? [u.size && scale ? u : x] : name === 'logmap' || name === 'dist' ? [x, y] : name === 'transp' || name === 'inner' ? [x, y, u] : name === 'ptransp' ? [x, y, u] : [x, u];
        const r = expectKeepdistOutcome(name, () => f(...args));
        if (r.ok && !allFinite(r.value)) throw new Error(`${name}: valid input (scale ${scale}) gave a non-finite result ${String(r.value.toArray())}`);
      }), RUNS);
    });
  }
});

describe('bad input: samplers', () => {
  for (const name of ['randomUniform', 'randomVmf', 'randomPowerSpherical'] as const) {
    it(name, () => {
      const opts = fc.oneof(
        wrongValueArb(),
        fc.record({
          rng: fc.oneof(fc.constant(ag.createRng(5)), wrongValueArb()),
          kappa: fc.oneof(extremeNumberArb(), fc.constantFrom(1e154, 1e300, 0), wrongValueArb()),
          dtype: fc.oneof(fc.constantFrom('float32', 'float64'), wrongValueArb()),
          mu: fc.oneof(fc.constant(undefined), fc.array(extremeNumberArb(), { maxLength: 4 }), wrongValueArb()),
        }, { requiredKeys: ['rng'] }),
      );
      const count = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom(1e9, -1, 1.5, NaN), wrongValueArb());
      fc.assert(fc.property(count, count, opts, (n, d, o) => {
        const r = expectKeepdistOutcome(name, () => sphere[name](n as number, d as number, o as never));
        if (r.ok && !allFinite(r.value)) throw new Error(`${name}: non-finite draw`);
      }), RUNS);
    });
  }
});

describe('bad input: Riemannian optimizers', () => {
  it('construction and steps with extreme gradients', () => {
    const opts = fc.oneof(
      wrongValueArb(),
      fc.record({
        lr: fc.oneof(fc.constant(0.1), extremeNumberArb(), wrongValueArb()),
        momentum: fc.oneof(fc.constant(0.5), wrongValueArb()),
        betas: fc.oneof(fc.constant([0.9, 0.99]), wrongValueArb()),
        retraction: fc.oneof(fc.constantFrom('expmap', 'retr'), wrongValueArb()),
        stabilize: fc.oneof(fc.constant(null), fc.constant(2), wrongValueArb()),
        amsgrad: fc.oneof(fc.boolean(), wrongValueArb()),
        dampening: fc.oneof(fc.constant(0.1), wrongValueArb()),
        weightDecay: fc.oneof(fc.constant(0.01), extremeNumberArb(), wrongValueArb()),
      }, { requiredKeys: [] }),
    );
    const params = fc.oneof(fc.array(rowsArg, { maxLength: 2 }), wrongValueArb());
    const grads = fc.oneof(extremeTensorArb({ shape: rowsShape }), extremeTensorArb({ shape: rowsShape, values: finiteExtremeNumberArb() }));
    fc.assert(fc.property(params, opts, grads, (ps0, o, g) => {
      const ps = Array.isArray(ps0) ? ps0.map((p) => (isTensor(p) ? p.detach().requireGrad() : p)) : ps0;
      for (const name of ['RiemannianSGD', 'RiemannianAdam'] as const) {
        const made = expectKeepdistOutcome(name, () => new sphere[name](ps as never, o as never));
        if (!made.ok) continue;
        const opt = made.value;
        for (const p of opt.params) p.grad = g.dtype === p.dtype ? g : ag.cast(g, p.dtype);
        const stepped = expectKeepdistOutcome(name, () => opt.step());
        if (stepped.ok) {
          for (const p of opt.params) if (!allFinite(p)) throw new Error(`${name}: a step with finite gradients wrote a non-finite parameter`);
        }
      }
    }), { seed: 13, numRuns: 200 });
  });
});
