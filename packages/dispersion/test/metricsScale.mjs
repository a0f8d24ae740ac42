// Scale check of the tiled metrics (not part of the vitest suite): n = 20000 points on S^63 by
// default. Bundles the sources with esbuild (tsconfig paths), then reports time and peak RSS.
//   node packages/dispersion/test/metricsScale.mjs [n] [d]
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const n = Number(process.argv[2] ?? 20000), d = Number(process.argv[3] ?? 64);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const outfile = join(tmpdir(), `keepdist-metrics-scale-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export * from '@keepdist/dispersion'; export { createRng, tensor } from '@keepdist/autograd';",
    resolveDir: root, loader: 'ts',
  },
  bundle: true, format: 'esm', platform: 'node', outfile, tsconfig: join(root, 'tsconfig.json'), logLevel: 'warning',
});
const k = await import(pathToFileURL(outfile).href);

const mb = (b) => (b / 2 ** 20).toFixed(1);
const g = k.createRng(0).normalArray(n * d);
const X = k.tensor(g, { shape: [n, d], dtype: 'float64' });
global.gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
const run = async (name, f) => {
  const t0 = performance.now();
  const v = await f();
  sample();
  const shown = v instanceof Float64Array ? `Float64Array(${v.length}) min ${Math.min(...v).toFixed(6)}` : typeof v === 'object' ? JSON.stringify({ ...v, minAnglePerPoint: undefined }) : v.toFixed(9);
  console.log(`${name.padEnd(18)} ${((performance.now() - t0) / 1000).toFixed(2).padStart(7)} s   ${shown}`);
};
console.log(`n = ${n}, d = ${d}; X float64 = ${mb(n * d * 8)} MiB; n × n float64 would be ${mb(n * n * 8)} MiB`);
await run('minAngle', () => k.minAngle(X));
await run('minAnglePerPoint', () => k.minAnglePerPoint(X));
await run('meanAngle', () => k.meanAngle(X));
await run('medianAngle', () => k.medianAngle(X));
await run('circularVariance', () => k.circularVariance(X));
await run('angleSummary', () => k.angleSummary(X));
clearInterval(timer);
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`RSS before metrics ${mb(base)} MiB; peak sampled RSS ${mb(peak)} MiB (+${mb(peak - base)} MiB); process maxRSS ${mb(maxRss)} MiB`);
