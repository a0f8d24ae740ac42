/**
 * Source generation for gpu.js kernels. Every kernel reads flat 1-D arrays; shapes and strides are
 * baked into the source as integer literals (one compiled kernel per op and shape, cached), and
 * flat indices are decoded into coordinates with floor-division. gpu.js makes kernel variables
 * float32, exact below 2^24 (runner.ts checks each kernel against that); inline thread ids are
 * int32. On the GPU modes, whose division may be off by a few ulps (GLSL and WGSL allow 2.5), each
 * quotient gets an integer fix-up step.
 */
import { stridesOf } from '../../shape.js';

/** A kernel's JS source text: `function(a, b) { … }`. */
export function kernelSource(params: readonly string[], body: readonly string[]): string {
  return `function(${params.join(', ')}) {\n  ${body.join('\n  ')}\n}`;
}

/**
 * A kernel condition true exactly when `v` (an identifier) is NaN, from two ordered comparisons
 * (both false only for NaN): WGSL compilers may fold `v !== v` to false (Dawn on SwiftShader does),
 * so a NaN test written that way never fires on webgpu.
 */
export function isNaNTest(v: string): string {
  return `(!(${v} <= 0) && !(${v} > 0))`;
}

/**
 * Lines declaring `q` = ⌊p / n⌋ and `c` = p − q·n as integers. With `exact`, corrects a quotient
 * that an inexact division left one off.
 */
export function divmod(p: string, n: number, q: string, c: string, exact: boolean): string[] {
  const lines = [`let ${q} = Math.floor(${p} / ${n});`, `let ${c} = ${p} - ${q} * ${n};`];
  if (exact) {
    lines.push(`if (${c} < 0) { ${q} = ${q} - 1; ${c} = ${c} + ${n}; }`);
    lines.push(`if (${c} >= ${n}) { ${q} = ${q} + 1; ${c} = ${c} - ${n}; }`);
  }
  return lines;
}

/**
 * Lines decoding the flat row-major index `idx` over `shape` into coordinates `${tag}c0 … c{r−1}`
 * (innermost first). Returns the lines and the coordinate names.
 */
export function decode(idx: string, shape: readonly number[], tag: string, exact: boolean): { lines: string[]; coords: string[] } {
  const r = shape.length;
  const coords = shape.map((_, d) => `${tag}c${d}`);
  const lines: string[] = [];
  let p = idx;
  for (let d = r - 1; d >= 1; d--) {
    lines.push(...divmod(p, shape[d]!, `${tag}q${d}`, coords[d]!, exact));
    p = `${tag}q${d}`;
  }
  if (r > 0) lines.push(`const ${coords[0]} = ${p};`);
  return { lines, coords };
}

/** `base + Σ coords[d]·strides[d]` as source (terms with stride 0 left out). */
export function offsetExpr(coords: readonly string[], strides: readonly number[], base = 0): string {
  const terms: string[] = [];
  strides.forEach((s, d) => {
    if (s !== 0) terms.push(s === 1 ? coords[d]! : `${coords[d]} * ${s}`);
  });
  if (base !== 0 || terms.length === 0) terms.push(String(base));
  return terms.join(' + ');
}

/** True when `strides` walk `shape` contiguously from 0 (the operand can be read at the flat index). */
export function isContiguous(shape: readonly number[], strides: readonly number[], base = 0): boolean {
  const c = stridesOf(shape);
  return base === 0 && strides.every((s, d) => s === c[d] || shape[d] === 1);
}

/**
 * For a flat output index `idx` over the collapsed `shape`, an index expression per operand
 * (given its strides), plus the lines that decode coordinates when some operand needs them.
 * Contiguous operands read at `idx`, broadcast scalars (every stride 0, no base) at 0; when every
 * operand is one of these, `lines` is empty and a kernel that passes `this.thread.x` as `idx`
 * indexes in int32 only (exact at any size).
 */
export function stridedReads(idx: string, shape: readonly number[], operands: readonly (readonly number[])[],
  exact: boolean, bases: readonly number[] = []): { lines: string[]; exprs: string[] } {
  const plain = operands.map((st, k) => isContiguous(shape, st, bases[k] ?? 0));
  const scalar = operands.map((st, k) => (bases[k] ?? 0) === 0 && st.every((v) => v === 0));
  const direct = (k: number): string | null => (plain[k] ? idx : scalar[k] ? '0' : null);
  if (operands.every((_, k) => direct(k) !== null)) return { lines: [], exprs: operands.map((_, k) => direct(k)!) };
  const { lines, coords } = decode(idx, shape, '', exact);
  return { lines, exprs: operands.map((st, k) => direct(k) ?? offsetExpr(coords, st, bases[k] ?? 0)) };
}
