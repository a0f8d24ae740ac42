import type { Backend } from '../backend/backend.js';
import { cpuBackend } from '../backend/cpu/index.js';
import { noGrad } from '../op.js';
import { Tensor } from '../tensor.js';
import { valueAndGrad } from '../functional.js';
import { tensor } from '../ops/creation.js';
import { mul } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { cast, toBackend } from '../ops/shape.js';
import { createRng } from '../rng.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Central-difference step (default 1e-6). */
  eps?: number;
  /** Relative tolerance (default 1e-5). */
  rtol?: number;
  /** Absolute tolerance (default 1e-7). */
  atol?: number;
  /** Seed of the random cotangent used when f's output is not a scalar (default 0). */
  seed?: number;
}

/** Where analytic and numeric gradients disagree most. */
export interface GradcheckWorst {
  /** Argument position. */
  input: number;
  /** Flat index into that argument. */
  index: number;
  /** Reverse-mode value. */
  analytic: number;
  /** Central-difference value. */
  numeric: number;
}

/** What {@link gradcheck} found. */
export interface GradcheckReport {
  /** Every element within atol + rtol · |numeric|. */
  ok: boolean;
  /** max |analytic − numeric| over all elements. */
  maxAbsError: number;
  /** max |analytic − numeric| / max(|numeric|, atol) over all elements. */
  maxRelError: number;
  /** The element with the largest excess over its tolerance (null when there are no elements). */
  worst: GradcheckWorst | null;
}

/**
 * Checks reverse-mode gradients against central differences in float64, on the inputs' backend
 * when it is synchronous and stores float64 (cpu, wasm), else on the cpu backend (so constants
 * that `f` captures from the same backend meet the inputs there). Inputs are copied to float64; a non-scalar output is reduced with a fixed random cotangent w
 * (f ↦ Σ w ⊙ f, JAX's check_vjp). Returns a report; {@link assertGradcheck} throws instead.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const eps = opts.eps ?? 1e-6, rtol = opts.rtol ?? 1e-5, atol = opts.atol ?? 1e-7;
  const backend = float64BackendOf(inputs);
  const xs = inputs.map((x) => noGrad(() => cast(toBackend(x.detach(), backend), 'float64')));
  let w: Tensor | null = null;
  const scalarF = (...args: Tensor[]): Tensor => {
    const y = f(...args);
    if (y.size === 1) return sum(y);
    w ??= createRng(opts.seed ?? 0).normal(y.shape, { dtype: 'float64', backend });
    return sum(mul(y, w));
  };
  const { grads } = valueAndGrad(scalarF)(...xs);
  const report: GradcheckReport = { ok: true, maxAbsError: 0, maxRelError: 0, worst: null };
  let worstExcess = -Infinity;
  xs.forEach((x, k) => {
    const base = x.dataSync() as Float64Array;
    const analytic = grads[k]!.dataSync();
    const evalAt = (i: number, delta: number): number => {
      const data = base.slice();
      data[i] = data[i]! + delta;
      const args = xs.slice();
      args[k] = tensor(data, { shape: x.shape, dtype: 'float64', backend });
      return noGrad(() => scalarF(...args).item());
    };
    for (let i = 0; i < base.length; i++) {
      const numeric = (evalAt(i, eps) - evalAt(i, -eps)) / (2 * eps);
      const a = analytic[i]!;
      const err = Math.abs(a - numeric);
      const excess = Number.isNaN(err) ? Infinity : err - (atol + rtol * Math.abs(numeric));
      report.maxAbsError = Math.max(report.maxAbsError, Number.isNaN(err) ? Infinity : err);
      report.maxRelError = Math.max(report.maxRelError, Number.isNaN(err) ? Infinity : err / Math.max(Math.abs(numeric), atol));
      if (excess > 0) report.ok = false;
      if (excess > worstExcess) {
        worstExcess = excess;
        report.worst = { input: k, index: i, analytic: a, numeric };
      }
    }
  });
  return report;
}

/** The inputs' common backend when it can run a float64 check synchronously, else `cpuBackend`. */
function float64BackendOf(inputs: readonly Tensor[]): Backend {
  const b = inputs[0]?.backend;
  const usable = b !== undefined && b.synchronous && b.dtypes.includes('float64') && inputs.every((x) => x.backend === b);
  return usable ? b : cpuBackend;
}

/** {@link gradcheck} that throws an Error with a readable account of the worst element. */
export function assertGradcheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
  const r = gradcheck(f, inputs, opts);
  if (!r.ok) {
    const w = r.worst!;
    throw new Error(
      `gradcheck: expected reverse-mode gradients to match central differences (rtol ${opts.rtol ?? 1e-5}, atol ${opts.atol ?? 1e-7}), ` +
      `got max abs error ${r.maxAbsError.toExponential(3)}, max rel error ${r.maxRelError.toExponential(3)}; ` +
      `worst: input ${w.input}, flat index ${w.index}, analytic ${w.analytic}, numeric ${w.numeric}.`,
    );
  }
  return r;
}
