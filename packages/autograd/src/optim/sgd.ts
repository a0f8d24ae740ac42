import type { Tensor } from '../tensor.js';
import { add, mul, sub } from '../ops/elementwise.js';
import { Optimizer, checkOption, checkOptionKeys } from './optimizer.js';
import { OptionError } from '../errors.js';

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** Learning rate (> 0). */
  lr: number;
  /** Momentum β ∈ [0, 1); 0 turns it off. */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0). */
  nesterov?: boolean;
  /** L2 weight decay added to the gradient. */
  weightDecay?: number;
}

/** State of {@link SGD} per parameter: the momentum buffer. */
export interface SGDState {
  /** Momentum buffer m. */
  m: Tensor;
}

/**
 * Stochastic gradient descent with momentum (PyTorch's convention):
 *   g ← ∇ + λ x;  m ← β m + g;  x ← x − lr · (Nesterov ? g + β m : m).
 */
export class SGD extends Optimizer<SGDState> {
  private readonly lr: number;
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly weightDecay: number;

  /** @param params leaves with requiresGrad */
  constructor(params: readonly Tensor[], opts: SGDOptions) {
    super(params, 'SGD');
    checkOptionKeys('SGD', opts, ['lr', 'momentum', 'nesterov', 'weightDecay'], true);
    this.lr = checkOption('SGD', 'lr', opts.lr, 0, Infinity, false);
    this.momentum = checkOption('SGD', 'momentum', opts.momentum ?? 0, 0, 1);
    this.weightDecay = checkOption('SGD', 'weightDecay', opts.weightDecay ?? 0, 0, Infinity);
    this.nesterov = opts.nesterov ?? false;
    if (typeof this.nesterov !== 'boolean') throw new OptionError(`SGD: expected nesterov true or false, got ${String(opts.nesterov)}.`);
    if (this.nesterov && this.momentum === 0) checkOption('SGD', 'momentum (with nesterov)', 0, 0, 1, false);
  }

  protected update(x: Tensor, grad: Tensor, state: SGDState | undefined): { value: Tensor; state: SGDState } {
    const g = this.weightDecay ? add(grad, mul(x, this.weightDecay)) : grad;
    const m = state && this.momentum ? add(mul(state.m, this.momentum), g) : g;
    const dir = this.nesterov ? add(g, mul(m, this.momentum)) : m;
    return { value: sub(x, mul(dir, this.lr)), state: { m } };
  }
}
