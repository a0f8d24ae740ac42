/**
 * Explicit release of device memory: {@link tidy} scopes and the bookkeeping behind
 * `Tensor.dispose()`. The cpu backend's storages are plain typed arrays that garbage collection
 * frees; a gpu backend's storages hold device buffers whose size the JavaScript heap does not see,
 * so a loop that makes many large temporaries (a tiled pairwise sweep, a training step on webgpu)
 * should release them as it goes, as TensorFlow.js's `tidy` does.
 */
import type { Storage } from './backend/backend.js';
import { KeepdistError } from './errors.js';
import { Tensor } from './tensor.js';

/**
 * Order in which storages were first wrapped by a tensor: a storage first seen in a scope was made
 * there. Kept on the storage under a symbol (a WeakMap lookup per tensor cost a sixth of a small
 * op's time); storages that cannot take a property (frozen) use the WeakMap.
 */
const BIRTH = Symbol('keepdist.birth');
/** Set on a storage that outlives every scope (see {@link markEscaped}); frozen storages use a WeakSet. */
const ESCAPED = Symbol('keepdist.escaped');
type Born = Storage & { [BIRTH]?: number; [ESCAPED]?: true };
const frozenBirth = new WeakMap<Storage, number>();
let births = 0;

/** The birth number of `s`, or undefined when no tensor has wrapped it yet. */
function birthOf(s: Storage): number | undefined {
  return (s as Born)[BIRTH] ?? frozenBirth.get(s);
}

/** Frozen storages that outlive any scope: assigned into a tensor in place, or accumulated as a leaf's gradient. */
const frozenEscaped = new WeakSet<Storage>();

/** True when `s` was marked by {@link markEscaped}. */
function isEscaped(s: Storage): boolean {
  return (s as Born)[ESCAPED] === true || (!Object.isExtensible(s) && frozenEscaped.has(s));
}

/** Open scopes, innermost last: the tensors created in each and the birth count at its start. */
const scopes: { tensors: Tensor[]; since: number }[] = [];

/** Called by the Tensor constructor: records the storage's birth and the tensor in the open scope. */
export function track(t: Tensor): void {
  const s = t.storage as Born;
  if (s[BIRTH] === undefined) {
    if (Object.isExtensible(s)) s[BIRTH] = births++;
    else if (!frozenBirth.has(s)) frozenBirth.set(s, births++);
  }
  if (scopes.length > 0) scopes[scopes.length - 1]!.tensors.push(t);
}

/** Keeps `storage` alive past every scope (in-place assignment, gradient accumulation). */
export function markEscaped(storage: Storage): void {
  if (Object.isExtensible(storage)) (storage as Born)[ESCAPED] = true;
  else frozenEscaped.add(storage);
}

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

/** True when one of `ts` has storage `s` (a scope returns few tensors: a scan beats a Set). */
function holds(ts: readonly Tensor[], s: Storage): boolean {
  for (const t of ts) if (t.storage === s) return true;
  return false;
}

/** Every tensor in `v`: a tensor, or an array or plain object of them (one level deep). */
export function tensorsIn(v: unknown): Tensor[] {
  if (v === undefined || v === null) return [];
  if (isTensor(v)) return [v];
  if (Array.isArray(v)) return v.filter(isTensor);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.values(v).filter(isTensor);
  return [];
}

/**
 * Keeps the tensors in `v` (a tensor, or an array or plain object of tensors, one level deep) alive
 * past every {@link tidy} scope, as state that a later step reads must be (optimizers keep their
 * moment estimates this way). Returns `v`.
 */
export function keep<T>(v: T): T {
  for (const t of tensorsIn(v)) markEscaped(t.storage);
  return v;
}

/**
 * Runs `fn` and then frees the storage of every tensor created inside it, except the tensors it
 * returns (a tensor, or an array or plain object of tensors) and storages that escaped the scope
 * (assigned into an outer tensor by `assign`, as optimizers do, accumulated as a leaf's `grad`, or
passed to {@link keep}, as optimizer state is).
 * Storages of tensors made before the scope are never freed, even when a view of them (`detach`,
 * `reshape`) was made inside. Scopes nest: what an inner scope returns belongs to the outer one.
 *
 * On the cpu backend this only drops references; on the gpu backend it frees device buffers now
 * (after the kernels that read them have run). `fn` must be synchronous.
 * @example
 * ```ts
 * const loss = tidy(() => sum(exp(gram(X))));   // the n × n temporaries are freed here
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = { tensors: [] as Tensor[], since: births };
  scopes.push(scope);
  let out: T;
  try {
    out = fn();
  } finally {
    scopes.pop();
  }
  if (out instanceof Promise) {
    throw new KeepdistError('tidy: expected a synchronous function, got one that returned a Promise. Await outside tidy, or dispose tensors yourself.');
  }
  const kept = tensorsIn(out);
  for (const t of scope.tensors) {
    const dispose = t.backend.dispose;
    if (!dispose) continue; // the cpu backend: garbage collection frees its arrays
    const s = t.storage;
    // a storage shared by several of the scope's tensors is freed once (`disposed` from then on)
    if (s.disposed || (birthOf(s) ?? -1) < scope.since || isEscaped(s) || holds(kept, s)) continue;
    dispose.call(t.backend, s);
  }
  scopes[scopes.length - 1]?.tensors.push(...kept);
  return out;
}
