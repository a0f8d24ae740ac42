import { KeepdistError } from './errors.js';
import { Tensor } from './tensor.js';
import { cotangents } from './tape.js';
import { zerosLike } from './ops/creation.js';
import { describe } from './op.js';

/** The value of `f` and the gradient of its (scalar) output with respect to each argument. */
export interface ValueAndGrad {
  /** f(...xs), detached from the graph. */
  value: Tensor;
  /** ∂f/∂xs[i], one per argument, same shapes (zeros where f does not depend on it). */
  grads: Tensor[];
}

/**
 * JAX-style: returns a function computing f's value and its gradients with respect to all
 * arguments. The arguments are not modified (their `grad` slots are untouched); f must return a
 * tensor with one element.
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => ValueAndGrad {
  return differentiate('valueAndGrad', f);
}

/** Like {@link valueAndGrad} but returns the gradients only. */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = differentiate('grad', f);
  return (...xs: Tensor[]) => vg(...xs).grads;
}

/** valueAndGrad under the name `fn` (so that grad's errors say "grad:"). */
function differentiate(fn: string, f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => ValueAndGrad {
  if (typeof f !== 'function') throw new KeepdistError(`${fn}: expected a function of tensors returning a scalar Tensor, got ${describe(f)}.`);
  return (...xs: Tensor[]): ValueAndGrad => {
    xs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new KeepdistError(`${fn}: expected a Tensor as argument ${i}, got ${describe(x)}.`);
    });
    const leaves = xs.map((x) => x.detach().requireGrad());
    const value = f(...leaves);
    if (!(value instanceof Tensor)) throw new KeepdistError(`${fn}: expected f to return a Tensor, got ${describe(value)}.`);
    if (value.size !== 1) throw new KeepdistError(`${fn}: expected f to return one element, got shape [${value.shape.join(',')}].`);
    const g = value.requiresGrad ? cotangents(value, undefined) : new Map<Tensor, Tensor>();
    return { value: value.detach(), grads: leaves.map((l) => g.get(l) ?? zerosLike(l)) };
  };
}
