/**
 * The fully fused gradient of the pairwise sum on the GPU modes, four components per thread:
 * G_i = Σ_{j≠i} k′(x_i · x_j) x_j, each thread taking row i, four neighbouring columns of G and a
 * segment of the rows j. It recomputes the cosine in registers for each pair, evaluates k′ once
 * for its four components (⌈d / 4⌉ times per pair in all) and writes one partial gradient row
 * block per segment; the segments' partials are then summed. No B × n tile of k′ is written; the
 * partials hold at most {@link PARTIAL_CELLS} values, so every index stays below 2^24.
 */
import type { PairKernel } from '../pairwise.js';
import { divmod, kernelSource } from './codegen.js';
import { stridedCopy } from './layout.js';
import { accumulateKernel, dotLines, kernelScalars, kernelTag } from './pairwiseMath.js';
import { reduce } from './reduce.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';

/** Most values of the segments' partial gradients (2^23: 32 MiB of float32). */
const PARTIAL_CELLS = 2 ** 23;

/** Fewest rows j one thread sweeps (below this the partials cost more than the parallelism gives). */
const MIN_SEGMENT = 512;

/** How the rows j split: `count` segments of `seg` rows, for n rows and `width` columns of partials. */
function segments(n: number, width: number): { seg: number; count: number } {
  const count = Math.max(1, Math.min(Math.ceil(n / MIN_SEGMENT), Math.floor(PARTIAL_CELLS / (n * width))));
  return { seg: Math.ceil(n / count), count };
}

/**
 * Partials P[s, i, 4c + u] = Σ_{j≠i in segment s} k′(x_i · x_j) x_{j, 4c+u} (0 past column d):
 * a 1-D kernel of count · n · ⌈d/4⌉ threads (thread (s·n + i)·⌈d/4⌉ + c) returning four values each,
 * row-major `count × n × 4⌈d/4⌉`.
 */
function partials(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel, seg: number, count: number): GpuStorage {
  const blocks = Math.ceil(d / 4);
  const { names, values } = kernelScalars(kernel);
  const { pre, dot } = dotLines(d, 'x', 'i', 'x', 'j', 'v');
  // component u of the last block lies past column d when d is not a multiple of 4: skipped (one
  // block: left out of the source), else guarded
  const add = (u: number): string[] => {
    const line = `g${u} += w * x[xb + ${u}];`;
    if (blocks === 1) return u < d ? [line] : [];
    return d % 4 === 0 || u < d % 4 ? [line] : [`if (q + ${u} < ${d}) { ${line} }`];
  };
  const comps = [0, 1, 2, 3];
  return r.run({
    primitive: 'pairwiseSum', key: `pairwiseSum.gradBy4.${kernelTag(kernel)}[${n},${d},${seg}]`, output: [blocks * n * count],
    components: 4, loopMax: seg,
    source: kernelSource(['x', ...names], [
      ...(blocks === 1 ? ['const q = 0;', 'const row = this.thread.x;'] : [...divmod('this.thread.x', blocks, 'row', 'c', true), 'const q = c * 4;']),
      ...divmod('row', n, 's', 'i', true), ...pre,
      ...comps.map((u) => `let g${u} = 0;`),
      `for (let l = 0; l < ${seg}; l++) {`,
      `  const j = s * ${seg} + l;`,
      `  if (j < ${n} && j !== i) {`,
      ...[...dot, 'let w = 0;', ...accumulateKernel(kernel, true, true, 'w'), `const xb = j * ${d} + q;`,
        ...comps.flatMap(add)].map((line) => `    ${line}`),
      '  }',
      '}',
      `return [${comps.map((u) => `g${u}`).join(', ')}];`,
    ]),
  }, [x], values);
}

/**
 * G (n × d) = Σ_{j≠i} k′(x_i · x_j) x_j for every row, fully fused (the GPU modes only: kernels
 * returning four values, laid out flat by the runner on the GL modes).
 */
export function gradientRowsBy4(r: KernelRunner, x: GpuStorage, n: number, d: number, kernel: PairKernel): GpuStorage {
  const width = 4 * Math.ceil(d / 4);
  const { seg, count } = segments(n, width);
  let g = partials(r, x, n, d, kernel, seg, count);
  if (count > 1) {
    const sum = reduce(r, 'sum', g, 1, count, n * width);
    g.dispose();
    g = sum;
  }
  if (width === d) return g;
  const out = stridedCopy(r, g, [n, d], [width, 1], 0);
  g.dispose();
  return out;
}
