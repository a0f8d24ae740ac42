import type { Backend, Storage } from '../backend.js';
import { allocate, type DType } from '../../dtype.js';
import { CpuStorage, arr } from './storage.js';
import { binary, unary, where } from './elementwise.js';
import { reduce } from './reduce.js';
import { matmul } from './matmul.js';
import { concat, gather, scatterAdd, sort, stridedCopy, stridedScatter } from './layout.js';
import { nearest, pairwiseSum } from './pairwise.js';
import { sortedRowLoss } from './sortedRows.js';

export { CpuStorage } from './storage.js';

/**
 * The plain TypeScript backend: contiguous Float32Array/Float64Array storage, synchronous, exact
 * float64 (what gradient checks run on). The default backend.
 */
export const cpuBackend: Backend = {
  name: 'cpu',
  synchronous: true,
  dtypes: ['float32', 'float64'],
  upload(data: ArrayLike<number>, dtype: DType): Storage {
    const out = allocate(dtype, data.length);
    out.set(data);
    return new CpuStorage(out);
  },
  read: async (x) => arr(x).slice(),
  readSync: (x) => arr(x),
  fill(size: number, value: number, dtype: DType): Storage {
    return new CpuStorage(allocate(dtype, size).fill(value));
  },
  unary,
  binary,
  where,
  reduce,
  matmul,
  stridedCopy,
  stridedScatter,
  concat,
  gather,
  scatterAdd,
  sort,
  pairwiseSum,
  nearest,
  sortedRowLoss,
  cast(x: Storage, dtype: DType): Storage {
    const out = allocate(dtype, x.size);
    out.set(arr(x));
    return new CpuStorage(out);
  },
};
