// The inputs of the speed workloads, drawn once from a seed so that every stack sees the same float32 numbers.
import { createRng, type Rng } from '@keepdist/autograd';
import { drawPlane } from '@keepdist/dispersion';
import { normalizeRows } from '../numeric/unitRows.js';
import type { Workload, WorkloadArray, WorkloadData } from './workloads.js';

/** `rows` × `cols` standard normal draws, each row divided by its norm (in float64), then rounded to float32. */
function unitRows(rng: Rng, rows: number, cols: number): Float32Array {
  return Float32Array.from(normalizeRows(rng.normalArray(rows * cols), cols));
}

const matrix = (name: string, rows: number, cols: number, rng: Rng): WorkloadArray => ({
  name, shape: [rows, cols], data: unitRows(rng, rows, cols),
});

/**
 * The inputs of workload `w` from `createRng(seed)`, in float32 with unit rows: matmul A (n × d) and
 * B (d × m); mmd X (n × d); lloyd X (n × d) and the samples S (m × d); sliced X (n × d) and one plane
 * p, q (Gram–Schmidt of two Gaussian vectors, as dispersion's `drawPlane`).
 */
export function workloadData(w: Workload, seed: number): WorkloadData {
  const rng = createRng(seed);
  switch (w.kind) {
    case 'matmul':
      return { arrays: [matrix('A', w.n, w.d, rng), matrix('B', w.d, w.m, rng)] };
    case 'mmd':
      return { arrays: [matrix('X', w.n, w.d, rng)] };
    case 'lloyd':
      return { arrays: [matrix('X', w.n, w.d, rng), matrix('S', w.m, w.d, rng)] };
    case 'sliced': {
      const X = matrix('X', w.n, w.d, rng);
      const [p, q] = drawPlane(rng, w.d);
      return { arrays: [X, { name: 'p', shape: [w.d], data: Float32Array.from(p) }, { name: 'q', shape: [w.d], data: Float32Array.from(q) }] };
    }
  }
}
