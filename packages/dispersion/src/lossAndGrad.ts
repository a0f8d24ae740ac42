import { OptionError, ShapeError, cpuBackend, tensor, valueAndGrad, type DType } from '@keepdist/autograd';
import { boundRegularizer, type RegularizerName, type RegularizerOptionsMap } from './registry.js';
import { checkEnum, fmt } from './validate.js';

/** What a {@link lossAndGrad} function returns. */
export interface LossAndGrad {
  /** The loss value. */
  loss: number;
  /** dL/dX, Euclidean, row-major n × d (the gradient of the formula in the cosines, docs/math.md §2). */
  grad: Float64Array;
}

/** A loss-and-gradient function on plain row-major arrays. */
export type LossAndGradFn = (x: Float32Array | Float64Array, n: number, d: number) => LossAndGrad;

/** Extra options of {@link lossAndGrad}. */
export interface LossAndGradOptions {
  /** Precision of the internal graph on the cpu backend (default float64; float32 is faster). */
  dtype?: DType;
}

/**
 * A framework-agnostic entry point for people who train with another library: returns
 * `(x, n, d) => { loss, grad }` where `x` holds the n × d points row-major (Float32Array or
 * Float64Array, rows on the unit sphere) and `grad` is the Euclidean gradient dL/dX, row-major.
 * Built on the same graph ops as the tensor API (`regularizer(name, options)` + `valueAndGrad` on
 * the cpu backend), so the numbers are the same. Stochastic regularizers draw fresh slices or
 * samples at each call from `options.rng` (or the module fallback). Project `grad` onto the
 * tangent space (g − (x·g) x per row) if your optimizer is Riemannian.
 * @example
 * ```ts
 * const f = lossAndGrad('mmd', { kernel: 'riesz', distance: 'euclidean', s: 1 });
 * const { loss, grad } = f(points, n, d);
 * ```
 */
export function lossAndGrad<K extends RegularizerName>(name: K,
  options: Partial<RegularizerOptionsMap[K]> & LossAndGradOptions = {}): LossAndGradFn {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new OptionError(`lossAndGrad: expected options to be an object, got ${fmt(options)}.`);
  }
  const { dtype: dt, ...rest } = options ?? {};
  const dtype = checkEnum('lossAndGrad', 'dtype', dt ?? 'float64', ['float64', 'float32'] as const);
  const reg = boundRegularizer('lossAndGrad', name, rest);
  const vg = valueAndGrad(reg);
  return (x, n, d) => {
    if (!(x instanceof Float32Array || x instanceof Float64Array)) {
      throw new ShapeError(`lossAndGrad: expected x to be a Float32Array or Float64Array, got ${x === null ? 'null' : typeof x}.`);
    }
    if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1 || x.length !== n * d) {
      throw new ShapeError(`lossAndGrad: expected x of length n · d = ${n} · ${d}, got length ${x.length}. Pass the row-major points with their n and d.`);
    }
    const X = tensor(x, { shape: [n, d], dtype, backend: cpuBackend });
    const { value, grads } = vg(X);
    return { loss: value.item(), grad: Float64Array.from(grads[0]!.readSync('lossAndGrad')) };
  };
}
