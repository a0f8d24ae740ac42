// Every regularizer on gpu:webgpu past the old 2^24-element limit (n = 4100: n² > 2^24), through
// the real `speed` and `synthetic` commands: no refusal, no failure, every method complete. Runs
// where a WebGPU adapter answers (SwiftShader on CPU machines: VK_DRIVER_FILES naming its
// driver), else skipped with the reason printed. d = 3 keeps SwiftShader's time modest; n is what
// the limit was about.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { main } from '../src/main.js';
import { numericCore } from '../src/numericCore.js';
import { fakeContext } from './fakeContext.js';

const probe = await ag.createGpuBackend({ mode: 'webgpu' }).then(async (b) => {
  await b.destroy();
  return null;
}, (e: Error) => e.message);
if (probe !== null) console.log(`gpuScale: skipping gpu:webgpu at n = 4100: ${probe}`);

/** Runs a command on the fake context; returns its exit code, stderr and parsed results.json. */
async function run(argv: string[]): Promise<{ code: number; err: string; results: Record<string, unknown>[]; complete: boolean }> {
  const f = fakeContext();
  const code = await main([...argv, '--out', 'out'], numericCore, f.ctx);
  const json = JSON.parse(readFileSync(join(f.cwd, 'out', 'results.json'), 'utf8')) as { complete: boolean; results: Record<string, unknown>[] };
  return { code, err: f.err.join(''), results: json.results, complete: json.complete };
}

describe.skipIf(probe !== null)('gpu:webgpu at n = 4100 (n² > 2^24)', () => {
  it('speed --methods all: matmul and every loss + gradient ran, none refused', async () => {
    const r = await run(['speed', '--sizes', '4100x3', '--methods', 'all', '--backend', 'gpu:webgpu', '--repeats', '1', '--warmup', '0']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.complete).toBe(true);
    expect(r.results.map((x) => x.method)).toEqual(['matmul', ...numericCore.methods]);
    for (const x of r.results) {
      expect(x.error, `${String(x.method)}`).toBeUndefined();
      expect((x.timesMs as number[]).length, `${String(x.method)}`).toBe(1);
    }
  }, 600_000);
  it('synthetic --methods all, full batch: one optimizer step of every method, complete', async () => {
    const r = await run(['synthetic', '--n', '4100', '--d', '3', '--iters', '1', '--every', '1', '--batch', '0', '--methods', 'all',
      '--backend', 'gpu:webgpu']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.complete).toBe(true);
    expect(r.results.map((x) => x.method)).toEqual(numericCore.methods);
    for (const x of r.results) expect(x.complete, `${String(x.method)}`).toBe(true);
  }, 600_000);
});
