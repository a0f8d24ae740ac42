/**
 * Row-wise stable sort on the device: a bitonic network over (value, index) pairs, rows padded
 * to a power of two P. Keys order as numbers < NaN < padding, ties by original index, so the
 * result is stable and matches the cpu backend (NaN last). One compiled step kernel serves all
 * log₂P·(log₂P + 1)/2 passes; the pass's (j, k) arrive as scalar arguments. On webgpu a thread
 * writes both halves of its pair (a kernel returning two values), elsewhere one thread per half
 * repeats the comparison.
 */
import { divmod, isNaNTest, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import { GpuStorage } from './storage.js';

/** Lines reading the pair at slot `slot` of the current row into `v${tag}`, `i${tag}` and its class. */
function pairLines(slot: string, tag: string, len: number, P: number): string[] {
  return [
    `const v${tag} = d[2 * (row * ${P} + ${slot})];`,
    `const i${tag} = d[2 * (row * ${P} + ${slot}) + 1];`,
    `let c${tag} = 0;`,
    `if (i${tag} >= ${len}) { c${tag} = 2; }`,
    `if (i${tag} < ${len}) { if ${isNaNTest(`v${tag}`)} { c${tag} = 1; } }`,
  ];
}

/**
 * Stable ascending sort of each contiguous row of length `len`: sorted values and the original
 * positions (as floats).
 */
export function sortRows(r: KernelRunner, x: GpuStorage, rows: number, len: number): { values: GpuStorage; indices: GpuStorage } {
  if (rows * len === 0) return { values: new GpuStorage(0, new Float32Array(0)), indices: new GpuStorage(0, new Float32Array(0)) };
  const P = 2 ** Math.ceil(Math.log2(Math.max(1, len)));
  const exact = isDeviceMode(r.mode);
  const pairs = r.mode === 'webgpu';
  const slots = rows * P;
  // a thread per pair (webgpu: `return [value, index]`) or per half of one (`comp` 0: value, 1: index)
  const head = pairs
    ? ['const c = this.thread.x;', ...divmod('c', P, 'row', 'tt', exact)]
    : ['const c = this.thread.x;', ...divmod('c', 2, 'e', 'comp', exact), ...divmod('e', P, 'row', 'tt', exact)];
  const layout = pairs ? { output: [slots], components: 2 as const } : { output: [2 * slots] };
  const emit = (v: string, i: string): string[] => (pairs
    ? [`return [${v}, ${i}];`]
    : [`if (comp === 0) { return ${v}; }`, `return ${i};`]);
  const tag = `[${rows},${len}]`;
  let d = r.run({
    primitive: 'sort.init', key: `sort.init${tag}`, ...layout,
    source: kernelSource(['x'], [...head,
      'let v0 = 0;', `if (tt < ${len}) { v0 = x[row * ${len} + tt]; }`, ...emit('v0', 'tt')]),
  }, [x]);
  const step = {
    primitive: 'sort.step', key: `sort.step${tag}`, ...layout,
    source: kernelSource(['d', 'j', 'k'], [...head,
      'const qj = Math.floor(tt / j);', 'const lb = qj - Math.floor(qj / 2) * 2;',
      'const qk = Math.floor(tt / k);', 'const kb = qk - Math.floor(qk / 2) * 2;',
      'let partner = tt + j;', 'if (lb === 1) { partner = tt - j; }',
      ...pairLines('tt', 'a', len, P), ...pairLines('partner', 'b', len, P),
      'let aFirst = 0;',
      'if (ca < cb) { aFirst = 1; }',
      'if (ca === cb) { if (ia < ib) { aFirst = 1; } if (ca === 0) { if (va < vb) { aFirst = 1; } if (va > vb) { aFirst = 0; } } }',
      'let keep = aFirst;', 'if (lb !== kb) { keep = 1 - aFirst; }',
      'let ov = vb;', 'let oi = ib;', 'if (keep === 1) { ov = va; oi = ia; }', ...emit('ov', 'oi')]),
  };
  // each pass's input is freed as soon as the next has run (log₂P·(log₂P + 1)/2 buffers otherwise
  // wait for garbage collection, which does not see device memory)
  for (let k = 2; k <= P; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) {
      const next = r.run(step, [d], [j, k]);
      d.dispose();
      d = next;
    }
  }
  const extract = (which: 0 | 1): GpuStorage => r.run({
    primitive: 'sort.extract', key: `sort.extract${which}${tag}`, output: [rows * len],
    source: kernelSource(['d'], ['const t = this.thread.x;', ...divmod('t', len, 'row', 'tt', exact),
      `return d[2 * (row * ${P} + tt) + ${which}];`]),
  }, [d]);
  const sorted = { values: extract(0), indices: extract(1) };
  d.dispose();
  return sorted;
}
