import { cpuBackend, matmulT, noGrad, tensor, type Tensor } from '@keepdist/autograd';

/** Rows per tile edge: a tile of cosines is TILE × TILE float64 (2 MiB), never n × n. */
export const TILE = 512;

/**
 * Visits the cosine matrix X Xᵀ of unit rows block by block, upper block triangle only (I ≤ J),
 * computing each TILE × TILE block with the autograd `matmulT` kernel on the cpu backend. `visit`
 * receives the block's first row i0 and column j0, its size, the row-major block and whether it is
 * a diagonal block (where only local column > local row is a pair i < j). Memory: one copy of X
 * plus one block.
 */
export function forEachCosineTile(rows: Float64Array, n: number, d: number,
  visit: (i0: number, j0: number, rowsI: number, colsJ: number, block: Float64Array, diagonal: boolean) => void,
  tile = TILE): void {
  noGrad(() => {
    const blocks: Tensor[] = [];
    for (let i0 = 0; i0 < n; i0 += tile) {
      const len = Math.min(tile, n - i0);
      blocks.push(tensor(rows.subarray(i0 * d, (i0 + len) * d), { shape: [len, d], dtype: 'float64', backend: cpuBackend }));
    }
    for (let I = 0; I < blocks.length; I++) {
      for (let J = I; J < blocks.length; J++) {
        const c = matmulT(blocks[I]!, blocks[J]!, false, true);
        visit(I * tile, J * tile, blocks[I]!.shape[0]!, blocks[J]!.shape[0]!, c.readSync('metrics') as Float64Array, I === J);
      }
    }
  });
}
