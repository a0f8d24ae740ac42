// Scale check of mmd's fused paths (not part of the vitest suite): loss + gradient of
// mmd gaussian/euclidean on n unit rows of S^{d−1}, float32, timed (gradient read back included),
// with peak RSS. Bundles the sources with esbuild (tsconfig paths). One measurement per process
// (clean maxRSS); arguments: mode n d repeats backend (cpu, or a gpu.js mode: webasm, webgpu, …):
//   node --expose-gc packages/dispersion/test/mmdScale.mjs fused 20000 64
//   node --expose-gc packages/dispersion/test/mmdScale.mjs composed 4096 64
//   node --expose-gc packages/dispersion/test/mmdScale.mjs fused 20000 64 1 webasm
// `fused` calls mmd (which takes the fused cpu op, or the tiled op on a gpu backend, from
// FUSED_MMD_MIN_ROWS rows), `composed` calls mmdComposed (the reference graph, O(n²) memory).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const mode = process.argv[2] ?? 'fused';
const n = Number(process.argv[3] ?? 20000), d = Number(process.argv[4] ?? 64);
const reps = Number(process.argv[5] ?? 1);
const backendName = process.argv[6] ?? 'cpu';
const root = fileURLToPath(new URL('../../../', import.meta.url));
// written beside the autograd package so that gpu.js (and the webgpu package) resolve from it
const outfile = join(root, 'packages/autograd', `.mmd-scale-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export * from '@keepdist/dispersion'; export { createRng, tensor, valueAndGrad, cpuBackend, createGpuBackend } from '@keepdist/autograd';",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', outfile, tsconfig: join(root, 'tsconfig.json'), logLevel: 'warning',
});
const k = await import(pathToFileURL(outfile).href).finally(() => rmSync(outfile));

const mb = (b) => (b / 2 ** 20).toFixed(1);
const g = k.createRng(0).normalArray(n * d);
for (let i = 0; i < n; i++) {
  let s = 0;
  for (let t = 0; t < d; t++) s += g[i * d + t] ** 2;
  const r = Math.sqrt(s);
  for (let t = 0; t < d; t++) g[i * d + t] /= r;
}
const backend = backendName === 'cpu' ? k.cpuBackend : await k.createGpuBackend({ mode: backendName, strict: true });
const X = k.tensor(g, { shape: [n, d], dtype: 'float32', backend });
const o = { kernel: 'gaussian', distance: 'euclidean', gamma: 1 };
const f = mode === 'composed' ? (Y) => k.mmdComposed(Y, o) : (Y) => k.mmd(Y, o);
global.gc?.();
const base = process.memoryUsage().rss;
const path = mode === 'composed' ? 'composed' : k.usesFusedMmd(X) ? 'fused' : k.usesTiledMmd(X) ? 'tiled' : 'composed';
console.log(`${mode}: n = ${n}, d = ${d}, float32, ${backend.name}; path: ${path}; n × n float32 = ${mb(n * n * 4)} MiB`);
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const { value, grads } = k.valueAndGrad(f)(X);
  const gr = await grads[0].data();
  let gn = 0;
  for (const v of gr) gn += v * v;
  console.log(`loss+grad ${((performance.now() - t0) / 1000).toFixed(2)} s   loss ${(await value.data())[0].toFixed(7)}   |grad| ${Math.sqrt(gn).toExponential(4)}`);
}
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`RSS before ${mb(base)} MiB; process peak RSS (maxRSS) ${mb(maxRss)} MiB`);
await backend.destroy?.();
