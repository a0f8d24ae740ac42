import { Tensor, WasmBackend, cpuBackend, getBackend, noGrad, tensor, type Backend } from '@keepdist/autograd';
import { nearest } from '@keepdist/autograd/internal';
import { stableAngle, withUnitRows, type MetricInput, type UnitRows } from './hostRows.js';
import { sweepPairs } from './pairSweep.js';

/** Radians to degrees: θ · 180/π. */
export function toDegrees(radians: number): number {
  return (radians * 180) / Math.PI;
}

/**
 * Where the metrics' float64 nearest-neighbour pass runs: X's own backend when it is a wasm backend
 * (with its threads), else the default backend when it is synchronous with float64 (wasm), else cpu.
 */
function hostBackend(X: MetricInput): Backend {
  if (X instanceof Tensor && X.backend instanceof WasmBackend) return X.backend;
  const b = getBackend();
  return b.synchronous && b.dtypes.includes('float64') ? b : cpuBackend;
}

/**
 * Per-row nearest-neighbour angles, stable for close points: the neighbour from autograd's fused
 * `nearest` pass in float64 (on the wasm backend where it is the default, else cpu; largest cosine,
 * lowest index on ties; the n × n matrix is never stored), its angle from {@link stableAngle}.
 */
function perPoint(u: UnitRows, backend: Backend): Float64Array {
  const X = tensor(u.rows, { shape: [u.n, u.d], dtype: 'float64', backend });
  const r = noGrad(() => nearest(X));
  const idx = r.indices.dataSync();
  for (const t of [X, r.values, r.indices]) t.dispose(); // 3 · n · d · 8 bytes of heap at n = 20000: free them now
  return Float64Array.from(idx, (j, i) => stableAngle(u.rows, u.d, i, j));
}

/** The smallest pair angle, stable for close points. */
function smallest(u: UnitRows, backend: Backend): number {
  return perPoint(u, backend).reduce((a, b) => Math.min(a, b), Infinity);
}

/**
 * Minimum angle (docs/math.md §3): min_{i<j} θ_ij in radians, θ_ij the angle between rows i and j (rows
 * are normalised first). The nearest pair is found by the fused nearest-neighbour pass (tiles, never
 * n × n; O(n² d) time, O(n d) memory) and its angle is then computed stably as
 * 2·atan2(‖x_i − x_j‖, ‖x_i + x_j‖). A number on synchronous backends, a Promise elsewhere
 * ({@link minAngleSync} has the synchronous type).
 */
export function minAngle(X: MetricInput): number | Promise<number> {
  return withUnitRows('minAngle', X, 2, (u) => smallest(u, hostBackend(X)));
}

/** {@link minAngle} in degrees: min_{i<j} θ_ij · 180/π. */
export function minAngleDegrees(X: MetricInput): number | Promise<number> {
  return withUnitRows('minAngleDegrees', X, 2, (u) => toDegrees(smallest(u, hostBackend(X))));
}

/**
 * Nearest-neighbour angle of every point (docs/math.md §3): min_{j≠i} θ_ij per row, radians, length n.
 * Tiled like {@link minAngle}.
 */
export function minAnglePerPoint(X: MetricInput): Float64Array | Promise<Float64Array> {
  return withUnitRows('minAnglePerPoint', X, 2, (u) => perPoint(u, hostBackend(X)));
}

/**
 * Mean pair angle (docs/math.md §3): (1/P) Σ_{i<j} θ_ij, P = n(n − 1)/2, θ_ij = acos(x_i · x_j) computed
 * stably: pairs whose cosine is within 1e-3 of ±1 use 2·atan2(‖x_i − x_j‖, ‖x_i + x_j‖), as
 * {@link minAngle} does (so a pair 1e-9 rad apart counts 1e-9, not 0). Tiled: O(n² d) time, O(n d) memory.
 */
export function meanAngle(X: MetricInput): number | Promise<number> {
  return withUnitRows('meanAngle', X, 2, (u) => sweepPairs(u, { angleSum: true }).angleSum / ((u.n * (u.n - 1)) / 2));
}

/**
 * Median pair angle (docs/math.md §3): the median of θ_ij over i < j, the mean of the two middle values
 * when P is even, each angle computed stably as in {@link meanAngle}. Exact at every n: up to 2^22 pairs (n ≤ 2896) all pair cosines are held and
 * sorted; above that a first tiled pass builds a 65536-bin histogram of the cosines and a second
 * pass collects only the bins holding the middle ranks (typically a few thousand values), so
 * memory stays O(n d) + 32 MiB. Costs two passes over the pairs for large n.
 */
export function medianAngle(X: MetricInput): number | Promise<number> {
  return withUnitRows('medianAngle', X, 2, (u) => {
    const [lo, hi] = sweepPairs(u, { median: true }).medianAngles!;
    return (lo + hi) / 2;
  });
}

/** All angle metrics of docs/math.md §3 at once (see {@link angleSummary}). */
export interface AngleSummary {
  /** min_{i<j} θ_ij (radians). */
  minAngle: number;
  /** The same in degrees. */
  minAngleDegrees: number;
  /** min_{j≠i} θ_ij per row. */
  minAnglePerPoint: Float64Array;
  /** mean_{i<j} θ_ij. */
  meanAngle: number;
  /** median_{i<j} θ_ij. */
  medianAngle: number;
  /** 1 − ‖mean_i x_i‖. */
  circularVariance: number;
}

/**
 * Every metric of docs/math.md §3: the nearest neighbours from one fused pass, the mean and median
 * from one shared pass over the tiled pair cosines (plus one for the median when n > 2896):
 * cheaper than calling each metric on its own.
 */
export function angleSummary(X: MetricInput): AngleSummary | Promise<AngleSummary> {
  return withUnitRows('angleSummary', X, 2, (u) => {
    const r = sweepPairs(u, { angleSum: true, median: true });
    const per = perPoint(u, hostBackend(X));
    const min = per.reduce((a, b) => Math.min(a, b), Infinity);
    const [lo, hi] = r.medianAngles!;
    return {
      minAngle: min,
      minAngleDegrees: toDegrees(min),
      minAnglePerPoint: per,
      meanAngle: r.angleSum / ((u.n * (u.n - 1)) / 2),
      medianAngle: (lo + hi) / 2,
      circularVariance: circularVarianceOf(u),
    };
  });
}

/** 1 − ‖(1/n) Σ_i x_i‖ of unit rows. */
function circularVarianceOf(u: UnitRows): number {
  const m = new Float64Array(u.d);
  for (let i = 0; i < u.n; i++) for (let k = 0; k < u.d; k++) m[k]! += u.rows[i * u.d + k]!;
  let s = 0;
  for (let k = 0; k < u.d; k++) s += (m[k]! / u.n) ** 2;
  return 1 - Math.sqrt(s);
}

/**
 * Circular variance (docs/math.md §3): 1 − ‖(1/n) Σ_i x_i‖ of the (normalised) rows; 0 when all points
 * coincide, near 1 when they are spread out. O(n d).
 */
export function circularVariance(X: MetricInput): number | Promise<number> {
  return withUnitRows('circularVariance', X, 1, circularVarianceOf);
}
