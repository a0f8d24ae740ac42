/**
 * What the Riemannian optimizers share: option validation (retraction, stabilize, boolean options,
 * weight decay, parameters on the sphere), the weight-decayed gradient and the retraction step itself.
 */
import { add, DomainError, mul, OptionError, ShapeError, type DType, type Tensor } from '@keepdist/autograd';
import { CpuStorage, checkOption } from '@keepdist/autograd/internal';
import { checkOnSphere } from '../checks.js';
import { expmapUnchecked, retrUnchecked } from '../maps.js';
import { projUnchecked, projxUnchecked } from '../tangent.js';

/**
 * How an optimizer moves along the sphere: `'expmap'`, the exact exponential map (along the great
 * circle), or `'retr'`, the projection retraction (x + u)/‖x + u‖, cheaper and equal to second order.
 */
export type Retraction = 'expmap' | 'retr';

/** What one optimizer update returns: the parameter's new value and its new state. */
export interface RiemannianUpdate<S> {
  /** The new point, n × d, rows on the sphere. */
  value: Tensor;
  /** The optimizer's state for this parameter after the step. */
  state: S;
}

/** Validates the retraction option (default 'expmap'). */
export function checkRetraction(name: string, value: unknown): Retraction {
  if (value === undefined) return 'expmap';
  if (value !== 'expmap' && value !== 'retr') {
    throw new OptionError(`${name}: expected retraction 'expmap' or 'retr', got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Validates the stabilize option: a positive integer k (re-project every k steps), or null/undefined (off). */
export function checkStabilize(name: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new OptionError(`${name}: expected stabilize a positive integer (re-project every k steps) or null, got ${String(value)}.`);
  }
  return value;
}

/** Validates the learning rate: a finite number > 0. */
export function checkLearningRate(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new OptionError(`${name}: expected lr in (0, Infinity), got ${String(value)}.`);
  }
  return checkOption(name, 'lr', value, 0, Infinity, false);
}

/** Validates a boolean option (default false): true, false or undefined. */
export function checkBooleanOption(name: string, option: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new OptionError(`${name}: expected ${option} true or false, got ${String(value)}.`);
  return value;
}

/** Validates the weight decay λ: a finite number ≥ 0, default 0. */
export function checkWeightDecay(name: string, value: number | undefined): number {
  return checkOption(name, 'weightDecay', value ?? 0, 0, Infinity);
}

/** The largest finite value of each dtype: a weight-decayed gradient beyond it has overflowed. */
export const largestFinite: Readonly<Record<DType, number>> = { float64: Number.MAX_VALUE, float32: 3.4028234663852886e38 };

/**
 * The DomainError of a weight-decayed gradient ∇ + λ·x that overflowed (∇ itself was finite: the
 * optimizer checked it), at flat index `index`.
 */
export function weightDecayOverflow(name: string, weightDecay: number, value: number, index: number): DomainError {
  return new DomainError(`${name}: expected a finite gradient with weight decay ∇ + λ·x, got ${value} at flat index ${index} ` +
    `(λ = ${weightDecay}). Lower weightDecay or scale the loss down; no parameter was changed.`);
}

/**
 * The Euclidean gradient with weight decay, ∇ + λ·x (before its projection, as geoopt adds it);
 * `grad` itself when λ = 0. On a synchronous backend an overflow of the sum throws
 * {@link weightDecayOverflow}'s DomainError rather than turning the step into NaN.
 */
export function withWeightDecay(name: string, grad: Tensor, x: Tensor, weightDecay: number): Tensor {
  if (weightDecay === 0) return grad;
  const e = add(grad, mul(x, weightDecay));
  if (e.backend.synchronous) {
    const data = e.storage instanceof CpuStorage ? e.storage.data : e.readSync(name);
    for (let k = 0; k < data.length; k++) {
      const v = data[k]!;
      if (v - v !== 0) throw weightDecayOverflow(name, weightDecay, v, k);
    }
  }
  return e;
}

/** Checks that every parameter is an n × d tensor whose rows lie on the sphere. */
export function checkSphereParams(name: string, params: readonly Tensor[]): void {
  params.forEach((p, i) => {
    if (p.rank !== 2) {
      throw new ShapeError(`${name}: expected parameters of shape [n, d] (one point per row), got [${p.shape.join(',')}] at position ${i}. Reshape it to [n, d].`);
    }
    checkOnSphere(name, `params[${i}]`, p);
  });
}

/**
 * One retraction step y = R(x, u). The exact map is followed by y / ‖y‖, a no-op in exact
 * arithmetic that keeps rounding from accumulating off the sphere over many steps.
 */
export function retract(retraction: Retraction, x: Tensor, u: Tensor): Tensor {
  return retraction === 'expmap' ? projxUnchecked(expmapUnchecked(x, u)) : retrUnchecked(x, u);
}

/** The stabilisation of docs/math.md §1: x ← projx(x), and the momentum re-projected onto T_x S. */
export function stabilizeRows(x: Tensor, m: Tensor | null): { x: Tensor; m: Tensor | null } {
  const xs = projxUnchecked(x);
  return { x: xs, m: m ? projUnchecked(xs, m) : null };
}
