/**
 * Side-by-side speed of @keepdist/autograd's cpu backend and TensorFlow.js's pure-JS cpu backend
 * (issue 3's benchmark): float32 matmul 1024 × 1024 on one core, and loss + gradient of
 * L(X) = 2·mean_{i<j} exp(x_i·x_j) written in ops (Gram matrix, exp, strict upper-triangle mask,
 * sum) for n = 1024 and 4096, d = 64. Median of repeats after a warm-up; peak RSS at the end.
 *
 *   pnpm tsx packages/bench/scripts/autograd-vs-tfjs.ts [--impl both|keepdist|tfjs] [--sizes 1024,4096]
 */
import * as ag from '@keepdist/autograd';
import * as tf from '@tensorflow/tfjs';
import { normalizeRows } from '../src/numeric/unitRows.js';
import { median } from '../src/stats.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const impl = flag('impl', 'both');
const sizes = flag('sizes', '1024,4096').split(',').map(Number);
const d = 64;

function time(fn: () => void, repeats: number): number {
  fn(); // warm-up
  const ts: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}
function upperMask(n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = 1;
  return m;
}
function unitRows(n: number, seed: number): Float32Array {
  return Float32Array.from(normalizeRows(ag.createRng(seed).normalArray(n * d), d));
}

const rows: string[][] = [];
await tf.setBackend('cpu');
const N = 1024;
const a = ag.createRng(1).normalArray(N * N), b = ag.createRng(2).normalArray(N * N);
const flops = 2 * N ** 3;
let kdMs = NaN, tfMs = NaN;
if (impl !== 'tfjs') {
  const A = ag.tensor(a, { shape: [N, N], dtype: 'float32' }), B = ag.tensor(b, { shape: [N, N], dtype: 'float32' });
  kdMs = time(() => void ag.matmul(A, B), 5);
}
if (impl !== 'keepdist') {
  const A = tf.tensor2d(Float32Array.from(a), [N, N]), B = tf.tensor2d(Float32Array.from(b), [N, N]);
  tfMs = time(() => tf.tidy(() => void tf.matMul(A, B).dataSync()), 3);
}
rows.push(['matmul 1024 (GFLOP/s)', (flops / kdMs / 1e6).toFixed(2), (flops / tfMs / 1e6).toFixed(2), (tfMs / kdMs).toFixed(1)]);

for (const n of sizes) {
  const x = unitRows(n, 42);
  const mask = upperMask(n);
  const scale = 2 / (n * (n - 1) / 2);
  const repeats = n >= 4096 ? 3 : 5;
  let kd = NaN, tfv = NaN;
  if (impl !== 'tfjs') {
    const X = ag.tensor(x, { shape: [n, d] });
    const M = ag.tensor(mask, { shape: [n, n] });
    const f = ag.valueAndGrad((X) => ag.mul(ag.sum(ag.mul(ag.exp(ag.gram(X)), M)), scale));
    kd = time(() => void f(X).grads[0]!.dataSync(), repeats);
  }
  if (impl !== 'keepdist') {
    const X = tf.tensor2d(x, [n, d]);
    const M = tf.tensor2d(mask, [n, n]);
    const f = tf.valueAndGrad((X: tf.Tensor) => tf.mul(tf.sum(tf.mul(tf.exp(tf.matMul(X, X, false, true)), M)), scale) as tf.Scalar);
    tfv = time(() => tf.tidy(() => void f(X).grad.dataSync()), n >= 4096 ? 2 : 3);
  }
  rows.push([`pairwise loss+grad n=${n} d=${d} (ms)`, kd.toFixed(0), tfv.toFixed(0), (tfv / kd).toFixed(1)]);
}

const head = ['benchmark', 'keepdist cpu', 'tfjs cpu', 'speed-up'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => (i ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  '));
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (impl=${impl}, sizes=${sizes.join(',')})`);
