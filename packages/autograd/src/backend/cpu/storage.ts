import type { Storage } from '../backend.js';
import { allocate, dtypeOf, type DType, type TypedArray } from '../../dtype.js';
import { KeepdistError } from '../../errors.js';

/** The cpu backend's storage: a plain typed array (Float32Array or Float64Array). */
export class CpuStorage implements Storage {
  private _data: TypedArray;
  private _disposed = false;
  /** Element type, from the array's class (kept after `dispose`). */
  readonly dtype: DType;
  /** Number of elements (kept after `dispose`). */
  readonly size: number;

  /** @param data the elements, row-major */
  constructor(data: TypedArray) {
    this._data = data;
    this.dtype = dtypeOf(data);
    this.size = data.length;
  }
  /** The elements; throws a KeepdistError once the storage was disposed. */
  get data(): TypedArray {
    if (this._disposed) {
      throw new KeepdistError('cpu backend: expected a live storage, got one that was disposed. Keep tensors you still use (keep() them out of tidy()).');
    }
    return this._data;
  }
  /** True after {@link CpuStorage.dispose}. */
  get disposed(): boolean {
    return this._disposed;
  }
  /** Drops the elements (garbage collection then frees them); later reads throw. */
  dispose(): void {
    this._disposed = true;
    this._data = new Float64Array(0);
  }
}

/** The typed array behind a cpu storage. */
export function arr(x: Storage): TypedArray {
  return (x as CpuStorage).data;
}

/** A new zeroed cpu storage. */
export function zerosLike(dtype: DType, size: number): CpuStorage {
  return new CpuStorage(allocate(dtype, size));
}

/**
 * Merges adjacent dims that every operand walks contiguously (or all broadcast), so strided
 * loops run over the longest possible inner stretch. Returns the collapsed shape and strides.
 */
export function collapseDims(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i]!;
    if (n === 1) continue; // a size-1 dim never moves any pointer
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[i]! * n);
    if (mergeable) {
      outShape[last] = outShape[last]! * n;
      strides.forEach((s, k) => (outStrides[k]![last] = s[i]!));
    } else {
      outShape.push(n);
      strides.forEach((s, k) => outStrides[k]!.push(s[i]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `run(offsets, len)` once per innermost stretch of a strided walk over `shape`, with each
 * operand's starting offset; the innermost dim (length `len`, strides `strides[k][last]`) is left
 * to the caller's tight loop.
 */
export function forEachRun(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  base: readonly number[],
  run: (offsets: number[], len: number) => void,
): void {
  const rank = shape.length;
  const offsets = base.slice();
  if (rank === 0) {
    run(offsets, 1);
    return;
  }
  const len = shape[rank - 1]!;
  if (len === 0) return;
  const outer = shape.slice(0, rank - 1);
  for (const s of outer) if (s === 0) return;
  const idx = new Array<number>(rank - 1).fill(0);
  for (;;) {
    run(offsets, len);
    let d = rank - 2;
    while (d >= 0) {
      idx[d]!++;
      strides.forEach((s, k) => (offsets[k] = offsets[k]! + s[d]!));
      if (idx[d]! < outer[d]!) break;
      strides.forEach((s, k) => (offsets[k] = offsets[k]! - s[d]! * outer[d]!));
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}
