// Runs page.ts in headless Chromium for browser.test.ts: finds the browser, bundles the page with
// esbuild (as scripts/build-package.mjs builds the browser bundle: platform browser, ESM, gpu.js
// left out and loaded as the global `GPU` from its own browser build), serves it from 127.0.0.1
// and drives Chromium with playwright-core.
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserEntry, BrowserMode } from './protocol.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Flags for headless Chromium on a machine without a GPU or a network: no sandbox (root in a
 * container), no background traffic, SwiftShader for WebGL (through ANGLE) and for WebGPU (Dawn
 * picks SwiftShader's Vulkan device once unsafe WebGPU is on).
 */
export const chromiumFlags: readonly string[] = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu', '--js-flags=--expose-gc',
];

/** The Chromium to use (env CHROMIUM_PATH, else /usr/bin/chromium), or why there is none. */
export function findChromium(): { path: string } | { reason: string } {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
    return { path };
  } catch {
    return { reason: `no Chromium executable at ${path} (set CHROMIUM_PATH, or apt-get install chromium)` };
  }
}

/** A running page server and browser; `close()` stops both and removes the bundle. */
export interface BrowserHarness {
  /** Calls `globalThis.keepdist[name](mode)` of page.ts. */
  call<K extends keyof BrowserEntry>(name: K, mode: BrowserMode | undefined, timeoutMs: number): Promise<Awaited<ReturnType<BrowserEntry[K]>>>;
  /** Chromium's version string. */
  version: string;
  close(): Promise<void>;
}

/** Bundles page.ts into a temporary folder with the page and gpu.js's browser build. */
async function bundle(): Promise<Map<string, { type: string; body: Buffer }>> {
  const dir = mkdtempSync(join(tmpdir(), 'keepdist-browser-'));
  try {
    await build({
      entryPoints: [join(here, 'page.ts')],
      outfile: join(dir, 'page.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      alias: { '@keepdist/autograd': join(here, '../../src/index.ts') },
      logLevel: 'warning',
    });
    const gpujs = join(dirname(createRequire(join(here, '../../package.json')).resolve('gpu.js/package.json')), 'dist/gpu-browser.js');
    const html = '<!doctype html><meta charset="utf-8"><title>keepdist browser test</title>\n'
      + '<script src="gpu-browser.js"></script>\n<script type="module" src="page.js"></script>\n';
    return new Map([
      ['/', { type: 'text/html', body: Buffer.from(html) }],
      ['/page.js', { type: 'text/javascript', body: readFileSync(join(dir, 'page.js')) }],
      ['/gpu-browser.js', { type: 'text/javascript', body: readFileSync(gpujs) }],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Serves `files` on 127.0.0.1 at a random port (http://127.0.0.1 is a secure context: navigator.gpu exists). */
async function serve(files: Map<string, { type: string; body: Buffer }>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const f = files.get(req.url ?? '');
    res.writeHead(f ? 200 : 404, { 'content-type': f?.type ?? 'text/plain' });
    res.end(f?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error(`browser harness: expected a TCP address, got ${String(addr)}.`);
  return { server, url: `http://127.0.0.1:${addr.port}/` };
}

/** Bundles, serves and launches Chromium at `executablePath`; one page serves every call (a new one after a crash). */
export async function startBrowser(executablePath: string): Promise<BrowserHarness> {
  const { server, url } = await serve(await bundle());
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: [...chromiumFlags] });
  } catch (e) {
    server.close();
    throw e;
  }
  const errors: string[] = [];
  let page: Page | null = null;
  const open = async (): Promise<Page> => {
    if (page && !page.isClosed()) return page;
    const p = await browser.newPage();
    p.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    p.on('crash', () => errors.push('the page crashed'));
    await p.goto(url);
    await p.waitForFunction(() => 'keepdist' in globalThis);
    return (page = p);
  };
  return {
    version: browser.version(),
    async call(name, mode, timeoutMs) {
      errors.length = 0;
      try {
        const p = await open();
        p.setDefaultTimeout(timeoutMs);
        return await p.evaluate(([n, m]) => (globalThis as unknown as { keepdist: Record<string, (m?: BrowserMode) => Promise<never>> }).keepdist[n]!(m), [name, mode] as const);
      } catch (e) {
        throw new Error(`${(e as Error).message}${errors.length ? `\n${errors.join('\n')}` : ''}`);
      }
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
