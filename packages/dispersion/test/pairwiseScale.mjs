// Timing of every pairwise regularizer's loss + gradient (not part of the vitest suite): n unit
// rows of S^{d−1} from a fixed seed, float32, on a backend (default cpu; or a gpu.js mode such as
// webasm), one timed call each after a small warm-up call, gradient read back included. Bundles the
// sources with esbuild (tsconfig paths) and uses only the public API, so the same script times any
// checkout:
//   node --expose-gc packages/dispersion/test/pairwiseScale.mjs 1024 64
//   node --expose-gc packages/dispersion/test/pairwiseScale.mjs 4096 64 cpu koleo lloyd
// Arguments: n d [backend] [labels…] (labels as printed; all by default).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const n = Number(process.argv[2] ?? 1024), d = Number(process.argv[3] ?? 64);
const backendName = process.argv[4] ?? 'cpu';
const only = process.argv.slice(5);
const root = fileURLToPath(new URL('../../../', import.meta.url));
// written beside the autograd package so that gpu.js resolves from it
const outfile = join(root, 'packages/autograd', `.pairwise-scale-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export * from '@keepdist/dispersion'; export { createRng, tensor, valueAndGrad, cpuBackend, createGpuBackend } from '@keepdist/autograd';",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', outfile, tsconfig: join(root, 'tsconfig.json'), logLevel: 'warning',
});
const k = await import(pathToFileURL(outfile).href).finally(() => rmSync(outfile));
const backend = backendName === 'cpu' ? k.cpuBackend : await k.createGpuBackend({ mode: backendName });

/** n × d float32 rows, Gaussian then normalised, from `seed`. */
function rows(seed, nn) {
  const g = k.createRng(seed).normalArray(nn * d);
  const out = new Float32Array(nn * d);
  for (let i = 0; i < nn; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += g[i * d + j] ** 2;
    for (let j = 0; j < d; j++) out[i * d + j] = g[i * d + j] / Math.sqrt(s);
  }
  return out;
}

const configs = [
  ...['gaussian', 'laplace', 'riesz'].flatMap((kernel) => ['euclidean', 'geodesic'].map((distance) =>
    [`mmd ${kernel}/${distance}`, 'mmd', { kernel, distance }])),
  ['uniformity', 'uniformity', {}], ['mma', 'mma', {}], ['mmcs', 'mmcs', {}], ['koleo', 'koleo', {}],
  ['lloyd m=n', 'lloyd', { samples: n }],
].filter(([label]) => only.length === 0 || only.some((o) => label.startsWith(o)));

console.log(`n = ${n}, d = ${d}, float32, backend ${backend.name}, node ${process.version}`);
for (const [label, name, options] of configs) {
  const run = async (nn) => {
    const X = k.tensor(rows(7, nn), { shape: [nn, d], backend });
    const f = k.regularizer(name, { ...options, ...(name === 'lloyd' ? { samples: Math.min(nn, options.samples), rng: k.createRng(3) } : {}), checkSphere: false });
    const t0 = performance.now();
    const { value, grads } = k.valueAndGrad(f)(X);
    const loss = (await value.data())[0];
    await grads[0].data();
    return { ms: performance.now() - t0, loss };
  };
  await run(64);
  globalThis.gc?.();
  const { ms, loss } = await run(n);
  console.log(`${label.padEnd(24)} ${ms.toFixed(0).padStart(7)} ms   loss ${loss.toPrecision(6)}`);
}
await backend.destroy?.();
