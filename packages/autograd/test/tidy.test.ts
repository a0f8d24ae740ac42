// tidy() and Tensor.dispose(): what a scope frees and what it must keep (returned tensors, views
// of outer tensors, in-place assignments, leaf gradients), and disposal while kernels that read a
// storage are still in flight (webasm worker threads; webgpu when an adapter answers).
import { afterAll, describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';

const webasm = new ag.GpuBackend({ mode: 'webasm', strict: true });
const threads = new ag.GpuBackend({ mode: 'webasm', async: true, threadMinCells: 1024, strict: true });
const webgpu = await ag.createGpuBackend({ mode: 'webgpu', strict: true }).catch((e: Error) => e.message);
if (typeof webgpu === 'string') console.log(`tidy: skipping webgpu: ${webgpu}`);
afterAll(async () => {
  await webasm.destroy();
  await threads.destroy();
  if (typeof webgpu !== 'string') await webgpu.destroy();
});

const disposedError = /expected a live storage, got one that was disposed/;

describe('tidy on a synchronous gpu backend', () => {
  it('frees what the scope made and did not return; keeps what it returned and what existed before', () => {
    const x = ag.tensor([1, 2, 3, 4], { shape: [2, 2], backend: webasm });
    let inner!: ag.Tensor, view!: ag.Tensor;
    const out = ag.tidy(() => {
      inner = ag.exp(x);
      view = ag.reshape(x.detach(), [4]);
      return { y: ag.add(inner, 1), z: [ag.mul(x, 2)] as unknown };
    });
    expect(() => inner.dataSync()).toThrow(disposedError);
    expect(Array.from(out.y.dataSync())).toEqual(Array.from(x.dataSync(), (v) => Math.fround(Math.exp(v) + 1)));
    expect(Array.from(view.dataSync())).toEqual([1, 2, 3, 4]);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    expect(() => (out.z as ag.Tensor[])[0]!.dataSync()).toThrow(disposedError); // nested arrays in objects are not searched
  });

  it('keeps in-place assignments (optimizer steps) and leaf gradients made inside the scope', () => {
    const p = ag.tensor([0.5, -0.25], { backend: webasm }).requireGrad();
    const opt = new ag.SGD([p], { lr: 0.1 });
    ag.tidy(() => {
      opt.zeroGrad();
      ag.sum(ag.square(p)).backward();
      opt.step();
    });
    expect(Array.from(p.dataSync())).toEqual([Math.fround(0.5 - 0.1 * 1), Math.fround(-0.25 + 0.1 * 0.5)]);
    expect(Array.from(p.grad!.dataSync())).toEqual([1, -0.5]);
  });

  it('keeps optimizer state (Adam moments) across steps each wrapped in tidy, and tensors passed to keep()', () => {
    const init = [0.5, -0.25, 1];
    const run = (b: ag.Backend, scoped: boolean): number[] => {
      const p = ag.tensor(init, { backend: b }).requireGrad();
      const opt = new ag.Adam([p], { lr: 0.1 });
      for (let it = 0; it < 3; it++) {
        const body = (): void => {
          opt.zeroGrad();
          ag.sum(ag.mul(ag.square(p), ag.tensor([1, 2, 3], { backend: b }))).backward();
          opt.step();
        };
        if (scoped) ag.tidy(body);
        else body();
      }
      return Array.from(p.dataSync());
    };
    expect(run(webasm, true)).toEqual(run(webasm, false));
    let kept!: ag.Tensor;
    ag.tidy(() => {
      kept = ag.keep(ag.exp(ag.tensor([0], { backend: webasm })));
    });
    expect(Array.from(kept.dataSync())).toEqual([1]);
  });

  it('nested scopes hand what the inner one returns to the outer one', () => {
    const x = ag.tensor([1, 2], { backend: webasm });
    let a!: ag.Tensor;
    const b = ag.tidy(() => {
      a = ag.tidy(() => ag.neg(x));
      return ag.add(a, 0);
    });
    expect(() => a.dataSync()).toThrow(disposedError);
    expect(Array.from(b.dataSync())).toEqual([-1, -2]);
  });

  it('numbers lifted inside scopes stay valid constants across scopes and backends; −0 keeps its sign', () => {
    const wasm = ag.createWasmBackend();
    for (const b of [webasm, wasm, ag.cpuBackend] as ag.Backend[]) {
      const x = ag.tensor([1, -2, 3], { backend: b });
      // the same numbers at every step, each step in its own scope: no scope may free a shared constant
      for (let step = 0; step < 4; step++) {
        const y = ag.tidy(() => ag.add(ag.mul(x, 2), ag.div(ag.sub(x, 0.5), 3)));
        expect(Array.from(y.dataSync())).toEqual([1, -2, 3].map((v) => Math.fround(Math.fround(2 * v) + Math.fround(Math.fround(v - 0.5) / 3))));
        y.dispose();
      }
      for (let step = 0; step < 3; step++) {
        expect(Object.is(ag.mul(ag.tensor([1], { backend: b }), 0).dataSync()[0], 0)).toBe(true);
        expect(Object.is(ag.mul(ag.tensor([1], { backend: b }), -0).dataSync()[0], -0)).toBe(true);
      }
      if (b.dtypes.includes('float64')) expect(Array.from(ag.mul(ag.tensor([1, 2], { backend: b, dtype: 'float64' }), 2).dataSync())).toEqual([2, 4]); // another dtype
    }
  });

  it('refuses an async function with a clear error', () => {
    expect(() => ag.tidy(async () => 1)).toThrow(/tidy: expected a synchronous function, got one that returned a Promise/);
  });

  it('on the cpu backend it runs fn and returns its value (garbage collection frees typed arrays)', () => {
    const x = ag.tensor([1, 2]);
    expect(ag.tidy(() => ag.sum(x)).item()).toBe(3);
  });
});

const asyncTargets: [string, ag.Backend | string][] = [['webasm+async', threads], ['webgpu', webgpu]];
for (const [label, b] of asyncTargets) {
  describe.skipIf(typeof b === 'string')(`dispose while kernels are in flight (${label})`, () => {
    it('a storage disposed before the kernels reading it ran is freed after them; reading it then fails', async () => {
      const be = b as ag.Backend;
      const data = Array.from({ length: 4096 }, (_, i) => Math.sin(i));
      const x = ag.tensor(data, { backend: be });
      const y = ag.exp(x);
      const z = ag.add(y, 1);
      const w = ag.tidy(() => ag.mul(ag.sqrt(ag.add(z, 0)), 2));
      y.dispose();
      z.dispose();
      const got = await w.data();
      data.forEach((v, i) => expect(got[i]).toBeCloseTo(2 * Math.sqrt(Math.exp(v) + 1), 4));
      await expect(y.data()).rejects.toThrow(disposedError);
      await expect(z.data()).rejects.toThrow(disposedError);
    });
  });
}
