// Peak resident memory of one large case, measured in a process of its own (the peak is
// process-wide, so each case needs a fresh process):
//   node packages/bench/scripts/peak-rss.mjs <mmd|minAngle> [n=20000] [d=64] [backend=wasm:2] [repeats=2]
// mmd is the gaussian-euclidean loss and its gradient; minAngle the metric. float32 data, unit rows
// from a fixed seed. Run `pnpm build` first. Prints the time of each call, the backend's heap and
// the peak RSS (process.resourceUsage().maxRSS).
import { createRng, createWasmBackend, cpuBackend, tidy } from '@keepdist/autograd';
import { minAngle, mmd } from '@keepdist/dispersion';
import { randomUniform } from '@keepdist/sphere';

const [what = 'mmd', nArg = '20000', dArg = '64', backendArg = 'wasm:2', repeatsArg = '2'] = process.argv.slice(2);
if (what !== 'mmd' && what !== 'minAngle') {
  console.error(`peak-rss: expected mmd or minAngle, got '${what}'.`);
  process.exit(2);
}
const n = Number(nArg), d = Number(dArg), repeats = Number(repeatsArg);
const threads = backendArg.startsWith('wasm:') ? Number(backendArg.slice(5)) : undefined;
const backend = backendArg === 'cpu' ? cpuBackend : createWasmBackend(threads === undefined ? {} : { threads });
const X = randomUniform(n, d, { rng: createRng(1), dtype: 'float32', backend, requiresGrad: what === 'mmd' });

const times = [];
let value = 0;
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  if (what === 'mmd') {
    tidy(() => {
      X.grad = null;
      const loss = mmd(X, { kernel: 'gaussian', distance: 'euclidean' });
      loss.backward();
      value = loss.item();
      X.grad.dataSync();
    });
  } else {
    value = (minAngle(X) * 180) / Math.PI;
  }
  times.push(performance.now() - t0);
}
const heap = 'memoryStats' in backend ? `${(backend.memoryStats().memoryBytes / 2 ** 20).toFixed(1)} MB` : 'n/a';
const rss = process.resourceUsage().maxRSS / 1024;
console.log(`${what} n=${n} d=${d} ${backendArg}: value ${value.toPrecision(8)}, ms per call ${times.map((t) => t.toFixed(0)).join(' ')}, ` +
  `wasm memory ${heap}, peak RSS ${rss.toFixed(0)} MB`);
