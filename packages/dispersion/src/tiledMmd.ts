import {
  GpuBackend, isDeviceMode, type Backend,
  add, arange, cpuBackend, defineOp, isGradEnabled, matmul, matmulT, mul, ne, reshape, slice, sum, tidy,
  valueAndGrad, where, withGradMode, zeros, type Tensor,
} from '@keepdist/autograd';
import { FUSED_MMD_MIN_ROWS } from './fusedMmd.js';
import { kernelOfCosine, type KernelSpec } from './mmd.js';

/**
 * Most elements of one tile's n × T matrices in {@link tiledMmd}, per kind of backend:
 * - `device` (the gpu backend's GPU modes: webgpu, webgl2, webgl, headlessgl): 2^23 (32 MiB in
 *   float32), so a tile's dozen temporaries stay well inside a GPU's memory and under the 2^24
 *   limit, and each kernel launch covers millions of cells;
 * - `host` (every other backend: webasm, gpu.js's cpu mode, the cpu backend): 2^21 (8 MiB), which
 *   measured faster and 2.6× lighter than 2^23 on webasm (n = 4096, d = 64: 3.2 s and 397 MiB peak
 *   RSS against 5.4 s and 1045 MiB), each gpu.js webasm kernel keeping memory for its largest call.
 */
export const TILED_MMD_TILE_ELEMENTS = { device: 2 ** 23, host: 2 ** 21 } as const;

/**
 * Columns per tile of {@link tiledMmd} for n rows on `backend`: ⌊E / n⌋ with E from
 * {@link TILED_MMD_TILE_ELEMENTS}, at least 1, at most n.
 */
export function tiledMmdColumns(n: number, backend?: Backend): number {
  const onDevice = backend instanceof GpuBackend && isDeviceMode(backend.mode);
  const elements = onDevice ? TILED_MMD_TILE_ELEMENTS.device : TILED_MMD_TILE_ELEMENTS.host;
  return Math.max(1, Math.min(n, Math.floor(elements / n)));
}

/** Loss and (optionally) gradient of one tiled sweep, as tensors on X's backend. */
interface TiledSweep {
  loss: Tensor;
  grad: Tensor | null;
}

/**
 * The MMD sweep in column tiles, with ops only (so it runs on any backend, asynchronous ones
 * included, without reading back): for each block J of T columns,
 *
 *   C = X X_Jᵀ (n × T),   M_ij = [i ≠ j],   s_J = Σ M ⊙ k(where(M, C, 0)),   W = ∂s_J/∂C = M ⊙ k′(C),
 *   loss += s_J,   G += W X_J,
 *
 * where k is {@link kernelOfCosine} and W comes from reverse mode on the tile, so the clamp and
 * chord conventions are those of the composed reference by construction. Summed over the tiles,
 * Σ_{i≠j} k = 2 Σ_{i<j} k and G_i = Σ_{j≠i} k′(c_ij) x_j; then L = loss / P and ∂L/∂X = 2G / P.
 * Each tile's temporaries are freed by {@link tidy} before the next tile starts.
 */
function tiledSweep(X: Tensor, spec: KernelSpec, columns: number, withGrad: boolean): TiledSweep {
  const [n, d] = X.shape as [number, number];
  const like = { backend: X.backend, dtype: X.dtype };
  const rows = reshape(arange(0, n, 1, like), [n, 1]);
  const tileLoss = (mask: Tensor) => (c: Tensor): Tensor => sum(where(mask, kernelOfCosine(where(mask, c, 0), spec), 0));
  let loss = zeros([], like);
  let grad = withGrad ? zeros([n, d], like) : null;
  for (let j0 = 0; j0 < n; j0 += columns) {
    const j1 = Math.min(n, j0 + columns);
    const next = tidy(() => {
      const XJ = slice(X, 0, j0, j1);
      const mask = ne(rows, reshape(arange(j0, j1, 1, like), [1, j1 - j0]));
      const C = matmulT(X, XJ, false, true);
      if (!withGrad) return { loss: add(loss, tileLoss(mask)(C)), grad: null };
      const { value, grads } = withGradMode(true, () => valueAndGrad(tileLoss(mask))(C));
      return { loss: add(loss, value), grad: add(grad!, matmul(grads[0]!, XJ)) };
    });
    loss.dispose();
    grad?.dispose();
    ({ loss, grad } = next);
  }
  rows.dispose();
  const pairs = (n * (n - 1)) / 2;
  const out = { loss: mul(loss, 1 / pairs), grad: grad && mul(grad, 2 / pairs) };
  loss.dispose();
  grad?.dispose();
  return out;
}

/**
 * Tiled MMD dispersion (SPEC §2.1) for backends other than the cpu one (the gpu backend's
 * synchronous and asynchronous modes): a {@link defineOp} equal to {@link mmdComposed} (held equal
 * by property tests) whose memory is O(n·T + n·d) instead of O(n²), so n = 20000 fits the gpu
 * backend's 2^24-element tensors. The forward sweeps column tiles of T = {@link tiledMmdColumns}
 * rows with ops (see the sweep above), computing the gradient in the same sweep when one will be
 * needed and keeping it (n × d) for the backward, which returns it times the incoming scalar
 * cotangent. The backward is differentiable in the cotangent only (no second derivatives in X).
 * @param X n × d tensor of unit rows.
 * @param spec validated kernel parameters ({@link kernelSpec}).
 * @param columns columns per tile (default {@link tiledMmdColumns}(n, X's backend)).
 */
export function tiledMmd(X: Tensor, spec: KernelSpec, columns = tiledMmdColumns(X.shape[0]!, X.backend)): Tensor {
  const wantGrad = isGradEnabled() && X.requiresGrad;
  let cached: Tensor | null = null;
  const op = defineOp({
    name: 'tiledMmd',
    forward: (x) => {
      const r = tiledSweep(x, spec, columns, wantGrad);
      cached = r.grad;
      return r.loss;
    },
    backward: (dy, [x]) => {
      const g = cached ?? tiledSweep(x!, spec, columns, true).grad!;
      cached = null;
      return [mul(g, dy)];
    },
  });
  return op(X);
}

/** True when {@link mmd} takes the tiled path: a backend other than the cpu one and n ≥ {@link FUSED_MMD_MIN_ROWS}. */
export function usesTiledMmd(X: Tensor): boolean {
  return X.backend !== cpuBackend && X.shape[0]! >= FUSED_MMD_MIN_ROWS;
}
