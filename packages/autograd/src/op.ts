import type { Backend, Storage } from './backend/backend.js';
import { DTypeError, KeepdistError } from './errors.js';
import { Tensor } from './tensor.js';
import type { TypedArray } from './dtype.js';
import { WasmStorage } from './backend/wasm/storage.js';

let gradEnabled = true;

/** True while ops record the graph (false inside `noGrad`). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with graph recording switched to `enabled`, restoring the previous mode after. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` without recording any op: its results are constants to autograd. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * The elements of a tensor on a synchronous backend for a check that only reads them: the wasm
 * heap's block in place (valid until the next allocation), a copy on other backends.
 */
export function readForCheck(x: Tensor, op: string): TypedArray {
  return x.storage instanceof WasmStorage ? x.storage.view() : x.readSync(op);
}

/** Wraps a kernel result as a (not yet recorded) tensor. */
export function wrap(storage: Storage, shape: readonly number[], backend: Backend): Tensor {
  return new Tensor(storage, shape, backend);
}

/**
 * The common backend and dtype of an op's inputs; throws naming `op` when they differ or the
 * backend cannot hold the dtype.
 */
export function commonBackend(op: string, xs: readonly Tensor[]): Backend {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!(x instanceof Tensor)) throw new KeepdistError(`${op}: expected a Tensor as input ${i}, got ${describe(x)}.`);
    checkLive(op, x);
  }
  const b = xs[0]!.backend;
  const dt = xs[0]!.dtype;
  for (const x of xs) {
    if (x.backend !== b) {
      throw new KeepdistError(`${op}: expected tensors on one backend, got '${b.name}' and '${x.backend.name}'. Move one with toBackend().`);
    }
    if (x.dtype !== dt) {
      throw new DTypeError(`${op}: expected matching dtypes, got ${dt} and ${x.dtype}. Convert one with cast().`);
    }
  }
  return b;
}

/** A short description of a value that is not what an op expected (for error messages). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return `the string '${v}'`;
  if (typeof v === 'object') return (v as object).constructor?.name ? `a ${(v as object).constructor.name}` : 'an object';
  return typeof v === 'number' ? String(v) : typeof v;
}

/** Throws a KeepdistError naming `op` unless `x` is a Tensor whose storage is live. */
export function checkTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new KeepdistError(`${op}: expected a Tensor, got ${describe(x)}.`);
  checkLive(op, x);
}

/** Throws a KeepdistError naming `op` when `x`'s storage was disposed. */
export function checkLive(op: string, x: Tensor): void {
  if (x.storage.disposed) {
    throw new KeepdistError(`${op}: expected a live tensor, got ${x.toString()} whose storage was disposed. Keep tensors you still use (keep() them out of tidy()), or dispose them later.`);
  }
}

/**
 * Attaches `out` to the graph as the result of op `name` on `inputs` when recording is on and some
 * input requires a gradient. `vjp(gz)` returns each input's cotangent (null where not required).
 */
export function record(name: string, inputs: readonly Tensor[], out: Tensor,
  vjp: (gz: Tensor) => readonly (Tensor | null)[]): Tensor {
  if (!gradEnabled) return out;
  for (const x of inputs) {
    if (x.requiresGrad) {
      out.requiresGrad = true;
      out.node = { name, inputs, vjp };
      break;
    }
  }
  return out;
}

/** Specification of a user-defined (or fused) op for {@link defineOp}. */
export interface OpDefinition {
  /** Name shown in errors and graph dumps. */
  name: string;
  /** Computes the output; runs without recording, so it may use any ops. */
  forward: (...xs: Tensor[]) => Tensor;
  /**
   * The vector-Jacobian product: given the output cotangent `dy`, the inputs and the output,
   * one cotangent per input (same shape as that input) or null for no gradient.
   */
  backward: (dy: Tensor, xs: Tensor[], out: Tensor) => (Tensor | null)[];
}

/**
 * Defines a differentiable op from a forward and its VJP. The forward runs without recording;
 * the backward is written with ops, so it is itself differentiable. This is how users add
 * custom or fused ops (a fused kernel with a composed reference, say).
 */
export function defineOp(def: OpDefinition): (...xs: Tensor[]) => Tensor {
  return (...xs: Tensor[]): Tensor => {
    xs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new KeepdistError(`${def.name}: expected a Tensor as input ${i}, got ${typeof x}.`);
    });
    const y = noGrad(() => def.forward(...xs));
    if (!(y instanceof Tensor)) throw new KeepdistError(`${def.name}: expected forward to return a Tensor, got ${typeof y}.`);
    const out = xs.includes(y) || y.node ? new Tensor(y.storage, y.shape, y.backend) : y;
    return record(def.name, xs, out, (gz) => def.backward(gz, xs, out));
  };
}
