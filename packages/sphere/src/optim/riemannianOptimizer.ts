/**
 * What RiemannianSGD and RiemannianAdam share as classes: the learning rate (validated, settable
 * between steps for a schedule), the retraction, the `stabilize` period and the check that every
 * parameter's rows lie on the sphere.
 */
import { Optimizer, type Tensor } from '@keepdist/autograd';
import { checkLearningRate, checkRetraction, checkSphereParams, checkStabilize, type Retraction } from './riemannianOptions.js';

/** The options every Riemannian optimizer validates in {@link RiemannianOptimizer}. */
export interface RiemannianCommonOptions {
  /** Learning rate (> 0). */
  lr: number;
  /** 'expmap' (exact, default) or 'retr' (projection retraction). */
  retraction?: Retraction | undefined;
  /** Every k steps re-project the points and the first moment; null (default) is off. */
  stabilize?: number | null | undefined;
}

/** Base of the Riemannian optimizers on the sphere: validated common options, per-row updates. */
export abstract class RiemannianOptimizer<S> extends Optimizer<S> {
  private _lr: number;
  /** The retraction of every step. */
  readonly retraction: Retraction;
  /** Re-projection period in steps, or null. */
  readonly stabilize: number | null;

  /**
   * @param params leaves with requiresGrad, each n × d with rows on the sphere
   * @param name the optimizer's name in error messages
   * @param opts the common options, validated here (OptionError)
   */
  protected constructor(params: readonly Tensor[], name: string, opts: RiemannianCommonOptions) {
    super(params, name);
    this._lr = checkLearningRate(name, opts.lr);
    this.retraction = checkRetraction(name, opts.retraction);
    this.stabilize = checkStabilize(name, opts.stabilize);
    checkSphereParams(name, params);
  }

  /** Learning rate; may be changed between steps (a schedule), validated (> 0). */
  get lr(): number {
    return this._lr;
  }
  /** Sets the learning rate for the following steps; throws an OptionError unless it is > 0. */
  set lr(value: number) {
    this._lr = checkLearningRate(this.name, value);
  }
}
