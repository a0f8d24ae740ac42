/**
 * The gradient of the gpu backend's pairwise sum for wide rows, in row-block tiles: per block of
 * B rows one kernel writes W = k′(X_B Xᵀ) (B × n, the cosines recomputed in registers and never
 * stored), the matmul kernel forms G_B = W X. Each pair's kernel is evaluated once, where the
 * fully fused pass ({@link gradientRows} in pairwise.ts) evaluates it d times; a tile holds at
 * most {@link PAIRWISE_TILE_ELEMENTS} cells. On webgpu a tile can also carry k beside k′, whose
 * sum is then the pairwise sum itself.
 */
import type { PairKernel } from '../pairwise.js';
import { divmod, kernelSource } from './codegen.js';
import { concat, stridedCopy } from './layout.js';
import { matmul } from './matmul.js';
import { isDeviceMode } from './modes.js';
import { accumulateKernel, accumulateKernelAndSlope, dotLines, kernelScalars, kernelTag } from './pairwiseMath.js';
import { reduce } from './reduce.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';

/**
 * Most cells of one B × n tile: 2^23 (32 MiB of float32, 64 MiB when webgpu's cells hold k beside
 * k′) on the GPU modes, so each launch covers millions of cells well inside device memory; 2^21 on
 * the host modes (webasm, cpu), where gpu.js keeps memory for each kernel's largest call.
 */
export const PAIRWISE_TILE_ELEMENTS = { device: 2 ** 23, host: 2 ** 21 } as const;

/** Rows per tile for n columns on this runner's mode: ⌊E / n⌋ within [1, rows]. */
function blockRows(r: KernelRunner, rows: number, n: number): number {
  const e = isDeviceMode(r.mode) ? PAIRWISE_TILE_ELEMENTS.device : PAIRWISE_TILE_ELEMENTS.host;
  return Math.max(1, Math.min(rows, Math.floor(e / Math.max(1, n))));
}

/**
 * The tile with values ({@link slopeTile}) for even n, two neighbouring cells (i, j), (i, j + 1)
 * per thread (a kernel returning four values, the same flat layout): row i's values, held in
 * registers, serve both dot products, so a cell costs d + d/2 loads instead of 2d. SwiftShader,
 * n = 4096, d = 64 sum and gradient, four rounds alternating: 9.5–10.7 s against 9.9–11.9 s.
 */
function slopeValuePairs(r: KernelRunner, x: GpuStorage, n: number, d: number, i0: number, b: number, kernel: PairKernel): GpuStorage {
  const { names, values } = kernelScalars(kernel);
  const { pre } = dotLines(d, 'x', 'i', 'x', 'j', 'v');
  // each cell in its own block: the dot product's and the kernel's names are block-scoped
  const cell = (u: number): string[] => {
    const { dot } = dotLines(d, 'x', 'i', 'x', `j${u}`, 'v');
    return [`if (j${u} !== i) {`, ...[...dot, ...accumulateKernelAndSlope(kernel, true, `acc${u}`, `val${u}`)].map((l) => `  ${l}`), '}'];
  };
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.slopeTileValuePairs.${kernelTag(kernel)}[${b},${n},${d}]`,
    output: [(b * n) / 2], loopMax: d, components: 4,
    source: kernelSource(['x', 'pi0', ...names], [
      'const t = this.thread.x;', ...divmod('t', n / 2, 'row', 'jp', true), 'const i = pi0 + row;', 'const j0 = jp * 2;', 'const j1 = j0 + 1;',
      ...pre, 'let acc0 = 0;', 'let val0 = 0;', 'let acc1 = 0;', 'let val1 = 0;', ...cell(0), ...cell(1), 'return [acc0, val0, acc1, val1];',
    ]),
  }, [x], [i0, ...values]);
}

/**
 * W_ij = k′(x_i · x_j) for rows i in [i0, i0 + b), 0 on the diagonal; cell (i − i0)·n + j. With
 * `withValue` (webgpu: a kernel returning two values, or four for two cells when n is even) each
 * cell holds the pair (k′, k), flat 2·((i − i0)·n + j) and one more.
 */
function slopeTile(r: KernelRunner, x: GpuStorage, n: number, d: number, i0: number, b: number, kernel: PairKernel,
  withValue: boolean): GpuStorage {
  if (withValue && n % 2 === 0) return slopeValuePairs(r, x, n, d, i0, b, kernel);
  const device = isDeviceMode(r.mode);
  const { names, values } = kernelScalars(kernel);
  const { pre, dot } = dotLines(d, 'x', 'i', 'x', 'j', 'v');
  const head = device
    ? ['const t = this.thread.x;', ...divmod('t', n, 'row', 'j', true)]
    : ['const j = this.thread.x;', 'const row = this.thread.y;'];
  const body = withValue
    ? ['if (j === i) { return [0, 0]; }', ...pre, ...dot, 'let acc = 0;', 'let val = 0;',
      ...accumulateKernelAndSlope(kernel, device, 'acc', 'val'), 'return [acc, val];']
    : ['if (j === i) { return 0; }', ...pre, ...dot, 'let acc = 0;', ...accumulateKernel(kernel, true, device, 'acc'), 'return acc;'];
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.slopeTile${withValue ? 'Value' : ''}.${kernelTag(kernel)}[${b},${n},${d}]`,
    output: device ? [b * n] : [n, b], loopMax: d, ...(withValue ? { components: 2 as const } : {}),
    source: kernelSource(['x', 'pi0', ...names], [...head, 'const i = pi0 + row;', ...body]),
  }, [x], [i0, ...values]);
}

/**
 * G_i = Σ_{j≠i} k′(x_i · x_j) x_j for all rows, n × d, in row-block tiles; with `withValue`
 * (webgpu only) also `sums` = [Σ_{i≠j} k′, Σ_{i≠j} k(x_i · x_j)], two elements, from the same
 * tiles, so the caller needs no separate sweep for the sum. The tiles' block sums are kept and
 * reduced once at the end (a launch costs about 0.1 ms in gpu.js on webgpu: at n = 20000 there
 * are 48 tiles).
 */
export function tiledGradientRows(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel,
  withValue = false): { grad: GpuStorage; sums: GpuStorage | null } {
  const B = blockRows(r, n, n);
  const xT = stridedCopy(r, x, [d, n], [1, d], 0);
  const grads: GpuStorage[] = [], lens: number[] = [], blockSums: GpuStorage[] = [];
  for (let i0 = 0; i0 < n; i0 += B) {
    const b = Math.min(B, n - i0);
    const tile = slopeTile(r, x, n, d, i0, b, kernel, withValue);
    let w = tile;
    if (withValue) {
      // [Σ k′, Σ k] over the block's pairs; then the k′ of each cell, contiguous for the matmul
      blockSums.push(reduce(r, 'sum', tile, 1, b * n, 2));
      w = stridedCopy(r, tile, [b * n], [2], 0);
      tile.dispose();
    }
    grads.push(matmul(r, w, xT, 1, b, n, d, false, true));
    lens.push(b * d);
    w.dispose();
  }
  xT.dispose();
  const grad = joined(r, grads, lens);
  if (!withValue) return { grad, sums: null };
  if (blockSums.length === 1) return { grad, sums: blockSums[0]! };
  const all = joined(r, blockSums, blockSums.map(() => 2));
  const sums = reduce(r, 'sum', all, 1, blockSums.length, 2);
  all.dispose();
  return { grad, sums };
}

/** `parts` (of `lens` elements) one after another; the parts are freed. */
function joined(r: KernelRunner, parts: GpuStorage[], lens: number[]): GpuStorage {
  if (parts.length === 1) return parts[0]!;
  const out = concat(r, parts, 1, lens, 1);
  for (const p of parts) p.dispose();
  return out;
}
