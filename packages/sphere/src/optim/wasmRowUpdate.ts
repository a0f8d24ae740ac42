/**
 * The fused updates of `RiemannianAdam` and `RiemannianSGD` on the wasm backend: the same row
 * loops as the host version (fusedRowUpdate.ts), run by the backend's kernel on its own heap
 * (`WasmBackend.riemannianAdamRows` / `riemannianSgdRows`, rows split over its threads) — nothing
 * is copied to or from JavaScript arrays. The results are new tensors; no input is written.
 * Returns null (the caller falls back) where the host version would: another backend, mixed
 * dtypes or shapes, a graph to record, or an outcome the kernel leaves to the composed path.
 * `wasmAdamStep` and `wasmSgdStep` are the optimizers' own steps: the same kernels writing the new
 * moments into the blocks of the state they replace and the new point into the parameter's block
 * when no other tensor shares it, so a training loop leaves nothing of the update to garbage collection.
 * @module
 */
import { Tensor, WasmBackend, type DType, type Storage } from '@keepdist/autograd';
import { WasmStorage, type AdamRowsSpec, type SgdRowsSpec } from '@keepdist/autograd/internal';
import { seriesThreshold } from '../numerics.js';
import { fusableOperand } from './fusedRowUpdate.js';
import type { RiemannianAdamHyperparameters, RiemannianAdamState } from './riemannianAdam.js';
import { weightDecayOverflow, type RiemannianUpdate } from './riemannianOptions.js';
import type { RiemannianSGDHyperparameters, RiemannianSGDState } from './riemannianSgd.js';

/** `t`'s storage when `t` is on `backend` with `dtype` and exactly `shape` and not to be recorded; else null. */
function heapStorage(t: Tensor, backend: WasmBackend, dtype: DType, shape: readonly number[]): Storage | null {
  return t.backend === backend && fusableOperand(t, dtype, shape) ? t.storage : null;
}

/** The wasm backend of a rank-2 x, or null. */
function wasmOf(x: Tensor): WasmBackend | null {
  return x.rank === 2 && x.backend instanceof WasmBackend ? x.backend : null;
}

/** The Adam kernel's spec at `step` (one object literal: a spread of the common part cost microseconds a step). */
function adamSpec(h: RiemannianAdamHyperparameters, x: Tensor, step: number): AdamRowsSpec {
  return {
    n: x.shape[0]!, d: x.shape[1]!, retraction: h.retraction, stabilize: h.stabilize !== null && step % h.stabilize === 0,
    seriesThreshold: seriesThreshold[x.dtype], lr: h.lr, weightDecay: h.weightDecay,
    beta1: h.beta1, beta2: h.beta2, eps: h.eps, step, amsgrad: h.amsgrad,
  };
}

/** A tensor over a storage the kernel made. */
function wrap(s: Storage, shape: readonly number[], backend: WasmBackend): Tensor {
  return new Tensor(s, shape.slice(), backend);
}

/** The heap blocks RiemannianAdam's kernel reads, and the step it takes; null where the kernel does not apply. */
interface AdamOperands {
  backend: WasmBackend;
  shape: readonly number[];
  n: number;
  xs: Storage;
  gs: Storage;
  ms: Storage | null;
  vs: Storage | null;
  vMaxIn: Storage | null;
  step: number;
}

/** x, the gradient and the state as heap blocks of x's wasm backend (see {@link heapStorage}), or null. */
function adamOperands(h: RiemannianAdamHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianAdamState | undefined): AdamOperands | null {
  const backend = wasmOf(x);
  if (!backend) return null;
  const { dtype, shape } = x, n = shape[0]!;
  const xs = heapStorage(x, backend, dtype, shape), gs = heapStorage(grad, backend, dtype, shape);
  const ms = state ? heapStorage(state.m, backend, dtype, shape) : null;
  const vs = state ? heapStorage(state.v, backend, dtype, [n]) : null;
  const vMaxIn = h.amsgrad && state?.vMax ? heapStorage(state.vMax, backend, dtype, [n]) : null;
  if (!xs || !gs || (state && (!ms || !vs)) || (h.amsgrad && state?.vMax && !vMaxIn)) return null;
  return { backend, shape, n, xs, gs, ms, vs, vMaxIn, step: (state?.step ?? 0) + 1 };
}

/**
 * RiemannianAdam's update on the wasm heap (formulas: `fusedAdamUpdate`); null where it does not apply.
 * @param h the optimizer's hyperparameters
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the previous state, or undefined before the first step
 */
export function wasmAdamUpdate(h: RiemannianAdamHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> | null {
  const o = adamOperands(h, x, grad, state);
  if (!o) return null;
  const { backend, shape, n, xs, gs, ms, vs, vMaxIn, step } = o;
  const r = backend.riemannianAdamRows(adamSpec(h, x, step), xs, gs, ms, vs, vMaxIn);
  if (r.status === 'overflow') throw weightDecayOverflow('RiemannianAdam', h.weightDecay, r.value, r.index);
  if (r.status === 'composed') return null;
  const next: RiemannianAdamState = { step, m: wrap(r.m, shape, backend), v: wrap(r.v, [n], backend) };
  if (r.vMax) next.vMax = wrap(r.vMax, [n], backend);
  return { value: r.x === xs ? x : wrap(r.x, shape, backend), state: next };
}

/** The heap blocks RiemannianSGD's kernel reads (`prev`: the momentum buffer in use), and its step; null where it does not apply. */
interface SgdOperands {
  backend: WasmBackend;
  shape: readonly number[];
  xs: Storage;
  gs: Storage;
  prev: Tensor | null;
  ms: Storage | null;
  step: number;
}

/** x, the gradient and the momentum buffer as heap blocks of x's wasm backend, or null. */
function sgdOperands(h: RiemannianSGDHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianSGDState | undefined): SgdOperands | null {
  const backend = wasmOf(x);
  if (!backend) return null;
  const { dtype, shape } = x;
  const xs = heapStorage(x, backend, dtype, shape), gs = heapStorage(grad, backend, dtype, shape);
  const prev = h.momentum > 0 ? state?.m ?? null : null;
  const ms = prev ? heapStorage(prev, backend, dtype, shape) : null;
  if (!xs || !gs || (prev && !ms)) return null;
  return { backend, shape, xs, gs, prev, ms, step: (state?.step ?? 0) + 1 };
}

/** The SGD kernel's spec at `step`. */
function sgdSpec(h: RiemannianSGDHyperparameters, x: Tensor, step: number): SgdRowsSpec {
  return {
    n: x.shape[0]!, d: x.shape[1]!, retraction: h.retraction, stabilize: h.stabilize !== null && step % h.stabilize === 0,
    seriesThreshold: seriesThreshold[x.dtype], lr: h.lr, weightDecay: h.weightDecay,
    momentum: h.momentum, dampening: h.dampening, nesterov: h.nesterov,
  };
}

/**
 * RiemannianSGD's update on the wasm heap (formulas: `fusedSgdUpdate`); null where it does not apply.
 * @param h the optimizer's hyperparameters
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the previous state, or undefined before the first step
 */
export function wasmSgdUpdate(h: RiemannianSGDHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> | null {
  const o = sgdOperands(h, x, grad, state);
  if (!o) return null;
  const { backend, shape, xs, gs, ms, step } = o;
  const r = backend.riemannianSgdRows(sgdSpec(h, x, step), xs, gs, ms);
  if (r.status === 'overflow') throw weightDecayOverflow('RiemannianSGD', h.weightDecay, r.value, r.index);
  if (r.status === 'composed') return null;
  return { value: wrap(r.x, shape, backend), state: { step, m: r.m ? wrap(r.m, shape, backend) : null } };
}

/** True when no tensor but `x` holds x's heap block, so that x's new values may be written into it. */
function sole(x: Tensor, s: Storage): boolean {
  return s instanceof WasmStorage && !s.aliased && x.storage === s;
}

/** True when no two of the non-null storages are the same. */
function distinct(blocks: (Storage | null)[]): boolean {
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) if (blocks[i] !== null && blocks[i] === blocks[j]) return false;
  }
  return true;
}

/** True when every value of t (on a synchronous backend) is ≥ 0 or NaN. */
function nonNegative(t: Tensor): boolean {
  const v = t.storage instanceof WasmStorage ? t.storage.view() : t.readSync('RiemannianAdam');
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) return false;
  return true;
}

/**
 * RiemannianAdam's update for `step()`: the new moments written into the blocks of the optimizer's
 * own previous state (new blocks only on a first step), the new point into x's own block when no
 * other tensor shares it (then the value returned is x itself), else a new one; null where the pure update
 * must run instead: not on wasm, weight decay (whose overflow check could stop part way), a
 * negative v or vMax in a hand-made state, or state tensors that share storage with x, the
 * gradient or each other.
 * @param h the optimizer's hyperparameters
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the optimizer's state of x (replaced by the result), or undefined before the first step
 */
export function wasmAdamStep(h: RiemannianAdamHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianAdamState | undefined): RiemannianUpdate<RiemannianAdamState> | null {
  if (h.weightDecay !== 0) return null;
  const o = adamOperands(h, x, grad, state);
  if (!o) return null;
  const { backend, shape, n, xs, gs, ms, vs, vMaxIn, step } = o;
  if (!distinct([xs, gs, ms, vs, vMaxIn])) return null;
  if ((state && !nonNegative(state.v)) || (vMaxIn && !nonNegative(state!.vMax!))) return null;
  const r = backend.riemannianAdamRows(adamSpec(h, x, step), xs, gs, ms, vs, vMaxIn, true, sole(x, xs));
  if (r.status !== 'done') return null; // unreachable: the kernel throws when an update in the state's blocks stops
  const next: RiemannianAdamState = {
    step, m: state && r.m === ms ? state.m : wrap(r.m, shape, backend), v: state && r.v === vs ? state.v : wrap(r.v, [n], backend),
  };
  if (r.vMax) next.vMax = state?.vMax && r.vMax === vMaxIn ? state.vMax : wrap(r.vMax, [n], backend);
  return { value: r.x === xs ? x : wrap(r.x, shape, backend), state: next };
}

/**
 * RiemannianSGD's update for `step()`: the new momentum buffer copied over the optimizer's own
 * previous buffer (a new one on the first step with momentum), the new point over x's own block
 * when no other tensor shares it (the value returned is then x itself); null where the pure
 * update must run instead (not on wasm, a buffer sharing storage with x or the gradient, or an
 * outcome the kernel leaves to the composed path: the buffer is then unchanged).
 * @param h the optimizer's hyperparameters
 * @param x the current point, n × d
 * @param grad the Euclidean gradient, n × d
 * @param state the optimizer's state of x (replaced by the result), or undefined before the first step
 */
export function wasmSgdStep(h: RiemannianSGDHyperparameters, x: Tensor, grad: Tensor,
  state: RiemannianSGDState | undefined): RiemannianUpdate<RiemannianSGDState> | null {
  const o = sgdOperands(h, x, grad, state);
  if (!o) return null;
  const { backend, shape, xs, gs, ms, prev, step } = o;
  if (ms && (ms === xs || ms === gs)) return null;
  const r = backend.riemannianSgdRows(sgdSpec(h, x, step), xs, gs, ms, true, sole(x, xs));
  if (r.status === 'overflow') throw weightDecayOverflow('RiemannianSGD', h.weightDecay, r.value, r.index);
  if (r.status === 'composed') return null;
  const m = r.m === null ? null : prev && r.m === ms ? prev : wrap(r.m, shape, backend);
  return { value: r.x === xs ? x : wrap(r.x, shape, backend), state: { step, m } };
}
