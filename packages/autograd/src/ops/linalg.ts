import { ShapeError, fmtShape } from '../errors.js';
import { checkTensor, commonBackend, record, wrap } from '../op.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { expand, reshape } from './shape.js';

/**
 * Batched product op(A) · op(B) with op = transpose when the flag is set (on the last two dims),
 * batch dims already equal. A fused primitive: its VJP is again `matmulT` with flags, so no
 * transpose is ever materialised:
 *   C = A B:     Ā = C̄ Bᵀ,   B̄ = Aᵀ C̄
 *   C = Aᵀ B:    Ā = B C̄ᵀ,   B̄ = A C̄
 *   C = A Bᵀ:    Ā = C̄ B,    B̄ = C̄ᵀ A
 *   C = Aᵀ Bᵀ:   Ā = Bᵀ C̄ᵀ,  B̄ = C̄ᵀ Aᵀ
 */
export function matmulT(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const backend = commonBackend('matmul', [a, b]);
  if (a.rank < 2 || b.rank < 2 || a.rank !== b.rank) {
    throw new ShapeError(`matmul: expected operands of equal rank ≥ 2, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  const r = a.rank;
  const batchShape = a.shape.slice(0, r - 2);
  if (b.shape.slice(0, r - 2).some((s, i) => s !== batchShape[i])) {
    throw new ShapeError(`matmul: expected equal batch dims, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  const [m, k] = transA ? [a.shape[r - 1]!, a.shape[r - 2]!] : [a.shape[r - 2]!, a.shape[r - 1]!];
  const [k2, n] = transB ? [b.shape[r - 1]!, b.shape[r - 2]!] : [b.shape[r - 2]!, b.shape[r - 1]!];
  if (k !== k2) {
    throw new ShapeError(`matmul: expected inner dimensions to match, got ${fmtShape(a.shape)}${transA ? 'ᵀ' : ''} and ${fmtShape(b.shape)}${transB ? 'ᵀ' : ''} (${k} vs ${k2}).`);
  }
  const batch = sizeOf(batchShape);
  const shape = [...batchShape, m, n];
  const out = wrap(backend.matmul(a.storage, b.storage, batch, m, k, n, transA, transB), shape, backend);
  return record('matmul', [a, b], out, (gc) => {
    if (!transA && !transB) return [a.requiresGrad ? matmulT(gc, b, false, true) : null, b.requiresGrad ? matmulT(a, gc, true, false) : null];
    if (transA && !transB) return [a.requiresGrad ? matmulT(b, gc, false, true) : null, b.requiresGrad ? matmulT(a, gc, false, false) : null];
    if (!transA && transB) return [a.requiresGrad ? matmulT(gc, b, false, false) : null, b.requiresGrad ? matmulT(gc, a, true, false) : null];
    return [a.requiresGrad ? matmulT(b, gc, true, true) : null, b.requiresGrad ? matmulT(gc, a, true, true) : null];
  });
}

/**
 * Matrix product with NumPy's matmul rules: 2-D × 2-D; batched on leading dims with
 * broadcasting; a 1-D operand is a row (left) or column (right) vector, its dim removed after.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', a);
  checkTensor('matmul', b);
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: expected operands of rank ≥ 1, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}.`);
  }
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const ab = a2.shape.slice(0, -2), bb = b2.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', ab, bb);
  const aE = expand(reshapeRank(a2, batch.length + 2), [...batch, ...a2.shape.slice(-2)]);
  const bE = expand(reshapeRank(b2, batch.length + 2), [...batch, ...b2.shape.slice(-2)]);
  let c = matmulT(aE, bE);
  if (a.rank === 1 && b.rank === 1) return reshape(c, []);
  if (a.rank === 1) c = reshape(c, [...c.shape.slice(0, -2), c.shape[c.rank - 1]!]);
  else if (b.rank === 1) c = reshape(c, c.shape.slice(0, -1));
  return c;
}

/** Prepends size-1 dims up to `rank`. */
function reshapeRank(x: Tensor, rank: number): Tensor {
  return x.rank === rank ? x : reshape(x, [...new Array<number>(rank - x.rank).fill(1), ...x.shape]);
}

/** Gram matrix of the rows: X Xᵀ for X of shape [n, d] (or batched), without materialising Xᵀ. */
export function gram(x: Tensor): Tensor {
  checkTensor('gram', x);
  if (x.rank < 2) throw new ShapeError(`gram: expected rows of rank ≥ 2 ([n, d] or batched), got ${fmtShape(x.shape)}.`);
  return matmulT(x, x, false, true);
}

