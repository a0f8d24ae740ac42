/**
 * The gpu backend's fused nearest-neighbour pass ({@link PairwiseKernels.nearest}): per query and
 * segment of rows, a running argmax of the cosines recomputed in registers (two queries per thread
 * on the GPU modes for an even count), then the segments' candidates compared in order, so ties
 * keep the lowest row, and the winning cosine. Only candidates are written, never a pairwise
 * matrix.
 */
import type { NearestResult } from '../pairwise.js';
import { kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import { rowPairSegmentHead, rowSegmentHead, segmentsOf } from './pairwise.js';
import { dotLines } from './pairwiseMath.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';

/**
 * Per (query k, segment s): the lowest row j of the segment with the largest q_k · x_j (j ≠ k
 * with `excludeSelf`), or −1 when the segment has no candidate; cell s·m + k.
 */
function segmentArgmax(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, n: number, d: number, excludeSelf: boolean,
  seg: number, count: number): GpuStorage {
  if (isDeviceMode(r.mode) && m % 2 === 0) return segmentArgmaxPairs(r, q, m, x, n, d, excludeSelf, seg, count);
  const { output, lines } = rowSegmentHead(r, m, count);
  const { pre, dot } = dotLines(d, 'q', 'i', 'x', 'j', 'v');
  return r.run({
    primitive: 'nearest', key: `nearest.argmax[${m},${n},${d},${excludeSelf},${seg}]`, output, loopMax: seg,
    source: kernelSource(['q', 'x'], [
      ...lines, ...pre, 'let best = 0;', 'let at = -1;',
      `for (let l = 0; l < ${seg}; l++) {`,
      `  const j = s * ${seg} + l;`,
      `  if (j < ${n}${excludeSelf ? ' && j !== i' : ''}) {`,
      ...dot.map((line) => `    ${line}`),
      '    if (at < 0 || v > best) { best = v; at = j; }',
      '  }',
      '}',
      'return at;',
    ]),
  }, [q, x]);
}

/**
 * {@link segmentArgmax} for an even number of queries on the GPU modes, two neighbouring queries
 * per thread (a kernel returning two values, the same layout): each row j loaded serves both dot
 * products. SwiftShader, nearest of 4096 rows of 64 among themselves, two runs each: webgpu
 * 1.77–1.84 s against 3.46–3.80 s with one query per thread; 2048 rows in Chromium: WebGL2
 * 391–510 ms against 494–539, WebGL1 495–636 against 667–783.
 */
function segmentArgmaxPairs(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, n: number, d: number, excludeSelf: boolean,
  seg: number, count: number): GpuStorage {
  const queries = [0, 1].map((u) => dotLines(d, 'q', `i${u}`, 'x', 'j', `v${u}`, u === 1));
  const keep = (u: number): string => `if (at${u} < 0 || v${u} > best${u}) { best${u} = v${u}; at${u} = j; }`;
  const visit = [
    `if (j < ${n}) {`,
    ...queries.flatMap((qu) => qu.dot).map((line) => `  ${line}`),
    ...[0, 1].map((u) => `  ${excludeSelf ? `if (j !== i${u}) { ${keep(u)} }` : keep(u)}`),
    '}',
  ];
  return r.run({
    primitive: 'nearest', key: `nearest.argmaxPairs[${m},${n},${d},${excludeSelf},${seg}]`, output: [(m * count) / 2], components: 2, loopMax: seg,
    source: kernelSource(['q', 'x'], [
      ...rowPairSegmentHead(m), ...queries.flatMap((qu) => qu.pre), 'let best0 = 0;', 'let at0 = -1;', 'let best1 = 0;', 'let at1 = -1;',
      `for (let l = 0; l < ${seg}; l++) {`,
      `  const j = s * ${seg} + l;`,
      ...visit.map((line) => `  ${line}`),
      '}',
      'return [at0, at1];',
    ]),
  }, [q, x]);
}

/**
 * Per query k, the first segment's candidate with the largest cosine (recomputed: `count` dots
 * per query), so ties keep the lowest row.
 */
function pickSegments(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, d: number, cand: GpuStorage, count: number): GpuStorage {
  const { pre, dot } = dotLines(d, 'q', 'i', 'x', 'j', 'v');
  return r.run({
    primitive: 'nearest', key: `nearest.pick[${m},${d},${count}]`, output: [m], loopMax: count,
    source: kernelSource(['q', 'x', 'a'], [
      'const i = this.thread.x;', ...pre, 'let best = 0;', 'let at = -1;',
      `for (let s = 0; s < ${count}; s++) {`,
      `  const j = a[s * ${m} + i];`,
      '  if (j >= 0) {',
      ...dot.map((line) => `    ${line}`),
      '    if (at < 0 || v > best) { best = v; at = j; }',
      '  }',
      '}',
      'return at;',
    ]),
  }, [q, x, cand]);
}

/** q_k · x_{idx_k} per query. */
function cosinesAt(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, d: number, idx: GpuStorage): GpuStorage {
  const { pre, dot } = dotLines(d, 'q', 'i', 'x', 'j', 'v');
  return r.run({
    primitive: 'nearest', key: `nearest.value[${m},${d}]`, output: [m],
    source: kernelSource(['q', 'x', 'a'], ['const i = this.thread.x;', ...pre, 'const j = a[i];', ...dot, 'return v;']),
  }, [q, x, idx]);
}

/**
 * {@link PairwiseKernels.nearest}: a running argmax per (query, segment) with strict comparison
 * (the lowest row wins ties), the segments' candidates compared in order, then the value
 * q_k · x_{idx_k}. With `excludeSelf` and a single row there is no candidate: −∞ and index −1,
 * as on the cpu backend.
 */
export function nearest(r: KernelRunner, q: GpuStorage, m: number, x: GpuStorage, n: number, d: number,
  excludeSelf: boolean): NearestResult {
  if (n === 0 || (excludeSelf && n === 1)) {
    return { values: r.upload(new Float32Array(m).fill(-Infinity)), indices: r.upload(new Float32Array(m).fill(-1)) };
  }
  const { seg, count } = segmentsOf(r, n);
  const cand = segmentArgmax(r, q, m, x, n, d, excludeSelf, seg, count);
  const indices = count === 1 ? cand : pickSegments(r, q, m, x, d, cand, count);
  if (count > 1) cand.dispose();
  return { values: cosinesAt(r, q, m, x, d, indices), indices };
}
