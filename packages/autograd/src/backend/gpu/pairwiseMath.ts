/**
 * Kernel-source lines of the fused pairwise passes: the distance r(c) and kernel k(r) of a
 * {@link PairKernel} (docs/math.md §2), its derivative, and the unrolled dot product x_i · x_j
 * that every pass recomputes in registers.
 */
import type { PairKernel } from '../pairwise.js';
import { deviceAcosInto } from './deviceMath.js';

/** Rows of at most this many columns are held in registers (`a0 … a{d−1}`) across a sweep. */
export const PRELOAD_MAX = 64;

/** Lines declaring `r` = r(v) and `dr` = r′(v) for the kernel's distance (scalars `plo`, `phi`, `peps`). */
function distanceLines(kernel: PairKernel, device: boolean): string[] {
  switch (kernel.distance) {
    case 'angle':
      return [
        'let cc = v;', 'if (cc < plo) { cc = plo; }', 'if (cc > phi) { cc = phi; }',
        ...(device ? deviceAcosInto('cc', 'r') : ['const r = Math.acos(cc);']),
        'let dr = 0;', 'if (v >= plo && v <= phi) { dr = -1 / Math.sqrt(1 - cc * cc); }',
      ];
    case 'chord':
      return [
        'const u = 2 - 2 * v;', 'let up = 0;', 'if (u > 0) { up = u; }', 'const r = Math.sqrt(up + peps);',
        'let dr = 0;', 'if (u >= 0) { dr = -1 / r; }',
      ];
    case 'chordAuthors':
      return ['const r = Math.sqrt(2 - v);', 'const dr = -1 / (2 * r);'];
    case 'chordSquared':
      return ['const r = 2 - 2 * v;', 'const dr = -2;'];
  }
}

/** The expression of k(r) (`slope` false) or k′(r)·dr (scalars `pgam`, `ps`), after `const k = …` where needed. */
function kernelLines(kernel: PairKernel, slope: boolean): { lines: string[]; value: string } {
  switch (kernel.kernel) {
    case 'gaussian':
      return { lines: ['const k = Math.exp(-pgam * r * r);'], value: slope ? '-2 * pgam * r * k * dr' : 'k' };
    case 'laplace':
      return { lines: ['const k = Math.exp(-pgam * r);'], value: slope ? '-pgam * k * dr' : 'k' };
    case 'identity':
      return { lines: [], value: slope ? 'dr' : 'r' };
    case 'riesz':
      if (kernel.s === 0) return { lines: [], value: slope ? '-dr / r' : '-Math.log(r)' };
      return kernel.s > 0
        ? { lines: [], value: slope ? '-ps * Math.pow(r, -ps - 1) * dr' : 'Math.pow(r, -ps)' }
        : { lines: [], value: slope ? 'ps * Math.pow(r, -ps - 1) * dr' : '-Math.pow(r, -ps)' };
  }
}

/**
 * Lines, for the cosine in `v`, adding k(v) (or k′(v) when `slope`, times `times` when given) to
 * the accumulator `acc`. Meant for a loop body: each name it declares lives in that block.
 */
export function accumulateKernel(kernel: PairKernel, slope: boolean, device: boolean, acc: string, times?: string): string[] {
  const { lines, value } = kernelLines(kernel, slope);
  return [...distanceLines(kernel, device), ...lines, `${acc} += ${times === undefined ? value : `(${value}) * ${times}`};`];
}

/**
 * Lines, for the cosine in `v`, adding k′(v) to `slopeAcc` and k(v) to `valueAcc`: the distance
 * and the kernel are evaluated once for both (a loop body, as {@link accumulateKernel}).
 */
export function accumulateKernelAndSlope(kernel: PairKernel, device: boolean, slopeAcc: string, valueAcc: string): string[] {
  const { lines, value } = kernelLines(kernel, false);
  return [...distanceLines(kernel, device), ...lines, `${slopeAcc} += ${kernelLines(kernel, true).value};`, `${valueAcc} += ${value};`];
}

/** Tag of everything a kernel's source bakes in from `kernel` (its scalars are arguments). */
export function kernelTag(kernel: PairKernel): string {
  return `${kernel.kernel}/${kernel.distance}${kernel.kernel === 'riesz' ? `/s${Math.sign(kernel.s)}` : ''}`;
}

/** The scalar parameters a kernel's source reads, in argument order. */
export function kernelScalars(kernel: PairKernel): { names: string[]; values: number[] } {
  const names: string[] = [], values: number[] = [];
  const add = (name: string, value: number): void => {
    names.push(name);
    values.push(value);
  };
  if (kernel.distance === 'angle') {
    add('plo', -1 + kernel.eps);
    add('phi', 1 - kernel.eps);
  }
  if (kernel.distance === 'chord') add('peps', kernel.eps);
  if (kernel.kernel === 'gaussian' || kernel.kernel === 'laplace') add('pgam', kernel.gamma);
  if (kernel.kernel === 'riesz' && kernel.s !== 0) add('ps', kernel.s);
  return { names, values };
}

/**
 * The dot product of row `ia` of `a` with row `jb` of `b` (d columns; `ia`, `jb` row indices as
 * source, identifiers): `pre` declares row `ia`'s values in registers `${out}r0 …` when d ≤ {@link PRELOAD_MAX} (put it
 * outside the sweep's loop), `dot` declares `out` (inside it). Four accumulators give the
 * products independent chains; wider rows loop over them by fours. With `sharedRow`, `dot` leaves
 * out the declaration of row `jb`'s offset `${jb}b`: a second dot product with the same row in
 * the same block reuses the first one's (and the loads of row `jb` it names).
 */
export function dotLines(d: number, a: string, ia: string, b: string, jb: string, out: string, sharedRow = false): { pre: string[]; dot: string[] } {
  const acc = [0, 1, 2, 3].map((u) => `${out}${u}`);
  const sum = `const ${out} = (${acc[0]} + ${acc[1]}) + (${acc[2]} + ${acc[3]});`;
  const row = sharedRow ? [] : [`const ${jb}b = ${jb} * ${d};`];
  if (d <= PRELOAD_MAX) {
    const pre = Array.from({ length: d }, (_, p) => `const ${out}r${p} = ${a}[${ia} * ${d} + ${p}];`);
    const terms: string[][] = [[], [], [], []];
    for (let p = 0; p < d; p++) terms[p % 4]!.push(`${out}r${p} * ${b}[${jb}b + ${p}]`);
    const dot = [...row, ...acc.map((s, u) => `const ${s} = ${terms[u]!.length ? terms[u]!.join(' + ') : '0'};`), sum];
    return { pre, dot };
  }
  const main = d - (d % 4);
  const dot = [
    ...row, `const ${ia}a = ${ia} * ${d};`, ...acc.map((s) => `let ${s} = 0;`),
    `for (let ${out}p = 0; ${out}p < ${main}; ${out}p += 4) {`,
    ...acc.map((s, u) => `  ${s} += ${a}[${ia}a + ${out}p + ${u}] * ${b}[${jb}b + ${out}p + ${u}];`),
    '}',
    ...Array.from({ length: d - main }, (_, u) => `${acc[u]} += ${a}[${ia}a + ${main + u}] * ${b}[${jb}b + ${main + u}];`),
    sum,
  ];
  return { pre: [], dot };
}
