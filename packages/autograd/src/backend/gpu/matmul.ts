/**
 * Batched matmul: one output cell per thread, the inner product unrolled by 8 into independent
 * accumulators. On the host modes (webasm, cpu) the output is 2-D `[n, batch·m]` so that the row
 * (thread.y) and every A read stay uniform across webasm's four SIMD lanes, and B is first
 * transposed to n × k so each lane streams its own contiguous row.
 */
import { divmod, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import type { GpuStorage } from './storage.js';
import { stridedCopy } from './layout.js';

/** Accumulators (and unroll depth) of the inner loop. */
const UNROLL = 8;

/** `base + (p + off)·step` as source. */
function at(base: string, p: string, off: number, step: number): string {
  const pos = off === 0 ? p : `${p} + ${off}`;
  return step === 1 ? `${base} + ${pos}` : `${base} + (${pos}) * ${step}`;
}

/** The unrolled dot product of A row (`ab`, step `as`) and B column (`bb`, step `bs`) over k. */
function dotLines(k: number, as: number, bs: number): string[] {
  const main = k - (k % UNROLL);
  const acc = Array.from({ length: UNROLL }, (_, u) => u);
  const lines = acc.map((u) => `let s${u} = 0;`);
  if (main > 0) {
    lines.push(`for (let p = 0; p < ${main}; p += ${UNROLL}) {`);
    for (const u of acc) lines.push(`  s${u} += a[${at('ab', 'p', u, as)}] * b[${at('bb', 'p', u, bs)}];`);
    lines.push('}');
  }
  for (let p = main; p < k; p++) lines.push(`s${p - main} += a[${at('ab', String(p), 0, as)}] * b[${at('bb', String(p), 0, bs)}];`);
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
  const exact = !host;
  const head = host
    ? ['const j = this.thread.x;', ...divmod('this.thread.y', m, 't', 'i', false)]
    : ['const idx = this.thread.x;', ...divmod('idx', n, 'row', 'j', exact), ...divmod('row', m, 't', 'i', exact)];
  return r.run({
    primitive: 'matmul', key: `matmul[${batch},${m},${k},${n},${transA},${transB}]`,
    output: host ? [n, batch * m] : [batch * m * n], loopMax: k,
    source: kernelSource(['a', 'b'], [
      ...head,
      `const ab = t * ${m * k} + ${aRow('i')};`,
      `const bb = t * ${k * n} + ${bCol('j')};`,
      ...dotLines(k, as, bs),
    ]),
  }, [a, b]);
}
