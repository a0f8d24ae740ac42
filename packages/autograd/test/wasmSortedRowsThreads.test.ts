// The wasm backend's sorted-row pass on two threads: from 2^15 elements the rows are split over
// the threads (each row is one independent sort and sum), so the losses and gradients must be
// what one thread gives bit for bit, for angles and for stacked coordinates, both kinds and both
// dtypes, with row counts that do not split evenly.
import { describe, expect, it } from 'vitest';
import * as ag from '@keepdist/autograd';

const one = ag.createWasmBackend();
const two = ag.createWasmBackend({ threads: 2 });
const unavailable = two.threadInfo().reason;
if (unavailable) console.log(`wasm sorted rows on two threads: skipping: ${unavailable}`);

describe.skipIf(unavailable !== null)('wasm sortedRowLoss, rows split over two threads', () => {
  it('equals one thread bit for bit (angles and coordinates, sliced and ssw, float32 and float64, every size below)', () => {
    let seed = 20261204;
    for (const rows of [1, 2, 3, 33, 40]) {
      for (const len of [1000, 1501]) {
        for (const kind of ['sliced', 'ssw'] as const) {
          for (const input of ['angles', 'coordinates'] as const) {
            const x = ag.createRng(seed++).normalArray((input === 'coordinates' ? 2 : 1) * rows * len);
            for (const dtype of ['float32', 'float64'] as const) {
              const r1 = one.sortedRowLoss(one.upload(x, dtype), rows, len, kind, input);
              const r2 = two.sortedRowLoss(two.upload(x, dtype), rows, len, kind, input);
              const what = `${rows}×${len} ${kind} ${input} ${dtype}`;
              expect(Array.from(two.readSync(r2.loss)), `loss ${what}`).toEqual(Array.from(one.readSync(r1.loss)));
              expect(Array.from(two.readSync(r2.grad)), `grad ${what}`).toEqual(Array.from(one.readSync(r1.grad)));
            }
          }
        }
      }
    }
  });
});
