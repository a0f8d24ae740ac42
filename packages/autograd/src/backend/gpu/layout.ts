/**
 * Layout kernels: strided copy and its scatter, concat, gather and its scatter-add. All are
 * written gather-style (each output cell finds its source), so no two threads write one cell.
 */
import { sizeOf, stridesOf } from '../../shape.js';
import { collapseDims } from '../cpu/storage.js';
import { decode, divmod, kernelSource, offsetExpr, stridedReads } from './codegen.js';
import { isDeviceMode } from './modes.js';
import type { KernelRunner } from './runner.js';
import { GpuStorage } from './storage.js';
import { sortRows } from './sort.js';

/**
 * Most inputs one concat kernel reads: WebGPU's default limit is 8 storage buffers per shader
 * stage, the output included (GL binds one texture unit per input, at least 16).
 */
const CONCAT_FANIN = 7;

/** `out[i] = x[offset + Σ idx_d · strides_d]` over `outShape` (permute, slice, expand). */
export function stridedCopy(r: KernelRunner, x: GpuStorage, outShape: readonly number[], strides: readonly number[], offset: number): GpuStorage {
  const { shape, strides: st } = collapseDims(outShape, [stridesOf(outShape), strides]);
  const { lines, exprs } = stridedReads('this.thread.x', shape, [st[1]!], isDeviceMode(r.mode), [offset]);
  return r.run({
    primitive: 'stridedCopy', key: `stridedCopy[${shape}|${st[1]}|${offset}|${x.size}]`, output: [sizeOf(outShape)],
    ...(lines.length === 0 ? { floatIndex: 0 } : {}),
    source: kernelSource(['x'], [...lines, `return x[${exprs[0]}];`]),
  }, [x]);
}

/**
 * Zeros of `size` with `src` placed at `offset + Σ idx_d · strides_d`. Each output cell decodes its
 * position greedily, largest stride first, which is exact when every stride exceeds the furthest
 * reach of the smaller ones (true of slices). Other stride patterns take the host fallback.
 */
export function stridedScatter(r: KernelRunner, src: GpuStorage, srcShape: readonly number[], size: number,
  strides: readonly number[], offset: number): GpuStorage {
  const { shape, strides: st } = collapseDims(srcShape, [stridesOf(srcShape), strides]);
  const dims = shape.map((s, d) => ({ n: s, out: st[1]![d]!, src: st[0]![d]! })).sort((p, q) => q.out - p.out);
  let reach = 0;
  let decodable = true;
  for (let d = dims.length - 1; d >= 0; d--) {
    if (dims[d]!.out <= reach) decodable = false;
    reach += (dims[d]!.n - 1) * dims[d]!.out;
  }
  const key = `stridedScatter[${shape}|${st[1]}|${offset}|${size}]`;
  if (!decodable) {
    return r.host('stridedScatter', key, [src], size, ([x]) => {
      const o = new Float32Array(size);
      const idx = new Array<number>(shape.length).fill(0);
      for (let k = 0; k < x!.length; k++) {
        let pos = offset;
        idx.forEach((c, d) => (pos += c * st[1]![d]!));
        o[pos] = o[pos]! + x![k]!;
        for (let d = shape.length - 1; d >= 0 && ++idx[d]! === shape[d]; d--) idx[d] = 0;
      }
      return o;
    });
  }
  const exact = isDeviceMode(r.mode);
  const body = ['const o = this.thread.x;', `const rem0 = o - ${offset};`, 'if (rem0 < 0) { return 0; }'];
  dims.forEach((d, k) => {
    body.push(...divmod(`rem${k}`, d.out, `c${k}`, `rem${k + 1}`, exact));
    body.push(`if (c${k} >= ${d.n}) { return 0; }`);
  });
  body.push(`if (rem${dims.length} !== 0) { return 0; }`);
  body.push(`return x[${offsetExpr(dims.map((_, k) => `c${k}`), dims.map((d) => d.src))}];`);
  return r.run({ primitive: 'stridedScatter', key, output: [size], source: kernelSource(['x'], body) }, [src]);
}

/** Concatenates `[outer, lens[i], inner]` blocks along the middle axis. */
export function concat(r: KernelRunner, xs: readonly GpuStorage[], outer: number, lens: readonly number[], inner: number): GpuStorage {
  const keep = lens.map((l, i) => i).filter((i) => lens[i]! > 0);
  const parts = keep.map((i) => xs[i]!);
  const ls = keep.map((i) => lens[i]!);
  if (parts.length > CONCAT_FANIN) {
    // groups of CONCAT_FANIN joined first, then the groups; each group's join is freed once read
    const groups: GpuStorage[] = [], groupLens: number[] = [];
    for (let g = 0; g < parts.length; g += CONCAT_FANIN) {
      const gl = ls.slice(g, g + CONCAT_FANIN);
      groups.push(concat(r, parts.slice(g, g + CONCAT_FANIN), outer, gl, inner));
      groupLens.push(gl.reduce((a, b) => a + b, 0));
    }
    const out = concat(r, groups, outer, groupLens, inner);
    groups.forEach((part, k) => {
      if (part !== parts[k * CONCAT_FANIN]) part.dispose();
    });
    return out;
  }
  const total = ls.reduce((a, b) => a + b, 0);
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) return new GpuStorage(0, new Float32Array(0));
  const block = total * inner;
  const { lines, coords } = decode('t', [outer, block], '', isDeviceMode(r.mode));
  const [o, w] = coords as [string, string];
  const body = ['const t = this.thread.x;', ...lines];
  let at = 0;
  ls.forEach((l, k) => {
    const read = `return x${k}[${o} * ${l * inner} + ${w} - ${at}];`;
    at += l * inner;
    body.push(k === ls.length - 1 ? read : `if (${w} < ${at}) { ${read} }`);
  });
  return r.run({
    primitive: 'concat', key: `concat[${outer},${ls},${inner}]`, output: [outer * block],
    source: kernelSource(ls.map((_, k) => `x${k}`), body),
  }, parts);
}

/** Index-select along the middle axis: out `[outer, m, inner]` with `out[o, j, i] = x[o, idx[j], i]`. */
export function gather(r: KernelRunner, x: GpuStorage, outer: number, len: number, inner: number, idx: GpuStorage): GpuStorage {
  const m = idx.size;
  const { lines, coords } = decode('t', [outer, m, inner], '', isDeviceMode(r.mode));
  const [o, j, i] = coords as [string, string, string];
  return r.run({
    primitive: 'gather', key: `gather[${outer},${len},${inner},${m}]`, output: [outer * m * inner],
    source: kernelSource(['x', 'idx'], ['const t = this.thread.x;', ...lines, `return x[(${o} * ${len} + idx[${j}]) * ${inner} + ${i}];`]),
  }, [x, idx]);
}

/**
 * VJP of gather: zeros `[outer, len, inner]` plus `g[o, j, i]` at `[o, idx[j], i]`, repeats summed.
 * The indices are sorted once (stable, keeping their positions); each output cell then finds its
 * run of equal indices by two binary searches and sums those rows in position order.
 */
export function scatterAdd(r: KernelRunner, g: GpuStorage, outer: number, len: number, inner: number, idx: GpuStorage): GpuStorage {
  const m = idx.size;
  if (m === 0 || outer * len * inner === 0) return r.upload(new Float32Array(outer * len * inner));
  const { values: keys, indices: pos } = sortRows(r, idx, 1, m);
  const steps = Math.ceil(Math.log2(m + 1));
  const { lines, coords } = decode('t', [outer, len, inner], '', isDeviceMode(r.mode));
  const [o, l, i] = coords as [string, string, string];
  const search = (cmp: string): string[] => [
    `for (let s = 0; s < ${steps}; s++) {`,
    '  if (lo < hi) { const mid = Math.floor((lo + hi) / 2); if (k[mid] ' + cmp + ` ${l}) { lo = mid + 1; } else { hi = mid; } }`,
    '}',
  ];
  const out = r.run({
    primitive: 'scatterAdd', key: `scatterAdd[${outer},${len},${inner},${m}]`, output: [outer * len * inner], loopMax: Math.max(m, steps),
    source: kernelSource(['gz', 'k', 'pos'], [
      'const t = this.thread.x;', ...lines,
      'let lo = 0;', `let hi = ${m};`, ...search('<'), 'const start = lo;',
      `hi = ${m};`, ...search('<='),
      'let acc = 0;',
      `for (let q = start; q < lo; q += 1) { acc += gz[(${o} * ${m} + pos[q]) * ${inner} + ${i}]; }`,
      'return acc;',
    ]),
  }, [g, keys, pos]);
  keys.dispose();
  pos.dispose();
  return out;
}
