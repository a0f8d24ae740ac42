/**
 * wasm backend versus cpu backend, float32, one run (median of `--reps` after one warm-up):
 *   - matmul N × N · N × N, GFLOP/s = 2N³ / t (read back included);
 *   - an mmd-like pairwise loss and its gradient on n × d unit rows, Σ_{i<j} exp(2c_ij − 2) and
 *     ∂/∂X: on wasm the fused primitive pairwiseSum (laplace of chordSquared, γ = 1); on cpu the
 *     composed graph (gram, exp, masked sum, backward), which is what the cpu backend offers.
 * From the repository root:
 *   pnpm tsx packages/autograd/bench/wasmVsCpu.ts --matmul 1024 --pairwise 4096x64 --threads 1,2 --reps 3
 * `--threads` lists the wasm thread counts to run (each a backend of its own).
 */
import * as ag from '../src/index.js';
import type { Backend } from '../src/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const matmulSizes = (args.get('matmul') ?? '1024').split(',').filter(Boolean).map(Number);
const pairwise = (args.get('pairwise') ?? '4096x64').split(',').filter(Boolean).map((v) => v.split('x').map(Number) as [number, number]);
const reps = Number(args.get('reps') ?? 3);
const threadCounts = (args.get('threads') ?? '1').split(',').filter(Boolean).map(Number);

/** Median wall time of `reps` runs of `fn` after one warm-up, ms. */
function time(fn: () => void): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)]!;
}

const rng = ag.createRng(1);
const thin = (args.get('thin') ?? '20000x64x2').split(',').filter(Boolean).map((v) => v.split('x').map(Number) as [number, number, number]);
const wasms = threadCounts.map((threads) => ag.createWasmBackend({ threads }));
const backends: [string, Backend][] = [['cpu', ag.cpuBackend], ...wasms.map((w): [string, Backend] => [`wasm ×${w.threadInfo().threads}`, w])];
for (const n of matmulSizes) {
  const data = Float32Array.from(rng.normalArray(n * n));
  for (const [name, backend] of backends) {
    const a = ag.tensor(data, { shape: [n, n], dtype: 'float32', backend });
    const ms = time(() => ag.tidy(() => void ag.matmul(a, a).dataSync()));
    console.log(`matmul ${n}³ float32 ${name}: ${ms.toFixed(1)} ms, ${(2 * n ** 3 / ms / 1e6).toFixed(2)} GFLOP/s`);
  }
}
for (const [m, k, n] of thin) {
  const a = Float32Array.from(rng.normalArray(m * k)), b = Float32Array.from(rng.normalArray(k * n));
  for (const [name, backend] of backends) {
    const ta = ag.tensor(a, { shape: [m, k], dtype: 'float32', backend }), tb = ag.tensor(b, { shape: [k, n], dtype: 'float32', backend });
    const ms = time(() => ag.tidy(() => void ag.matmul(ta, tb).dataSync()));
    console.log(`thin matmul ${m}×${k} · ${k}×${n} float32 ${name}: ${ms.toFixed(2)} ms`);
  }
}

/** n × d unit rows, float32. */
function unitRows(n: number, d: number): Float32Array {
  const g = rng.normalArray(n * d);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let t = 0; t < d; t++) r += g[i * d + t]! ** 2;
    for (let t = 0; t < d; t++) g[i * d + t]! /= Math.sqrt(r);
  }
  return Float32Array.from(g);
}

const kernel = { kernel: 'laplace', distance: 'chordSquared', gamma: 1, s: 0, eps: 0 } as const;
for (const [n, d] of pairwise) {
  const data = unitRows(n, d);
  let fused = 0;
  const tw = wasms.map((wasm) => {
    const x = wasm.upload(data, 'float32');
    return time(() => {
      const r = wasm.pairwiseSum(x, n, d, kernel, true);
      fused = wasm.readSync(r.sum)[0]!;
      wasm.readSync(r.grad!);
      wasm.dispose(r.sum);
      wasm.dispose(r.grad!);
    });
  });
  const X = ag.tensor(data, { shape: [n, d], dtype: 'float32', backend: ag.cpuBackend }).requireGrad();
  const upper = ag.tensor(Float32Array.from({ length: n * n }, (_, k) => (k % n > Math.floor(k / n) ? 1 : 0)), { shape: [n, n], dtype: 'float32' });
  let composed = 0;
  const tc = time(() => {
    X.zeroGrad();
    const loss = ag.sum(ag.mul(ag.exp(ag.sub(ag.mul(ag.gram(X), 2), 2)), upper));
    loss.backward();
    composed = loss.item();
    X.grad!.dataSync();
  });
  const wasmTimes = tw.map((t, i) => `wasm ×${wasms[i]!.threadInfo().threads} ${t.toFixed(1)} ms`).join(', ');
  console.log(`pairwise mmd-like loss+grad n=${n} d=${d} float32: pairwiseSum ${wasmTimes}; cpu composed graph ${tc.toFixed(1)} ms (losses ${fused.toFixed(3)} vs ${composed.toFixed(3)})`);
}
