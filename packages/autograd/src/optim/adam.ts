import type { Tensor } from '../tensor.js';
import { add, div, mul, sqrt, square, sub } from '../ops/elementwise.js';
import { Optimizer, checkOption, checkOptionKeys, checkPair } from './optimizer.js';

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Learning rate (> 0), default 1e-3. */
  lr?: number;
  /** (β1, β2), each in [0, 1); default (0.9, 0.999). */
  betas?: [number, number];
  /** Denominator guard (> 0), default 1e-8. */
  eps?: number;
  /** L2 weight decay added to the gradient, default 0. */
  weightDecay?: number;
}

/** State of {@link Adam} per parameter. */
export interface AdamState {
  /** Number of steps taken (1 after the first). */
  step: number;
  /** First moment. */
  m: Tensor;
  /** Second moment (elementwise). */
  v: Tensor;
}

/**
 * Adam (Kingma & Ba 2015): m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
 * x ← x − lr · m̂ / (√v̂ + eps) with m̂ = m / (1−β1ᵗ), v̂ = v / (1−β2ᵗ).
 */
export class Adam extends Optimizer<AdamState> {
  private readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private readonly weightDecay: number;

  /** @param params leaves with requiresGrad */
  constructor(params: readonly Tensor[], opts: AdamOptions = {}) {
    super(params, 'Adam');
    checkOptionKeys('Adam', opts, ['lr', 'betas', 'eps', 'weightDecay']);
    this.lr = checkOption('Adam', 'lr', opts.lr ?? 1e-3, 0, Infinity, false);
    const [b1, b2] = checkPair('Adam', 'betas', opts.betas ?? [0.9, 0.999]);
    this.b1 = checkOption('Adam', 'betas[0]', b1, 0, 1);
    this.b2 = checkOption('Adam', 'betas[1]', b2, 0, 1);
    this.eps = checkOption('Adam', 'eps', opts.eps ?? 1e-8, 0, Infinity, false);
    this.weightDecay = checkOption('Adam', 'weightDecay', opts.weightDecay ?? 0, 0, Infinity);
  }

  protected update(x: Tensor, grad: Tensor, state: AdamState | undefined): { value: Tensor; state: AdamState } {
    const g = this.weightDecay ? add(grad, mul(x, this.weightDecay)) : grad;
    const step = (state?.step ?? 0) + 1;
    const m = state ? add(mul(state.m, this.b1), mul(g, 1 - this.b1)) : mul(g, 1 - this.b1);
    const v = state ? add(mul(state.v, this.b2), mul(square(g), 1 - this.b2)) : mul(square(g), 1 - this.b2);
    const mHat = div(m, 1 - this.b1 ** step);
    const vHat = div(v, 1 - this.b2 ** step);
    return { value: sub(x, mul(div(mHat, add(sqrt(vHat), this.eps)), this.lr)), state: { step, m, v } };
  }
}
