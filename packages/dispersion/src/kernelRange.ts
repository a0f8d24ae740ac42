import { OptionError, type DType } from '@keepdist/autograd';
import { LARGEST_FINITE } from './constants.js';
import type { KernelSpec } from './mmd.js';

/** The largest x in [0, hi] with f(x) ≤ cap, for f increasing, rounded down to one decimal. */
function largestWithin(f: (x: number) => number, cap: number, hi: number): number {
  let lo = 0;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (f(mid) <= cap) lo = mid;
    else hi = mid;
  }
  return Math.floor(lo * 10) / 10;
}

/**
 * log of the largest |loss| or |gradient entry| an mmd kernel can reach, as a function of its
 * parameter p (γ, or |s| of riesz), when the rows' distances span [rMin, rMax] (docs/math.md §2.1):
 * - gaussian/euclidean: 2e^γ at coincident points and 2γe^γ for the gradient: γ + log(2·max(1, γ));
 * - riesz, s > 0: 2·r^−s and s·r^{−s−1}·|r′| ≤ s·r^{−s−2} at r = rMin: log(2·max(1, s)) + (s + 2)·log(1/rMin);
 * - riesz, s < 0: 2·r^{|s|} at r = rMax, times |s|/rMin for the gradient: log(2·max(1, |s|)) + |s|·log(rMax) + log(1/rMin).
 */
type Reach = (p: number) => number;

/** The reach of `k`'s kernel and the name and value of the parameter it grows with, or null when bounded. */
function reachOf(k: KernelSpec): { reach: Reach; name: 'gamma' | 's'; value: number; bound: string } | null {
  if (k.kernel === 'gaussian' && k.distance === 'euclidean') {
    return { reach: (g) => g + Math.log(2 * Math.max(1, g)), name: 'gamma', value: k.gamma, bound: 'exp(γc) reaches e^γ at coincident points, and 2γe^γ' };
  }
  if (k.kernel !== 'riesz' || k.s === 0 || (k.distance === 'euclidean' && k.chord === 'authors' && k.s > 0)) return null;
  const geodesic = k.distance === 'geodesic';
  const rMin = geodesic ? Math.acos(1 - k.eps) : k.chord === 'authors' ? 1 : Math.sqrt(k.eps);
  const rMax = geodesic ? Math.PI : k.chord === 'authors' ? Math.sqrt(3) : Math.sqrt(4 + k.eps);
  const lead = (a: number): number => Math.log(2 * Math.max(1, a));
  if (k.s > 0) {
    return { reach: (s) => lead(s) + (s + 2) * Math.log(1 / rMin), name: 's', value: k.s, bound: `r^−s at the closest distance the clamp allows (r = ${rMin.toExponential(2)}), with its gradient,` };
  }
  return { reach: (a) => lead(a) + a * Math.log(rMax) + Math.log(1 / rMin), name: 's', value: -k.s, bound: `|r^−s| at the largest distance (r = ${rMax.toFixed(3)}), with its gradient,` };
}

/**
 * Throws an OptionError when `k`'s loss or gradient could exceed the largest finite number of
 * `dtype` for some rows: the gaussian/euclidean γ (float32: γ ≤ 83.6, float64: γ ≤ 702.5) and the
 * riesz exponent s (large s > 0 at coincident points, large −s at antipodal ones; bounded kernels
 * pass), so that mmd never returns ±Infinity or NaN silently.
 */
export function checkKernelRange(fn: string, k: KernelSpec, dtype: DType): void {
  const r = reachOf(k);
  if (!r) return;
  const cap = Math.log(LARGEST_FINITE[dtype]);
  const top = largestWithin(r.reach, cap, cap + 10);
  if (r.value <= top) return;
  const family = `${k.kernel}/${k.distance}`;
  const want = r.name === 'gamma' ? `gamma ≤ ${top}` : k.s > 0 ? `s ≤ ${top}` : `s ≥ −${top}`;
  throw new OptionError(`${fn}: expected ${want} for the ${family} kernel on ${dtype} rows, got ${r.name === 'gamma' ? k.gamma : k.s}. ` +
    `${r.bound} would exceed the largest ${dtype} (${LARGEST_FINITE[dtype].toExponential(2)}); use ${dtype === 'float32' ? 'float64 rows or ' : ''}a smaller ${r.name === 'gamma' ? 'gamma' : '|s|'}.`);
}
