/**
 * Batched matmul. On the GPU modes a single product whose n is a multiple of 4 runs four outputs
 * per thread ({@link matmulRowBy4}: one row, four neighbouring columns, each loaded value of A used
 * four times; gpu.js kernels return at most four values, so this is the widest block a thread can
 * write; on SwiftShader, N = 256–1024: webgpu 1.04–1.15 GFLOP/s against 0.53–0.63 for the
 * one-output kernel, WebGL2 in Chromium 0.49–0.91 against 0.43–0.61, WebGL1 0.24–0.58 against
 * 0.20–0.46, the GL figures including the pass that lays the texture of 4-vectors out flat).
 * Every other product runs one output cell per thread, the inner product unrolled by 8
 * into independent accumulators, on a 2-D output `[n, batch·m]` on webgpu (1-D beyond
 * {@link DEVICE_ROWS_MAX} rows) and the host modes, 1-D on the GL modes. The output offset is
 * gpu.js's int32 one; a single product (batch 1) also reads A and B at int32 indices written from
 * the thread ids and the loop counter, so A, B and C may all exceed 2^24 cells (batched products
 * keep A and B below it). On webgpu the 8 × 8 workgroups are output tiles whose threads share 8
 * rows of A and 8 columns of B in cache (on SwiftShader at N = 256: 0.16 vs 0.08 GFLOP/s for the
 * former 1-D layout; noisy, never worse); on the host modes (webasm, cpu) the row (thread.y) and
 * every A read stay uniform across webasm's four SIMD lanes, and B is first transposed to n × k so
 * each lane streams its own contiguous row.
 */
import { divmod, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import { maxFloatIndex, type KernelRunner } from './runner.js';
import { reduce } from './reduce.js';
import type { GpuStorage } from './storage.js';
import { stridedCopy } from './layout.js';

/**
 * Most output rows (batch·m) of the 2-D layout on the GPU modes: WebGPU dispatches at most 65535
 * workgroups of 8 rows along y. Taller products take a 1-D layout (C up to 2^24 cells).
 */
const DEVICE_ROWS_MAX = 65535 * 8;

/** Accumulators (and unroll depth) of the inner loop. */
const UNROLL = 8;

/** Steps of k per iteration of the four-output kernel's loop. */
const ROW_UNROLL = 4;

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
 * Where the steps of k a thread takes start: `k0` (an expression) plus 0 … `len` − 1, and the
 * one extra step `extra` taken when `extraIf` holds (split-k's remainder), both null for none.
 */
interface KRange {
  k0: string | null;
  len: number;
  extra: string | null;
  extraIf: string | null;
}

/**
 * Row `row` by the four columns from `4·quad` of one product, over the steps of `ks`, as the
 * lines of a kernel returning `[c_row,4q … c_row,4q+3]`: each value of A is loaded once for four
 * outputs. With `intCounter` (webgpu, no split) every index is int32 (thread ids and the counter
 * typed `| 0`), so A, B and C may pass 2^24 cells.
 */
function rowBy4Lines(m: number, k: number, n: number, transA: boolean, transB: boolean, row: string, quad: string,
  intCounter: boolean, ks: KRange): string[] {
  const p = intCounter ? '(p | 0)' : 'p';
  const aAt = (q: string): string => (transA ? `a[${q} * ${m} + ${row}]` : `a[${row} * ${k} + ${q}]`);
  const bAt = (q: string, c: number): string => {
    const col = `${quad} * 4${c === 0 ? '' : ` + ${c}`}`;
    return transB ? `b[(${col}) * ${k} + ${q}]` : `b[${q} * ${n} + ${col}]`;
  };
  const cols = [0, 1, 2, 3];
  const from = (q: string): string => (ks.k0 === null ? q : `(${ks.k0} + ${q})`);
  // k unrolled by ROW_UNROLL, the tail written out; `a${u}` names each step's value of A
  const step = (q: string, u: number, pad: string): string[] => [
    `${pad}const a${u} = ${aAt(q)};`, ...cols.map((c) => `${pad}s${c} += a${u} * ${bAt(q, c)};`),
  ];
  const main = ks.len - (ks.len % ROW_UNROLL);
  const lines = cols.map((c) => `let s${c} = 0;`);
  if (main > 0) {
    lines.push(`for (let p = 0; p < ${main}; p += ${ROW_UNROLL}) {`);
    for (let u = 0; u < ROW_UNROLL; u++) lines.push(...step(from(u === 0 ? p : `(${p} + ${u})`), u, '  '));
    lines.push('}');
  }
  for (let q = main; q < ks.len; q++) lines.push(...step(from(String(q)), q - main + ROW_UNROLL, ''));
  if (ks.extra !== null) lines.push(`if (${ks.extraIf}) {`, ...step(ks.extra, 2 * ROW_UNROLL, '  '), '}');
  lines.push(`return [${cols.map((c) => `s${c}`).join(', ')}];`);
  return lines;
}

/**
 * Threads a four-output product should launch on a GPU mode before its k is split (split-k):
 * a product with few outputs and a long k (a B × n tile of the pairwise gradient times X: at
 * n = 20000, d = 64, 419 × 64 outputs over k = 20000, 6704 threads) otherwise leaves most of a GPU
 * idle while each thread walks the whole of k.
 */
export const SPLIT_K_THREADS = 2 ** 17;

/** Fewest steps of k one split-k segment takes. */
const SPLIT_K_MIN_STEPS = 256;

/** Segments of k for a four-output product of `threads` threads over k, 1 for none. */
export function splitKSegments(threads: number, k: number): number {
  if (threads >= SPLIT_K_THREADS) return 1;
  return Math.max(1, Math.min(Math.ceil(SPLIT_K_THREADS / threads), Math.floor(k / SPLIT_K_MIN_STEPS)));
}

/**
 * On the GPU modes, a single product whose n is a multiple of 4: each thread computes four
 * neighbouring outputs of one row (a kernel returning four values, laid out as the flat m × n
 * result), so every value of A it loads serves four products. On webgpu the kernel runs over
 * `[n / 4, m]` with int32 thread ids; on the GL modes over `[m·n / 4]` (their textures keep the
 * 1-D layout; the row and column decoded in float32, exact below 2^24). A product with few
 * outputs and a long k ({@link splitKSegments}) runs S segments of k per output (on webgpu over
 * `[n / 4, m, S]`), S·m·n partials summed by the reduce kernel; it needs A, B and the partials
 * below 2^24 cells (the GL modes compute their indices in float32).
 */
function matmulRowBy4(r: KernelRunner, a: GpuStorage, b: GpuStorage, m: number, k: number, n: number,
  transA: boolean, transB: boolean): GpuStorage {
  const webgpu = r.mode === 'webgpu';
  const wanted = splitKSegments((m * n) / 4, k);
  const S = wanted > 1 && Math.max(a.size, b.size, wanted * m * n) <= maxFloatIndex ? wanted : 1;
  const seg = Math.floor(k / S), rest = k - S * seg;
  // webgpu: split over a 3-D output [n / 4, m, S], so segment, row and column are int32 thread ids
  // (the same kernel with them decoded into variables, which gpu.js makes float32, took 1.7× as
  // long on SwiftShader); the GL modes decode them from the 1-D thread id
  const part = webgpu ? 'this.thread.z' : 'ks';
  const ks: KRange = S === 1
    ? { k0: null, len: k, extra: null, extraIf: null }
    : { k0: `${part} * ${seg}`, len: seg, extra: rest > 0 ? `(${S * seg} + ${part})` : null, extraIf: rest > 0 ? `${part} < ${rest}` : null };
  const head = webgpu ? []
    : S === 1 ? divmod('this.thread.x', n / 4, 'i', 'q', true)
      : [...divmod('this.thread.x', n / 4, 'row', 'q', true), ...divmod('row', m, 'ks', 'i', true)];
  const lines = webgpu
    ? rowBy4Lines(m, k, n, transA, transB, 'this.thread.y', 'this.thread.x', true, ks)
    : rowBy4Lines(m, k, n, transA, transB, 'i', 'q', false, ks);
  const out = r.run({
    primitive: 'matmul', key: `matmul.rowBy4${S > 1 ? `.split${S}` : ''}[${m},${k},${n},${transA},${transB}]`,
    output: webgpu ? (S > 1 ? [n / 4, m, S] : [n / 4, m]) : [(S * m * n) / 4], components: 4, loopMax: seg,
    ...(webgpu && S === 1 ? { floatIndex: 0 } : {}), source: kernelSource(['a', 'b'], [...head, ...lines]),
  }, [a, b]);
  if (S === 1) return out;
  const c = reduce(r, 'sum', out, 1, S, m * n);
  out.dispose();
  return c;
}

/**
 * For each of `batch` pairs, C (m × n) = op(A) · op(B), op(A) m × k (A stored k × m when `transA`),
 * op(B) k × n (B stored n × k when `transB`).
 */
export function matmul(r: KernelRunner, a: GpuStorage, b: GpuStorage, batch: number, m: number, k: number, n: number,
  transA: boolean, transB: boolean): GpuStorage {
  if (batch * m * n > 0 && k === 0) return r.upload(new Float32Array(batch * m * n));
  if (isDeviceMode(r.mode) && batch === 1 && n % 4 === 0 && m <= DEVICE_ROWS_MAX && m * n > 0) {
    return matmulRowBy4(r, a, b, m, k, n, transA, transB);
  }
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
