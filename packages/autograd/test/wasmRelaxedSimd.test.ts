// The relaxed-SIMD build of the kernels (fused multiply-add in the GEMM micro-kernel). Node 20 has
// relaxed SIMD behind a V8 flag, so this file turns the flag on in its own process (vitest runs each
// test file in one) before anything compiles the kernels, checks that the backends take that build,
// then runs the wasm suites whose primitives go through the micro-kernel (matmul, the pairwise and
// nearest passes, their threaded splits) against it: they hold it to the same tolerances as the
// baseline build.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';

setFlagsFromString('--experimental-wasm-relaxed-simd');
const ag = await import('@keepdist/autograd');
const { cpuFuses } = await import('./wasmHelpers.js');

describe('the relaxed-SIMD build', () => {
  it('runs where the engine has relaxed SIMD, unless relaxedSimd is false; a bad option is refused', () => {
    expect(ag.createWasmBackend().simd).toBe('relaxed-simd');
    expect(ag.createWasmBackend({ threads: 2 }).simd).toBe('relaxed-simd');
    expect(ag.createWasmBackend({ relaxedSimd: false }).simd).toBe('simd128');
    expect(() => ag.createWasmBackend({ relaxedSimd: 'yes' as unknown as boolean })).toThrow(/createWasmBackend: expected relaxedSimd to be true or false, got yes/);
  });

  it('matmul agrees with the simd128 build within the rounding bound of a k-term sum (every transpose, edges)', () => {
    const fused = ag.createWasmBackend(), plain = ag.createWasmBackend({ relaxedSimd: false });
    for (const [m, k, n, ta, tb] of [[37, 300, 29, false, false], [64, 64, 64, true, true], [5, 513, 17, false, true], [130, 7, 9, true, false]] as const) {
      const rng = ag.createRng(m * k + n);
      const a = rng.normalArray(m * k), b = rng.normalArray(k * n);
      for (const dtype of ['float32', 'float64'] as const) {
        const product = (be: typeof plain, x: ArrayLike<number>, y: ArrayLike<number>) => be.readSync(be.matmul(be.upload(x, dtype), be.upload(y, dtype), 1, m, k, n, ta, tb));
        const got = product(fused, a, b), want = product(plain, a, b);
        // either sum of k products is within γ_k·(|A||B|)_ij of the exact one, γ_k ≈ k·u
        const scale = product(plain, a.map(Math.abs), b.map(Math.abs));
        const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        let fusedSomewhere = false;
        for (let i = 0; i < want.length; i++) {
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(2.02 * k * u * scale[i]!);
          if (got[i] !== want[i]) fusedSomewhere = true;
        }
        // where the CPU fuses (V8 lowers relaxed_madd to vfmadd on x64 with FMA, to fmla on arm64),
        // the relaxed build really is another computation: some entry rounds differently
        if (cpuFuses && m * n > 100) expect(fusedSomewhere).toBe(true);
      }
    }
  });
});

await import('./wasmOps.test.js');
await import('./wasmPairwise.test.js');
await import('./wasmNearestSelf.test.js');
await import('./wasmThreads.test.js');
