// The gpu backend's browser modes (webgl2, webgl, and webgpu through navigator.gpu) in real
// headless Chromium, software-rendered by SwiftShader: every case of browser/page.ts (unary,
// broadcasting binary, reductions, matmul, layout, sort, softmax, two composite losses; outputs
// and gradients) runs on the mode and on cpuBackend in the page, and is compared here within
// float32 tolerance; no kernel may leave the GPU. The pairwiseSum cases run again with the
// gradient forced fused and forced into k′ tiles (`pairwiseGradient`). Then the backend's
// contract in the browser (strict mode, finding gpu.js, keeping inputs alive while their kernels
// compile).
// Skipped with the reason printed when no Chromium is installed, per mode when the browser
// cannot provide it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertClose, compareArrays } from '@keepdist/autograd/testing';
import { findChromium, startBrowser, type BrowserHarness } from './browser/harness.js';
import type { BrowserChecks, BrowserModeResult } from './browser/protocol.js';

const chromium = findChromium();
if ('reason' in chromium) console.log(`browser tests: skipping: ${chromium.reason}`);

/** Skips the test, printing why, when the browser cannot provide the mode. */
function skipIfUnavailable(r: BrowserModeResult, ctx: { skip(note?: string): void }): void {
  if (r.unavailable === null) return;
  console.log(`browser tests: skipping mode ${r.mode} in Chromium: ${r.unavailable}`);
  ctx.skip(r.unavailable);
}

/** Every case's output and gradients within float32 tolerance of the cpu backend, every kernel on the mode. */
function expectMatchesCpu(r: BrowserModeResult, where: string): void {
  const failures: string[] = [];
  let worstAbs = 0, worstRel = 0, worstCase = '';
  for (const c of r.cases) {
    if (c.error !== undefined) failures.push(`${c.name}: threw ${c.error}`);
    else {
      c.ref.forEach((ref, k) => {
        const got = c.got[k]!, what = `${c.name} ${k === 0 ? 'forward' : `gradient ${k - 1}`} on ${r.backend}`;
        const { maxAbsError } = compareArrays(got, ref, 0, 0);
        const rel = maxAbsError / Math.max(1e-30, ...ref.map(Math.abs));
        if (rel > worstRel) [worstRel, worstCase] = [rel, what];
        worstAbs = Math.max(worstAbs, maxAbsError);
        try {
          assertClose(what, got, ref, 'float32');
        } catch (e) {
          failures.push((e as Error).message);
        }
      });
    }
  }
  console.log(`browser tests: ${r.backend} ${where}: ${r.cases.length} cases, ${r.kernelModes.length} kernels, `
    + `max |gpu − cpu| = ${worstAbs.toExponential(2)}, max |gpu − cpu| / max|cpu| = ${worstRel.toExponential(2)} (${worstCase}); `
    + `${(r.ms / 1000).toFixed(1)} s`);
  expect(failures, failures.join('\n')).toEqual([]);
  expect(r.kernelModes.length).toBeGreaterThan(0);
  expect(r.kernelModes.filter(([, ran]) => ran !== r.mode)).toEqual([]);
}

describe.skipIf('reason' in chromium)('gpu backend in headless Chromium', () => {
  let browser: BrowserHarness;
  let checks: Promise<BrowserChecks> | undefined;
  const contract = (): Promise<BrowserChecks> => (checks ??= browser.call('checks', undefined, 30_000));
  beforeAll(async () => {
    browser = await startBrowser((chromium as { path: string }).path);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const mode of ['webgl2', 'webgl', 'webgpu'] as const) {
    it(`${mode}: outputs and gradients of every case match the cpu backend, all kernels on the GPU`, async (ctx) => {
      const r = await browser.call('run', mode, 40_000);
      skipIfUnavailable(r, ctx);
      expectMatchesCpu(r, `in Chromium ${browser.version}`);
      // the products with a multiple of 4 columns ran four outputs per thread
      expect(r.kernelModes.filter(([key]) => key.startsWith('matmul.rowBy4')).length).toBeGreaterThanOrEqual(3);
      expect(r.kernelModes.map(([key]) => key).filter((key) => key.startsWith('matmul.rowBy4.split4'))).toHaveLength(2);
      // nearest of an even number of queries: two per thread
      expect(r.kernelModes.some(([key]) => key.startsWith('nearest.argmaxPairs['))).toBe(true);
    }, 45_000);
  }

  for (const mode of ['webgl2', 'webgl', 'webgpu'] as const) {
    it(`${mode}: pairwiseSum with the gradient always fused, then always in k′ tiles, matches the cpu backend`, async (ctx) => {
      const [fused, tiles] = await browser.call('paths', mode, 40_000);
      skipIfUnavailable(fused!, ctx);
      for (const [path, r] of [['fused', fused!], ['tiles', tiles!]] as const) expectMatchesCpu(r, `(${path}) in Chromium ${browser.version}`);
      const tileKernels = (r: BrowserModeResult): string[] => r.kernelModes.map(([key]) => key).filter((key) => key.startsWith('pairwiseSum.slopeTile'));
      expect(tileKernels(fused!)).toEqual([]);
      expect(fused!.kernelModes.filter(([key]) => key.startsWith('pairwiseSum.gradBy4')).length).toBeGreaterThan(0);
      expect(tileKernels(tiles!).length).toBeGreaterThan(0);
      expect(tiles!.kernelModes.filter(([key]) => /^pairwiseSum\.grad/.test(key))).toEqual([]);
    }, 45_000);
  }

  for (const mode of ['webgl2', 'webgl', 'webgpu'] as const) {
    it(`${mode}: a strict backend runs a kernel (gpu.js's GL kernel classes are told apart, not taken for a fallback)`, async (ctx) => {
      const error = (await contract()).strict[mode];
      if (error !== null && /is not available here/.test(error)) ctx.skip(error);
      expect(error).toBeNull();
    }, 30_000);
  }

  it("createGpuBackend finds the page's global GPU (gpu.js's browser build loaded by a script tag)", async () => {
    expect((await contract()).loader).toBeNull();
  }, 30_000);

  // On webgpu a new kernel compiles asynchronously while gpu.js holds only its inputs' buffer
  // handles: the runner keeps the input storages reachable until the kernel is done, so that a
  // garbage-collected input is not freed under it (deterministic here with gc()).
  it('webgpu: an input collected while its consumer compiles stays alive', async (ctx) => {
    const error = (await contract()).collected;
    if (error !== null && /is not available here/.test(error)) ctx.skip(error);
    expect(error).toBeNull();
  }, 30_000);
});
