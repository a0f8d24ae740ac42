/**
 * The fused pairwise sums of the gpu backend ({@link PairwiseKernels.pairwiseSum}; the nearest
 * pass is in pairwiseNearest.ts): each thread takes one row i (two neighbouring rows on webgpu)
 * and, on the GPU modes, one segment of the rows j, recomputes the cosines x_i · x_j in registers,
 * applies the kernel and reduces, so threads write only per-row partials (n × ⌈n / S⌉ values),
 * never a pairwise matrix. The gradient is fused the same way for narrow rows on the GPU modes
 * (four components per thread, pairwiseGradBy4.ts); wider rows, and every row on the host modes,
 * write one B × n tile of k′ per row block (pairwiseTiles.ts), unless the backend's
 * {@link PairwiseGradientPath} asks for one form at every width. Every index stays below n·d or
 * the tile size, so the passes run at any n with n·d within the backend's tensor limit (a
 * 20000 × 20000 sweep is ordinary).
 */
import type { PairKernel, PairwiseSumResult } from '../pairwise.js';
import { OptionError } from '../../errors.js';
import { divmod, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import { accumulateKernel, dotLines, kernelScalars, kernelTag } from './pairwiseMath.js';
import { reduce } from './reduce.js';
import { tiledGradientRows } from './pairwiseTiles.js';
import { gradientRowsBy4 } from './pairwiseGradBy4.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';

/**
 * Rows j one thread sweeps on the GPU modes: row i's sweep splits into ⌈n / S⌉ segments, so a
 * device gets n·⌈n / S⌉ threads (800 000 at n = 20000) instead of n. The host modes sweep whole
 * rows (their threads are few; splitting only adds partials).
 */
export const DEVICE_SEGMENT = 512;

/**
 * Widest rows whose gradient is fully fused by default on the GPU modes, four components per
 * thread ({@link gradientRowsBy4}: the cosine recomputed ⌈d / 4⌉ times per pair, no tile); wider
 * rows, and every row on the host modes, take {@link tiledGradientRows} (k′ evaluated once per pair
 * into a B × n tile, then a matmul). Measured on SwiftShader, gaussian/angle gradient, two runs:
 * webgpu at n = 2048, d = 3 170 ms vs 274–303 ms for one component per thread
 * ({@link gradientRows}); d = 4 170–180 vs 382–490; d = 8 485–495 vs 464–602 for the tiles;
 * d = 12 790–842 vs 648–713 for the tiles, d = 16 1164 vs 914. WebGL2 in Chromium at n = 2048:
 * d = 4 162–183 ms vs 258–316 for the tiles and 419–435 for one component per thread; d = 6 363–395
 * vs 306–389; d = 8 351–452 vs 398–492; at n = 1024, d = 12 181–215 vs 143–149 for the tiles. On
 * webasm the tiles won at every d (n = 2048, d = 3: 1.25 s for one component per thread vs 0.27 s).
 */
export const FUSED_BY4_MAX_COLUMNS = 8;

/** How row sweeps over n columns split: `seg` columns per thread, `count` segments. */
export function segmentsOf(r: KernelRunner, n: number): { seg: number; count: number } {
  const seg = isDeviceMode(r.mode) ? Math.max(1, Math.min(n, DEVICE_SEGMENT)) : Math.max(1, n);
  return { seg, count: Math.ceil(n / seg) };
}

/**
 * Output layout and head lines of a (row i, segment s) kernel, cell s·rows + i: 2-D
 * `[rows, count]` on the host modes (thread.y = s, uniform across webasm's SIMD lanes), 1-D with
 * an exact divmod on the GPU modes (a workgroup's threads share their rows j).
 */
export function rowSegmentHead(r: KernelRunner, rows: number, count: number): { output: number[]; lines: string[] } {
  if (!isDeviceMode(r.mode)) {
    return count === 1
      ? { output: [rows], lines: ['const i = this.thread.x;', 'const s = 0;'] }
      : { output: [rows, count], lines: ['const i = this.thread.x;', 'const s = this.thread.y;'] };
  }
  return { output: [rows * count], lines: ['const t = this.thread.x;', ...divmod('t', rows, 's', 'i', true)] };
}

/**
 * Head lines of a (two rows, segment s) kernel returning two values, one thread per pair of
 * neighbouring rows i0 = 2·ip, i1 = i0 + 1 (`rows` even): cells s·rows + i0 and one more, the
 * layout of {@link rowSegmentHead}'s 1-D form.
 */
export function rowPairSegmentHead(rows: number): string[] {
  return ['const t = this.thread.x;', ...divmod('t', rows / 2, 's', 'ip', true), 'const i0 = ip * 2;', 'const i1 = i0 + 1;'];
}

/** Σ_{j≠i, j in segment s} k(x_i · x_j) per (row, segment), cell s·n + i. */
function rowSums(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel): GpuStorage {
  const { seg, count } = segmentsOf(r, n);
  if (r.mode === 'webgpu' && n % 2 === 0) return rowSumsPairs(r, x, n, d, kernel, seg, count);
  const { output, lines } = rowSegmentHead(r, n, count);
  const { names, values } = kernelScalars(kernel);
  const { pre, dot } = dotLines(d, 'x', 'i', 'x', 'j', 'v');
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.rows.${kernelTag(kernel)}[${n},${d},${seg}]`, output, loopMax: seg,
    source: kernelSource(['x', ...names], [
      ...lines, ...pre, 'let acc = 0;',
      `for (let l = 0; l < ${seg}; l++) {`,
      `  const j = s * ${seg} + l;`,
      `  if (j < ${n} && j !== i) {`,
      ...[...dot, ...accumulateKernel(kernel, false, isDeviceMode(r.mode), 'acc')].map((line) => `    ${line}`),
      '  }',
      '}',
      'return acc;',
    ]),
  }, [x], values);
}

/**
 * {@link rowSums} for even n on webgpu, two neighbouring rows per thread (a kernel returning two
 * values, the same layout): each row j loaded serves both dot products. SwiftShader, the riesz/chord
 * sum of 4096 rows of 64, two runs each: 1.69–2.45 s against 3.42–4.11 s with one row per thread.
 * Not on the GL modes, where it did not pay (2048 rows in Chromium: WebGL2 438–645 ms against
 * 490–601).
 */
function rowSumsPairs(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel, seg: number, count: number): GpuStorage {
  const { names, values } = kernelScalars(kernel);
  const rows = [0, 1].map((u) => dotLines(d, 'x', `i${u}`, 'x', 'j', `v${u}`, u === 1));
  // each row's kernel in its own block, on the cosine named `v` there
  const add = (u: number): string[] => [`if (j !== i${u}) {`, `  const v = v${u};`, ...accumulateKernel(kernel, false, true, `acc${u}`).map((line) => `  ${line}`), '}'];
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.rowsPairs.${kernelTag(kernel)}[${n},${d},${seg}]`, output: [(n * count) / 2], components: 2, loopMax: seg,
    source: kernelSource(['x', ...names], [
      ...rowPairSegmentHead(n), ...rows.flatMap((row) => row.pre), 'let acc0 = 0;', 'let acc1 = 0;',
      `for (let l = 0; l < ${seg}; l++) {`,
      `  const j = s * ${seg} + l;`,
      `  if (j < ${n}) {`,
      ...[...rows.flatMap((row) => row.dot), ...add(0), ...add(1)].map((line) => `    ${line}`),
      '  }',
      '}',
      'return [acc0, acc1];',
    ]),
  }, [x], values);
}

/**
 * G_ip = Σ_{j≠i} k′(x_i · x_j) x_jp, one component per thread (the cosine recomputed per
 * component); a row's d neighbouring threads read the same rows j. The fused form of the host
 * modes, whose kernels return one value.
 */
export function gradientRows(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel): GpuStorage {
  const device = isDeviceMode(r.mode);
  const { names, values } = kernelScalars(kernel);
  const { pre, dot } = dotLines(d, 'x', 'i', 'x', 'j', 'v');
  const head = ['const t = this.thread.x;', ...divmod('t', d, 'i', 'p', device)];
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.grad.${kernelTag(kernel)}[${n},${d}]`, output: [n * d], loopMax: n,
    source: kernelSource(['x', ...names], [
      ...head, ...pre, 'let acc = 0;',
      `for (let j = 0; j < ${n}; j++) {`,
      '  if (j !== i) {',
      ...[...dot, ...accumulateKernel(kernel, true, device, 'acc', `x[j * ${d} + p]`)].map((line) => `    ${line}`),
      '  }',
      '}',
      'return acc;',
    ]),
  }, [x], values);
}

/**
 * S = half of element `at` of `twice` (each pair counted from both rows), one element, in one
 * kernel; `twice` is freed.
 */
function halve(r: KernelRunner, twice: GpuStorage, at: number): GpuStorage {
  const sum = r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.half[${twice.size},${at}]`, output: [1],
    source: kernelSource(['s'], [`return s[${at}] * 0.5;`]),
  }, [twice]);
  twice.dispose();
  return sum;
}

/**
 * How the gpu backend forms the gradient of a pairwise sum (the `pairwiseGradient` option of
 * GpuBackend):
 * - `auto` (default): fused where it measured faster (on SwiftShader), else tiles: fused for rows
 *   of at most 8 columns on the GPU modes (webgpu, WebGL), the tiles for wider rows and on the
 *   host modes (webasm, cpu);
 * - `fused`: always fused, no tile written (on the GPU modes four components per thread, each
 *   pair's cosine recomputed ⌈d / 4⌉ times; on the host modes one component per thread, d times);
 * - `tiles`: always one B × n tile of k′ per row block, then a matmul (each pair's kernel
 *   evaluated once).
 */
export type PairwiseGradientPath = 'auto' | 'fused' | 'tiles';

/** The values {@link PairwiseGradientPath} takes. */
export const pairwiseGradientPaths: readonly PairwiseGradientPath[] = ['auto', 'fused', 'tiles'];

/** `path` as a {@link PairwiseGradientPath}, or an OptionError naming the option and the values it takes. */
export function checkGradientPath(path: unknown): PairwiseGradientPath {
  if (pairwiseGradientPaths.includes(path as PairwiseGradientPath)) return path as PairwiseGradientPath;
  throw new OptionError(`GpuBackend: expected pairwiseGradient in ${pairwiseGradientPaths.join(', ')}, got ${typeof path === 'string' ? `'${path}'` : String(path)}.`);
}

/** The kernel family one gradient runs on: four components per thread, one, or the tiles. */
function gradientKernel(r: KernelRunner, d: number, path: PairwiseGradientPath): 'by4' | 'rows' | 'tiles' {
  const device = isDeviceMode(r.mode);
  if (path === 'tiles') return 'tiles';
  if (path === 'fused') return device ? 'by4' : 'rows';
  return device && d <= FUSED_BY4_MAX_COLUMNS ? 'by4' : 'tiles';
}

/**
 * {@link PairwiseKernels.pairwiseSum}: per-row (and per-segment) partial sums over j ≠ i, summed
 * by the reduce kernel and halved (each pair is counted from both rows); the gradient rows from
 * {@link gradientRowsBy4}, {@link gradientRows} or {@link tiledGradientRows}, as `path` picks
 * ({@link PairwiseGradientPath}). On webgpu the tiles hold k beside k′ and give the sum too, so a
 * sum with its gradient sweeps the pairs twice (the tile, then its product with X), not three
 * times (SwiftShader, gaussian/angle sum and gradient, n = 4096, d = 64, two rounds alternating:
 * 9.7–10.4 s against 12.7–13.4 s).
 */
export function pairwiseSum(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel,
  withGrad: boolean, path: PairwiseGradientPath = 'auto'): PairwiseSumResult {
  const how = withGrad ? gradientKernel(r, d, path) : null;
  if (how === 'tiles' && r.mode === 'webgpu') {
    const { grad, sums } = tiledGradientRows(r, x, n, d, kernel, true);
    return { sum: halve(r, sums!, 1), grad };
  }
  const partial = rowSums(r, x, n, d, kernel);
  const total = reduce(r, 'sum', partial, 1, partial.size, 1);
  partial.dispose();
  const sum = halve(r, total, 0);
  switch (how) {
    case null: return { sum, grad: null };
    case 'by4': return { sum, grad: gradientRowsBy4(r, x, n, d, kernel) };
    case 'rows': return { sum, grad: gradientRows(r, x, n, d, kernel) };
    case 'tiles': return { sum, grad: tiledGradientRows(r, x, n, d, kernel).grad };
  }
}
