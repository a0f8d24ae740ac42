// The speed workloads compute what the issue defines: keepdist against float64 loops written here, then
// tfjs (cpu, wasm) and torch (when importable) against keepdist, on the same seeded float32 inputs.
import { cpuBackend } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareKeepdistWorkload } from '../src/speed/keepdistWorkloads.js';
import { prepareTfjsWorkload } from '../src/speed/tfjsWorkloads.js';
import { findTorchPython, runTorchJob } from '../src/speed/torchRunner.js';
import { workloadData } from '../src/speed/workloadData.js';
import { WORKLOADS, inputNames, scaleWorkload, workloadFlops, workloadLabel, type Workload, type WorkloadValues } from '../src/speed/workloads.js';
import { comparable, referenceValues, type ReferenceValues } from './speedReference.js';

tf.enableProdMode();

/** Each workload at a small size; mmd also at 1024 rows, where keepdist's cpu backend takes its fused pass. */
const SMALL: readonly Workload[] = [
  { id: 'w1-matmul', kind: 'matmul', n: 7, d: 5, m: 6 },
  { id: 'w2-mmd-1024', kind: 'mmd', n: 12, d: 5, m: 0 },
  { id: 'w2-mmd-4096', kind: 'mmd', n: 1024, d: 8, m: 0 },
  { id: 'w3-lloyd', kind: 'lloyd', n: 7, d: 4, m: 9 },
  { id: 'w4-sliced', kind: 'sliced', n: 15, d: 4, m: 0 },
];
const name = (w: Workload): string => `${w.kind} n=${w.n} d=${w.d} m=${w.m}`;

async function keepdistValues(w: Workload, seed = 42): Promise<WorkloadValues> {
  const prepared = prepareKeepdistWorkload(w, workloadData(w, seed), cpuBackend);
  try {
    return await prepared.run();
  } finally {
    prepared.dispose();
  }
}

function expectClose(what: string, actual: WorkloadValues, expected: WorkloadValues | ReferenceValues): void {
  expect(actual.kind).toBe(expected.kind);
  const a = comparable(actual), e = comparable(expected);
  assertClose(`${what}: loss`, a.loss, e.loss, 'float32');
  assertClose(`${what}: ${actual.kind === 'forward' ? 'C' : 'gradient'}`, a.array, e.array, 'float32');
}

describe('workloads: definitions and inputs', () => {
  it('the issue\'s sizes, flops and labels', () => {
    expect(Object.values(WORKLOADS).map((w) => [w.kind, w.n, w.d, w.m])).toEqual([
      ['matmul', 1024, 1024, 1024], ['mmd', 1024, 64, 0], ['mmd', 4096, 64, 0], ['lloyd', 4096, 64, 4096], ['sliced', 20000, 64, 0],
    ]);
    expect(workloadFlops(WORKLOADS['w1-matmul'])).toBe(2 * 1024 ** 3);
    expect(workloadFlops(WORKLOADS['w3-lloyd'])).toBeUndefined();
    expect(workloadLabel(WORKLOADS['w2-mmd-4096'])).toBe('W2 mmd gaussian n=4096 d=64 (loss + gradient)');
    expect(scaleWorkload(WORKLOADS['w3-lloyd'], 0.01)).toMatchObject({ n: 41, m: 41, d: 64 });
    expect(scaleWorkload(WORKLOADS['w1-matmul'], 0.5)).toMatchObject({ n: 512, d: 512, m: 512 });
    expect(scaleWorkload(WORKLOADS['w2-mmd-1024'], 1e-6)).toMatchObject({ n: 2, d: 64 });
  });

  it('inputs: float32 unit rows, an orthonormal plane, the same numbers for the same seed', () => {
    for (const w of SMALL) {
      const data = workloadData(w, 7);
      expect(data.arrays.map((a) => a.name)).toEqual(inputNames(w.kind));
      for (const a of data.arrays.filter((x) => x.shape.length === 2)) {
        const [rows, cols] = a.shape as [number, number];
        expect(a.data.length).toBe(rows * cols);
        for (let i = 0; i < rows; i++) {
          const norm = Math.hypot(...a.data.subarray(i * cols, (i + 1) * cols));
          expect(Math.abs(norm - 1), `${a.name} row ${i}`).toBeLessThan(1e-6);
        }
      }
      expect(workloadData(w, 7)).toEqual(data);
      expect(workloadData(w, 8).arrays[0]!.data).not.toEqual(data.arrays[0]!.data);
    }
    const plane = workloadData(SMALL[4]!, 3).arrays;
    const [p, q] = [plane[1]!.data, plane[2]!.data];
    expect(Math.abs(p.reduce((s, x, k) => s + x * q[k]!, 0))).toBeLessThan(1e-6);
    expect(Math.hypot(...p)).toBeCloseTo(1, 6);
    expect(Math.hypot(...q)).toBeCloseTo(1, 6);
  });
});

describe('keepdist computes each workload as defined (float64 reference loops)', () => {
  it.each(SMALL.map((w) => [name(w), w] as const))('%s', async (what, w) => {
    expectClose(what, await keepdistValues(w), referenceValues(w, workloadData(w, 42)));
  });

  it('property: for any seed and small size, mmd, lloyd and sliced equal the reference', async () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 1e6 }),
      kind: fc.constantFrom('mmd' as const, 'lloyd' as const, 'sliced' as const),
      n: fc.integer({ min: 3, max: 24 }),
      d: fc.integer({ min: 2, max: 9 }),
      m: fc.integer({ min: 1, max: 12 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ seed, kind, n, d, m }) => {
        const w: Workload = { id: 'w3-lloyd', kind, n, d, m: kind === 'lloyd' ? m : 0 };
        expectClose(name(w), await keepdistValues(w, seed), referenceValues(w, workloadData(w, seed)));
      }),
      { seed: 20261201, numRuns: 30 },
    );
  });
});

describe.each(['cpu', 'wasm'])('tfjs %s computes the same as keepdist', (backend) => {
  it.each(SMALL.map((w) => [name(w), w] as const))('%s', async (what, w) => {
    expect(await tf.setBackend(backend)).toBe(true);
    const prepared = prepareTfjsWorkload(tf, w, workloadData(w, 42));
    const before = tf.memory().numTensors;
    const values = await prepared.run();
    expect(tf.memory().numTensors, 'run frees its tensors').toBe(before);
    prepared.dispose();
    expectClose(`tfjs ${backend} ${what}`, values, await keepdistValues(w));
  });
});

const torch = await findTorchPython();
const torchMissing = 'reason' in torch ? torch.reason : undefined;

describe.skipIf(torchMissing !== undefined)(`torch computes the same as keepdist${torchMissing ? ` (skipped: ${torchMissing})` : ''}`, () => {
  const python = 'python' in torch ? torch.python : '';
  const job = { threads: 1, warmup: 0, repeats: 1, values: true } as const;

  it.each(SMALL.map((w) => [name(w), w] as const))('%s', async (what, w) => {
    const r = await runTorchJob(python, w, workloadData(w, 42), job);
    expect(r.timesMs).toHaveLength(1);
    expectClose(`torch ${what}`, r.values!, await keepdistValues(w));
  });

  it('lloyd through the row maxima gives the literal form\'s loss and gradient, at 2 threads too', async () => {
    const w = SMALL[3]!;
    const data = workloadData(w, 5);
    const literal = await runTorchJob(python, w, data, job);
    const rowmax = await runTorchJob(python, w, data, { ...job, threads: 2, form: 'rowmax' });
    expect(rowmax.info.threads).toBe(2);
    expectClose('torch lloyd rowmax', rowmax.values!, literal.values!);
  });
});
