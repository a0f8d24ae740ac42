import { forEachCosineTile } from './cosineTiles.js';
import { stableAngle, type UnitRows } from './hostRows.js';

/** Bins of one histogram level of the streaming median (over the cosine range of that level). */
export const MEDIAN_BINS = 65536;

/**
 * Largest number of pair cosines the median holds in memory at once (2^22 float64 = 32 MiB). Up to
 * this many pairs (n ≤ 2896) they are all collected in one pass; above, a histogram pass first
 * narrows the median to a few bins, then a second pass collects only those.
 */
export const MEDIAN_CAP = 2 ** 22;

/** What one pass over the pairs should gather (the nearest neighbours come from autograd's fused `nearest`). */
export interface SweepWants {
  /** Σ_{i<j} acos(c_ij). */
  angleSum?: boolean;
  /** Median of the pair cosines. */
  median?: boolean;
}

/** What {@link sweepPairs} returns. */
export interface SweepResult {
  /** Σ_{i<j} θ_ij, each angle by {@link pairAngle} (when `angleSum`). */
  angleSum: number;
  /** The two middle pair angles (equal when P is odd), ascending, by {@link pairAngle} (when `median`). */
  medianAngles: [lo: number, hi: number] | null;
}

/**
 * Cosines this close to ±1 get their angle from the rows, not from acos: acos(c) near ±1 turns the
 * rounding of c (≈ 1e-16) into an angle error of √(2e-16) ≈ 1e-8, so a pair 1e-9 rad apart would
 * read as 0. Below the threshold (θ > 0.045 rad from 0 and π) acos loses at most a few ulps / sin θ.
 */
const ACOS_SAFE = 1 - 1e-3;

/**
 * The angle of pair (i, j) with tile cosine c: acos(c) where that is accurate, else the stable
 * 2·atan2(‖x_i − x_j‖, ‖x_i + x_j‖) that minAngle uses.
 */
export function pairAngle(u: UnitRows, i: number, j: number, c: number): number {
  return Math.abs(c) > ACOS_SAFE ? stableAngle(u.rows, u.d, i, j) : Math.acos(c);
}

/** One level of the streaming median: values whose bin over [lo, hi] lies in [b0, b1]. */
interface Level {
  lo: number;
  hi: number;
  b0: number;
  b1: number;
}

/** Bin of c over [lo, hi] (clamped to the end bins). */
function binOf(c: number, lo: number, hi: number): number {
  const b = Math.floor(((c - lo) / (hi - lo)) * MEDIAN_BINS);
  return b < 0 ? 0 : b >= MEDIAN_BINS ? MEDIAN_BINS - 1 : b;
}

/** Whether c survives every narrowing level so far. */
function passes(c: number, levels: readonly Level[]): boolean {
  for (const L of levels) {
    const b = binOf(c, L.lo, L.hi);
    if (b < L.b0 || b > L.b1) return false;
  }
  return true;
}

/** Clamps a rounded cosine into [−1, 1]. */
function clamp1(c: number): number {
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

/**
 * Visits every pair i < j of the unit rows once, tile by tile (never n × n), and gathers what
 * `wants` asks for. The median is exact: the two middle cosines of the P = n(n − 1)/2 pairs, from a
 * full collection when P ≤ `cap`, otherwise from histogram passes that narrow the candidate range
 * until at most `cap` values remain (one extra pass in practice; if more than `cap` values agree to
 * within 1e-15, that common value is returned to within 1e-15).
 */
export function sweepPairs(u: UnitRows, wants: SweepWants, cap = MEDIAN_CAP, tile?: number): SweepResult {
  const { rows, n, d } = u;
  const P = (n * (n - 1)) / 2;
  const collectAll = wants.median === true && P <= cap;
  const all = collectAll ? new Float64Array(P) : null;
  const hist = wants.median && !collectAll ? new Float64Array(MEDIAN_BINS) : null;
  let filled = 0, angleSum = 0;
  forEachCosineTile(rows, n, d, (i0, j0, rI, cJ, block, diagonal) => {
    let tileSum = 0;
    for (let ii = 0; ii < rI; ii++) {
      const i = i0 + ii, base = ii * cJ;
      const jStart = diagonal ? ii + 1 : 0;
      if (wants.angleSum) for (let jj = jStart; jj < cJ; jj++) tileSum += pairAngle(u, i, j0 + jj, block[base + jj]!);
      if (all) for (let jj = jStart; jj < cJ; jj++) all[filled++] = pairAngle(u, i, j0 + jj, block[base + jj]!);
      else if (hist) for (let jj = jStart; jj < cJ; jj++) hist[binOf(clamp1(block[base + jj]!), -1, 1)]!++;
    }
    angleSum += tileSum;
  }, tile);
  let medianAngles: [number, number] | null = null;
  if (all) {
    all.sort();
    medianAngles = [all[Math.floor((P - 1) / 2)]!, all[Math.floor(P / 2)]!];
  } else if (hist) {
    medianAngles = streamingMedian(u, hist, P, cap, tile);
  }
  return { angleSum, medianAngles };
}

/**
 * The two middle angles from the level-0 cosine histogram: the cosines of 0-based ascending ranks
 * ⌊(P−1)/2⌋ and ⌊P/2⌋ are the angles of descending ranks, so the pair (hi, lo) comes back as angles.
 */
function streamingMedian(u: UnitRows, hist0: Float64Array, P: number, cap: number, tile?: number): [number, number] {
  const ks = [Math.floor((P - 1) / 2), Math.floor(P / 2)];
  const [a, b] = selectRanks({ u, cap, tile }, [], hist0, -1, 1, 0, ks, 0);
  return [Math.min(a!, b!), Math.max(a!, b!)];
}

/** What every level of {@link selectRanks} shares. */
interface SelectContext {
  u: UnitRows;
  cap: number;
  tile: number | undefined;
}

/**
 * The angles of the pairs of ascending cosine ranks `ks` among the cosines that pass `levels`, given their histogram
 * `hist` over [lo, hi] and the number `before` of passing-level values below this range. Collects
 * the bins holding the ranks when they fit in `cap`; otherwise narrows to one rank's bin with
 * another histogram pass. A bin narrower than 1e-15 (or the 8th level) holds values equal to
 * within its width, and its midpoint is returned.
 */
function selectRanks(ctx: SelectContext, levels: readonly Level[], hist: Float64Array, lo: number, hi: number,
  before: number, ks: readonly number[], depth: number): number[] {
  const binOfRank = (k: number): number => {
    let acc = before;
    for (let b = 0; b < MEDIAN_BINS; b++) {
      acc += hist[b]!;
      if (k < acc) return b;
    }
    return MEDIAN_BINS - 1;
  };
  const bins = ks.map(binOfRank);
  const b0 = Math.min(...bins), b1 = Math.max(...bins);
  let below = before, inRange = 0;
  for (let b = 0; b < b0; b++) below += hist[b]!;
  for (let b = b0; b <= b1; b++) inRange += hist[b]!;
  const here: Level[] = [...levels, { lo, hi, b0, b1 }];
  if (inRange <= ctx.cap) {
    // ascending angles: the pair of ascending cosine rank r (from `below`) is angle number count − 1 − r
    const angles = collectPassing(ctx.u, here, inRange, ctx.tile);
    return ks.map((k) => angles[inRange - 1 - (k - below)]!);
  }
  if (b0 !== b1) return ks.flatMap((k) => selectRanks(ctx, levels, hist, lo, hi, before, [k], depth));
  const w = (hi - lo) / MEDIAN_BINS;
  const nlo = lo + b0 * w, nhi = lo + (b0 + 1) * w;
  if (depth >= 7 || nhi - nlo < 1e-15) return ks.map(() => Math.acos(clamp1((nlo + nhi) / 2)));
  const next = histogramPassing(ctx.u, here, nlo, nhi, ctx.tile);
  return selectRanks(ctx, here, next, nlo, nhi, below, ks, depth + 1);
}

/** One pass: a histogram over [lo, hi] of the cosines that pass `levels`. */
function histogramPassing(u: UnitRows, levels: readonly Level[], lo: number, hi: number, tile?: number): Float64Array {
  const hist = new Float64Array(MEDIAN_BINS);
  forEachCosineTile(u.rows, u.n, u.d, (_i0, _j0, rI, cJ, block, diagonal) => {
    for (let ii = 0; ii < rI; ii++) {
      for (let jj = diagonal ? ii + 1 : 0; jj < cJ; jj++) {
        const c = clamp1(block[ii * cJ + jj]!);
        if (passes(c, levels)) hist[binOf(c, lo, hi)]!++;
      }
    }
  }, tile);
  return hist;
}

/** One pass: the angles ({@link pairAngle}, sorted ascending) of the pairs whose cosines pass `levels`; `count` of them are expected. */
function collectPassing(u: UnitRows, levels: readonly Level[], count: number, tile?: number): Float64Array {
  const out = new Float64Array(count);
  let k = 0;
  const L0 = levels[levels.length - 1]!;
  const lo = L0.lo + (L0.b0 - 1) * ((L0.hi - L0.lo) / MEDIAN_BINS); // cheap pre-test, one bin of slack
  forEachCosineTile(u.rows, u.n, u.d, (i0, j0, rI, cJ, block, diagonal) => {
    for (let ii = 0; ii < rI; ii++) {
      for (let jj = diagonal ? ii + 1 : 0; jj < cJ; jj++) {
        const c = clamp1(block[ii * cJ + jj]!);
        if (c >= lo && passes(c, levels)) out[k++] = pairAngle(u, i0 + ii, j0 + jj, c);
      }
    }
  }, tile);
  return out.sort();
}
