// The gpu backend's own contract: mode selection and its errors, float64 refused, the kernel
// report, the async contract (ops synchronous, reads awaited, worker threads), the paths random
// small shapes do not reach (two-pass reductions, long sorts with NaN, repeated scatter indices,
// wide concats, the host fallback, the size limit), and training loops unchanged on it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { splitKSegments } from '../src/backend/gpu/matmul.js';

const webasm = new ag.GpuBackend({ mode: 'webasm', strict: true });
const threads = new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 4096, strict: true });
/**
 * One webgpu backend for the heavy webgpu tests of this file, made on first use (or the reason
 * there is none): Dawn on SwiftShader sometimes hung or aborted when a second device was made in
 * a process after the first had run a large product and been destroyed.
 */
let webgpuBackend: Promise<ag.GpuBackend | string> | null = null;
const webgpu = (): Promise<ag.GpuBackend | string> =>
  (webgpuBackend ??= ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message));
/** The shared webgpu backend, or the test skipped with the reason printed (`what`: the case). */
async function webgpuOrSkip(ctx: { skip: (note?: string) => never }, what: string): Promise<ag.GpuBackend> {
  const b = await webgpu();
  if (typeof b !== 'string') return b;
  console.log(`gpuBackend: skipping webgpu ${what}: ${b}`);
  return ctx.skip();
}
afterAll(async () => {
  await webasm.destroy();
  await threads.destroy();
  const b = await webgpuBackend;
  if (b && typeof b !== 'string') await b.destroy();
});

const rng = ag.createRng(606);
/** The same float32-exact random data on cpu (float64) and on `b`. */
function both(shape: number[], b: ag.Backend, scale = 1): [ag.Tensor, ag.Tensor] {
  const data = Array.from(rng.normalArray(shape.reduce((p, q) => p * q, 1)), (v) => Math.fround(v * scale));
  return [ag.tensor(data, { shape, dtype: 'float64' }), ag.tensor(data, { shape, backend: b })];
}

describe('modes', () => {
  it('auto picks the best mode available synchronously; names say the mode and the contract', () => {
    const auto = new ag.GpuBackend();
    expect(ag.gpuModes).toContain(auto.mode);
    expect(auto.requestedMode).toBe('auto');
    expect(webasm.name).toBe('gpu:webasm');
    expect(webasm.synchronous).toBe(true);
    expect(threads.name).toBe('gpu:webasm+async');
    expect(threads.synchronous).toBe(false);
    void auto.destroy();
  });
  it('an explicit mode that cannot run throws a clear error; an unknown mode is an OptionError', async () => {
    expect(() => new ag.GpuBackend({ mode: 'webgl2' })).toThrow(
      /^gpu backend: mode 'webgl2' is not available here \(no WebGL2 context \(a browser feature\)\)\. Use mode 'auto' or 'webasm'\.$/);
    const webgpu = await ag.createGpuBackend({ mode: 'webgpu' }).then((b) => b.destroy().then(() => null), (e: Error) => e.message);
    if (webgpu !== null) expect(webgpu).toMatch(/^gpu backend: mode 'webgpu' is not available here \(.+\)\. Use mode 'auto' or 'webasm'\.$/);
    expect(() => new ag.GpuBackend({ mode: 'metal' as ag.GpuMode })).toThrow(ag.OptionError);
  });
  it('createGpuBackend with auto falls back from webgpu to a synchronous mode when no adapter answers', async () => {
    const b = await ag.createGpuBackend();
    expect(ag.gpuModes).toContain(b.mode);
    await b.destroy();
  });
});

describe('float32 only, and the size limit', () => {
  it('float64 tensors, casts and Float64Array data throw a DTypeError naming the fix', () => {
    expect(() => ag.tensor([1, 2], { dtype: 'float64', backend: webasm })).toThrow(ag.DTypeError);
    expect(() => ag.tensor(new Float64Array([1, 2]), { backend: webasm })).toThrow(/Use the cpu backend for float64/);
    const x = ag.tensor([1, 2], { backend: webasm });
    expect(() => ag.cast(x, 'float64')).toThrow(ag.KeepdistError);
    expect(() => webasm.upload([1], 'float64')).toThrow(/upload: expected float32 on the gpu backend, got float64/);
  });
  it('tensors over 2^31 − 1 elements are refused with the reason, before any allocation', () => {
    expect(ag.maxElements).toBe(2 ** 31 - 1);
    expect(() => ag.zeros([ag.maxElements + 1], { backend: webasm })).toThrow(/expected at most 2147483647 elements per tensor in 'fill' \(int32 thread ids\)/);
  });
});

/**
 * Past 2^24 elements: C = A·B (n × n, n = 4097, so C has 2^24 + 8193 cells) with A_i = [i, 1],
 * B_j = [1, j]ᵀ, so C_ij = i + j exactly; then 2·(C + 0.5) through the int32-indexed elementwise
 * path. Every cell is checked, the last 8193 lie beyond 2^24. A float32-indexed reduction over C
 * is refused on the float32 modes and runs on mode cpu (float64 indices).
 */
async function beyondFloatIndex(b: ag.GpuBackend): Promise<void> {
  const n = 4097;
  const A = ag.tensor(Array.from({ length: n }, (_, i) => [i, 1]).flat(), { shape: [n, 2], backend: b });
  const B = ag.tensor([...Array.from({ length: n }, () => 1), ...Array.from({ length: n }, (_, j) => j)], { shape: [2, n], backend: b });
  const C = ag.matmul(A, B);
  expect(C.size).toBeGreaterThan(ag.maxFloatIndex);
  const D = await ag.mul(ag.add(C, 0.5), 2).data();
  let bad = -1;
  for (let i = 0; i < n && bad < 0; i++) for (let j = 0; j < n; j++) if (D[i * n + j] !== 2 * (i + j) + 1) { bad = i * n + j; break; }
  expect(bad).toBe(-1);
  // A single product reads A past 2^24 too: M (4097 × 4097, M_ij = (i + 2j) mod 3) times ones, and Mᵀ times ones
  const M = new Float32Array(n * n).map((_, t) => (Math.floor(t / n) + 2 * (t % n)) % 3);
  const Mt = ag.tensor(M, { shape: [n, n], backend: b }), ones = ag.ones([n, 1], { backend: b });
  const rows = await ag.matmul(Mt, ones).data(), cols = await ag.matmulT(Mt, ones, true, false).data();
  const wantRows = new Float32Array(n), wantCols = new Float32Array(n);
  for (let t = 0; t < n * n; t++) {
    wantRows[Math.floor(t / n)] += M[t]!;
    wantCols[t % n] += M[t]!;
  }
  expect(Array.from(rows)).toEqual(Array.from(wantRows));
  expect(Array.from(cols)).toEqual(Array.from(wantCols));
  if (b.mode === 'cpu') {
    assertClose('sum over 2^24 + 8193 cells', (await ag.sum(C).data())[0]!, n * n * (n - 1), { rtol: 1e-5 });
  } else {
    expect(() => ag.sum(C)).toThrow(new RegExp(`expected tensors of at most 16777216 elements in 'reduce.sum' on ${b.mode} \\(its kernel computes indices in float32`));
  }
}

describe('beyond 2^24 elements (int32 thread ids and output offsets)', () => {
  it.each(['webasm', 'cpu'] as const)('mode %s: a 4097 × 4097 product and elementwise ops on it are exact; float32-indexed kernels refuse it, except on cpu', async (mode) => {
    const b = mode === 'webasm' ? webasm : new ag.GpuBackend({ mode, strict: true });
    await beyondFloatIndex(b);
    if (b !== webasm) await b.destroy();
  }, 120_000);
  it('mode webgpu (SwiftShader on CPU machines; skipped without an adapter)', async (ctx) => {
    const b = await webgpuOrSkip(ctx, 'beyond 2^24');
    await beyondFloatIndex(b);
  }, 300_000);
});

/**
 * webgpu's four-outputs-per-thread matmul (n a multiple of 4, one product): every transpose flag,
 * k with and without a tail, against the cpu backend in float64; and a product of 4096 × 4100
 * cells (past 2^24) with C_ij = i + j exactly. Other shapes take the one-output kernel.
 */
async function rowBy4(b: ag.GpuBackend): Promise<void> {
  for (const [m, k, n] of [[1, 1, 4], [5, 3, 8], [7, 13, 12], [33, 64, 64], [3, 9, 6]] as const) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const [ac, ga] = both(ta ? [k, m] : [m, k], b), [bc, gb] = both(tb ? [n, k] : [k, n], b);
      assertClose(`matmulT ${m}×${k}×${n} ${ta} ${tb}`, await ag.matmulT(ga, gb, ta, tb).data(), ag.matmulT(ac, bc, ta, tb).dataSync(), 'float32');
    }
  }
  const keys = [...b.kernelModes().keys()];
  expect(keys).toContain('matmul.rowBy4[33,64,64,true,true]');
  expect(keys.some((key) => key.startsWith('matmul[1,3,9,6,'))).toBe(true); // n = 6: one output per thread
  const m = 4096, n = 4100;
  const A = ag.tensor(Array.from({ length: m }, (_, i) => [i, 1]).flat(), { shape: [m, 2], backend: b });
  const B = ag.tensor([...Array.from({ length: n }, () => 1), ...Array.from({ length: n }, (_, j) => j)], { shape: [2, n], backend: b });
  const C = await ag.matmul(A, B).data();
  expect(C.length).toBeGreaterThan(ag.maxFloatIndex);
  let bad = -1;
  for (let i = 0; i < m && bad < 0; i++) for (let j = 0; j < n; j++) if (C[i * n + j] !== i + j) { bad = i * n + j; break; }
  expect(bad).toBe(-1);
}

/**
 * Split-k on webgpu: products with few outputs and a long k (a pairwise gradient tile times X)
 * run S segments of k and sum the partials. Segment counts 2, 3 and 11, with and without a
 * remainder of k, every transpose flag, against the cpu backend in float64.
 */
async function splitK(b: ag.GpuBackend): Promise<void> {
  const cases = [[1, 514, 4, 2], [64, 600, 4, 2], [3, 1000, 8, 3], [5, 2999, 12, 11]] as const;
  for (const [m, k, n, S] of cases) {
    expect(splitKSegments((m * n) / 4, k)).toBe(S);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const [ac, ga] = both(ta ? [k, m] : [m, k], b), [bc, gb] = both(tb ? [n, k] : [k, n], b);
      assertClose(`matmulT ${m}×${k}×${n} ${ta} ${tb}`, await ag.matmulT(ga, gb, ta, tb).data(), ag.matmulT(ac, bc, ta, tb).dataSync(), 'float32');
    }
  }
  const keys = [...b.kernelModes().keys()];
  for (const [m, k, n, S] of cases) expect(keys).toContain(`matmul.rowBy4.split${S}[${m},${k},${n},true,false]`);
}

describe('webgpu matmul with four outputs per thread', () => {
  it('matches the cpu backend for every transpose flag, and is exact past 2^24 cells (skipped without an adapter)', async (ctx) => {
    const b = await webgpuOrSkip(ctx, 'rowBy4');
    await rowBy4(b);
  }, 300_000);
  it('splits a long k over segments when the product has few outputs (skipped without an adapter)', async (ctx) => {
    const b = await webgpuOrSkip(ctx, 'split-k');
    await splitK(b);
  }, 300_000);
});

describe('webgpu backends one after another in one process', () => {
  // the backends share this process's one Dawn instance (a second instance crashed Dawn in a
  // script on the built packages: scripts/consumer/project/gpu/webgpu.mjs); kept, it must not
  // hold Node open
  it('create, destroy, create again: each runs kernels and the script exits on its own (skipped without an adapter)', async (ctx) => {
    await webgpuOrSkip(ctx, 'one after another');
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'keepdist-webgpu-'));
    const script = join(dir, 'again.mts'); // ESM: top-level await
    writeFileSync(script, [
      `import * as ag from ${JSON.stringify(index)};`,
      'const out: number[] = [];',
      'for (let round = 0; round < 3; round++) {',
      "  const b = await ag.createGpuBackend({ mode: 'webgpu' });",
      '  const x = ag.tensor(Float32Array.from(ag.createRng(round).normalArray(64 * 12)), { shape: [64, 12], backend: b });',
      '  out.push((await ag.sum(ag.exp(ag.matmulT(x, x, false, true))).data())[0]! > 0 ? 1 : 0);',
      '  await b.destroy();',
      '}',
      "console.log(out.join(','));",
    ].join('\n'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000, cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    expect(r.signal, `killed (${r.signal}): ${r.stderr}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1,1,1');
  }, 150_000);
});

describe('the kernel report', () => {
  it('lists every kernel with the mode that ran it; strict mode saw no fallback', async () => {
    const x = ag.tensor([[1, 2], [3, 4]], { backend: webasm });
    await ag.exp(ag.matmul(x, x)).data();
    const modes = webasm.kernelModes();
    expect([...modes.keys()].some((k) => k.startsWith('matmul['))).toBe(true);
    expect(new Set(modes.values())).toEqual(new Set(['webasm']));
    expect(webasm.fallbacks()).toEqual([]);
    expect(webasm.kernels().find((k) => k.primitive === 'unary.exp')!.calls).toBeGreaterThan(0);
  });
  it('the host fallback (a scatter whose strides overlap when decoded largest-first) is correct and reported', async () => {
    const data = [1, 2, 3, 4, 5, 6];
    const src = webasm.upload(data, 'float32');
    const out = webasm.stridedScatter(src, [2, 3], 8, [3, 2], 0);
    const ref = ag.cpuBackend.stridedScatter(ag.cpuBackend.upload(data, 'float32'), [2, 3], 8, [3, 2], 0);
    expect(Array.from(await webasm.read(out))).toEqual(Array.from(ag.cpuBackend.readSync(ref)));
    expect(webasm.fallbacks().map((k) => k.mode)).toEqual(['host']);
  });
});

describe('webgpu and NaN (its compilers may fold `v !== v` to false)', () => {
  it('sort with ties and NaN (a thread per pair), max/min/argmax/argmin over short and two-pass rows, maximum/minimum: as on cpu (skipped without an adapter)', async (ctx) => {
    const b = await webgpuOrSkip(ctx, 'NaN');
    const data = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? NaN : Math.fround(Math.round(rng.normalArray(1)[0]! * 20) / 4)));
    const g = ag.tensor(data, { shape: [3, 1000], backend: b }), c = ag.tensor(data, { shape: [3, 1000], dtype: 'float64' });
    const same = async (what: string, f: (t: ag.Tensor) => ag.Tensor, x = g, y = c): Promise<void> => {
      expect(Array.from(await f(x).data()), what).toEqual(Array.from(f(y).dataSync()));
    };
    await same('sort indices', (t) => ag.sort(t, 1).indices);
    await same('sort values', (t) => ag.sort(t, 1).values);
    // rows without NaN (the first of each 97) keep their extremes; the others give NaN, its index first
    const clean = Array.from({ length: 20 * 50 }, (_, i) => (i % 50 === 7 && i < 500 ? NaN : data[i + 1]!));
    const g2 = ag.tensor(clean, { shape: [20, 50], backend: b }), c2 = ag.tensor(clean, { shape: [20, 50], dtype: 'float64' });
    for (const [name, f] of [['max', (t: ag.Tensor) => ag.max(t, 1)], ['min', (t: ag.Tensor) => ag.min(t, 1)],
      ['argmax', (t: ag.Tensor) => ag.argmax(t, 1)], ['argmin', (t: ag.Tensor) => ag.argmin(t, 1)]] as const) {
      await same(`${name} over rows of 50`, f, g2, c2);
      await same(`${name} over rows of 1000`, f);
    }
    await same('max over 3000 (two passes)', (t) => ag.max(t));
    const flip = ag.tensor(clean.slice(0, 1000).reverse(), { shape: [20, 50], backend: b });
    const flip64 = ag.tensor(clean.slice(0, 1000).reverse(), { shape: [20, 50], dtype: 'float64' });
    // NaN on the left in some cells, on the right in others
    expect(Array.from(await ag.maximum(g2, flip).data()), 'maximum').toEqual(Array.from(ag.maximum(c2, flip64).dataSync()));
    expect(Array.from(await ag.minimum(flip, g2).data()), 'minimum').toEqual(Array.from(ag.minimum(flip64, c2).dataSync()));
  });
});

describe('webgpu device memory (memoryStats)', () => {
  it('sort, two-pass reductions, wide concats, scatterAdd and the pairwise passes keep only their results; the host fallback owns one result (skipped without an adapter)', async (ctx) => {
    await webgpuOrSkip(ctx, 'memory');
    // a backend of its own: the shared one's storages from other tests may be collected (and
    // freed) at any time, which would move the count
    const b = await ag.createGpuBackend({ mode: 'webgpu', strict: true });
    const live = (): number => b.memoryStats().liveStorages;
    const reads = async (...xs: ag.Storage[]): Promise<void> => {
      for (const x of xs) await b.read(x);
    };
    const values = (n: number): number[] => Array.from(rng.normalArray(n), Math.fround);
    const x = b.upload(values(3 * 700), 'float32');
    const idx = b.upload(Array.from({ length: 2100 }, (_, i) => (i * 7) % 2100), 'float32');
    await reads(x, idx);
    const base = live();
    expect(b.memoryStats().liveBytes).toBeGreaterThanOrEqual(4 * 2 * 2100);
    // each case: the storages it returns are the only ones left live once they are read
    const cases: [string, () => ag.Storage[]][] = [
      ['sort (rows of 700: 55 bitonic passes)', () => Object.values(b.sort(x, 3, 700))],
      ['two-pass sum over 2100', () => [b.reduce('sum', x, 1, 2100, 1)]],
      ['concat of 20 pieces (joined in groups of 7)', () => [b.concat(Array.from({ length: 20 }, () => x), 1, Array(20).fill(2100), 1)]],
      ['scatterAdd (its index sort)', () => [b.scatterAdd(x, 1, 2100, 1, idx)]],
      ['pairwiseSum with the gradient, k′ tiles (d = 21)', () => {
        const r = b.pairwiseSum(x, 100, 21, { kernel: 'gaussian', distance: 'angle', gamma: 1, s: 1, eps: 1e-7 }, true);
        return [r.sum, r.grad!];
      }],
      ['pairwiseSum with the gradient, fused (d = 7)', () => {
        const r = b.pairwiseSum(x, 300, 7, { kernel: 'riesz', distance: 'chord', gamma: 1, s: 1, eps: 1e-7 }, true);
        return [r.sum, r.grad!];
      }],
      ['nearest over segments', () => Object.values(b.nearest(x, 700, x, 700, 3, true))],
      ['host fallback (overlapping scatter)', () => [b.stridedScatter(x, [2, 3], 8, [3, 2], 0)]],
    ];
    for (const [what, run] of cases) {
      const out = run();
      await reads(...out);
      expect(live(), what).toBe(base + out.length);
      for (const o of out) b.dispose(o);
      expect(live(), `${what}, disposed`).toBe(base);
    }
    b.dispose(x);
    b.dispose(idx);
    expect(live()).toBe(base - 2);
    await b.destroy();
  }, 60_000);
});

describe('larger cases on webasm', () => {
  it('two-pass sum, max and min over 5000 elements; argmax over 3000', async () => {
    const [c, g] = both([3, 5000], webasm);
    for (const f of [(t: ag.Tensor) => ag.sum(t, 1), (t: ag.Tensor) => ag.max(t, 1), (t: ag.Tensor) => ag.min(t), (t: ag.Tensor) => ag.mean(t)]) {
      assertClose('reduction', await f(g).data(), f(c).dataSync(), 'float32');
    }
    const [c2, g2] = both([3000, 2], webasm);
    expect(Array.from(await ag.argmax(g2, 0).data())).toEqual(Array.from(ag.argmax(c2, 0).dataSync()));
  });
  it('sort of 1000 values with ties and NaN: stable, NaN last, same as cpu', async () => {
    const data = Array.from({ length: 1000 }, (_, i) => (i % 97 === 0 ? NaN : Math.fround(Math.round(rng.normalArray(1)[0]! * 20) / 4)));
    const g = ag.sort(ag.tensor(data, { backend: webasm }));
    const c = ag.sort(ag.tensor(data, { dtype: 'float64' }));
    expect(Array.from(await g.indices.data())).toEqual(Array.from(c.indices.dataSync()));
    expect(Array.from(await g.values.data())).toEqual(Array.from(c.values.dataSync()));
  });
  it('matmul with a k tail, batched transposes, gradients through both', async () => {
    const [ac, ag_] = both([2, 37, 50], webasm), [bc, bg] = both([2, 23, 50], webasm);
    const f = (a: ag.Tensor, b: ag.Tensor): ag.Tensor => ag.sum(ag.square(ag.matmulT(a, b, false, true)));
    const [gc, gg] = [ag.grad(f)(ac, bc), ag.grad(f)(ag_, bg)];
    for (let i = 0; i < 2; i++) assertClose(`matmul grad ${i}`, await gg[i]!.data(), gc[i]!.dataSync(), 'float32');
  });
  it('indexSelect gradients with 300 repeated indices; concat of 20 pieces', async () => {
    const idx = Array.from({ length: 300 }, () => Math.floor(rng.float() * 50));
    const [c, g] = both([50, 3], webasm);
    const f = (t: ag.Tensor): ag.Tensor => ag.sum(ag.mul(ag.indexSelect(t, 0, idx), ag.arange(900, undefined, 1, { backend: t.backend, dtype: t.dtype }).reshape([300, 3])));
    assertClose('scatterAdd', await ag.grad(f)(g)[0]!.data(), ag.grad(f)(c)[0]!.dataSync(), 'float32');
    const pieces = (t: ag.Tensor): ag.Tensor => ag.concat(Array.from({ length: 20 }, (_, i) => ag.slice(t, 0, i, i + 2)), 0);
    assertClose('concat', await pieces(g).data(), pieces(c).dataSync(), 'float32');
  });
});

describe('the async contract (webasm worker threads)', () => {
  it('ops return tensors at once; sync reads throw a clear error; awaited reads match cpu', async () => {
    const [c, g] = both([64, 128], threads);
    const y = ag.softmax(ag.matmulT(g, g, false, true), 1);
    expect(y.shape).toEqual([64, 64]);
    expect(() => y.toArray()).toThrow(/^toArray: expected a synchronous backend, got 'gpu:webasm\+async'\. Use await t\.data\(\) or await t\.array\(\)\.$/);
    expect(() => ag.sum(y).item()).toThrow(/item: expected a synchronous backend/);
    assertClose('softmax(gram)', await y.data(), ag.softmax(ag.matmulT(c, c, false, true), 1).dataSync(), 'float32');
  });
  it('backward, sort (gather by device-resident indices) and Adam run unchanged', async () => {
    const [c, g] = both([96, 48], threads, 0.2);
    const train = (x0: ag.Tensor): ag.Tensor => {
      const x = x0.detach().requireGrad();
      const opt = new ag.Adam([x], { lr: 0.05 });
      for (let s = 0; s < 5; s++) {
        opt.zeroGrad();
        const sorted = ag.sort(x, 1).values;
        ag.add(ag.mean(ag.square(ag.sub(sorted, 0.5))), ag.mean(ag.exp(ag.matmulT(x, x, false, true)))).backward();
        opt.step();
      }
      return x;
    };
    assertClose('Adam after 5 steps', await train(g).data(), train(c).dataSync(), { rtol: 1e-3 });
  });
  it('big kernels run on worker threads, all from one shared pool (a gpu.js 2.24.1 internal this backend relies on)', async () => {
    const [, g] = both([128, 64], threads);
    await ag.sigmoid(ag.exp(ag.matmulT(g, g, false, true))).data();
    type Internals = { runner: { cache: Map<string, { run: { kernel: { _pool?: unknown; _lastRunPath?: string } } }> } };
    const kernels = [...(threads as unknown as Internals).runner.cache.values()].map((e) => e.run.kernel);
    const threaded = kernels.filter((k) => k._lastRunPath === 'threaded');
    expect(threaded.length).toBeGreaterThanOrEqual(3);
    expect(new Set(threaded.map((k) => k._pool)).size).toBe(1);
  });
  it('a disposed storage is refused with a clear error', async () => {
    const x = ag.tensor([1, 2, 3], { backend: threads });
    threads.dispose(x.storage);
    expect(() => ag.exp(x)).toThrow(/^exp: expected a live tensor, got .* whose storage was disposed/);
    await expect(x.data()).rejects.toThrow(/disposed/);
  });
});

describe('training loops unchanged on the synchronous webasm mode', () => {
  it('SGD with momentum and Adam minimise a quadratic', () => {
    for (const make of [(p: ag.Tensor) => new ag.SGD([p], { lr: 0.05, momentum: 0.9 }), (p: ag.Tensor) => new ag.Adam([p], { lr: 0.1 })]) {
      const target = ag.tensor([1, -2, 3], { backend: webasm });
      const x = ag.zeros([3], { backend: webasm, requiresGrad: true });
      const opt = make(x);
      for (let i = 0; i < 300; i++) {
        opt.zeroGrad();
        ag.sum(ag.square(ag.sub(x, target))).backward();
        opt.step();
      }
      expect(Math.max(...Array.from(x.dataSync(), (v, i) => Math.abs(v - [1, -2, 3][i]!)))).toBeLessThan(1e-3);
    }
  });
});
