// The learning-rate schedules of `--lr-decay`: one pure function the shared train loop calls per step.

/** Learning-rate schedules: `none` keeps lr constant (the paper), `cosine` and `linear` decay it towards 0. */
export const LR_DECAYS = ['none', 'cosine', 'linear'] as const;

/** One of {@link LR_DECAYS}. */
export type LrDecay = (typeof LR_DECAYS)[number];

/**
 * The learning rate of step t (0-based) out of `total` steps, starting from `lr`:
 *   none     lr_t = lr
 *   cosine   lr_t = lr · (1 + cos(π t / T)) / 2  = lr · cos²(π t / (2T))
 *   linear   lr_t = lr · (1 − t / T)
 * With t = 0 … T−1 the first step takes lr and the last one lr_{T−1} > 0 (cosine ≈ lr·(π/2T)²,
 * linear lr/T), so the optimizer never sees lr = 0. Cosine is evaluated as cos², which stays positive
 * where 1 + cos(π t/T) would round to 0 for large T.
 * @throws Error unless `total` is an integer ≥ 1 and `t` an integer in [0, total − 1].
 */
export function scheduledLr(decay: LrDecay, lr: number, t: number, total: number): number {
  if (!Number.isSafeInteger(total) || total < 1) {
    throw new Error(`scheduledLr: expected total steps an integer >= 1, got ${total}.`);
  }
  if (!Number.isSafeInteger(t) || t < 0 || t >= total) {
    throw new Error(`scheduledLr: expected step t an integer in [0, ${total - 1}], got ${t}. Steps are 0-based.`);
  }
  switch (decay) {
    case 'none':
      return lr;
    case 'cosine': {
      const c = Math.cos((Math.PI * t) / (2 * total));
      return lr * c * c;
    }
    case 'linear':
      return lr * (1 - t / total);
  }
}
