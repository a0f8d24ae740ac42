// The script browser.test.ts bundles (esbuild, platform browser) and runs in headless Chromium:
// `globalThis.keepdist.run(mode)` makes a gpu backend in that mode (gpu.js is the page's global
// `GPU`, loaded from gpu-browser.js by a script tag, as the browser bundle expects), runs each
// case below on it and on cpuBackend (float32, the same float32 inputs) and returns both results
// for the test to compare in Node, with the mode every kernel really ran on. Inputs come from a
// seeded Rng, so every run and every mode sees the same numbers.
import * as agMain from '@keepdist/autograd';
import * as agInternal from '../../src/internal.js';
import type { Tensor } from '@keepdist/autograd';
import { type BrowserCaseResult, type BrowserChecks, type BrowserEntry, type BrowserModeResult, type BrowserMode } from './protocol.js';

/** The public ops and the building blocks, as one namespace. */
const ag = { ...agMain, ...agInternal };

/** One input: shape, uniform range, and a gap around 0 for ops singular there. */
interface InputSpec { shape: number[]; lo?: number; hi?: number; away?: number }

/**
 * One checked computation; `grad` also compares the gradients of Σ f ⊙ w.
 */
interface Case { name: string; inputs: InputSpec[]; f: (...xs: Tensor[]) => Tensor; grad?: boolean }

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** float32-exact uniform values in [lo, hi], at least `away` from 0 (seeded per input). */
function values(spec: InputSpec, seed: number): number[] {
  const { lo = -2, hi = 2, away = 0 } = spec;
  const u = ag.createRng(seed).uniformArray(size(spec.shape));
  return Array.from(u, (v) => {
    const x = lo + (hi - lo) * v;
    return Math.fround(Math.abs(x) < away ? Math.sign(x || 1) * away : x);
  });
}

const idx = (shape: number[], n: number, seed: number): number[] => ag.createRng(seed).integers(0, n, size(shape));
const pos = { lo: 0.1, hi: 3 }, unit = { lo: -0.9, hi: 0.9 }, away = { away: 0.1 };
const X = [3, 4, 5];

/** Named unary ops (explicit names: bundlers rename functions). */
const unary = (list: [string, (t: Tensor) => Tensor][], spec: Omit<InputSpec, 'shape'> = {}): Case[] =>
  list.map(([name, f]) => ({ name, inputs: [{ shape: X, ...spec }], f }));

/**
 * Every case, in a fixed order (the seed of input j of case i is 1000·i + j). Forward values of
 * every op; gradients where the VJP reaches a primitive path the forwards do not (strided
 * scatter, scatter-add, max's tie mask, transposed matmuls, sort's inverse gather) and for two
 * composite losses. Shapes repeat on purpose: every new shape compiles new kernels, and kernel
 * compilation dominates the run time on SwiftShader.
 */
const cases: Case[] = [
  ...unary([['neg', ag.neg], ['exp', ag.exp], ['square', ag.square], ['tanh', ag.tanh], ['sigmoid', ag.sigmoid]]),
  ...unary([['sin', ag.sin], ['cos', ag.cos]]),
  ...unary([['log', ag.log], ['sqrt', ag.sqrt]], pos),
  ...unary([['acos', ag.acos], ['asin', ag.asin]], unit),
  ...unary([['reciprocal', ag.reciprocal], ['abs', ag.abs], ['relu', ag.relu], ['sign', ag.sign]], away),
  { name: 'clamp', inputs: [{ shape: X, ...away }], f: (t) => ag.clamp(t, -0.5, 0.5) },
  // binary, broadcasting [2,3,4] against [3,1] and [4]
  ...([['add', ag.add], ['sub', ag.sub], ['mul', ag.mul], ['maximum', ag.maximum], ['minimum', ag.minimum],
    ['eq', ag.eq], ['ne', ag.ne], ['lt', ag.lt], ['le', ag.le], ['gt', ag.gt], ['ge', ag.ge]] as const)
    .map(([name, f]) => ({ name, inputs: [{ shape: [2, 3, 4] }, { shape: [3, 1] }], f })),
  { name: 'div', inputs: [{ shape: [2, 3, 4] }, { shape: [4], ...away }], f: ag.div },
  { name: 'atan2', inputs: [{ shape: [2, 3, 4] }, { shape: [4], ...away }], f: ag.atan2 },
  { name: 'pow', inputs: [{ shape: [2, 3, 4], lo: 0.2, hi: 2 }, { shape: [3, 1] }], f: ag.pow },
  { name: 'eq (equal entries)', inputs: [{ shape: [4] }], f: (t) => ag.eq(ag.expand(t, [3, 4]), t) },
  { name: 'where', inputs: [{ shape: [2, 3, 4] }, { shape: [3, 1] }], f: (p, q) => ag.where(ag.gt(p, 0), p, q) },
  // reductions
  { name: 'sum', inputs: [{ shape: X }], f: (t) => ag.sum(t) },
  { name: 'sum dim 1', inputs: [{ shape: X }], f: (t) => ag.sum(t, 1) },
  { name: 'sum dims [0,2] keepdim', inputs: [{ shape: X }], f: (t) => ag.sum(t, [0, 2], true) },
  { name: 'mean dim 2', inputs: [{ shape: X }], f: (t) => ag.mean(t, 2) },
  { name: 'max dim 0', inputs: [{ shape: X }], f: (t) => ag.max(t, 0), grad: true },
  { name: 'min dim 1 keepdim', inputs: [{ shape: X }], f: (t) => ag.min(t, 1, true) },
  { name: 'logsumexp dim -1', inputs: [{ shape: X }], f: (t) => ag.logsumexp(t, -1) },
  { name: 'norm dim 1', inputs: [{ shape: X }], f: (t) => ag.norm(t, 1) },
  { name: 'argmax dim 2', inputs: [{ shape: X }], f: (t) => ag.argmax(t, 2) },
  { name: 'argmin dim 0', inputs: [{ shape: X }], f: (t) => ag.argmin(t, 0) },
  { name: 'sum dim 0 of [300, 7]', inputs: [{ shape: [300, 7] }], f: (t) => ag.sum(t, 0) },
  // matmul
  { name: 'matmul 2-D', inputs: [{ shape: [5, 7] }, { shape: [7, 6] }], f: ag.matmul },
  { name: 'matmul batched, broadcast batch', inputs: [{ shape: [3, 5, 7] }, { shape: [1, 7, 6] }], f: ag.matmul },
  { name: 'matmul vector', inputs: [{ shape: [7] }, { shape: [7, 6] }], f: ag.matmul },
  { name: 'matmulT(A^T, B^T)', inputs: [{ shape: [3, 7, 5] }, { shape: [3, 6, 7] }], f: (a, b) => ag.matmulT(a, b, true, true) },
  { name: 'matmul [40,70]·[70,24]', inputs: [{ shape: [40, 70] }, { shape: [70, 24] }], f: ag.matmul, grad: true },
  // four outputs per thread (n a multiple of 4) with every transpose flag, k with a tail
  { name: 'matmulT(A^T, B^T) 2-D [9,8]ᵀ·[12,9]ᵀ', inputs: [{ shape: [9, 8] }, { shape: [12, 9] }], f: (a, b) => ag.matmulT(a, b, true, true), grad: true },
  { name: 'matmulT(A, B^T) 2-D [7,10]·[16,10]ᵀ', inputs: [{ shape: [7, 10] }, { shape: [16, 10] }], f: (a, b) => ag.matmulT(a, b, false, true), grad: true },
  // few outputs, long k: split-k (4 segments of 300; 4 of 257 and a remainder of 2)
  { name: 'matmul split-k [3,1200]·[1200,8]', inputs: [{ shape: [3, 1200] }, { shape: [1200, 8] }], f: ag.matmul },
  { name: 'matmulT(A^T, B) split-k [1030,2]ᵀ·[1030,4]', inputs: [{ shape: [1030, 2] }, { shape: [1030, 4] }], f: (a, b) => ag.matmulT(a, b, true, false) },
  { name: 'gram', inputs: [{ shape: [3, 6, 7] }], f: ag.gram },
  // layout
  { name: 'permute', inputs: [{ shape: X }], f: (t) => ag.permute(t, [2, 0, 1]) },
  { name: 'expand', inputs: [{ shape: X }], f: (t) => ag.expand(ag.unsqueeze(t, 0), [2, ...X]) },
  { name: 'slice step 2', inputs: [{ shape: X }], f: (t) => ag.slice(t, 2, 1, undefined, 2), grad: true },
  { name: 'slice negative start', inputs: [{ shape: X }], f: (t) => ag.slice(t, 1, -3) },
  { name: 'concat 11 along dim 1', inputs: Array.from({ length: 11 }, (_, i) => ({ shape: [3, 1 + (i % 3), 5] })), f: (...ts) => ag.concat(ts, 1) },
  { name: 'concat 9 along dim 0', inputs: Array.from({ length: 9 }, () => ({ shape: [2, 4] })), f: (...ts) => ag.concat(ts, 0) },
  { name: 'stack 3 along dim 2', inputs: [{ shape: X }, { shape: X }], f: (p, q) => ag.stack([p, q, p], 2) },
  { name: 'indexSelect (repeats)', inputs: [{ shape: X }], f: (t) => ag.indexSelect(t, 0, [2, 0, 1, 1, 2, 2]), grad: true },
  { name: 'takeAlongDim', inputs: [{ shape: X }],
    f: (t) => ag.takeAlongDim(t, ag.tensor(idx([3, 4, 2], 5, 77), { shape: [3, 4, 2], backend: t.backend, dtype: t.dtype }), -1) },
  { name: 'flip', inputs: [{ shape: X }], f: (t) => ag.flip(t, 1) },
  // sort, softmax, normalize
  { name: 'sort dim 1', inputs: [{ shape: [4, 9] }], f: (t) => ag.sort(t, 1).values, grad: true },
  { name: 'sort dim 0', inputs: [{ shape: [4, 9] }], f: (t) => ag.sort(t, 0).values },
  { name: 'sort [3, 100]', inputs: [{ shape: [3, 100] }], f: (t) => ag.sort(t, 1).values },
  { name: 'argsort dim 1', inputs: [{ shape: [4, 9] }], f: (t) => ag.argsort(t, 1) },
  { name: 'softmax', inputs: [{ shape: [4, 9] }], f: (t) => ag.softmax(t, 1) },
  { name: 'logSoftmax', inputs: [{ shape: [4, 9] }], f: (t) => ag.logSoftmax(t, 0) },
  { name: 'normalize', inputs: [{ shape: [4, 9] }], f: (t) => ag.normalize(t, 1) },
  { name: 'fillDiagonal', inputs: [{ shape: [6, 6] }], f: (t) => ag.fillDiagonal(t, -3) },
  // the fused pairwise passes on unit rows (every distance, every kernel; nearest with and without self)
  ...([['gaussian', 'angle', 1], ['laplace', 'chord', 1], ['riesz', 'chordAuthors', 1], ['riesz', 'angle', 0], ['riesz', 'chord', -1],
    ['laplace', 'chordSquared', 1], ['identity', 'angle', 1]] as const).map(([kernel, distance, s]): Case => ({
    name: `pairwiseSum ${kernel}/${distance} s=${s}`, inputs: [{ shape: [8, 5] }], grad: true,
    f: (t) => ag.pairwiseSum(ag.normalize(t, 1), { kernel, distance, gamma: 0.7, s, eps: 1e-7 }),
  })),
  // rows wider than every fused width `auto` picks (webgpu 8, GL 4)
  ...([['gaussian', 'angle'], ['riesz', 'chord']] as const).map(([kernel, distance]): Case => ({
    name: `pairwiseSum ${kernel}/${distance} d=12`, inputs: [{ shape: [8, 12] }], grad: true,
    f: (t) => ag.pairwiseSum(ag.normalize(t, 1), { kernel, distance, gamma: 0.7, s: 1, eps: 1e-7 }),
  })),
  { name: 'nearest values (self)', inputs: [{ shape: [8, 5] }], grad: true, f: (t) => ag.nearest(ag.normalize(t, 1)).values },
  { name: 'nearest indices (self)', inputs: [{ shape: [8, 5] }], f: (t) => ag.nearest(ag.normalize(t, 1)).indices },
  { name: 'nearest values (queries)', inputs: [{ shape: [6, 5] }, { shape: [8, 5] }], grad: true,
    f: (q, x) => ag.nearest(ag.normalize(q, 1), ag.normalize(x, 1)).values },
  // composite losses: forward and backward
  { name: 'sum(exp(gram(normalize(X))))', inputs: [{ shape: [8, 5] }], f: (t) => ag.sum(ag.exp(ag.gram(ag.normalize(t, 1)))), grad: true },
  { name: 'mean(tanh(A)·sqrt(B) − log(B)·relu(A))', inputs: [{ shape: X }, { shape: X, ...pos }], grad: true,
    f: (a, b) => ag.mean(ag.sub(ag.mul(ag.tanh(a), ag.sqrt(b)), ag.mul(ag.log(b), ag.relu(a)))) },
];

/** Fixed cotangent weights for an output of `n` elements. */
const weights = (n: number): number[] => Array.from(ag.createRng(n + 7).normalArray(n), Math.fround);

/** Runs one case on `b`: its output and, with `grad`, the gradients of Σ f ⊙ w. */
async function runCase(c: Case, i: number, b: agMain.Backend): Promise<number[][]> {
  const xs = c.inputs.map((s, j) => ag.tensor(values(s, 1000 * i + j), { shape: s.shape, dtype: 'float32', backend: b }));
  const out = [Array.from(await c.f(...xs).data())];
  if (!c.grad) return out;
  const loss = (...ts: Tensor[]): Tensor => {
    const y = c.f(...ts);
    return ag.sum(ag.mul(y, ag.tensor(weights(y.size), { shape: y.shape, dtype: y.dtype, backend: b })));
  };
  for (const g of ag.grad(loss)(...xs)) out.push(Array.from(await g.data()));
  return out;
}

/** gpu.js as the page's script tag installed it (window.GPU, replacing the native WebGPU interface). */
const gpujs = (globalThis as unknown as { GPU: agInternal.GpuJsClass }).GPU;

/**
 * Makes the backend for `mode` with gpu.js passed explicitly (finding the page's global is checked
 * by `checks().loader`), or returns why the browser cannot provide the mode.
 */
async function backendFor(mode: BrowserMode, strict: boolean, pairwiseGradient: agMain.PairwiseGradientPath = 'auto'): Promise<agMain.GpuBackend | string> {
  const opts = { mode, strict, gpu: gpujs, pairwiseGradient };
  try {
    return mode === 'webgpu' ? await ag.createGpuBackend(opts) : new ag.GpuBackend(opts);
  } catch (e) {
    const msg = (e as Error).message;
    if (/is not available here/.test(msg)) return msg;
    throw e;
  }
}

/** The error message of `f`, or null when it succeeds. */
async function errorOf(f: () => Promise<unknown>): Promise<string | null> {
  try {
    await f();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Runs `only` (default: every case) on `mode` with the given pairwise gradient path (not strict:
 * fallbacks are reported, not thrown) and on cpuBackend.
 */
async function runOn(mode: BrowserMode, pairwiseGradient: agMain.PairwiseGradientPath, only: (c: Case) => boolean = () => true): Promise<BrowserModeResult> {
  const t0 = performance.now();
  const gpu = await backendFor(mode, false, pairwiseGradient);
  if (typeof gpu === 'string') return { mode, unavailable: gpu, backend: '', cases: [], kernelModes: [], fallbacks: [], ms: 0 };
  const results: BrowserCaseResult[] = [];
  for (const [i, c] of cases.entries()) {
    if (!only(c)) continue;
    const ref = await runCase(c, i, ag.cpuBackend);
    const t = performance.now(), k = gpu.kernels().length;
    const r: BrowserCaseResult = { name: c.name, ref, got: [], ms: 0, newKernels: 0 };
    try {
      r.got = await runCase(c, i, gpu);
    } catch (e) {
      r.error = (e as Error).message;
    }
    results.push({ ...r, ms: performance.now() - t, newKernels: gpu.kernels().length - k });
  }
  const kernelModes = [...gpu.kernelModes()];
  const fallbacks = gpu.fallbacks().map((k) => `${k.key} ran on ${k.mode}${k.fallbackReason ? ` (${k.fallbackReason})` : ''}`);
  await gpu.destroy();
  return { mode, unavailable: null, backend: gpu.name, cases: results, kernelModes, fallbacks, ms: performance.now() - t0 };
}

/** Every case on `mode` (the default pairwise gradient path) and on cpuBackend. */
function run(mode: BrowserMode): Promise<BrowserModeResult> {
  return runOn(mode, 'auto');
}

/** The pairwiseSum cases on `mode` with the gradient always fused, then always in k′ tiles. */
async function paths(mode: BrowserMode): Promise<BrowserModeResult[]> {
  const pairwise = (c: Case): boolean => c.name.startsWith('pairwiseSum');
  return [await runOn(mode, 'fused', pairwise), await runOn(mode, 'tiles', pairwise)];
}

/** exp([1, 2, 3]) on a strict backend in `mode`: the error it throws, or null. */
function strict(mode: BrowserMode): Promise<string | null> {
  return errorOf(async () => {
    const gpu = await backendFor(mode, true);
    if (typeof gpu === 'string') throw new Error(gpu);
    try {
      await ag.exp(ag.tensor([1, 2, 3], { backend: gpu })).data();
    } finally {
      await gpu.destroy();
    }
  });
}

/**
 * webgpu: a settled intermediate consumed by a kernel that is still compiling, then dropped and
 * garbage collected (needs --js-flags=--expose-gc); reads the kernel's output.
 */
async function collected(): Promise<void> {
  const gpu = await backendFor('webgpu', false);
  if (typeof gpu === 'string') throw new Error(gpu);
  try {
    let t: Tensor | null = ag.neg(ag.tensor([1, 2, 3], { backend: gpu }));
    await t.data(); // t's storage now holds a device buffer that only t references
    const y = ag.exp(t); // exp's kernel is new: gpu.js compiles it asynchronously, holding t's buffer handle
    t = null;
    (globalThis as unknown as { gc(): void }).gc();
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); // the FinalizationRegistry callback runs
    await y.data();
  } finally {
    await gpu.destroy();
  }
}

/** The backend's contract checks, each an error message or null. */
async function checks(): Promise<BrowserChecks> {
  return {
    strict: {
      webgl2: await strict('webgl2'),
      webgl: await strict('webgl'),
      webgpu: await strict('webgpu'),
    },
    loader: await errorOf(async () => (await ag.createGpuBackend({ mode: 'webgl2' })).destroy()),
    collected: await errorOf(collected),
  };
}

Object.assign(globalThis, { keepdist: { run, paths, checks } satisfies BrowserEntry });
