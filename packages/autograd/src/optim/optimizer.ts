import { DomainError, OptionError, ShapeError, fmtShape } from '../errors.js';
import { describe, noGrad } from '../op.js';
import { keep, tensorsIn } from '../tidy.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { WasmStorage } from '../backend/wasm/storage.js';
import { WasmBackend } from '../backend/wasm/index.js';

/**
 * Base of keepdist's optimizers: parameters, per-parameter state in a `Map` keyed by parameter,
 * `step()` and `zeroGrad()`. A subclass supplies `update(param, grad, state)`, a pure function
 * of its arguments that returns the new value and the new state; `step()` writes the value
 * back into the same Tensor object (`assign`).
 *
 * Checked here for every optimizer: `params` is an array of tensors with requiresGrad and finite
 * values (construction), and on each step every gradient has its parameter's shape, dtype and
 * backend and is finite. The value checks read the data on the cpu backend; other backends skip them.
 */
export abstract class Optimizer<S> {
  /** Per-parameter state, created on the first step that sees a gradient for it. */
  readonly state = new Map<Tensor, S>();

  /** @param params leaves with `requiresGrad`; their `grad` is read on each step */
  constructor(readonly params: readonly Tensor[], protected readonly name: string) {
    if (!Array.isArray(params)) {
      throw new OptionError(`${name}: expected params, an array of tensors, got ${describe(params)}. Pass [x] for a single parameter.`);
    }
    params.forEach((p: unknown, i) => {
      if (!(p instanceof Tensor)) throw new OptionError(`${name}: expected params[${i}] to be a Tensor, got ${describe(p)}.`);
      if (!p.requiresGrad) throw new OptionError(`${name}: expected parameters with requiresGrad, got a constant at position ${i}. Call p.requireGrad().`);
      const bad = firstNonFinite(p);
      if (bad) {
        throw new DomainError(`${name}: expected finite parameter values, got ${bad.value} at params[${i}] flat index ${bad.index}. Initialise the parameters with finite numbers.`);
      }
    });
  }

  /** New value and state of one parameter. */
  protected abstract update(param: Tensor, grad: Tensor, state: S | undefined): { value: Tensor; state: S };

  /**
   * The update `step()` applies: {@link Optimizer.update} of `param.detach()` by default. A
   * subclass may override it to write the new state into the blocks of the state it replaces (its
   * own, which `step()` drops) and the new values into the parameter's own storage when no other
   * tensor shares it (returning `param` itself as the value): memory a training loop then does not
   * leave to garbage collection. Called without recording, after the gradient checks.
   */
  protected stepUpdate(param: Tensor, grad: Tensor, state: S | undefined): { value: Tensor; state: S } {
    return this.update(param.detach(), grad, state);
  }

  /**
   * Applies one update to every parameter that has a gradient (others are left alone). Throws a
   * ShapeError for a gradient whose shape, dtype or backend differs from its parameter's and a
   * DomainError for a NaN or infinite gradient, before any parameter is changed.
   */
  step(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i]!;
      if (p.grad) this.checkGradient(p, p.grad, i);
    }
    noGrad(() => {
      for (const p of this.params) {
        if (!p.grad) continue;
        const { value, state } = this.stepUpdate(p, p.grad, this.state.get(p));
        p.assign(value);
        this.state.set(p, keep(state)); // state tensors outlive a tidy() around the step
      }
    });
  }

  /**
   * Clears every parameter's gradient (gradients accumulate across backward calls until then). On
   * the wasm backend the gradients' blocks return to the heap at once, so a training loop's memory
   * stays flat without waiting for garbage collection (except a gradient whose storage the
   * optimizer's state or a parameter also holds, as SGD's first momentum buffer does): a gradient
   * tensor read after zeroGrad() throws (clone() one to keep it).
   */
  zeroGrad(): void {
    let held: Set<unknown> | null = null; // made only when there is a wasm gradient to free
    for (const p of this.params) {
      const g = p.grad?.storage;
      p.grad = null;
      if (!(g instanceof WasmStorage) || g.disposed) continue;
      if (!held) {
        held = new Set<unknown>();
        for (const q of this.params) held.add(q.storage);
        for (const s of this.state.values()) for (const t of tensorsIn(s)) held.add(t.storage);
      }
      if (!held.has(g)) {
        held.add(g);
        g.dispose();
      }
    }
  }

  private checkGradient(p: Tensor, g: unknown, i: number): void {
    if (!(g instanceof Tensor)) throw new ShapeError(`${this.name}: expected params[${i}].grad to be a Tensor, got ${describe(g)}.`);
    if (!sameShape(g.shape, p.shape) || g.dtype !== p.dtype || g.backend !== p.backend) {
      throw new ShapeError(
        `${this.name}: expected params[${i}].grad of shape ${fmtShape(p.shape)} (${p.dtype} on '${p.backend.name}'), ` +
        `got ${fmtShape(g.shape)} (${g.dtype} on '${g.backend.name}'). A gradient is never broadcast to its parameter.`,
      );
    }
    const bad = firstNonFinite(g);
    if (bad) {
      throw new DomainError(
        `${this.name}: expected a finite gradient, got ${bad.value} at params[${i}].grad flat index ${bad.index}. ` +
        'The loss or its gradient is undefined or overflowed there; no parameter was changed. Check the loss and the inputs (or lower the learning rate).',
      );
    }
  }
}

/**
 * The first NaN or ±Infinity of a tensor on a synchronous backend (cpu, wasm), or null (also for
 * asynchronous backends, which are not read: that would stall every step on a device read).
 */
function firstNonFinite(t: Tensor): { value: number; index: number } | null {
  if (!t.backend.synchronous) return null;
  if (t.backend instanceof WasmBackend) {
    const k = t.backend.firstNonFinite(t.storage); // a SIMD scan of the heap block, no copy
    return k < 0 ? null : { value: (t.storage as WasmStorage).view()[k]!, index: k };
  }
  const data = t.readSync('optimizer'); // the cpu backend's own array (no copy), a copy elsewhere
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v - v !== 0) return { value: v, index: k };
  }
  return null;
}

/** Checks a numeric option against an interval, naming the optimizer, option and value. */
export function checkOption(name: string, option: string, value: number, lo: number, hi: number,
  loInclusive = true, hiInclusive = false): number {
  const okLo = loInclusive ? value >= lo : value > lo;
  const okHi = hiInclusive ? value <= hi : value < hi;
  if (typeof value !== 'number' || !okLo || !okHi) {
    throw new OptionError(`${name}: expected ${option} in ${loInclusive ? '[' : '('}${lo}, ${hi}${hiInclusive ? ']' : ')'}, got ${describe(value)}.`);
  }
  return value;
}

/**
 * Checks an options argument: undefined (when `required` is false) or a plain object whose keys
 * are all among `allowed`; an unknown key (a typo such as `lrr`) throws an OptionError that lists
 * the valid ones. Returns the options (an empty object for undefined).
 */
export function checkOptionKeys<T extends object>(name: string, opts: T | undefined, allowed: readonly string[], required = false): T {
  if (opts === undefined && !required) return {} as T;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new OptionError(`${name}: expected options { ${allowed.join(', ')} }, got ${opts === undefined ? 'none' : describe(opts)}.`);
  }
  for (const key of Object.keys(opts)) {
    if (!allowed.includes(key)) {
      throw new OptionError(`${name}: expected options among ${allowed.join(', ')}, got unknown option '${key}'. Check its spelling.`);
    }
  }
  return opts;
}

/** Checks a pair option such as Adam's betas: an array of two numbers. */
export function checkPair(name: string, option: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new OptionError(`${name}: expected ${option} a pair [b1, b2], got ${describe(value)}.`);
  }
  return [value[0] as number, value[1] as number];
}
