/**
 * Scalar random variates drawn from a seeded {@link Rng}: normals, gamma (Marsaglia & Tsang 2000),
 * beta (as a ratio of gammas), and uniform unit directions orthogonal to a given unit vector.
 * Used by the concentrated samplers; float64 throughout.
 */
import type { Rng } from '@keepdist/autograd';

/** A beta draw z together with 1 − z, each computed without cancellation. */
export interface BetaDraw {
  /** z ∈ [0, 1]. */
  z: number;
  /** 1 − z, computed as a ratio (accurate when z is close to 1). */
  oneMinusZ: number;
}

/** Stream of variates over one generator (keeps the spare normal of each Box–Muller pair). */
export class Variates {
  private spare: number | null = null;

  /** @param rng the seeded generator every draw comes from */
  constructor(private readonly rng: Rng) {}

  /** A standard normal. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const pair = this.rng.normalArray(2);
    this.spare = pair[1]!;
    return pair[0]!;
  }

  /** A uniform in (0, 1] (safe under log). */
  openUniform(): number {
    return 1 - this.rng.float();
  }

  /**
   * Gamma(a, 1) for a > 0 by Marsaglia & Tsang (2000); for a < 1 via Gamma(a + 1) · U^{1/a}.
   */
  gamma(a: number): number {
    if (a < 1) return this.gamma(a + 1) * Math.exp(Math.log(this.openUniform()) / a);
    const d = a - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      let v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      if (Math.log(this.openUniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  /** Beta(a, b) = G_a / (G_a + G_b), with 1 − z = G_b / (G_a + G_b). */
  beta(a: number, b: number): BetaDraw {
    for (;;) {
      const ga = this.gamma(a), gb = this.gamma(b);
      const s = ga + gb;
      if (s > 0) return { z: ga / s, oneMinusZ: gb / s };
    }
  }

  /**
   * A uniform unit vector orthogonal to the unit vector `mu` (length d ≥ 2), written into `out`:
   * a Gaussian vector with its component along mu removed, normalised.
   */
  tangentDirection(mu: ArrayLike<number>, out: Float64Array): Float64Array {
    const d = out.length;
    for (;;) {
      let dot = 0;
      for (let k = 0; k < d; k++) {
        out[k] = this.normal();
        dot += out[k]! * mu[k]!;
      }
      let s = 0;
      for (let k = 0; k < d; k++) {
        out[k] = out[k]! - dot * mu[k]!;
        s += out[k]! ** 2;
      }
      if (s > 1e-24) {
        const r = Math.sqrt(s);
        for (let k = 0; k < d; k++) out[k] = out[k]! / r;
        return out;
      }
    }
  }
}
