// The wasm backend's threads in a browser page, in real headless Chromium, from the browser bundle
// (src/browser.ts bundled as scripts/build-package.mjs bundles dist/browser: platform browser,
// minified): on a cross-origin isolated page (COOP same-origin + COEP require-corp) a two-thread
// backend starts its Web Worker over the shared memory and gives what one thread gives, exactly,
// for matmul rows split over the threads, the nearest-neighbour pass and the Riemannian Adam kernel;
// on a page without those headers it runs on one thread and threadInfo() says why. Skipped with the
// reason printed when no Chromium is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumFlags, findChromium } from './browser/harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const found = findChromium();
if ('reason' in found) console.log(`wasm browser threads: skipping: ${found.reason}`);

/** What the page reports. */
interface PageResult {
  isolated: boolean;
  info: { threads: number; requested: number; reason: string | null; ready: number };
  /** Names of the checks whose two-thread result differs from the one-thread one. */
  differ: string[];
  error?: string;
}

/** The page: waits (yielding) for the worker, then compares two threads with one on the same inputs. */
const pageSource = `
import * as ag from './keepdist.js';
globalThis.result = (async () => {
  try {
    const two = ag.createWasmBackend({ threads: 2 }), one = ag.createWasmBackend();
    for (let i = 0; i < 500 && two.threadInfo().threads > 1 && two.threadInfo().ready < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const differ = [];
    const same = (name, a, b) => { if (a.length !== b.length || a.some((v, i) => !Object.is(v, b[i]))) differ.push(name); };
    const rng = ag.createRng(7), a = rng.normalArray(300 * 200), b = rng.normalArray(200 * 120);
    for (const dtype of ['float32', 'float64']) {
      const run = (w) => w.readSync(w.matmul(w.upload(a, dtype), w.upload(b, dtype), 1, 300, 200, 120, false, false));
      same('matmul ' + dtype, run(one), run(two));
      const near = (w) => { const s = w.upload(a.slice(0, 400 * 16), dtype); const r = w.nearest(s, 400, s, 400, 16, true); return [...w.readSync(r.values), ...w.readSync(r.indices)]; };
      same('nearest ' + dtype, near(one), near(two));
      const adam = (w) => {
        const x = ag.normalize(ag.tensor(a.slice(0, 600 * 64), { shape: [600, 64], dtype, backend: w }), -1);
        const g = ag.tensor(a.slice(20000, 20000 + 600 * 64), { shape: [600, 64], dtype, backend: w });
        const r = w.riemannianAdamRows({ n: 600, d: 64, retraction: 'expmap', stabilize: true, seriesThreshold: 0.01, lr: 0.01,
          weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, amsgrad: false }, x.storage, g.storage, null, null, null);
        return [...w.readSync(r.x), ...w.readSync(r.m), ...w.readSync(r.v)];
      };
      same('adam ' + dtype, adam(one), adam(two));
    }
    return { isolated: globalThis.crossOriginIsolated, info: two.threadInfo(), differ };
  } catch (e) {
    return { isolated: globalThis.crossOriginIsolated, info: null, differ: [], error: String(e && e.stack || e) };
  }
})();
`;

describe.skipIf('reason' in found)('wasm threads in headless Chromium (Web Workers)', () => {
  let server: Server, browser: Browser, origin = '';
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(here, '../src/browser.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
      minify: true, write: false, logLevel: 'warning',
    });
    const files: Record<string, [string, string]> = {
      '/keepdist.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/page.js': ['text/javascript', pageSource],
    };
    const html = '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>';
    server = createServer((req, res) => {
      const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
      if (req.url === '/isolated.html' || req.url === '/plain.html') {
        res.writeHead(200, { 'content-type': 'text/html', ...(req.url === '/isolated.html' ? isolation : {}) });
        res.end(html);
        return;
      }
      const f = files[req.url ?? ''];
      res.writeHead(f ? 200 : 404, { 'content-type': f?.[0] ?? 'text/plain', ...isolation });
      res.end(f?.[1] ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({ executablePath: (found as { path: string }).path, args: [...chromiumFlags] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const load = async (path: string): Promise<PageResult> => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(origin + path);
    await page.waitForFunction(() => 'result' in globalThis, undefined, { timeout: 30_000 });
    const r = await page.evaluate(() => (globalThis as unknown as { result: Promise<PageResult> }).result);
    await page.close();
    if (errors.length) r.error = `${r.error ?? ''}\n${errors.join('\n')}`;
    return r;
  };

  it('cross-origin isolated: two threads (one Web Worker, started) give what one gives, bit for bit', async () => {
    const r = await load('/isolated.html');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(true);
    expect(r.info).toEqual({ threads: 2, requested: 2, reason: null, ready: 1 });
    expect(r.differ).toEqual([]);
  }, 60_000);

  it('not isolated: one thread, and threadInfo says the page is not cross-origin isolated', async () => {
    const r = await load('/plain.html');
    expect(r.error).toBeUndefined();
    expect(r.isolated).toBe(false);
    expect(r.info.threads).toBe(1);
    expect(r.info.requested).toBe(2);
    expect(r.info.reason).toMatch(/not cross-origin isolated.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
    expect(r.differ).toEqual([]);
  }, 60_000);
});
