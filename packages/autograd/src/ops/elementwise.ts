import type { Backend, BinaryOp, UnaryOp } from '../backend/backend.js';
import type { DType } from '../dtype.js';
import { DomainError, KeepdistError } from '../errors.js';
import { checkLive, checkTensor, commonBackend, describe, readForCheck, record, wrap } from '../op.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { keep } from '../tidy.js';
import { unbroadcast } from './shape.js';

/**
 * Scalar tensors that numbers were lifted to, per backend and dtype: a loss written with constants
 * (`mul(x, 2)`, `add(c, eps)`, a mean's count) lifts the same few numbers at every step, and a
 * fresh one-element storage each time cost about as much as the op. A number is cached from its
 * second lift on (null marks one seen once), so values that change every step (a bias correction,
 * a scheduled rate) are never kept. The cached tensors are constants no op writes or frees (kept
 * past every tidy scope); a full table starts over.
 */
const lifted = new WeakMap<Backend, Map<DType, Map<number, Tensor | null>>>();
const LIFTED_MAX = 256;

/** The scalar tensor of `x` on `like`'s backend and dtype: the cached one for a number lifted before. */
function liftedScalar(x: number, like: Tensor): Tensor {
  const backend = like.backend, dtype = like.dtype;
  const fresh = (): Tensor => wrap(backend.fill(1, x, dtype), [], backend);
  if (x === 0 && 1 / x < 0) return fresh(); // −0: as a Map key it would be +0
  let byDtype = lifted.get(backend);
  if (!byDtype) lifted.set(backend, (byDtype = new Map()));
  let table = byDtype.get(dtype);
  if (!table) byDtype.set(dtype, (table = new Map()));
  const t = table.get(x);
  if (t) return t;
  if (table.size >= LIFTED_MAX) table.clear();
  if (t === undefined) {
    table.set(x, null);
    return fresh();
  }
  const kept = keep(fresh());
  table.set(x, kept);
  return kept;
}

/** A number becomes a scalar tensor of `like`'s dtype and backend (a shared constant). */
export function lift(op: string, x: TensorLike, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new KeepdistError(`${op}: expected a Tensor or a number, got ${describe(x)}.`);
  return liftedScalar(x, like);
}

/** One unary primitive: kernel forward plus a recorded VJP. */
function unaryOp(name: UnaryOp, x: Tensor, vjp: (gz: Tensor, out: Tensor) => Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`${name}: expected a Tensor, got ${describe(x)}.`);
  checkLive(name, x);
  const out = wrap(x.backend.unary(name, x.storage), x.shape, x.backend);
  return record(name, [x], out, (gz) => [vjp(gz, out)]);
}

/** One broadcasting binary primitive; VJPs are summed back to each input's shape. */
function binaryOp(name: BinaryOp, a_: TensorLike, b_: TensorLike,
  vjp: (gz: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor | null, Tensor | null]): Tensor {
  const like = a_ instanceof Tensor ? a_ : b_ instanceof Tensor ? b_ : null;
  if (!like) throw new KeepdistError(`${name}: expected at least one Tensor argument, got ${describe(a_)} and ${describe(b_)}.`);
  const a = lift(name, a_, like), b = lift(name, b_, like);
  const backend = commonBackend(name, [a, b]);
  // shapes are never mutated, so the output shares its input's when broadcasting leaves it as is
  const shape = sameShape(a.shape, b.shape) || b.shape.length === 0 ? a.shape : a.shape.length === 0 ? b.shape
    : broadcastShapes(name, a.shape, b.shape);
  const out = wrap(backend.binary(name, a.storage, a.shape, b.storage, b.shape, shape), shape, backend);
  return record(name, [a, b], out, (gz) => {
    const [ga, gb] = vjp(gz, a, b, out);
    return [a.requiresGrad && ga ? unbroadcast(ga, a.shape) : null, b.requiresGrad && gb ? unbroadcast(gb, b.shape) : null];
  });
}

/**
 * On synchronous backends, throws a DomainError when some element of `x` fails `ok`
 * (NaN passes through: it is not created here). Asynchronous backends skip the scan.
 */
function checkDomain(op: string, x: Tensor, ok: (v: number) => boolean, expected: string, fix: string): void {
  checkTensor(op, x);
  if (!x.backend.synchronous) return;
  const data = readForCheck(x, op);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v === v && !ok(v)) throw new DomainError(`${op}: expected ${expected}, got ${v} at flat index ${i}. ${fix}`);
  }
}

/** z = a + b (broadcasting).  ā = z̄, b̄ = z̄. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b, (gz) => [gz, gz]);
}
/** z = a − b.  ā = z̄, b̄ = −z̄. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b, (gz, _a, b) => [gz, b.requiresGrad ? neg(gz) : null]);
}
/** z = a · b.  ā = z̄ · b, b̄ = z̄ · a. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b, (gz, a, b) => [a.requiresGrad ? mul(gz, b) : null, b.requiresGrad ? mul(gz, a) : null]);
}
/** z = a / b.  ā = z̄ / b, b̄ = −z̄ · z / b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b, (gz, a, b, z) => [a.requiresGrad ? div(gz, b) : null, b.requiresGrad ? neg(div(mul(gz, z), b)) : null]);
}
/** z = a^b.  ā = z̄ · b · a^(b−1), b̄ = z̄ · z · log a (needs a > 0 where b requires a gradient). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', a, b, (gz, a, b, z) => [
    a.requiresGrad ? mul(gz, mul(b, pow(a, sub(b, 1)))) : null,
    b.requiresGrad ? mul(gz, mul(z, log(a))) : null,
  ]);
}
/** z = atan2(y, x) ∈ (−π, π].  ȳ = z̄ · x / (x² + y²), x̄ = −z̄ · y / (x² + y²); at the origin both are 0/0 (NaN), as in PyTorch. */
export function atan2(y: TensorLike, x: TensorLike): Tensor {
  return binaryOp('atan2', y, x, (gz, y, x) => {
    const r2 = add(square(x), square(y));
    return [y.requiresGrad ? div(mul(gz, x), r2) : null, x.requiresGrad ? neg(div(mul(gz, y), r2)) : null];
  });
}
/** z = max(a, b) elementwise; the gradient goes to a where a ≥ b (ties to the first argument). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b, (gz, a, b) => {
    const takeA = ge(a, b);
    return [a.requiresGrad ? mul(gz, takeA) : null, b.requiresGrad ? mul(gz, sub(1, takeA)) : null];
  });
}
/** z = min(a, b) elementwise; the gradient goes to a where a ≤ b (ties to the first argument). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b, (gz, a, b) => {
    const takeA = le(a, b);
    return [a.requiresGrad ? mul(gz, takeA) : null, b.requiresGrad ? mul(gz, sub(1, takeA)) : null];
  });
}

/** Comparisons give 1 where true and 0 where false; they have no gradient. */
function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(op, a, b, () => [null, null]);
}
/** 1 where a = b, else 0 (no gradient). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
/** 1 where a ≠ b, else 0 (no gradient). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
/** 1 where a < b, else 0 (no gradient). */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
/** 1 where a ≤ b, else 0 (no gradient). */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
/** 1 where a > b, else 0 (no gradient). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
/** 1 where a ≥ b, else 0 (no gradient). */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

/** z = −x.  x̄ = −z̄. */
export function neg(x: Tensor): Tensor {
  return unaryOp('neg', x, (gz) => neg(gz));
}
/** z = eˣ.  x̄ = z̄ · z. */
export function exp(x: Tensor): Tensor {
  return unaryOp('exp', x, (gz, z) => mul(gz, z));
}
/** z = ln x (x ≥ 0; ln 0 = −∞; x < 0 throws a DomainError).  x̄ = z̄ / x. */
export function log(x: Tensor): Tensor {
  checkDomain('log', x, (v) => v >= 0, 'x ≥ 0', 'Clamp the input, e.g. log(clamp(x, 1e-12, Infinity)).');
  return unaryOp('log', x, (gz) => div(gz, x));
}
/** z = √x (x ≥ 0; x < 0 throws).  x̄ = z̄ / (2z), +∞ at x = 0 (add a small eps inside to stay finite). */
export function sqrt(x: Tensor): Tensor {
  checkDomain('sqrt', x, (v) => v >= 0, 'x ≥ 0', 'Clamp the input at 0, e.g. sqrt(maximum(x, 0)).');
  return unaryOp('sqrt', x, (gz, z) => div(gz, mul(z, 2)));
}
/** z = x².  x̄ = 2x · z̄. */
export function square(x: Tensor): Tensor {
  return unaryOp('square', x, (gz) => mul(gz, mul(x, 2)));
}
/** z = 1/x.  x̄ = −z̄ · z². */
export function reciprocal(x: Tensor): Tensor {
  return unaryOp('reciprocal', x, (gz, z) => neg(mul(gz, square(z))));
}
/** z = |x|.  x̄ = z̄ · sign(x) (0 at x = 0). */
export function abs(x: Tensor): Tensor {
  return unaryOp('abs', x, (gz) => mul(gz, sign(x)));
}
/** sign(x) ∈ {−1, 0, 1}; no gradient (zero almost everywhere). */
export function sign(x: Tensor): Tensor {
  return unaryOp('sign', x, (gz) => mul(gz, 0));
}
/** z = sin x.  x̄ = z̄ · cos x. */
export function sin(x: Tensor): Tensor {
  return unaryOp('sin', x, (gz) => mul(gz, cos(x)));
}
/** z = cos x.  x̄ = −z̄ · sin x. */
export function cos(x: Tensor): Tensor {
  return unaryOp('cos', x, (gz) => neg(mul(gz, sin(x))));
}
/**
 * z = acos x for x ∈ [−1, 1] (outside throws a DomainError).  x̄ = −z̄ / √(1 − x²): −∞ at x = ±1,
 * as in PyTorch. Clamp to [−1 + ε, 1 − ε] first where the gradient must stay finite.
 */
export function acos(x: Tensor): Tensor {
  checkDomain('acos', x, (v) => v >= -1 && v <= 1, 'x in [-1, 1]', 'Clamp cosines first: acos(clamp(c, -1, 1)).');
  return unaryOp('acos', x, (gz) => neg(div(gz, sqrt(sub(1, square(x))))));
}
/** z = asin x for x ∈ [−1, 1] (outside throws).  x̄ = z̄ / √(1 − x²), +∞ at ±1. */
export function asin(x: Tensor): Tensor {
  checkDomain('asin', x, (v) => v >= -1 && v <= 1, 'x in [-1, 1]', 'Clamp the input to [-1, 1].');
  return unaryOp('asin', x, (gz) => div(gz, sqrt(sub(1, square(x)))));
}
/** z = tanh x.  x̄ = z̄ · (1 − z²). */
export function tanh(x: Tensor): Tensor {
  return unaryOp('tanh', x, (gz, z) => mul(gz, sub(1, square(z))));
}
/** z = 1 / (1 + e^−x) (stable for both signs).  x̄ = z̄ · z · (1 − z). */
export function sigmoid(x: Tensor): Tensor {
  return unaryOp('sigmoid', x, (gz, z) => mul(gz, mul(z, sub(1, z))));
}
/** z = max(x, 0).  x̄ = z̄ · [x > 0]. */
export function relu(x: Tensor): Tensor {
  return unaryOp('relu', x, (gz) => mul(gz, gt(x, 0)));
}

/**
 * z = min(max(x, lo), hi).  x̄ = z̄ · [lo ≤ x ≤ hi] (the gradient passes at the bounds, as in
 * PyTorch's clamp).
 */
export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`clamp: expected a Tensor, got ${describe(x)}.`);
  checkLive('clamp', x);
  if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo <= hi)) throw new KeepdistError(`clamp: expected lo ≤ hi, got lo=${lo}, hi=${hi}.`);
  const backend = x.backend;
  // the bounds are the shared lifted scalars; the intermediate is freed here (no tensor holds it)
  const above = backend.binary('maximum', x.storage, x.shape, liftedScalar(lo, x).storage, [], x.shape);
  const out = wrap(backend.binary('minimum', above, x.shape, liftedScalar(hi, x).storage, [], x.shape), x.shape, backend);
  backend.dispose?.(above);
  return record('clamp', [x], out, (gz) => [mul(gz, mul(ge(x, lo), le(x, hi)))]);
}

/** z = cond ≠ 0 ? a : b (broadcasting all three).  ā = z̄ where cond, b̄ = z̄ elsewhere; cond gets none. */
export function where(cond: Tensor, a_: TensorLike, b_: TensorLike): Tensor {
  if (!(cond instanceof Tensor)) throw new KeepdistError(`where: expected cond to be a Tensor, got ${describe(cond)}.`);
  const a = lift('where', a_, cond), b = lift('where', b_, cond);
  const backend = commonBackend('where', [cond, a, b]);
  const shape = sameShape(cond.shape, a.shape) && sameShape(cond.shape, b.shape) ? cond.shape
    : broadcastShapes('where', broadcastShapes('where', cond.shape, a.shape), b.shape);
  const out = wrap(backend.where(cond.storage, cond.shape, a.storage, a.shape, b.storage, b.shape, shape), shape, backend);
  return record('where', [a, b], out, (gz) => [
    a.requiresGrad ? unbroadcast(where(cond, gz, 0), a.shape) : null,
    b.requiresGrad ? unbroadcast(where(cond, 0, gz), b.shape) : null,
  ]);
}
