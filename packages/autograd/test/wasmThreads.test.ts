// The wasm backend on two threads: each parallel primitive (matmul rows, pairwise block rows,
// nearest query blocks, large unary ops) gives what one thread gives (bit for bit where the split
// does not change the order of any sum; the pairwise loss to float32 rounding otherwise), the
// thread count and its reason are reported, and a script that uses the pool exits on its own.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ag from '@keepdist/autograd';
import type { PairKernel } from '@keepdist/autograd/internal';
import { assertClose } from '@keepdist/autograd/testing';

const one = ag.createWasmBackend();
const two = ag.createWasmBackend({ threads: 2 });
const unavailable = two.threadInfo().reason;
if (unavailable) console.log(`wasm threads: skipping the two-thread comparisons: ${unavailable}`);

const data = (n: number, seed: number): Float64Array => ag.createRng(seed).normalArray(n);
const rows = (n: number, d: number, seed: number): number[] => {
  const g = data(n * d, seed);
  return Array.from({ length: n * d }, (_, k) => {
    const i = Math.floor(k / d);
    return g[k]! / Math.hypot(...g.subarray(i * d, (i + 1) * d));
  });
};

describe('wasm threads', () => {
  it('reports threads in use and the reason when fewer than asked; rejects bad counts', () => {
    expect(ag.wasmSupported()).toBe(true); // Node 20 has WebAssembly SIMD
    expect(one.threadInfo()).toEqual({ threads: 1, requested: 1, reason: null, ready: 0 });
    expect(two.threadInfo().requested).toBe(2);
    expect(two.threadInfo().threads).toBe(unavailable ? 1 : 2);
    expect(() => ag.createWasmBackend({ threads: 0 })).toThrow(/createWasmBackend: expected threads to be an integer in \[1, 64\], got 0/);
  });

  describe.skipIf(unavailable !== null)('two threads give what one gives', () => {
    it('matmul (split rows, every transpose, the thin path), exactly', () => {
      for (const [batch, m, k, n, ta, tb] of [[1, 301, 129, 77, false, false], [2, 130, 70, 65, true, true], [1, 5000, 64, 2, false, false],
        [1, 257, 300, 40, true, false]] as const) {
        for (const dtype of ['float32', 'float64'] as const) {
          const a = data(batch * m * k, m), b = data(batch * k * n, k);
          const r1 = one.readSync(one.matmul(one.upload(a, dtype), one.upload(b, dtype), batch, m, k, n, ta, tb));
          const r2 = two.readSync(two.matmul(two.upload(a, dtype), two.upload(b, dtype), batch, m, k, n, ta, tb));
          expect(Array.from(r2)).toEqual(Array.from(r1));
        }
      }
    });

    it('pairwiseSum: the loss to float32 rounding, gradient rows within float32 tolerance', () => {
      const kernels: PairKernel[] = [
        { kernel: 'laplace', distance: 'chordSquared', gamma: 1, s: 0, eps: 0 },
        { kernel: 'riesz', distance: 'chord', gamma: 0, s: 1, eps: 1e-7 },
        { kernel: 'gaussian', distance: 'angle', gamma: 2, s: 0, eps: 1e-7 },
      ];
      const x = rows(700, 19, 3);
      for (const k of kernels) {
        for (const dtype of ['float32', 'float64'] as const) {
          const r1 = one.pairwiseSum(one.upload(x, dtype), 700, 19, k, true), r2 = two.pairwiseSum(two.upload(x, dtype), 700, 19, k, true);
          const l1 = one.readSync(r1.sum)[0]!, l2 = two.readSync(r2.sum)[0]!;
          expect(Math.abs(l2 - l1)).toBeLessThanOrEqual(Math.abs(l1) * (dtype === 'float32' ? 2 ** -23 : 1e-13));
          assertClose(`grad ${k.kernel}/${k.distance} ${dtype}`, two.readSync(r2.grad!), one.readSync(r1.grad!), dtype === 'float64' ? { rtol: 1e-12 } : 'float32');
        }
      }
    });

    it('nearest and a large unary op, exactly', () => {
      const x = rows(500, 7, 4), q = rows(333, 7, 5);
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [qq, m, self] of [[q, 333, false], [x, 500, true]] as const) {
          const r1 = one.nearest(one.upload(qq, dtype), m, one.upload(x, dtype), 500, 7, self);
          const r2 = two.nearest(two.upload(qq, dtype), m, two.upload(x, dtype), 500, 7, self);
          expect(Array.from(two.readSync(r2.values))).toEqual(Array.from(one.readSync(r1.values)));
          expect(Array.from(two.readSync(r2.indices))).toEqual(Array.from(one.readSync(r1.indices)));
        }
        const big = data(200003, 6);
        expect(Array.from(two.readSync(two.unary('exp', two.upload(big, dtype))))).toEqual(Array.from(one.readSync(one.unary('exp', one.upload(big, dtype)))));
      }
    });

    it('a script that computes on two threads exits on its own (the workers never hold Node open)', () => {
      const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
      const dir = mkdtempSync(join(tmpdir(), 'keepdist-threads-'));
      const script = join(dir, 'exit.ts');
      writeFileSync(script, [
        `import * as ag from ${JSON.stringify(index)};`,
        'const w = ag.createWasmBackend({ threads: 2 });',
        "const x = ag.tensor(ag.createRng(1).normalArray(300 * 300), { shape: [300, 300], backend: w });",
        'console.log(w.threadInfo().threads, ag.matmul(x, x).sum().item() !== 0);',
      ].join('\n'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000, cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
      expect(r.signal, `killed after the timeout: ${r.stderr}`).toBeNull();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('2 true');
    });
  });
});
