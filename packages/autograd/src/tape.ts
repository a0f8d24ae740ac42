import { markEscaped } from './tidy.js';
import { DTypeError, KeepdistError, ShapeError, fmtShape } from './errors.js';
import { describe, withGradMode } from './op.js';
import { Tensor } from './tensor.js';
import { add } from './ops/elementwise.js';
import { onesLike } from './ops/creation.js';
import { sameShape } from './shape.js';

/** Tensors reachable from `root` through recorded nodes, inputs before outputs (iterative DFS). */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // two parallel stacks: the tensor, and whether its inputs were pushed already (then it is emitted)
  const stack: Tensor[] = [root];
  const expanded: boolean[] = [false];
  while (stack.length) {
    const t = stack.pop()!;
    if (expanded.pop()) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push(t);
    expanded.push(true);
    const inputs = t.node?.inputs;
    if (!inputs) continue;
    for (const x of inputs) {
      if (x.requiresGrad && !seen.has(x)) {
        stack.push(x);
        expanded.push(false);
      }
    }
  }
  return order;
}

/**
 * Cotangents of every tensor in the graph of `root`, given `seed` = d(loss)/d(root). Each VJP's
 * result is checked against its input's shape; a tensor used twice gets the sum. With
 * `createGraph` the backward pass is itself recorded (for higher-order gradients).
 */
export function cotangents(root: Tensor, seed: Tensor | undefined, createGraph = false): Map<Tensor, Tensor> {
  if (!root.requiresGrad) {
    throw new KeepdistError(`backward: expected a tensor that depends on a requiresGrad input, got a constant ${root.toString()}.`);
  }
  if (seed === undefined && root.size !== 1) {
    throw new ShapeError(`backward: expected a scalar output or an explicit seed, got shape ${fmtShape(root.shape)} without a seed.`);
  }
  if (seed !== undefined && !(seed instanceof Tensor)) {
    throw new KeepdistError(`backward: expected the seed to be a Tensor of shape ${fmtShape(root.shape)}, got ${describe(seed)}.`);
  }
  if (seed !== undefined && !sameShape(seed.shape, root.shape)) {
    throw new ShapeError(`backward: expected a seed of shape ${fmtShape(root.shape)}, got ${fmtShape(seed.shape)}.`);
  }
  if (seed !== undefined && (seed.dtype !== root.dtype || seed.backend !== root.backend)) {
    throw new DTypeError(
      `backward: expected a seed of dtype ${root.dtype} on '${root.backend.name}' (the output's), got ${seed.dtype} on '${seed.backend.name}'. ` +
      'Convert it with cast() or toBackend().',
    );
  }
  return withGradMode(createGraph, () => {
    const grads = new Map<Tensor, Tensor>([[root, seed ?? onesLike(root)]]);
    const order = topoOrder(root);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const gz = grads.get(t);
      if (!gz || !t.node) continue;
      const gs = t.node.vjp(gz);
      const inputs = t.node.inputs;
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i]!, g = gs[i];
        if (!x.requiresGrad || !g) continue;
        if (!sameShape(g.shape, x.shape)) {
          throw new ShapeError(
            `backward: expected the VJP of '${t.node!.name}' to return ${fmtShape(x.shape)} for input ${i}, got ${fmtShape(g.shape)}.`,
          );
        }
        const prev = grads.get(x);
        grads.set(x, prev ? add(prev, g) : g);
      }
      if (t !== root && t.node) grads.delete(t); // free intermediate cotangents early
    }
    return grads;
  });
}

/** `t.backward(seed)`: accumulates into the `grad` of every leaf that requires a gradient. */
export function backward(root: Tensor, seed?: Tensor): void {
  const grads = cotangents(root, seed);
  for (const [t, g] of grads) {
    if (t.node || !t.requiresGrad) continue;
    t.grad = t.grad ? withGradMode(false, () => add(t.grad!, g)) : g;
    markEscaped(t.grad.storage);
  }
}
