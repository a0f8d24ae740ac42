// Builds one workspace package (run from its folder): esbuild ESM bundles of every entry in
// package.json "keepdist.entries" (src/<entry>.ts -> dist/<entry>.js, dependencies external) with
// code splitting, so modules that several entries import (the Tensor class above all) live once in
// a shared chunk under dist/chunks/ and every entry point sees the same classes; a self-contained
// browser bundle when "keepdist.browser" names one; tsc declarations; and the repository's LICENSE
// copied beside package.json so that `pnpm pack` ships it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const cfg = pkg.keepdist ?? {};
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
].flatMap((d) => [d, `${d}/*`]);

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries((cfg.entries ?? ['index']).map((e) => [e, `src/${e}.ts`])),
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: cfg.platform ?? 'neutral',
  target: 'es2022',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
if (cfg.browser) {
  await build({
    entryPoints: { [cfg.browser.name]: `src/${cfg.browser.entry}.ts` },
    outdir: 'dist/browser',
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    external: cfg.browser.external ?? [],
    logLevel: 'warning',
  });
}
copyFileSync('../../LICENSE', 'LICENSE');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
