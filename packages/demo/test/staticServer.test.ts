// The demo's static server: files of its folder with their content types, nothing outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveStatic } from '../scripts/staticServer.js';

describe('serveStatic', () => {
  let top: string, server: Server, url: string;
  beforeAll(async () => {
    top = mkdtempSync(join(tmpdir(), 'keepdist-serve-'));
    mkdirSync(join(top, 'site'));
    writeFileSync(join(top, 'site', 'index.html'), '<p>home</p>');
    writeFileSync(join(top, 'site', 'worker.js'), 'postMessage(1)');
    writeFileSync(join(top, 'secret.txt'), 'outside');
    ({ server, url } = await serveStatic(join(top, 'site')));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(top, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves index.html for /', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('<p>home</p>');
  });

  it('serves scripts as JavaScript (module workers need it)', async () => {
    const res = await fetch(`${url}worker.js`);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe('postMessage(1)');
  });

  it('answers 404 outside the folder and for missing files, 405 for other methods', async () => {
    expect((await fetch(`${url}..%2fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${url}missing.js`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});
