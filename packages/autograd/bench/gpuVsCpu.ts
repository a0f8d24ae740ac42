/**
 * gpu backend versus cpu backend, side by side in one run:
 *   - matmul N × N (float32), GFLOP/s including the read back to the host;
 *   - the pairwise loss and its gradient, L = 2·mean_{i<j} exp(x_i·x_j) for X of n × d unit rows,
 *     composed from ops (gram, exp, sums) and differentiated by backward();
 *   - the fused pairwise sum and its gradient (`pairwiseSum`, gaussian of the angle, γ = 1: the
 *     core of the mmd gaussian regularizer), `--pairsum` sizes.
 * Each backend runs the same float32 inputs; the table gives the median of `--reps` timed runs
 * after one warm-up, and the largest relative difference from the cpu backend.
 *
 * On a CPU machine (from the repository root):
 *   pnpm tsx packages/autograd/bench/gpuVsCpu.ts
 *   pnpm tsx packages/autograd/bench/gpuVsCpu.ts --backends cpu,webasm-async --matmul 512,1024 --pairwise 4096x64 --reps 3
 * Backends: cpu (the cpu backend), webasm (sync, SIMD), webasm-async (SIMD + worker threads under the
 * async contract), gpu-cpu (gpu.js's JS mode), webgpu (asked for an adapter first; reported and
 * skipped when none answers), webgpu-fused and webgpu-tiles (webgpu with the pairwise gradient
 * always fused, or always in k′ tiles: `pairwiseGradient`).
 *
 * On a machine with a GPU but no Node packages (the lent machine of shared/GPU.md):
 * `bash packages/bench/scripts/gpu-bundle.sh` bundles this file into .gpu/gpu-vs-cpu.mjs, with
 * dawn.node, node and the Vulkan loader beside it; its header gives the commands to run there:
 *   /tmp/n/node .gpu/gpu-vs-cpu.mjs --backends cpu,webgpu --dawn .gpu/dawn.node --matmul 1024,2048,4096 --pairwise 4096x64
 *   /tmp/n/node .gpu/gpu-vs-cpu.mjs --backends webgpu-fused,webgpu-tiles --dawn .gpu/dawn.node --matmul '' --pairwise '' --pairsum 20000x64
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import * as gpujs from 'gpu.js';
import * as ag from '../src/index.js';
import { pairwiseSum, type GpuJsModule } from '../src/internal.js';
import type { Backend, Tensor } from '../src/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const backends = (args.get('backends') ?? 'cpu,webasm-async,webasm,webgpu').split(',');
const matmulSizes = (args.get('matmul') ?? '1024').split(',').filter(Boolean).map(Number);
/** `--<flag>` sizes `n×d,…` (default `fallback`). */
const sizes = (flag: string, fallback: string): [number, number][] =>
  (args.get(flag) ?? fallback).split(',').filter(Boolean).map((s) => s.split('x').map(Number) as [number, number]);
const pairwise = sizes('pairwise', '4096x64');
const pairsum = sizes('pairsum', '');
const reps = Number(args.get('reps') ?? 3);

/** Installs navigator.gpu from a dawn.node given by path, relative to the working directory (the bundled run on the GPU machine). */
function installDawn(path: string): void {
  const { create, globals } = createRequire(import.meta.url)(resolve(path)) as { create(f: string[]): unknown; globals: object };
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
}

/** Makes the named backend, or says why it cannot run here. */
async function make(name: string): Promise<Backend | string> {
  const gpu = gpujs as unknown as GpuJsModule;
  try {
    switch (name) {
      case 'cpu': return ag.cpuBackend;
      case 'webasm': return new ag.GpuBackend({ mode: 'webasm', gpu });
      case 'webasm-async': return new ag.GpuBackend({ mode: 'webasm', async: true, gpu });
      case 'gpu-cpu': return new ag.GpuBackend({ mode: 'cpu', gpu });
      case 'webgpu': case 'webgpu-fused': case 'webgpu-tiles':
        if (args.has('dawn') && !('gpu' in (globalThis.navigator ?? {}))) installDawn(args.get('dawn')!);
        return await ag.createGpuBackend({ mode: 'webgpu', gpu, pairwiseGradient: name === 'webgpu' ? 'auto' : name === 'webgpu-fused' ? 'fused' : 'tiles' });
      default: return `unknown backend '${name}'`;
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/** Median wall time (ms) of `reps` runs of `f` after one warm-up, and the warm-up's result. */
async function time<T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const result = await f();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { ms: ts[Math.floor(ts.length / 2)]!, result };
}

/** max |a − b| / max |b|. */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / (den || 1);
}

/** L = 2·mean_{i<j} exp(x_i·x_j) = 2·(Σ_{i,j} e^{x_i·x_j} − Σ_i e^{‖x_i‖²}) / (n(n−1)). */
function pairwiseLoss(x: Tensor): Tensor {
  const n = x.shape[0]!;
  const all = ag.sum(ag.exp(ag.gram(x)));
  const diag = ag.sum(ag.exp(ag.sum(ag.square(x), 1)));
  return ag.mul(ag.sub(all, diag), 2 / (n * (n - 1)));
}

interface Row { bench: string; backend: string; ms: number; rate: string; diff: string }
const rows: Row[] = [];
const made: [string, Backend][] = [];
for (const name of backends) {
  const b = await make(name);
  if (typeof b === 'string') console.log(`${name}: not run — ${b}`);
  else made.push([name, b]);
}
const rng = ag.createRng(2026);

for (const N of matmulSizes) {
  const a = Float32Array.from(rng.normalArray(N * N)), b = Float32Array.from(rng.normalArray(N * N));
  let ref: Float32Array | null = null;
  for (const [name, be] of made) {
    const A = ag.tensor(a, { shape: [N, N], backend: be }), B = ag.tensor(b, { shape: [N, N], backend: be });
    const { ms, result } = await time(() => ag.matmul(A, B).data());
    ref ??= result as Float32Array;
    rows.push({ bench: `matmul ${N}`, backend: name, ms, rate: `${((2 * N ** 3) / ms / 1e6).toFixed(2)} GFLOP/s`, diff: relDiff(result, ref).toExponential(1) });
    console.log(rows.at(-1));
  }
}

/** Unit rows n × d (float32 values normalised in float64), the same for every backend. */
function unitRows(n: number, d: number): Float32Array {
  return Float32Array.from(ag.noGrad(() => ag.normalize(ag.tensor(rng.normalArray(n * d), { shape: [n, d], dtype: 'float64' }))).dataSync());
}

/** Times the loss and its gradient on every backend for rows `x` (n × d), one table row each. */
async function lossAndGrad(bench: string, x: Float32Array, n: number, d: number, loss: (x: Tensor) => Tensor): Promise<void> {
  let ref: { loss: ArrayLike<number>; grad: ArrayLike<number> } | null = null;
  for (const [name, be] of made) {
    const X = ag.tensor(x, { shape: [n, d], backend: be });
    const vg = ag.valueAndGrad(loss);
    const { ms, result } = await time(async () => {
      const { value, grads } = vg(X);
      return { loss: await value.data(), grad: await grads[0]!.data() };
    });
    ref ??= result;
    const diff = Math.max(relDiff(result.loss, ref.loss), relDiff(result.grad, ref.grad));
    rows.push({ bench, backend: name, ms, rate: `loss ${result.loss[0]!.toPrecision(7)}`, diff: diff.toExponential(1) });
    console.log(rows.at(-1));
  }
}

for (const [n, d] of pairwise) await lossAndGrad(`pairwise loss+grad n=${n} d=${d}`, unitRows(n, d), n, d, pairwiseLoss);
const gaussian = { kernel: 'gaussian', distance: 'angle', gamma: 1, s: 1, eps: 1e-7 } as const;
for (const [n, d] of pairsum) await lossAndGrad(`pairwiseSum gaussian/angle + grad n=${n} d=${d}`, unitRows(n, d), n, d, (x) => pairwiseSum(x, gaussian));

console.log('\n| benchmark | backend | median ms | rate | max rel. diff vs first |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.bench} | ${r.backend} | ${r.ms.toFixed(1)} | ${r.rate} | ${r.diff} |`);
for (const [name, be] of made) {
  if (be instanceof ag.GpuBackend) {
    const fb = be.fallbacks();
    console.log(`${name}: ${be.kernels().length} kernels, ${fb.length ? `fallbacks: ${fb.map((k) => `${k.key} → ${k.mode}`).join(', ')}` : `all ran on ${be.mode}`}`);
    await be.destroy();
  }
}
