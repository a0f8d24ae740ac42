/**
 * Written-out float32 formulas for the GPU modes (webgpu, webgl2, webgl, headlessgl), used there
 * instead of shader builtins whose accuracy WGSL and Vulkan bound only loosely (2^-11 absolute for
 * sin/cos, 4096 ulp for the inverse trigonometry) and which were measured far off on software GPUs.
 * Each is kernel-body source over the variable `v` (unary) or `x`, `y` (atan2), in the JavaScript
 * subset gpu.js compiles; the host modes keep Math.*.
 */

/**
 * asin(w) for 0 ≤ w ≤ 0.5 as source: w + w·z·P(z), z = w², with the minimax polynomial P of Cephes'
 * asinf (relative error about 2.5e-7 in float32 arithmetic).
 */
function asinSmall(w: string, z: string): string {
  return `(${w} + ${w} * ${z} * ((((0.042163199048 * ${z} + 0.024181311049) * ${z} + 0.045470025998) * ${z} + 0.074953002686) * ${z} + 0.16666752422))`;
}

/**
 * asin and acos on the GPU modes, written out instead of the builtins, whose accuracy WGSL and
 * Vulkan only bound by atan2's 4096 ulp (GLSL not at all): Mesa llvmpipe's acos is 1.3e-4 off and
 * its asin 7% off at 1e-6, which the geodesic regularizers inherit. Cephes' reduction: for |v| ≤ ½
 * the polynomial directly; beyond, asin|v| = π/2 − 2·asin(√z) and acos|v| = 2·asin(√z) with
 * z = (1 − |v|)/2 (exact in float32); then the sign. |v| > 1 gives √(negative) = NaN, as Math does.
 */
export const deviceInverseTrig: Readonly<Record<'asin' | 'acos', string[]>> = {
  asin: [
    'const a = Math.abs(v);', 'let r = 0;',
    `if (a <= 0.5) { const z = a * a; r = ${asinSmall('a', 'z')}; } else { const z = 0.5 * (1 - a); const s = Math.sqrt(z); r = 1.5707963267948966 - 2 * ${asinSmall('s', 'z')}; }`,
    'if (v < 0) { return -r; }', 'return r;',
  ],
  acos: [...deviceAcosInto('v', 'r'), 'return r;'],
};

/**
 * Lines declaring `out` = acos(`v`) on the GPU modes ({@link deviceInverseTrig}'s reduction, as
 * statements rather than a kernel's return, so fused kernels can use the angle). Names `out`,
 * and uses the scratch names `${out}a`, `${out}z`, `${out}s`.
 */
export function deviceAcosInto(v: string, out: string): string[] {
  const a = `${out}a`, z = `${out}z`, s = `${out}s`;
  return [
    `const ${a} = Math.abs(${v});`, `let ${out} = 0;`,
    `if (${a} <= 0.5) { const ${z} = ${v} * ${v}; ${out} = 1.5707963267948966 - ${asinSmall(v, z)}; } else {`,
    `  const ${z} = 0.5 * (1 - ${a}); const ${s} = Math.sqrt(${z}); ${out} = 2 * ${asinSmall(s, z)};`,
    `  if (${v} < 0) { ${out} = 3.141592653589793 - ${out}; }`,
    '}',
  ];
}

/**
 * sin and cos on the GPU modes, written out: WGSL and Vulkan allow the builtins an absolute error
 * of 2^-11 (SwiftShader's sin is 1.9e-4 off at −1.7467), which expmap's sinc and sin² inherit.
 * Cephes' sinf/cosf: j = the even integer nearest |v|·4/π from below-or-up, z = |v| − j·π/4 in
 * three float32-exact parts (Cody–Waite), then the sine or cosine polynomial on |z| ≤ π/4 by the
 * octant q = j mod 8. Accurate to float32 for |v| up to a few thousand.
 */
export function deviceSinCos(op: 'sin' | 'cos'): string[] {
  return [
    'const a = Math.abs(v);',
    'let j = Math.floor(a * 1.2732395447351628);',
    'if (j - 2 * Math.floor(j / 2) > 0.5) { j = j + 1; }',
    'const z = ((a - j * 0.78515625) - j * 0.00024187564849853515625) - j * 3.77489497744594108e-8;',
    'const q = j - 8 * Math.floor(j / 8);',
    'const zz = z * z;',
    'const ps = z + z * zz * ((-0.00019515295891 * zz + 0.0083321608736) * zz - 0.16666654611);',
    'const pc = 1 - 0.5 * zz + zz * zz * ((0.00002443315711809948 * zz - 0.001388731625493765) * zz + 0.04166664568298827);',
    ...(op === 'sin'
      ? ['let r = ps;', 'if (q > 1 && q < 3 || q > 5) { r = pc; }', 'if (q > 3) { r = -r; }', 'if (v < 0) { return -r; }', 'return r;']
      : ['let r = pc;', 'if (q > 1 && q < 3 || q > 5) { r = ps; }', 'if (q > 1 && q < 5) { r = -r; }', 'return r;']),
  ];
}

/**
 * tanh on the GPU modes, written out: GLSL's builtin is (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) on some drivers, NaN
 * once eˣ overflows (Mesa llvmpipe: tanh(44.5) = NaN). Cephes' tanhf: its polynomial for |v| < 0.625,
 * else 1 − 2/(e^{2|v|} + 1) with |v| capped at 20 (tanh 20 rounds to 1 in float32); then the sign.
 */
export const deviceTanh: string[] = [
  'const a = Math.abs(v);', 'let r = 0;',
  'if (a < 0.625) { const z = a * a; r = a + a * z * ((((-0.00570498872745 * z + 0.0206390887954) * z - 0.0537397155531) * z + 0.133314422036) * z - 0.333332819422); }',
  'else { r = 1 - 2 / (Math.exp(2 * Math.min(a, 20)) + 1); }',
  'if (v < 0) { return -r; }', 'return r;',
];

/**
 * atan2(x, y) (x the ordinate) on the GPU modes, written out: the builtin is only bounded to 4096
 * ulp (Mesa llvmpipe: 1.1e-5 relative off). The ratio q = min(|x|, |y|)/max(|x|, |y|) ≤ 1, then
 * Cephes' atanf (one reduction by π/4 above tan(π/8), its polynomial), then the octant and sign.
 * atan2(0, 0) = 0 and atan2(0, y < 0) = π as in Math; a −0 reads as +0 on the GPU.
 */
export const deviceAtan2: string[] = [
  'const n = Math.abs(x);', 'const d = Math.abs(y);',
  'if (n === 0 && d === 0) { if (y < 0) { return 3.141592653589793; } return 0; }',
  'let t = n / d;', 'if (n > d) { t = d / n; }',
  'let base = 0;', 'if (t > 0.41421356237309503) { base = 0.7853981633974483; t = (t - 1) / (t + 1); }',
  'const z = t * t;',
  'let r = base + ((((0.0805374449538 * z - 0.138776856032) * z + 0.199777106478) * z - 0.333329491539) * z * t + t);',
  'if (n > d) { r = 1.5707963267948966 - r; }', 'if (y < 0) { r = 3.141592653589793 - r; }',
  'if (x < 0) { return -r; }', 'return r;',
];
