/**
 * Reductions along the middle axis of `[outer, len, inner]`, one output cell per thread. Long
 * sums, maxima and minima (len > 1024) run in two passes over √len-sized chunks: more threads,
 * and float32 sums whose rounding error grows like √len rather than len.
 */
import type { ReduceOp } from '../backend.js';
import { decode, isNaNTest, kernelSource } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import { GpuStorage } from './storage.js';

/** Above this length, sum/max/min reduce in two passes. */
const SPLIT = 1024;

/**
 * Lines folding `x[base + l·inner]` for l < `bound` (and l < `count` when given) into `s` for
 * sums, or `best` and its index `at`.
 */
function foldLines(op: ReduceOp, count: string | null, inner: number, bound: number): string[] {
  const at = (l: string): string => (inner === 1 ? `base + ${l}` : `base + ${l} * ${inner}`);
  const guard = (line: string): string => (count === null ? line : `if (l < ${count}) { ${line} }`);
  if (op === 'sum') {
    return ['let s = 0;', `for (let l = 0; l < ${bound}; l++) {`, `  ${guard(`s += x[${at('l')}];`)}`, '}', 'return s;'];
  }
  const better = op === 'max' || op === 'argmax' ? '>' : '<';
  const ret = op === 'argmax' || op === 'argmin' ? 'at' : 'best';
  return [
    'let best = x[base];', 'let at = 0;',
    `for (let l = 1; l < ${bound}; l++) {`,
    `  ${guard(`const v = x[${at('l')}]; if (!${isNaNTest('best')}) { if ${isNaNTest('v')} { best = v; at = l; } if (v ${better} best) { best = v; at = l; } }`)}`,
    '}',
    `return ${ret};`,
  ];
}

/**
 * Reduces `[outer, len, inner]` to `[outer, inner]`: sums in float32, max/min propagate NaN, arg*
 * give the first index of the extreme (NaN counts as extreme), as the cpu backend does.
 */
export function reduce(r: KernelRunner, op: ReduceOp, x: GpuStorage, outer: number, len: number, inner: number): GpuStorage {
  const n = outer * inner;
  if (n === 0) return new GpuStorage(0, new Float32Array(0));
  if (len === 0) return r.upload(new Float32Array(n).fill(op === 'sum' || op === 'argmax' || op === 'argmin' ? 0 : NaN));
  const exact = isDeviceMode(r.mode);
  if (len > SPLIT && (op === 'sum' || op === 'max' || op === 'min')) {
    const chunk = Math.ceil(Math.sqrt(len));
    const chunks = Math.ceil(len / chunk);
    const { lines, coords } = decode('t', [outer, chunks, inner], '', exact);
    const [o, c, i] = coords as [string, string, string];
    const partial = r.run({
      primitive: `reduce.${op}`, key: `reduce.${op}.chunks[${outer},${len},${inner}]`, output: [outer * chunks * inner], loopMax: chunk,
      source: kernelSource(['x'], [
        'const t = this.thread.x;', ...lines,
        `const base = ${o} * ${len * inner} + ${c} * ${chunk * inner} + ${i};`,
        `const cnt = Math.min(${chunk}, ${len} - ${c} * ${chunk});`,
        ...foldLines(op, 'cnt', inner, chunk),
      ]),
    }, [x]);
    const out = reduce(r, op, partial, outer, chunks, inner);
    partial.dispose();
    return out;
  }
  const { lines, coords } = decode('t', [outer, inner], '', exact);
  const [o, i] = coords as [string, string];
  return r.run({
    primitive: `reduce.${op}`, key: `reduce.${op}[${outer},${len},${inner}]`, output: [n], loopMax: len,
    source: kernelSource(['x'], [
      'const t = this.thread.x;', ...lines,
      `const base = ${o} * ${len * inner} + ${i};`,
      ...foldLines(op, null, inner, len),
    ]),
  }, [x]);
}
