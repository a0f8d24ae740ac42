/**
 * Batched matmul: one output cell per thread, the inner product unrolled by 8 into independent
 * accumulators, on a 2-D output `[n, batch·m]` on webgpu (1-D beyond {@link DEVICE_ROWS_MAX}
 * rows) and the host modes, 1-D on the GL modes. The output offset is gpu.js's int32 one; a single product (batch 1) also reads A
 * and B at int32 indices written from the thread ids and the loop counter, so A, B and C may all
 * exceed 2^24 cells (batched products keep A and B below it). On webgpu the 8 × 8 workgroups
 * are output tiles whose threads share 8 rows of A and 8 columns of B in cache (on SwiftShader at
 * N = 256: 0.16 vs 0.08 GFLOP/s for the former 1-D layout; noisy, never worse); on the host modes
 * (webasm, cpu) the row (thread.y) and every A read stay uniform across webasm's four SIMD lanes,
 * and B is first transposed to n × k so each lane streams its own contiguous row.
 */
import { divmod, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';
import { stridedCopy } from './layout.js';

/**
 * Most output rows (batch·m) of the 2-D layout on the GPU modes: WebGPU dispatches at most 65535
 * workgroups of 8 rows along y. Taller products take a 1-D layout (C up to 2^24 cells).
 */
const DEVICE_ROWS_MAX = 65535 * 8;

/** Accumulators (and unroll depth) of the inner loop. */
const UNROLL = 8;

/** `base + (p + off)·step` as source. */
function at(base: string, p: string, off: number, step: number): string {
  const pos = off === 0 ? p : `${p} + ${off}`;
  return step === 1 ? `${base} + ${pos}` : `${base} + (${pos}) * ${step}`;
}

/** The unrolled dot product of A row (start `ab`, step `as`) and B column (start `bb`, step `bs`) over k. */
function dotLines(k: number, as: number, bs: number, ab = 'ab', bb = 'bb'): string[] {
  const main = k - (k % UNROLL);
  // gpu.js makes the counter float32; `| 0` types it int32, so inline int32 bases stay int32
  const p = ab === 'ab' ? 'p' : '(p | 0)';
  const acc = Array.from({ length: UNROLL }, (_, u) => u);
  const lines = acc.map((u) => `let s${u} = 0;`);
  if (main > 0) {
    lines.push(`for (let p = 0; p < ${main}; p += ${UNROLL}) {`);
    for (const u of acc) lines.push(`  s${u} += a[${at(ab, p, u, as)}] * b[${at(bb, p, u, bs)}];`);
    lines.push('}');
  }
  for (let q = main; q < k; q++) lines.push(`s${q - main} += a[${at(ab, String(q), 0, as)}] * b[${at(bb, String(q), 0, bs)}];`);
  lines.push(`return ${acc.map((u) => `s${u}`).join(' + ')};`);
  return lines;
}

/**
 * For each of `batch` pairs, C (m × n) = op(A) · op(B), op(A) m × k (A stored k × m when `transA`),
 * op(B) k × n (B stored n × k when `transB`).
 */
export function matmul(r: KernelRunner, a: GpuStorage, b: GpuStorage, batch: number, m: number, k: number, n: number,
  transA: boolean, transB: boolean): GpuStorage {
  if (batch * m * n > 0 && k === 0) return r.upload(new Float32Array(batch * m * n));
  const host = !isDeviceMode(r.mode);
  if (host && !transB && m >= 4 && batch * m * n > 0) {
    b = stridedCopy(r, b, [batch, n, k], [k * n, 1, n], 0);
    transB = true;
  }
  const as = transA ? m : 1, bs = transB ? 1 : n;
  const aRow = (i: string): string => (transA ? i : `${i} * ${k}`);
  const bCol = (j: string): string => (transB ? `${j} * ${k}` : j);
  // GL textures keep the 1-D layout: gpu.js compiles a GL kernel for its inputs' texture shapes,
  // and the next op's kernel is shared with 1-D inputs of the same size
  const flat = r.mode !== 'webgpu' ? !host : batch * m > DEVICE_ROWS_MAX;
  // one product on the 2-D layout: row and column are the thread ids, every index int32
  const inline = !flat && batch === 1;
  const head = flat
    ? ['const idx = this.thread.x;', ...divmod('idx', n, 'row', 'j', true), ...divmod('row', m, 't', 'i', true),
      `const ab = t * ${m * k} + ${aRow('i')};`, `const bb = t * ${k * n} + ${bCol('j')};`]
    : inline ? []
      : ['const j = this.thread.x;', ...divmod('this.thread.y', m, 't', 'i', !host),
        `const ab = t * ${m * k} + ${aRow('i')};`, `const bb = t * ${k * n} + ${bCol('j')};`];
  const floatIndex = flat ? undefined : inline ? 0 : Math.max(a.size, b.size, batch * m, n);
  return r.run({
    primitive: 'matmul', key: `matmul[${batch},${m},${k},${n},${transA},${transB}]`,
    output: flat ? [batch * m * n] : [n, batch * m], loopMax: k,
    ...(floatIndex === undefined ? {} : { floatIndex }),
    source: kernelSource(['a', 'b'], [
      ...head,
      ...(inline ? dotLines(k, as, bs, aRow('this.thread.y'), bCol('this.thread.x')) : dotLines(k, as, bs)),
    ]),
  }, [a, b]);
}
