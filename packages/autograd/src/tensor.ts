import type { Backend, Storage } from './backend/backend.js';
import type { DType, TypedArray } from './dtype.js';
import { CpuStorage } from './backend/cpu/storage.js';
import { WasmStorage } from './backend/wasm/storage.js';
import { KeepdistError, fmtShape } from './errors.js';
import { sizeOf } from './shape.js';
import { backward as runBackward } from './tape.js';
import { markEscaped, track } from './tidy.js';
import * as ew from './ops/elementwise.js';
import * as red from './ops/reduce.js';
import * as sh from './ops/shape.js';
import * as la from './ops/linalg.js';

/** Nested JS arrays of numbers, as `toArray()` returns them. */
export type NestedArray = number | NestedArray[];

/** A tensor argument of a binary op: a Tensor or a plain number (broadcast as a scalar). */
export type TensorLike = Tensor | number;

/** The record of the op that produced a tensor: its inputs and its vector-Jacobian product. */
export interface Node {
  /** The op's name, for error messages. */
  readonly name: string;
  /** The op's tensor inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** Given the cotangent of the output, the cotangent of each input (null where not needed). */
  readonly vjp: (gz: Tensor) => readonly (Tensor | null)[];
}

/**
 * An n-dimensional array on a backend, with an optional place in the autograd graph.
 * Storage is contiguous row-major; every op returns a new tensor.
 */
export class Tensor {
  /** Gradient accumulated by `backward()` (a leaf with `requiresGrad`), or null. */
  grad: Tensor | null = null;
  /** The op that produced this tensor while recording, or null for leaves. */
  node: Node | null = null;

  /**
   * Low-level constructor: prefer `tensor()`, `zeros()` and the ops.
   * @param _storage backend handle with `sizeOf(shape)` elements
   */
  constructor(
    private _storage: Storage,
    readonly shape: readonly number[],
    readonly backend: Backend,
    public requiresGrad = false,
  ) {
    track(this);
    if (_storage instanceof WasmStorage) {
      if (_storage.held) _storage.aliased = true;
      else _storage.held = true;
    }
  }

  /**
   * The backend storage handle (replaced by `assign`; on the wasm backend the Riemannian
   * optimizers may write a parameter's new values into it when no other tensor shares it).
   */
  get storage(): Storage {
    return this._storage;
  }
  /** Element type. */
  get dtype(): DType {
    return this._storage.dtype;
  }
  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Reads the elements (a copy), on every backend. */
  async data(): Promise<TypedArray> {
    return this.backend.read(this._storage);
  }
  /** Reads the elements synchronously (a copy); throws on asynchronous backends. */
  dataSync(): TypedArray {
    return this.readSync('dataSync').slice();
  }
  /** Nested arrays (a number for a scalar), on every backend. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }
  /** Nested arrays (a number for a scalar), synchronously; throws on asynchronous backends. */
  toArray(): NestedArray {
    return nest(this.readSync('toArray'), this.shape);
  }
  /** The single element of a size-1 tensor, synchronously. */
  item(): number {
    if (this.size !== 1) throw new KeepdistError(`item: expected a tensor with one element, got shape ${fmtShape(this.shape)}.`);
    return this.readSync('item')[0]!;
  }

  /** Internal synchronous read without copying; `fn` names the caller in errors. */
  readSync(fn: string): TypedArray {
    if (!this.backend.synchronous) {
      throw new KeepdistError(`${fn}: expected a synchronous backend, got '${this.backend.name}'. Use await t.data() or await t.array().`);
    }
    return this.backend.readSync(this._storage);
  }

  /**
   * Reverse-mode differentiation from this tensor: accumulates d(this)/d(leaf) into every leaf's
   * `grad`. Needs `seed` (the cotangent, same shape) unless this tensor has one element.
   */
  backward(seed?: Tensor): void {
    runBackward(this, seed);
  }
  /** A leaf sharing this tensor's storage, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this._storage, this.shape, this.backend, false);
  }
  /** Marks this tensor as a leaf whose gradient `backward()` accumulates; returns it. */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }
  /** Clears the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }
  /**
   * Replaces this tensor's values with `value`'s (same shape, dtype and backend), keeping the
   * object: how optimizers update parameters in place.
   */
  assign(value: Tensor): this {
    if (value.backend !== this.backend || value.dtype !== this.dtype || value.shape.length !== this.shape.length
      || value.shape.some((s, i) => s !== this.shape[i])) {
      throw new KeepdistError(
        `assign: expected a ${this.dtype} tensor of shape ${fmtShape(this.shape)} on '${this.backend.name}', ` +
        `got ${value.dtype} ${fmtShape(value.shape)} on '${value.backend.name}'.`,
      );
    }
    if (value._storage !== this._storage && value._storage instanceof WasmStorage) value._storage.aliased = true;
    this._storage = value._storage;
    markEscaped(this._storage);
    return this;
  }
  /**
   * Frees this tensor's storage now (device memory on the gpu backend, once the kernels reading it
   * have run); the tensor, and every view sharing its storage, must not be used afterwards. Garbage
   * collection frees storage too, but does not see device memory: dispose large temporaries in loops,
   * or wrap the loop body in {@link tidy}.
   */
  dispose(): void {
    // cpu storages have no device memory (tidy() leaves them to garbage collection), but an explicit
    // dispose() still marks them, so that a later use throws as it does on the gpu backend
    if (this._storage instanceof CpuStorage) this._storage.dispose();
    else this.backend.dispose?.(this._storage);
  }
  /** Short description for logs. */
  toString(): string {
    return `Tensor(${fmtShape(this.shape)}, ${this.dtype}, ${this.backend.name})`;
  }

  /** {@link ew.add} */ add(b: TensorLike): Tensor { return ew.add(this, b); }
  /** {@link ew.sub} */ sub(b: TensorLike): Tensor { return ew.sub(this, b); }
  /** {@link ew.mul} */ mul(b: TensorLike): Tensor { return ew.mul(this, b); }
  /** {@link ew.div} */ div(b: TensorLike): Tensor { return ew.div(this, b); }
  /** {@link ew.pow} */ pow(b: TensorLike): Tensor { return ew.pow(this, b); }
  /** {@link ew.neg} */ neg(): Tensor { return ew.neg(this); }
  /** {@link ew.exp} */ exp(): Tensor { return ew.exp(this); }
  /** {@link ew.log} */ log(): Tensor { return ew.log(this); }
  /** {@link ew.sqrt} */ sqrt(): Tensor { return ew.sqrt(this); }
  /** {@link ew.square} */ square(): Tensor { return ew.square(this); }
  /** {@link ew.abs} */ abs(): Tensor { return ew.abs(this); }
  /** {@link ew.clamp} */ clamp(lo: number, hi: number): Tensor { return ew.clamp(this, lo, hi); }
  /** {@link red.sum} */ sum(dim?: number | number[], keepdim = false): Tensor { return red.sum(this, dim, keepdim); }
  /** {@link red.mean} */ mean(dim?: number | number[], keepdim = false): Tensor { return red.mean(this, dim, keepdim); }
  /** {@link red.max} */ max(dim?: number, keepdim = false): Tensor { return red.max(this, dim, keepdim); }
  /** {@link red.min} */ min(dim?: number, keepdim = false): Tensor { return red.min(this, dim, keepdim); }
  /** {@link red.norm} */ norm(dim?: number | number[], keepdim = false): Tensor { return red.norm(this, dim, keepdim); }
  /** {@link sh.reshape} */ reshape(shape: readonly number[]): Tensor { return sh.reshape(this, shape); }
  /** {@link sh.transpose} */ transpose(dim0 = -2, dim1 = -1): Tensor { return sh.transpose(this, dim0, dim1); }
  /** Transpose of the last two dims. */
  get T(): Tensor { return sh.transpose(this, -2, -1); }
  /** {@link sh.expand} */ expand(shape: readonly number[]): Tensor { return sh.expand(this, shape); }
  /** {@link la.matmul} */ matmul(b: Tensor): Tensor { return la.matmul(this, b); }
}

/** Turns flat row-major data into nested arrays of `shape`. */
function nest(data: TypedArray, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0]!;
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const step = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? data[offset + i]! : build(offset + i * step, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}
