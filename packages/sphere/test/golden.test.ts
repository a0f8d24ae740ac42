// Golden vectors of docs/math.md §1 (testdata/golden/sphere.json: PyTorch float64 reference, re-checked in
// 50-digit mpmath): every case in float64 at 1e-9 relative, and in float32 (inputs rounded) at 1e-4
// with the skips the golden README lists (dist_near, logmap_near, outMinusX of expmap_tiny). Runs on
// the cpu backend and on the wasm backend, one and two threads (made the default for its block).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cpuBackend, createWasmBackend, setBackend, type Backend, type DType, type Tensor } from '@keepdist/autograd';
import { assertClose } from '@keepdist/autograd/testing';
import { dist, egrad2rgrad, expmap, expmapDelta, logmap, proj, projx, ptransp, retr, transp } from '@keepdist/sphere';
import { loadGolden, rows, values, type SphereCase } from './helpers.js';

const golden = loadGolden<SphereCase>('sphere.json');

const ops: Record<string, (c: SphereCase, dt: DType) => Tensor> = {
  proj: (c, dt) => proj(rows(c.x, dt), rows(c.v, dt)),
  egrad2rgrad: (c, dt) => egrad2rgrad(rows(c.x, dt), rows(c.g, dt)),
  projx: (c, dt) => projx(rows(c.y, dt)),
  expmap: (c, dt) => expmap(rows(c.x, dt), rows(c.u, dt)),
  logmap: (c, dt) => logmap(rows(c.x, dt), rows(c.y, dt)),
  retr: (c, dt) => retr(rows(c.x, dt), rows(c.u, dt)),
  transp: (c, dt) => transp(rows(c.x, dt), rows(c.y, dt), rows(c.v, dt)),
  ptransp: (c, dt) => ptransp(rows(c.x, dt), rows(c.y, dt), rows(c.v, dt)),
  dist: (c, dt) => dist(rows(c.x, dt), rows(c.y, dt)),
};

/** Cases whose float32 rounding of the inputs alone moves the answer past 1e-4 (golden README). */
const float32Skips = (id: string): boolean => id.startsWith('dist_near/') || id.startsWith('logmap_near/');

const backends: [string, Backend][] = [['cpu', cpuBackend], ['wasm', createWasmBackend()], ['wasm (2 threads)', createWasmBackend({ threads: 2 })]];

describe.each(backends)('on the %s backend', (_name, backend) => {
beforeAll(() => setBackend(backend));
afterAll(() => setBackend(cpuBackend));

describe.each(['float64', 'float32'] as const)('sphere.json golden cases (%s)', (dtype) => {
  it.each(golden.cases.map((c) => [c.id, c] as const))('%s', (id, c) => {
    if (dtype === 'float32' && float32Skips(id)) return;
    const op = ops[c.op];
    if (!op) throw new Error(`golden case ${id}: unknown op ${c.op}`);
    assertClose(`${id} (${dtype}) out`, values(op(c, dtype)), c.out, dtype);
    if (c.outMinusX && !(dtype === 'float32' && id.startsWith('expmap_tiny/'))) {
      assertClose(`${id} (${dtype}) outMinusX`, values(expmapDelta(rows(c.x, dtype), rows(c.u, dtype))), c.outMinusX, dtype);
    }
  });
  it('covers every op of docs/math.md §1 in both dimensions', () => {
    const seen = new Set(golden.cases.map((c) => `${c.op}/d${c.d}`));
    for (const op of Object.keys(ops)) for (const d of [3, 5]) if (!seen.has(`${op}/d${d}`)) throw new Error(`no golden case for ${op}/d${d}`);
  });
});
});
