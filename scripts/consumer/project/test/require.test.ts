// The packages are ESM. Node ≥ 20.19 can require() an ES module without top-level await; there the
// CommonJS and ESM doors must give the same module (the same Tensor class).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as autograd from '@keepdist/autograd';

const canRequireEsm = (process.features as { require_module?: boolean }).require_module === true;

describe.skipIf(!canRequireEsm)('require() of the ESM packages', () => {
  it('gives the same classes as import', () => {
    const req = createRequire(join(process.cwd(), 'package.json'));
    const viaRequire = req('@keepdist/autograd') as typeof autograd;
    const testing = req('@keepdist/autograd/testing') as typeof import('@keepdist/autograd/testing');
    expect(typeof viaRequire.tensor).toBe('function');
    const t = viaRequire.tensor([1, 2, 3], { dtype: 'float64' });
    expect(testing.gradcheck((x) => viaRequire.sum(viaRequire.exp(x)), [t]).ok).toBe(true);
    expect(req('@keepdist/sphere')).toHaveProperty('expmap');
    expect(req('@keepdist/dispersion')).toHaveProperty('mmd');
  });
});
