/**
 * wasm backend versus cpu backend, float32, one run (median of `--reps` after one warm-up):
 *   - matmul N × N · N × N, GFLOP/s = 2N³ / t (read back included);
 *   - the fused pairwise sum with its gradient rows, mmd's gaussian kernel exp(γ(c − 1))·… on
 *     n × d unit rows (wasm: the fused primitive; cpu: the same sweep written as plain loops in
 *     dispersion's fusedMmdSweep is not imported here, so cpu runs the composed graph).
 * From the repository root:
 *   pnpm tsx packages/autograd/bench/wasmVsCpu.ts --matmul 1024 --pairwise 4096x64 --reps 3
 */
import * as ag from '../src/index.js';
import type { Backend } from '../src/index.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const matmulSizes = (args.get('matmul') ?? '1024').split(',').filter(Boolean).map(Number);
const reps = Number(args.get('reps') ?? 3);

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
const backends: [string, Backend][] = [['cpu', ag.cpuBackend], ['wasm', ag.createWasmBackend()]];
for (const n of matmulSizes) {
  const data = Float32Array.from(rng.normalArray(n * n));
  for (const [name, backend] of backends) {
    const a = ag.tensor(data, { shape: [n, n], dtype: 'float32', backend });
    const ms = time(() => ag.tidy(() => void ag.matmul(a, a).dataSync()));
    console.log(`matmul ${n}³ float32 ${name}: ${ms.toFixed(1)} ms, ${(2 * n ** 3 / ms / 1e6).toFixed(2)} GFLOP/s`);
  }
}
