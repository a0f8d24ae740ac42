// Scale check of mmd's fused cpu path (not part of the vitest suite): loss + gradient of
// mmd gaussian/euclidean on n unit rows of S^{d−1}, float32, cpu backend, timed, with peak RSS.
// Bundles the sources with esbuild (tsconfig paths). One measurement per process (clean maxRSS):
//   node --expose-gc packages/dispersion/test/mmdScale.mjs fused 20000 64
//   node --expose-gc packages/dispersion/test/mmdScale.mjs composed 4096 64
// `fused` calls mmd (which takes the fused op from FUSED_MMD_MIN_ROWS rows), `composed` calls
// mmdComposed (the reference graph, O(n²) memory).
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const mode = process.argv[2] ?? 'fused';
const n = Number(process.argv[3] ?? 20000), d = Number(process.argv[4] ?? 64);
const reps = Number(process.argv[5] ?? 1);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outfile = join(tmpdir(), `keepdist-mmd-scale-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export * from '@keepdist/dispersion'; export { createRng, tensor, valueAndGrad } from '@keepdist/autograd';",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', outfile, tsconfig: join(root, 'tsconfig.json'), logLevel: 'warning',
});
const k = await import(pathToFileURL(outfile).href);

const mb = (b) => (b / 2 ** 20).toFixed(1);
const g = k.createRng(0).normalArray(n * d);
for (let i = 0; i < n; i++) {
  let s = 0;
  for (let t = 0; t < d; t++) s += g[i * d + t] ** 2;
  const r = Math.sqrt(s);
  for (let t = 0; t < d; t++) g[i * d + t] /= r;
}
const X = k.tensor(g, { shape: [n, d], dtype: 'float32' });
const o = { kernel: 'gaussian', distance: 'euclidean', gamma: 1 };
const f = mode === 'composed' ? (Y) => k.mmdComposed(Y, o) : (Y) => k.mmd(Y, o);
global.gc?.();
const base = process.memoryUsage().rss;
console.log(`${mode}: n = ${n}, d = ${d}, float32, cpu; fused path: ${mode === 'fused' && k.usesFusedMmd(X)}; n × n float32 = ${mb(n * n * 4)} MiB`);
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const { value, grads } = k.valueAndGrad(f)(X);
  const gr = grads[0].dataSync();
  let gn = 0;
  for (const v of gr) gn += v * v;
  console.log(`loss+grad ${((performance.now() - t0) / 1000).toFixed(2)} s   loss ${value.item().toFixed(7)}   |grad| ${Math.sqrt(gn).toExponential(4)}`);
}
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`RSS before ${mb(base)} MiB; process peak RSS (maxRSS) ${mb(maxRss)} MiB`);
