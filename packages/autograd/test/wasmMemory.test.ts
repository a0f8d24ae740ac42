// The wasm backend's memory: dispose and tidy return blocks to the pool at once (a loop reuses
// them and the memory stays flat), garbage collection returns unreachable ones (a loop that never
// disposes stays bounded once it yields: the heap itself asks Node for a full collection when its
// live blocks keep growing), and misuse fails with clear errors.
import { describe, expect, it } from 'vitest';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import * as ag from '@keepdist/autograd';
import { WasmStorage } from '@keepdist/autograd/internal';

/** A full garbage collection: global.gc when exposed, else enabled through V8's flags. */
function collect(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Lets the finalizers of a collection run: V8 posts their cleanup as a task of its own, which a
 * loaded machine may order after one timer, so this waits for a timer and then a check phase.
 */
const yieldTask = (): Promise<void> => new Promise((r) => setTimeout(() => setImmediate(r), 0));

describe('wasm backend memory', () => {
  it('tidy frees every temporary: 1000 steps leave the memory and the live blocks where one step did', () => {
    const w = ag.createWasmBackend();
    const x = ag.tensor(ag.createRng(1).normalArray(64 * 32), { shape: [64, 32], backend: w, dtype: 'float32' });
    const step = (): number => ag.tidy(() => ag.sum(ag.exp(ag.matmul(x, x.T))).item());
    step();
    const after1 = w.memoryStats();
    for (let i = 0; i < 1000; i++) step();
    const after = w.memoryStats();
    expect(after.memoryBytes).toBe(after1.memoryBytes);
    expect(after.liveBytes).toBe(after1.liveBytes);
  });

  it('an Adam loop in tidy keeps its state, matches the loop without tidy, and frees every temporary', () => {
    const w = ag.createWasmBackend();
    const init = Array.from(ag.createRng(4).normalArray(40 * 8));
    const run = (scoped: boolean): { p: number[]; live: number[] } => {
      const p = ag.tensor(init, { shape: [40, 8], backend: w, dtype: 'float64' }).requireGrad();
      const opt = new ag.Adam([p], { lr: 0.05 });
      const live: number[] = [];
      for (let it = 0; it < 30; it++) {
        const body = (): void => {
          opt.zeroGrad();
          ag.sum(ag.exp(ag.gram(ag.normalize(p, -1)))).backward();
          opt.step();
        };
        if (scoped) ag.tidy(body);
        else body();
        live.push(w.memoryStats().liveBytes);
      }
      return { p: Array.from(p.dataSync()), live };
    };
    const scoped = run(true), plain = run(false);
    expect(scoped.p).toEqual(plain.p);
    // per step, tidy leaves only what escaped it (the new parameter and both moments: three 40 × 8
    // float64 blocks; zeroGrad returns the last step's gradient at once) to garbage collection;
    // without it every temporary stays. Counted from the third step: by then the numbers the steps
    // lift at every step (Adam's constants) are cached scalars, made once.
    const growth = (live: number[]): number => (live.at(-1)! - live[2]!) / (live.length - 3);
    expect(growth(scoped.live)).toBe(3 * 40 * 8 * 8);
    expect(growth(plain.live)).toBeGreaterThan(10 * growth(scoped.live));
  });

  it('clamp leaves no block behind: its bounds are shared constants and its intermediate is freed at once', () => {
    const w = ag.createWasmBackend();
    const x = ag.tensor(ag.createRng(3).normalArray(500), { backend: w, dtype: 'float64' });
    const step = (): number => ag.tidy(() => ag.sum(ag.clamp(x, -0.5, 0.5)).item());
    step();
    step(); // the bounds are cached from their second use
    const live = w.memoryStats().liveBytes;
    for (let i = 0; i < 50; i++) step();
    expect(w.memoryStats().liveBytes).toBe(live);
  });

  it('dispose returns a block now, and the next storage of that size reuses it', () => {
    const w = ag.createWasmBackend();
    const live0 = w.memoryStats().liveBytes;
    const t = ag.zeros([1000], { backend: w });
    expect(w.memoryStats().liveBytes).toBeGreaterThanOrEqual(live0 + 4000);
    const ptr = (t.storage as WasmStorage).ptr;
    t.dispose();
    expect(w.memoryStats().liveBytes).toBe(live0);
    expect((ag.ones([1000], { backend: w }).storage as WasmStorage).ptr).toBe(ptr);
  });

  it('10k ops that are never disposed stay bounded once garbage collection runs between batches', async () => {
    const w = ag.createWasmBackend();
    const x = ag.tensor(ag.createRng(2).normalArray(10000), { backend: w, dtype: 'float32' }); // 40 kB per result
    let last = 0;
    for (let i = 0; i < 10000; i++) {
      last = ag.exp(x).size; // dropped at once, never disposed
      if (i % 500 === 499) {
        collect();
        await yieldTask(); // finalizers run between tasks
      }
    }
    collect();
    await yieldTask();
    expect(last).toBe(10000);
    // without release the 10k results would need 400 MB; with it the pool holds about one batch
    expect(w.memoryStats().memoryBytes).toBeLessThan(64 * 2 ** 20);
    expect(w.memoryStats().liveBytes).toBeLessThan(8 * 2 ** 20);
  });

  it('a training loop that never disposes and awaits each step stays bounded with no collection of its own (the heap asks for one)', async () => {
    const w = ag.createWasmBackend();
    const rng = ag.createRng(5);
    const X = ag.tensor(rng.normalArray(512 * 16), { shape: [512, 16], backend: w, dtype: 'float64' }).requireGrad();
    const opt = new ag.Adam([X], { lr: 1e-3 });
    let peak = 0;
    for (let i = 0; i < 1500; i++) {
      // about 0.4 MB of blocks a step (the Gram matrix, its exp, their cotangents), 600 MB in all
      opt.zeroGrad();
      ag.mean(ag.exp(ag.matmul(X, X.T))).backward();
      opt.step();
      await new Promise((r) => setImmediate(r));
      peak = Math.max(peak, w.memoryStats().memoryBytes);
    }
    expect(Number.isFinite(X.dataSync()[0]!)).toBe(true);
    expect(peak).toBeLessThan(192 * 2 ** 20);
  });

  it('a loop whose only awaits are reads (microtasks, never a task) stays bounded: the read after a requested collection yields to the event loop', async () => {
    const w = ag.createWasmBackend();
    const x = ag.tensor(ag.createRng(6).normalArray(65536), { backend: w, dtype: 'float32' }); // 256 KiB per result
    let peak = 0;
    for (let i = 0; i < 3000; i++) {
      // 750 MB of results if none came back; awaiting a settled read never leaves the microtask queue
      await ag.exp(x).data();
      peak = Math.max(peak, w.memoryStats().memoryBytes);
    }
    expect(peak).toBeLessThan(192 * 2 ** 20);
  });

  it('small results that are never disposed are registered for collection once their job ends, also within a long job', async () => {
    const w = ag.createWasmBackend();
    const x = ag.tensor([1, 2, 3, 4, 5, 6, 7, 8], { backend: w, dtype: 'float64' }); // 64-byte blocks
    const live0 = w.memoryStats().liveBytes;
    for (let batch = 0; batch < 20; batch++) {
      // one synchronous job of 1000 results, dropped at once: more than the queue holds before it settles
      for (let i = 0; i < 1000; i++) ag.exp(x);
      collect();
      await yieldTask();
    }
    collect();
    await yieldTask();
    collect();
    await yieldTask();
    // 20000 results of 64 bytes would hold 1.28 MB without release
    expect(w.memoryStats().liveBytes - live0).toBeLessThan(64 * 1000);
  });

  it('a disposed storage, a foreign storage and an unknown dtype fail clearly', () => {
    const w = ag.createWasmBackend(), other = ag.createWasmBackend();
    const t = ag.ones([3], { backend: w });
    t.dispose();
    expect(() => t.toArray()).toThrow(/wasm backend: expected a live storage, got one that was disposed/);
    const u = ag.ones([3], { backend: other });
    expect(() => w.unary('exp', u.storage)).toThrow(/unary\.exp: expected a storage of this wasm backend, got a storage of another wasm backend/);
    expect(() => w.matmul(ag.cpuBackend.upload([1], 'float64'), u.storage, 1, 1, 1, 1, false, false)).toThrow(/matmul: expected a storage of this wasm backend, got CpuStorage/);
    expect(() => w.upload([1], 'float16' as ag.DType)).toThrow(ag.DTypeError);
    expect(() => w.binary('add', w.upload([1], 'float32'), [1], w.upload([1], 'float64'), [1], [1])).toThrow(/binary\.add: expected matching dtypes/);
  });
});
