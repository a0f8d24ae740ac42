import { OptionError } from '../errors.js';
import { noGrad } from '../op.js';
import { keep } from '../tidy.js';
import type { Tensor } from '../tensor.js';

/**
 * Base of keepdist's optimizers: parameters, per-parameter state in a `Map` keyed by parameter,
 * `step()` and `zeroGrad()`. A subclass supplies `update(param, grad, state)`, a pure function
 * of its arguments that returns the new value and the new state; `step()` writes the value
 * back into the same Tensor object (`assign`).
 */
export abstract class Optimizer<S> {
  /** Per-parameter state, created on the first step that sees a gradient for it. */
  readonly state = new Map<Tensor, S>();

  /** @param params leaves with `requiresGrad`; their `grad` is read on each step */
  constructor(readonly params: readonly Tensor[], protected readonly name: string) {
    params.forEach((p, i) => {
      if (!p.requiresGrad) throw new OptionError(`${name}: expected parameters with requiresGrad, got a constant at position ${i}. Call p.requireGrad().`);
    });
  }

  /** New value and state of one parameter. */
  protected abstract update(param: Tensor, grad: Tensor, state: S | undefined): { value: Tensor; state: S };

  /** Applies one update to every parameter that has a gradient (others are left alone). */
  step(): void {
    noGrad(() => {
      for (const p of this.params) {
        if (!p.grad) continue;
        const { value, state } = this.update(p.detach(), p.grad, this.state.get(p));
        p.assign(value);
        this.state.set(p, keep(state)); // state tensors outlive a tidy() around the step
      }
    });
  }

  /** Clears every parameter's gradient (gradients accumulate across backward calls until then). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }
}

/** Checks a numeric option against an interval, naming the optimizer, option and value. */
export function checkOption(name: string, option: string, value: number, lo: number, hi: number,
  loInclusive = true, hiInclusive = false): number {
  const okLo = loInclusive ? value >= lo : value > lo;
  const okHi = hiInclusive ? value <= hi : value < hi;
  if (typeof value !== 'number' || !okLo || !okHi) {
    throw new OptionError(`${name}: expected ${option} in ${loInclusive ? '[' : '('}${lo}, ${hi}${hiInclusive ? ']' : ')'}, got ${value}.`);
  }
  return value;
}
