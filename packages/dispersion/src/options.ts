import type { Rng } from '@keepdist/autograd';
import type { InputCheckOptions } from './validate.js';

/**
 * Options shared by the pairwise regularizers (mmd, uniformity, mma, mmcs, koleo) and lloyd.
 */
export interface BatchOptions extends InputCheckOptions {
  /**
   * Minibatch size b (docs/math.md §2.10): the loss is computed on b rows drawn uniformly without
   * replacement from `rng`, afresh at each call; rows outside the batch get a zero gradient.
   * An integer in [2, n]; omitted = all rows.
   */
  batchSize?: number;
  /** The seeded generator of the minibatch draws (default: the module's fallback, see `defaultRng`). */
  rng?: Rng;
}

/** The clampc ε option of the regularizers that take acos (docs/math.md §2). */
export interface ClampOptions {
  /** ε of clampc(c) = min(max(c, −1 + ε), 1 − ε) (default 1e-7), in (0, 0.1]. */
  clampEps?: number;
}
