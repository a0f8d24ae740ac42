/**
 * Bundles the demo into a static folder: the page (src/page/main.ts → main.js + main.css) and
 * its module worker (src/worker/main.ts → worker.js), both ESM for browsers, with the workspace
 * packages taken from their TypeScript sources (no package build needed first); index.html; and
 * gpu.js's browser build, which the worker imports only when a gpu backend is picked.
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo package's folder. */
export const demoRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder `pnpm demo` serves (packages/demo/dist). */
export const defaultOutDir: string = join(demoRoot, 'dist');

/** Each workspace entry point the demo (or the packages it imports) loads → its source file. */
const sources: Record<string, string> = {
  ...Object.fromEntries(['autograd', 'sphere', 'dispersion'].map((p) => [`@keepdist/${p}`, join(demoRoot, '..', p, 'src', 'index.ts')])),
  '@keepdist/autograd/internal': join(demoRoot, '..', 'autograd', 'src', 'internal.ts'),
  '@keepdist/dispersion/internal': join(demoRoot, '..', 'dispersion', 'src', 'internal.ts'),
};

/** Resolves exactly the specifiers of {@link sources} (esbuild's `alias` would also rewrite subpaths). */
const workspaceSources: Plugin = {
  name: 'keepdist-sources',
  setup(b) {
    b.onResolve({ filter: /^@keepdist\// }, (args) => (sources[args.path] ? { path: sources[args.path] } : undefined));
  },
};

/** Builds the demo into `outDir` (emptied first) and returns it. */
export async function buildDemo(outDir: string = defaultOutDir, opts: { minify?: boolean } = {}): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { main: join(demoRoot, 'src/page/main.ts'), worker: join(demoRoot, 'src/worker/main.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: opts.minify ?? true,
    sourcemap: true,
    plugins: [workspaceSources],
    logLevel: 'warning',
  });
  copyFileSync(join(demoRoot, 'src/index.html'), join(outDir, 'index.html'));
  const gpujs = createRequire(join(demoRoot, 'package.json')).resolve('gpu.js/package.json');
  copyFileSync(join(dirname(gpujs), 'dist/gpu-browser.js'), join(outDir, 'gpu-browser.js'));
  return outDir;
}
