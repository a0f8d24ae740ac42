// The reference curve of the pair-angle histogram: angles between independent uniform points.

/**
 * Expected share of pair angles per bin for uniform points on S^{d−1}: the angle's density is
 * ∝ sin^{d−2} θ on [0, π] (midpoint rule per bin, normalised over the bins).
 */
export function uniformAngleShares(d: number, bins: number): number[] {
  const w = Math.PI / bins;
  const dens = Array.from({ length: bins }, (_, k) => Math.exp((d - 2) * Math.log(Math.sin((k + 0.5) * w))));
  const total = dens.reduce((a, b) => a + b, 0);
  return dens.map((v) => v / total);
}
