import { WasmBackend, add, div, maximum, mul, sqrt, sum, unsqueeze, type Tensor } from '@keepdist/autograd';
import { checkOption, checkOptionKeys, checkPair } from '@keepdist/autograd/internal';
import { projUnchecked } from '../tangent.js';
import {
  checkBooleanOption, checkWeightDecay, retract, stabilizeRows, withWeightDecay, type Retraction,
  type RiemannianUpdate,
} from './riemannianOptions.js';
import { RiemannianOptimizer } from './riemannianOptimizer.js';
import { fusedAdamUpdate } from './fusedRowUpdate.js';
import { wasmAdamStep, wasmAdamUpdate } from './wasmRowUpdate.js';

/** Options of {@link RiemannianAdam}. */
export interface RiemannianAdamOptions {
  /** Learning rate (> 0), default 1e-3. */
  lr?: number;
  /** (β1, β2), each in [0, 1); default (0.9, 0.999). */
  betas?: [number, number];
  /** Denominator guard (> 0), default 1e-8. */
  eps?: number;
  /** 'expmap' (exact, default) or 'retr' (projection retraction). */
  retraction?: Retraction;
  /** Every k steps re-project the points and the first moment (a positive integer); null (default) is off. */
  stabilize?: number | null;
  /**
   * AMSGrad (Reddi et al. 2018): divide by the running maximum of the second moment, v_max ← max(v_max, v)
   * per row, instead of v itself; kept in the state as `vMax`. Default false.
   */
  amsgrad?: boolean;
  /**
   * Weight decay λ ≥ 0 (default 0): λ·x is added to the Euclidean gradient before its projection onto
   * the tangent space, as geoopt does. On the sphere proj(x, x) = (1 − ‖x‖²) x vanishes, so the term
   * changes the step only by what rounding leaves of ‖x‖ − 1; it is there for parity with geoopt.
   */
  weightDecay?: number;
}

/** The values one {@link RiemannianAdam} update reads (the optimizer itself provides them). */
export interface RiemannianAdamHyperparameters {
  /** Learning rate. */
  readonly lr: number;
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** Denominator guard. */
  readonly eps: number;
  /** The retraction of every step. */
  readonly retraction: Retraction;
  /** Re-projection period in steps, or null. */
  readonly stabilize: number | null;
  /** AMSGrad: the denominator uses the running maximum of v. */
  readonly amsgrad: boolean;
  /** Weight decay λ (0: none), added as λ·x to the Euclidean gradient. */
  readonly weightDecay: number;
}

/** State of {@link RiemannianAdam} per parameter (`opt.state.get(param)`). */
export interface RiemannianAdamState {
  /** Number of steps taken (1 after the first). */
  step: number;
  /** First moment, n × d, tangent at the current point (transported after each step). */
  m: Tensor;
  /** Second moment, one value per row: shape [n]. */
  v: Tensor;
  /**
   * With `amsgrad`: the running maximum of `v` over the steps taken, per row (shape [n]), which the
   * denominator uses; absent otherwise.
   */
  vMax?: Tensor;
}

/**
 * Riemannian Adam on the product of spheres (Bécigneul & Ganea 2019; geoopt's RiemannianAdam),
 * each row of each parameter its own point. With t the step (1 on the first), per row:
 *   g = proj(x, ∇f(x) + λ x);   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) ‖g‖²   (a scalar per row)
 *   m̂ = m / (1 − β1ᵗ);   v̂ = v / (1 − β2ᵗ);   x_new = R(x, −lr · m̂ / (√v̂ + eps))
 *   m ← transp(x, x_new, m) = proj(x_new, m)
 * with R = expmap (exact, default) or retr, λ = `weightDecay` (default 0). With `amsgrad`,
 * v_max ← max(v_max, v) (v_max = v on the first step) and v̂ = v_max / (1 − β2ᵗ). Every `stabilize` steps: x ← projx(x), m ← proj(x, m).
 * `step()` updates each parameter in place (same Tensor, new values).
 * @example
 * ```ts
 * const x = randomUniform(100, 3, { rng: createRng(0), dtype: 'float64', requiresGrad: true });
 * const opt = new RiemannianAdam([x], { lr: 0.01 });
 * for (let i = 0; i < 500; i++) { opt.zeroGrad(); loss(x).backward(); opt.step(); }
 * ```
 */
export class RiemannianAdam extends RiemannianOptimizer<RiemannianAdamState> {
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** Denominator guard. */
  readonly eps: number;
  /** AMSGrad: the denominator uses the running maximum of v. */
  readonly amsgrad: boolean;
  /** Weight decay λ, added as λ·x to the Euclidean gradient. */
  readonly weightDecay: number;
  /**
   * @param params leaves with requiresGrad, each n × d with rows on the sphere
   * @param opts options; every value is validated (OptionError)
   */
  constructor(params: readonly Tensor[], opts: RiemannianAdamOptions = {}) {
    const o = checkOptionKeys('RiemannianAdam', opts, ['lr', 'betas', 'eps', 'retraction', 'stabilize', 'amsgrad', 'weightDecay']);
    super(params, 'RiemannianAdam', { ...o, lr: o.lr ?? 1e-3 });
    const betas = checkPair('RiemannianAdam', 'betas', o.betas ?? [0.9, 0.999]);
    this.beta1 = checkOption('RiemannianAdam', 'betas[0]', betas[0], 0, 1);
    this.beta2 = checkOption('RiemannianAdam', 'betas[1]', betas[1], 0, 1);
    this.eps = checkOption('RiemannianAdam', 'eps', o.eps ?? 1e-8, 0, Infinity, false);
    this.amsgrad = checkBooleanOption('RiemannianAdam', 'amsgrad', o.amsgrad);
    this.weightDecay = checkWeightDecay('RiemannianAdam', o.weightDecay);
  }

  /**
   * The update `step()` applies: on the wasm backend the fused kernel with the new moments written
   * into the blocks of the state it replaces (`wasmAdamStep`; the optimizer's own state, not a caller's)
   * and the new point into the parameter's own block when no other tensor shares it; elsewhere,
   * and where that does not apply, {@link RiemannianAdam.update}.
   * @param x the parameter, n × d
   * @param grad the Euclidean gradient ∂f/∂x, n × d
   * @param state this optimizer's state of x, or undefined before the first step
   */
  protected override stepUpdate(x: Tensor, grad: Tensor, state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> {
    return wasmAdamStep(this, x, grad, state) ?? this.update(x.detach(), grad, state);
  }

  /**
   * One update of one parameter, a pure function of its arguments (the class calls it from `step()`).
   * On the wasm backend it runs the fused row kernel on the heap (`wasmAdamUpdate`), on other synchronous
   * backends the fused host row loops (`fusedAdamUpdate`); where neither applies the composed
   * reference (`composedAdamUpdate`). Both return new tensors and compute the same values.
   * @param x the current point, n × d
   * @param grad the Euclidean gradient ∂f/∂x, n × d
   * @param state the previous state, or undefined before the first step
   */
  override update(x: Tensor, grad: Tensor, state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> {
    const fused = x.backend instanceof WasmBackend ? wasmAdamUpdate(this, x, grad, state) : fusedAdamUpdate(this, x, grad, state);
    return fused ?? composedAdamUpdate(this, x, grad, state);
  }
}

/**
 * The composed reference of {@link RiemannianAdam}'s update: the formulas as autograd ops, on any
 * backend (the fused cpu loops are tested against it).
 * @param h the hyperparameters (a RiemannianAdam)
 * @param x the current point, n × d
 * @param grad the Euclidean gradient ∂f/∂x, n × d
 * @param state the previous state, or undefined before the first step
 */
export function composedAdamUpdate(h: RiemannianAdamHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> {
  const step = (state?.step ?? 0) + 1;
  const g = projUnchecked(x, withWeightDecay('RiemannianAdam', grad, x, h.weightDecay));
  const gg = sum(mul(g, g), -1);
  const m1 = state ? add(mul(state.m, h.beta1), mul(g, 1 - h.beta1)) : mul(g, 1 - h.beta1);
  const v = state ? add(mul(state.v, h.beta2), mul(gg, 1 - h.beta2)) : mul(gg, 1 - h.beta2);
  const mHat = div(m1, 1 - h.beta1 ** step);
  const vMax = h.amsgrad ? (state?.vMax ? maximum(state.vMax, v) : v) : undefined;
  const denom = add(sqrt(div(vMax ?? v, 1 - h.beta2 ** step)), h.eps);
  const u = mul(div(mHat, unsqueeze(denom, -1)), -h.lr);
  let xNew = retract(h.retraction, x, u);
  let m = projUnchecked(xNew, m1);
  if (h.stabilize !== null && step % h.stabilize === 0) {
    const s = stabilizeRows(xNew, m);
    xNew = s.x;
    m = s.m!;
  }
  return { value: xNew, state: vMax ? { step, m, v, vMax } : { step, m, v } };
}
