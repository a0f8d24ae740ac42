/**
 * The fused pairwise passes of the gpu backend ({@link PairwiseKernels}) in row-block tiles: for a
 * block of B rows, the B × n cosines come from the matmul kernel, one kernel maps them to k(c) (or
 * k′(c), or masks the diagonal for the nearest neighbour) and the reduce and matmul kernels sum
 * them. Everything stays on the device (asynchronous modes included); a tile holds at most
 * {@link PAIRWISE_TILE_ELEMENTS} cells, never the n × n matrix once n² exceeds that.
 */
import type { NearestResult, PairKernel, PairwiseSumResult } from '../pairwise.js';
import { divmod, kernelSource } from './codegen.js';
import { deviceAcosInto } from './deviceMath.js';
import { binary } from './elementwise.js';
import { concat, stridedCopy } from './layout.js';
import { matmul } from './matmul.js';
import { isDeviceMode } from './modes.js';
import { reduce } from './reduce.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';

/**
 * Most cells of one B × n tile: 2^23 (32 MiB of float32) on the GPU modes, so each launch covers
 * millions of cells well inside device memory; 2^21 on the host modes (webasm, cpu), where gpu.js
 * keeps memory for each kernel's largest call.
 */
export const PAIRWISE_TILE_ELEMENTS = { device: 2 ** 23, host: 2 ** 21 } as const;

/** Stand-in for −∞ on the diagonal of a nearest-neighbour tile: the most negative float32. */
const MASKED = -3.4028234663852886e38;

/** Rows per tile for n columns on this runner's mode: ⌊E / n⌋ within [1, rows]. */
function blockRows(r: KernelRunner, rows: number, n: number): number {
  const e = isDeviceMode(r.mode) ? PAIRWISE_TILE_ELEMENTS.device : PAIRWISE_TILE_ELEMENTS.host;
  return Math.max(1, Math.min(rows, Math.floor(e / Math.max(1, n))));
}

/** Lines declaring `r` = r(v) and `dr` = r′(v) for the kernel's distance (scalars `plo`, `phi`, `peps`). */
function distanceLines(kernel: PairKernel, device: boolean): string[] {
  switch (kernel.distance) {
    case 'angle':
      return [
        'let cc = v;', 'if (cc < plo) { cc = plo; }', 'if (cc > phi) { cc = phi; }',
        ...(device ? deviceAcosInto('cc', 'r') : ['const r = Math.acos(cc);']),
        'let dr = 0;', 'if (v >= plo && v <= phi) { dr = -1 / Math.sqrt(1 - cc * cc); }',
      ];
    case 'chord':
      return [
        'const u = 2 - 2 * v;', 'let up = 0;', 'if (u > 0) { up = u; }', 'const r = Math.sqrt(up + peps);',
        'let dr = 0;', 'if (u >= 0) { dr = -1 / r; }',
      ];
    case 'chordAuthors':
      return ['const r = Math.sqrt(2 - v);', 'const dr = -1 / (2 * r);'];
    case 'chordSquared':
      return ['const r = 2 - 2 * v;', 'const dr = -2;'];
  }
}

/** Lines returning k(r) (`slope` false) or k′(r)·dr (scalars `pgam`, `ps`). */
function kernelLines(kernel: PairKernel, slope: boolean): string[] {
  switch (kernel.kernel) {
    case 'gaussian':
      return ['const k = Math.exp(-pgam * r * r);', slope ? 'return -2 * pgam * r * k * dr;' : 'return k;'];
    case 'laplace':
      return ['const k = Math.exp(-pgam * r);', slope ? 'return -pgam * k * dr;' : 'return k;'];
    case 'identity':
      return [slope ? 'return dr;' : 'return r;'];
    case 'riesz':
      if (kernel.s === 0) return [slope ? 'return -dr / r;' : 'return -Math.log(r);'];
      return kernel.s > 0
        ? [slope ? 'return -ps * Math.pow(r, -ps - 1) * dr;' : 'return Math.pow(r, -ps);']
        : [slope ? 'return ps * Math.pow(r, -ps - 1) * dr;' : 'return -Math.pow(r, -ps);'];
  }
}

/** The scalar parameters a kernel's source reads, in argument order after `pi0`. */
function kernelScalars(kernel: PairKernel): { names: string[]; values: number[] } {
  const names: string[] = [], values: number[] = [];
  const add = (name: string, value: number): void => {
    names.push(name);
    values.push(value);
  };
  if (kernel.distance === 'angle') {
    add('plo', -1 + kernel.eps);
    add('phi', 1 - kernel.eps);
  }
  if (kernel.distance === 'chord') add('peps', kernel.eps);
  if (kernel.kernel === 'gaussian' || kernel.kernel === 'laplace') add('pgam', kernel.gamma);
  if (kernel.kernel === 'riesz' && kernel.s !== 0) add('ps', kernel.s);
  return { names, values };
}

/**
 * k(c_ij) (or k′(c_ij) when `slope`) over a B × n cosine tile whose first row is row `i0` of x,
 * 0 on the diagonal j = i.
 */
function mapTile(r: KernelRunner, c: GpuStorage, b: number, n: number, i0: number, kernel: PairKernel, slope: boolean): GpuStorage {
  const device = isDeviceMode(r.mode);
  const { names, values } = kernelScalars(kernel);
  const tag = `${kernel.kernel}/${kernel.distance}${kernel.kernel === 'riesz' ? `/s${Math.sign(kernel.s)}` : ''}`;
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.${slope ? 'slope' : 'value'}.${tag}[${b},${n}]`, output: [b * n],
    source: kernelSource(['c', 'pi0', ...names], [
      'const t = this.thread.x;', ...divmod('t', n, 'row', 'j', device),
      'if (j === pi0 + row) { return 0; }',
      'const v = c[t];',
      ...distanceLines(kernel, device),
      ...kernelLines(kernel, slope),
    ]),
  }, [c], [i0, ...values]);
}

/** A B × n cosine tile with its diagonal (j = k0 + row) replaced by {@link MASKED}. */
function maskDiagonal(r: KernelRunner, c: GpuStorage, b: number, n: number, k0: number): GpuStorage {
  return r.run({
    primitive: 'nearest', key: `nearest.mask[${b},${n}]`, output: [b * n],
    source: kernelSource(['c', 'pk0', 'pneg'], [
      'const t = this.thread.x;', ...divmod('t', n, 'row', 'j', isDeviceMode(r.mode)),
      'if (j === pk0 + row) { return pneg; }', 'return c[t];',
    ]),
  }, [c], [k0, MASKED]);
}

/** Rows [r0, r0 + b) of a row-major matrix with d columns. */
function rowBlock(r: KernelRunner, x: GpuStorage, r0: number, b: number, d: number): GpuStorage {
  return stridedCopy(r, x, [b, d], [d, 1], r0 * d);
}

/**
 * {@link PairwiseKernels.pairwiseSum} in row blocks: per block I, C = X_I Xᵀ, s += Σ k(C) off the
 * diagonal, G_I = k′(C) X; the sum over ordered pairs is halved at the end.
 */
export function pairwiseSum(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel,
  withGrad: boolean): PairwiseSumResult {
  const B = blockRows(r, n, n);
  const xT = withGrad ? stridedCopy(r, x, [d, n], [1, d], 0) : null;
  let total: GpuStorage | null = null;
  const grads: GpuStorage[] = [];
  const lens: number[] = [];
  for (let i0 = 0; i0 < n; i0 += B) {
    const b = Math.min(B, n - i0);
    const xi = rowBlock(r, x, i0, b, d);
    const c = matmul(r, xi, x, 1, b, d, n, false, true);
    xi.dispose();
    const k = mapTile(r, c, b, n, i0, kernel, false);
    const s = reduce(r, 'sum', k, 1, b * n, 1);
    k.dispose();
    if (total) {
      const next = binary(r, 'add', total, [1], s, [1], [1]);
      total.dispose();
      s.dispose();
      total = next;
    } else {
      total = s;
    }
    if (xT) {
      const w = mapTile(r, c, b, n, i0, kernel, true);
      grads.push(matmul(r, w, xT, 1, b, n, d, false, true));
      lens.push(b * d);
      w.dispose();
    }
    c.dispose();
  }
  const half = r.upload(new Float32Array([0.5]));
  const sum = binary(r, 'mul', total ?? r.upload(new Float32Array(1)), [1], half, [1], [1]);
  total?.dispose();
  half.dispose();
  xT?.dispose();
  if (!withGrad) return { sum, grad: null };
  const grad = grads.length === 1 ? grads[0]! : concat(r, grads, 1, lens, 1);
  if (grads.length > 1) for (const g of grads) g.dispose();
  return { sum, grad };
}

/**
 * {@link PairwiseKernels.nearest} in blocks of query rows: C = Q_K Xᵀ (diagonal masked with
 * `excludeSelf`), then the max and argmax kernels along each row (argmax takes the first maximum).
 */
export function nearest(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, n: number, d: number,
  excludeSelf: boolean): NearestResult {
  const B = blockRows(r, m, n);
  const values: GpuStorage[] = [], indices: GpuStorage[] = [], lens: number[] = [];
  for (let k0 = 0; k0 < m; k0 += B) {
    const b = Math.min(B, m - k0);
    const qk = rowBlock(r, q, k0, b, d);
    const c0 = matmul(r, qk, x, 1, b, d, n, false, true);
    qk.dispose();
    const c = excludeSelf ? maskDiagonal(r, c0, b, n, k0) : c0;
    if (excludeSelf) c0.dispose();
    values.push(reduce(r, 'max', c, b, n, 1));
    indices.push(reduce(r, 'argmax', c, b, n, 1));
    lens.push(b);
    c.dispose();
  }
  if (values.length <= 1) return { values: values[0] ?? r.upload(new Float32Array(0)), indices: indices[0] ?? r.upload(new Float32Array(0)) };
  const out = { values: concat(r, values, 1, lens, 1), indices: concat(r, indices, 1, lens, 1) };
  for (const s of [...values, ...indices]) s.dispose();
  return out;
}
