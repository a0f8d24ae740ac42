import { WasmBackend, add, mul, OptionError, type Tensor } from '@keepdist/autograd';
import { checkOption, checkOptionKeys } from '@keepdist/autograd/internal';
import { projUnchecked } from '../tangent.js';
import {
  checkWeightDecay, retract, stabilizeRows, withWeightDecay, type Retraction,
  type RiemannianUpdate,
} from './riemannianOptions.js';
import { RiemannianOptimizer } from './riemannianOptimizer.js';
import { fusedSgdUpdate } from './fusedRowUpdate.js';
import { wasmSgdStep, wasmSgdUpdate } from './wasmRowUpdate.js';

/** Options of {@link RiemannianSGD}. */
export interface RiemannianSGDOptions {
  /** Learning rate (> 0); required. */
  lr: number;
  /** Momentum β ∈ [0, 1); 0 (default) turns it off. */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0); default false. */
  nesterov?: boolean;
  /**
   * Dampening d ∈ [0, 1), default 0: from the second step on m ← β m + (1 − d) g (the first step
   * sets m = g, as PyTorch's SGD). No effect without momentum.
   */
  dampening?: number;
  /**
   * Weight decay λ ≥ 0 (default 0): λ·x is added to the Euclidean gradient before its projection onto
   * the tangent space, as geoopt does. On the sphere proj(x, x) = (1 − ‖x‖²) x vanishes, so the term
   * changes the step only by what rounding leaves of ‖x‖ − 1; it is there for parity with geoopt.
   */
  weightDecay?: number;
  /** 'expmap' (exact, default) or 'retr' (projection retraction). */
  retraction?: Retraction;
  /** Every k steps re-project the points and the momentum (a positive integer); null (default) is off. */
  stabilize?: number | null;
}

/** The values one {@link RiemannianSGD} update reads (the optimizer itself provides them). */
export interface RiemannianSGDHyperparameters {
  /** Learning rate. */
  readonly lr: number;
  /** Momentum β (0: none). */
  readonly momentum: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;
  /** Dampening d: m ← β m + (1 − d) g after the first step. */
  readonly dampening: number;
  /** Weight decay λ (0: none), added as λ·x to the Euclidean gradient. */
  readonly weightDecay: number;
  /** The retraction of every step. */
  readonly retraction: Retraction;
  /** Re-projection period in steps, or null. */
  readonly stabilize: number | null;
}

/** State of {@link RiemannianSGD} per parameter (`opt.state.get(param)`). */
export interface RiemannianSGDState {
  /** Number of steps taken (1 after the first). */
  step: number;
  /** Momentum buffer, n × d, tangent at the current point; null without momentum. */
  m: Tensor | null;
}

/**
 * Riemannian stochastic gradient descent on the product of spheres (geoopt's RiemannianSGD), each row
 * of each parameter its own point:
 *   g = proj(x, ∇f(x) + λ x);   m ← β m + (1 − d) g  (m = g on the first step, as PyTorch's SGD);
 *   δ = Nesterov ? g + β m : m;   x_new = R(x, −lr · δ);   m ← transp(x, x_new, m) = proj(x_new, m)
 * with R = expmap (exact, default) or retr, d = `dampening` and λ = `weightDecay` (both default 0);
 * without momentum δ = g. Every `stabilize` steps:
 * x ← projx(x), m ← proj(x, m). `step()` updates each parameter in place (same Tensor, new values).
 */
export class RiemannianSGD extends RiemannianOptimizer<RiemannianSGDState> {
  /** Momentum β. */
  readonly momentum: number;
  /** Nesterov momentum. */
  readonly nesterov: boolean;
  /** Dampening d of the momentum. */
  readonly dampening: number;
  /** Weight decay λ, added as λ·x to the Euclidean gradient. */
  readonly weightDecay: number;
  /**
   * @param params leaves with requiresGrad, each n × d with rows on the sphere
   * @param opts options; every value is validated (OptionError)
   */
  constructor(params: readonly Tensor[], opts: RiemannianSGDOptions) {
    super(params, 'RiemannianSGD', checkOptionKeys('RiemannianSGD', opts, ['lr', 'momentum', 'nesterov', 'dampening', 'weightDecay', 'retraction', 'stabilize'], true));
    this.momentum = checkOption('RiemannianSGD', 'momentum', opts.momentum ?? 0, 0, 1);
    this.nesterov = opts.nesterov ?? false;
    if (typeof this.nesterov !== 'boolean') throw new OptionError(`RiemannianSGD: expected nesterov true or false, got ${String(opts.nesterov)}.`);
    if (this.nesterov && this.momentum === 0) {
      throw new OptionError('RiemannianSGD: expected momentum in (0, 1) with nesterov, got 0. Set momentum or drop nesterov.');
    }
    this.dampening = checkOption('RiemannianSGD', 'dampening', opts.dampening ?? 0, 0, 1);
    if (this.nesterov && this.dampening !== 0) {
      throw new OptionError(`RiemannianSGD: expected dampening 0 with nesterov, got ${this.dampening}. Drop dampening or nesterov.`);
    }
    this.weightDecay = checkWeightDecay('RiemannianSGD', opts.weightDecay);
  }


  /**
   * The update `step()` applies: on the wasm backend the fused kernel with the new moments written
   * into the blocks of the state it replaces (`wasmSgdStep`; the optimizer's own state, not a caller's)
   * and the new point into the parameter's own block when no other tensor shares it; elsewhere,
   * and where that does not apply, {@link RiemannianSGD.update}.
   * @param x the parameter, n × d
   * @param grad the Euclidean gradient ∂f/∂x, n × d
   * @param state this optimizer's state of x, or undefined before the first step
   */
  protected override stepUpdate(x: Tensor, grad: Tensor, state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> {
    return wasmSgdStep(this, x, grad, state) ?? this.update(x.detach(), grad, state);
  }

  /**
   * One update of one parameter, a pure function of its arguments (the class calls it from `step()`).
   * On the wasm backend it runs the fused row kernel on the heap (`wasmSgdUpdate`), on other synchronous
   * backends the fused host row loops (`fusedSgdUpdate`); where neither applies the composed
   * reference (`composedSgdUpdate`). Both return new tensors and compute the same values.
   * @param x the current point, n × d
   * @param grad the Euclidean gradient ∂f/∂x, n × d
   * @param state the previous state, or undefined before the first step
   */
  override update(x: Tensor, grad: Tensor, state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> {
    const fused = x.backend instanceof WasmBackend ? wasmSgdUpdate(this, x, grad, state) : fusedSgdUpdate(this, x, grad, state);
    return fused ?? composedSgdUpdate(this, x, grad, state);
  }
}

/**
 * The composed reference of {@link RiemannianSGD}'s update: the formulas as autograd ops, on any
 * backend (the fused cpu loops are tested against it).
 * @param h the hyperparameters (a RiemannianSGD)
 * @param x the current point, n × d
 * @param grad the Euclidean gradient ∂f/∂x, n × d
 * @param state the previous state, or undefined before the first step
 */
export function composedSgdUpdate(h: RiemannianSGDHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> {
  const step = (state?.step ?? 0) + 1;
  const g = projUnchecked(x, withWeightDecay('RiemannianSGD', grad, x, h.weightDecay));
  let m: Tensor | null = null;
  let dir = g;
  if (h.momentum > 0) {
    m = state?.m ? add(mul(state.m, h.momentum), h.dampening === 0 ? g : mul(g, 1 - h.dampening)) : g;
    dir = h.nesterov ? add(g, mul(m, h.momentum)) : m;
  }
  let xNew = retract(h.retraction, x, mul(dir, -h.lr));
  if (m) m = projUnchecked(xNew, m);
  if (h.stabilize !== null && step % h.stabilize === 0) {
    const s = stabilizeRows(xNew, m);
    xNew = s.x;
    m = s.m;
  }
  return { value: xNew, state: { step, m } };
}
