/**
 * Random points on S^{d−1} from a seeded generator (docs/math.md §1): uniform, von Mises–Fisher (Wood 1994)
 * and power-spherical (De Cao & Aziz 2020). These are the initialisations of the paper's experiments.
 * Draws are made in float64 and rounded once to the requested dtype.
 */
import { KeepdistError, OptionError, ShapeError, Tensor, maxDrawElements, tensor, type Backend, type DType, type Rng } from '@keepdist/autograd';
import { Variates } from './randomVariates.js';

/** Options of the samplers. */
export interface SamplerOptions {
  /** The seeded generator every draw comes from (`createRng(seed)`); required. */
  rng: Rng;
  /** Element type of the result; default float32 (as autograd's creation ops). */
  dtype?: DType;
  /** Backend of the result; default the current one. */
  backend?: Backend;
  /** Make the result a leaf whose gradient `backward()` accumulates (a parameter). */
  requiresGrad?: boolean;
}

/** Options of the concentrated samplers {@link randomVmf} and {@link randomPowerSpherical}. */
export interface ConcentratedSamplerOptions extends SamplerOptions {
  /** Concentration κ ≥ 0 (κ = 0 is uniform; larger is tighter around μ). */
  kappa: number;
  /**
   * Mean direction μ: d numbers (or a Tensor of shape [d] or [1, d]) shared by all rows, or a
   * Tensor [n, d] with one mean per row. Normalised to unit length. Default e₁ = (1, 0, …, 0).
   */
  mu?: Tensor | ArrayLike<number>;
}

/** The cosine t = ⟨x, μ⟩ of one draw, with 1 − t² computed without cancellation. */
interface CosineDraw {
  t: number;
  sinSq: number;
}

function checkSize(fn: string, n: number, d: number, minD: number): void {
  if (!Number.isInteger(n) || n < 0) throw new OptionError(`${fn}: expected n, the number of points, an integer ≥ 0, got ${String(n)}.`);
  if (!Number.isInteger(d) || d < minD) throw new OptionError(`${fn}: expected d, the ambient dimension, an integer ≥ ${minD}, got ${String(d)}.`);
  if (n * d > maxDrawElements) {
    throw new OptionError(`${fn}: expected n with n · d ≤ ${maxDrawElements} (maxDrawElements, the largest draw keepdist allocates at once), got n = ${n}, d = ${d}. Draw fewer points at a time.`);
  }
}

/** The n × d float64 buffer of a draw; an allocation the engine refuses becomes an OptionError naming n. */
function drawBuffer(fn: string, n: number, d: number): Float64Array {
  try {
    return new Float64Array(n * d);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new OptionError(`${fn}: expected n small enough that n × d = ${n * d} float64 values can be allocated, got n = ${n} (${err.message}). Draw fewer points at a time.`);
  }
}

function checkRng(fn: string, opts: SamplerOptions | undefined): Rng {
  if (opts === null || typeof opts !== 'object') {
    throw new OptionError(`${fn}: expected options { rng, dtype?, backend?, requiresGrad? }, got ${opts === undefined ? 'none' : String(opts)}. Pass { rng: createRng(seed) }.`);
  }
  const dtype: unknown = opts.dtype;
  if (dtype !== undefined && dtype !== 'float32' && dtype !== 'float64') {
    throw new OptionError(`${fn}: expected dtype 'float32' or 'float64', got ${JSON.stringify(dtype) ?? String(dtype)}.`);
  }
  const rng = opts?.rng;
  if (!rng || typeof rng.normalArray !== 'function') {
    throw new OptionError(`${fn}: expected options.rng, a seeded generator, got ${rng === undefined ? 'none' : typeof rng}. Pass { rng: createRng(seed) }.`);
  }
  return rng;
}

function toTensor(data: Float64Array, n: number, d: number, opts: SamplerOptions): Tensor {
  return tensor(data, {
    shape: [n, d],
    dtype: opts.dtype ?? 'float32',
    ...(opts.backend ? { backend: opts.backend } : {}),
    requiresGrad: opts.requiresGrad ?? false,
  });
}

/**
 * n points uniform on S^{d−1}: each row is a standard Gaussian vector divided by its norm,
 *   x_i = g_i / ‖g_i‖,   g_i ~ N(0, I_d).
 * @param n number of points (rows)
 * @param d ambient dimension (columns), ≥ 1
 * @returns n × d, rows of unit norm
 */
export function randomUniform(n: number, d: number, opts: SamplerOptions): Tensor {
  checkSize('randomUniform', n, d, 1);
  const rng = checkRng('randomUniform', opts);
  const data = drawBuffer('randomUniform', n, d);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const g = rng.normalArray(d);
      const r = Math.hypot(...g);
      if (r > 0) {
        for (let k = 0; k < d; k++) data[i * d + k] = g[k]! / r;
        break;
      }
    }
  }
  return toTensor(data, n, d, opts);
}

/** μ as unit rows: a Float64Array of n × d (or d, shared), validated. */
function meanDirections(fn: string, mu: Tensor | ArrayLike<number> | undefined, n: number, d: number): { rows: Float64Array; shared: boolean } {
  if (mu === undefined) {
    const e1 = new Float64Array(d);
    e1[0] = 1;
    return { rows: e1, shared: true };
  }
  let flat: ArrayLike<number>;
  let shared: boolean;
  if (mu instanceof Tensor) {
    const s = mu.shape;
    const ok1 = s.length === 1 && s[0] === d, ok2 = s.length === 2 && s[1] === d && (s[0] === 1 || s[0] === n);
    if (!ok1 && !ok2) throw new ShapeError(`${fn}: expected mu of shape [${d}], [1,${d}] or [${n},${d}], got [${s.join(',')}].`);
    flat = mu.readSync(fn);
    shared = flat.length === d;
  } else {
    flat = mu;
    if (typeof flat?.length !== 'number' || flat.length !== d) throw new ShapeError(`${fn}: expected mu with ${d} numbers, got ${flat?.length ?? typeof mu}.`);
    shared = true;
  }
  const rows = Float64Array.from(flat);
  for (let i = 0; i * d < rows.length; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += rows[i * d + k]! ** 2;
    const r = Math.sqrt(s);
    if (!(r > 0) || !Number.isFinite(r)) throw new KeepdistError(`${fn}: expected mu of finite nonzero norm, got ‖mu‖ = ${r} (row ${i}). Pass a direction.`);
    for (let k = 0; k < d; k++) rows[i * d + k] = rows[i * d + k]! / r;
  }
  return { rows, shared };
}

/** x_i = t_i μ_i + √(1 − t_i²) v_i with v_i uniform on the unit sphere of μ_i's orthogonal complement. */
function aroundMean(fn: string, n: number, d: number, opts: ConcentratedSamplerOptions,
  drawCosine: (variates: Variates, kappa: number, m: number) => CosineDraw): Tensor {
  checkSize(fn, n, d, 2);
  const rng = checkRng(fn, opts);
  const kappa = opts.kappa;
  if (typeof kappa !== 'number' || !(kappa >= 0) || !Number.isFinite(kappa)) {
    throw new OptionError(`${fn}: expected kappa, the concentration, a finite number ≥ 0, got ${kappa}.`);
  }
  const { rows: mu, shared } = meanDirections(fn, opts.mu, n, d);
  const variates = new Variates(rng);
  const data = drawBuffer(fn, n, d);
  const v = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const m = shared ? mu : mu.subarray(i * d, (i + 1) * d);
    const { t, sinSq } = drawCosine(variates, kappa, d - 1);
    variates.tangentDirection(m, v);
    const s = Math.sqrt(Math.max(sinSq, 0));
    let r2 = 0;
    for (let k = 0; k < d; k++) {
      const e = t * m[k]! + s * v[k]!;
      data[i * d + k] = e;
      r2 += e * e;
    }
    const r = Math.sqrt(r2);
    for (let k = 0; k < d; k++) data[i * d + k] = data[i * d + k]! / r;
  }
  return toTensor(data, n, d, opts);
}

/**
 * Wood's (1994) rejection sampler for the cosine w = ⟨x, μ⟩ of the von Mises–Fisher distribution
 * on S^{m} (m = d − 1), written so that 1 − w, 1 − x₀ w and 1 − w² never cancel:
 *   b = m / (2κ + √(4κ² + m²)),  x₀ = (1 − b)/(1 + b),  z ~ Beta(m/2, m/2),
 *   w = (1 − (1 + b) z) / (1 − (1 − b) z),  accept if κ (w − x₀) + m log((1 − x₀ w)/(1 − x₀²)) ≥ log U.
 */
function vmfCosine(variates: Variates, kappa: number, m: number): CosineDraw {
  const b = woodB(kappa, m);
  const x0 = (1 - b) / (1 + b);
  const oneMinusX0 = (2 * b) / (1 + b);
  const logOneMinusX0Sq = Math.log(4 * b) - 2 * Math.log1p(b);
  for (let tries = 0; tries < maxVmfProposals; tries++) {
    const { z, oneMinusZ } = variates.beta(m / 2, m / 2);
    const denom = oneMinusZ + b * z;
    const oneMinusW = (2 * b * z) / denom;
    const onePlusW = (2 * oneMinusZ) / denom;
    const w = (oneMinusZ - b * z) / denom;
    const accept = kappa * (oneMinusX0 - oneMinusW) + m * (Math.log(oneMinusX0 + x0 * oneMinusW) - logOneMinusX0Sq);
    if (accept >= Math.log(variates.openUniform())) return { t: w, sinSq: oneMinusW * onePlusW };
  }
  // Wood's acceptance rate is above 1/2 for every κ and m, so this is never reached with sane numbers
  throw new KeepdistError(`randomVmf: expected the rejection sampler to accept within ${maxVmfProposals} proposals, got none for kappa = ${kappa}, d = ${m + 1}. Use randomPowerSpherical for this concentration.`);
}

/** Proposals after which {@link vmfCosine} gives up with an error instead of looping on. */
const maxVmfProposals = 100_000;

/**
 * Wood's b = m / (2κ + √(4κ² + m²)) without overflow: for κ ≥ m/2 it is written with r = m/(2κ) ≤ 1 as
 * r / (1 + √(1 + r²)), which stays accurate up to κ = Number.MAX_VALUE (4κ² overflows from κ ≈ 1e154).
 */
function woodB(kappa: number, m: number): number {
  if (kappa < m / 2) return m / (2 * kappa + Math.sqrt(4 * kappa * kappa + m * m));
  const r = m / 2 / kappa;
  return r / (1 + Math.sqrt(1 + r * r));
}

/** Cosine of the power-spherical distribution: t = 2z − 1, z ~ Beta(m/2 + κ, m/2). */
function powerSphericalCosine(variates: Variates, kappa: number, m: number): CosineDraw {
  const { z, oneMinusZ } = variates.beta(m / 2 + kappa, m / 2);
  return { t: z - oneMinusZ, sinSq: 4 * z * oneMinusZ };
}

/**
 * n points from the von Mises–Fisher distribution on S^{d−1} with mean direction μ and
 * concentration κ, density ∝ exp(κ ⟨μ, x⟩), by Wood's (1994) rejection algorithm:
 * the cosine w = ⟨x, μ⟩ is drawn by rejection from a Beta((d−1)/2, (d−1)/2) proposal, then
 *   x = w μ + √(1 − w²) v,   v uniform on the unit sphere orthogonal to μ.
 * E⟨x, μ⟩ = A_d(κ) = I_{d/2}(κ) / I_{d/2−1}(κ) (= coth κ − 1/κ for d = 3). κ = 0 is uniform.
 * @param n number of points (rows)
 * @param d ambient dimension, ≥ 2
 * @returns n × d, rows of unit norm
 */
export function randomVmf(n: number, d: number, opts: ConcentratedSamplerOptions): Tensor {
  return aroundMean('randomVmf', n, d, opts, vmfCosine);
}

/**
 * n points from the power-spherical distribution (De Cao & Aziz 2020) on S^{d−1} with mean direction μ
 * and concentration κ, density ∝ (1 + ⟨μ, x⟩)^κ. Exact and rejection-free:
 *   z ~ Beta((d−1)/2 + κ, (d−1)/2),  t = 2z − 1,  x = t μ + √(1 − t²) v,
 * v uniform on the unit sphere orthogonal to μ. E⟨x, μ⟩ = κ / (κ + d − 1). The paper's synthetic
 * experiment initialises with κ = 100. κ = 0 is uniform.
 * @param n number of points (rows)
 * @param d ambient dimension, ≥ 2
 * @returns n × d, rows of unit norm
 */
export function randomPowerSpherical(n: number, d: number, opts: ConcentratedSamplerOptions): Tensor {
  return aroundMean('randomPowerSpherical', n, d, opts, powerSphericalCosine);
}
