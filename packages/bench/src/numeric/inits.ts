// Initial points of the synthetic experiment: keepdist's e₁-mean start and the starts of the authors' scripts.
import { cpuBackend, tensor, type Backend, type DType, type Rng, type Tensor } from '@keepdist/autograd';
import { randomPowerSpherical, randomUniform } from '@keepdist/sphere';
import type { SyntheticInit } from '../commands/syntheticFlags.js';
import { normalizeRows } from './unitRows.js';

/** Offset of every coordinate of the `normal` start before the rows are normalised (the authors' value). */
export const NORMAL_INIT_OFFSET = 10;

/** Concentration of the last row of the `decay` start (the authors' final value; the first row has κ). */
export const DECAY_KAPPA_END = 1000;

/** How {@link initialPoints} draws and where the result lives. */
export interface InitOptions {
  /** The run's seeded generator; every draw of the start comes from it, in order. */
  readonly rng: Rng;
  /** Concentration κ of the power-spherical starts (`concentrated`, `concentrated-e1`, the first row of `decay`). */
  readonly kappa: number;
  readonly dtype: DType;
  readonly backend: Backend;
  /** Make the result a leaf with requiresGrad (the parameter the optimizer moves). */
  readonly requiresGrad: boolean;
}

/** A direction uniform on S^{d−1}: a standard Gaussian vector (redrawn in the null event it is 0), normalised. */
export function randomDirection(rng: Rng, d: number): Float64Array {
  for (;;) {
    const g = rng.normalArray(d);
    if (g.some((v) => v !== 0)) return normalizeRows(g, d);
  }
}

/**
 * The n × d start of a synthetic run, rows on S^{d−1}:
 * - `concentrated-e1`: power-spherical with concentration κ around e₁ (keepdist's earlier default);
 * - `concentrated`: power-spherical with κ around a mean direction μ drawn uniformly from the seed first
 *   (the authors' `ps100`: their μ is a normalised Gaussian vector);
 * - `uniform`: uniform on the sphere;
 * - `normal`: coordinates 10 + N(0, 1), each row then normalised (the authors' `gaussian` start: a tight cap
 *   around (1, …, 1)/√d);
 * - `decay`: power-spherical around (1, …, 1)/√d with a concentration per row, κ_i = κ + (1000 − κ)·i/(n − 1)
 *   for rows i = 0, …, n − 1 (the authors' `powerspherical_decay`: κ_0 = κ, κ_{n−1} = 1000).
 */
export function initialPoints(init: SyntheticInit, n: number, d: number, o: InitOptions): Tensor {
  const start = { rng: o.rng, dtype: o.dtype, backend: o.backend, requiresGrad: o.requiresGrad };
  switch (init) {
    case 'uniform':
      return randomUniform(n, d, start);
    case 'concentrated-e1':
      return randomPowerSpherical(n, d, { ...start, kappa: o.kappa });
    case 'concentrated':
      return randomPowerSpherical(n, d, { ...start, kappa: o.kappa, mu: randomDirection(o.rng, d) });
    case 'normal': {
      const data = o.rng.normalArray(n * d).map((v) => v + NORMAL_INIT_OFFSET);
      return fromRows(normalizeRows(data, d), n, d, o);
    }
    case 'decay':
      return fromRows(decayRows(n, d, o), n, d, o);
  }
}

/** The rows of the `decay` start: one power-spherical draw per row around (1, …, 1)/√d with its own κ_i. */
function decayRows(n: number, d: number, o: InitOptions): Float64Array {
  const data = new Float64Array(n * d);
  const mu = new Float64Array(d).fill(1);
  for (let i = 0; i < n; i++) {
    const kappa = n === 1 ? o.kappa : o.kappa + ((DECAY_KAPPA_END - o.kappa) * i) / (n - 1);
    const row = randomPowerSpherical(1, d, { rng: o.rng, kappa, mu, dtype: 'float64', backend: cpuBackend });
    data.set(row.readSync('decayRows'), i * d);
  }
  return data;
}

function fromRows(data: Float64Array, n: number, d: number, o: InitOptions): Tensor {
  return tensor(data, { shape: [n, d], dtype: o.dtype, backend: o.backend, requiresGrad: o.requiresGrad });
}
