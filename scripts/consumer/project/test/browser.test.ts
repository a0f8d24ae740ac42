// A page in headless Chromium imports the `./browser` export of @keepdist/autograd (and sphere and
// dispersion through an import map) from the installed packages, and trains a few steps.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const reason = existsSync(chromium) ? null : `no Chromium at ${chromium} (set CHROMIUM_PATH)`;
if (reason) console.log(`browser test skipped: ${reason}`);

const root = process.cwd();
const resolve = (spec: string): string => createRequire(join(root, 'package.json')).resolve(spec);
const url = (file: string): string => '/' + relative(root, file).split(sep).join('/');

const page = `<!doctype html><meta charset="utf-8"><title>keepdist</title>
<script type="importmap">${JSON.stringify({
  imports: reason ? {} : {
    '@keepdist/autograd': url(resolve('@keepdist/autograd/browser')),
    '@keepdist/autograd/internal': url(resolve('@keepdist/autograd/browser')),
    '@keepdist/sphere': url(resolve('@keepdist/sphere')),
    '@keepdist/dispersion': url(resolve('@keepdist/dispersion')),
  },
})}</script>
<script type="module">
  import { createRng } from '@keepdist/autograd';
  import { RiemannianAdam, randomUniform } from '@keepdist/sphere';
  import { minAngleDegrees, mma } from '@keepdist/dispersion';
  try {
    const X = randomUniform(12, 3, { rng: createRng(1), requiresGrad: true });
    const before = minAngleDegrees(X);
    const opt = new RiemannianAdam([X], { lr: 0.05 });
    for (let i = 0; i < 50; i++) { opt.zeroGrad(); mma(X).backward(); opt.step(); }
    window.result = { before, after: minAngleDegrees(X) };
  } catch (e) { window.result = { error: String(e && e.stack || e) }; }
</script>`;

const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
let server: Server;
let origin = '';

beforeAll(async () => {
  if (reason) return;
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    const file = join(root, path);
    if (!file.startsWith(root + sep) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => server?.close());

describe.skipIf(reason !== null)('the ./browser export in headless Chromium', () => {
  it('trains a few steps on a page', async () => {
    const { chromium: pw } = createRequire(join(root, 'package.json'))('playwright-core') as typeof import('playwright-core');
    const browser = await pw.launch({
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      tab.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      await tab.goto(origin + '/');
      await tab.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, null, { timeout: 60_000 });
      const result = await tab.evaluate(() => (window as unknown as { result: { before?: number; after?: number; error?: string } }).result);
      expect(errors).toEqual([]);
      expect(result.error).toBeUndefined();
      expect(result.after!).toBeGreaterThan(result.before!);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
