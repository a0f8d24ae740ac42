import { OptionError, createRng, type Rng } from '@keepdist/autograd';

let fallback: Rng | null = null;

/**
 * The generator a stochastic regularizer draws from when its options carry no `rng`: one
 * module-level generator created lazily with `createRng(0)`. It advances with every call (so online
 * Lloyd, sliced and minibatches get fresh draws at each step) and a fresh process always starts
 * from the same seed. Pass your own `rng` for independent streams, or call
 * {@link resetDefaultRng} to restart this one.
 */
export function defaultRng(): Rng {
  fallback ??= createRng(0);
  return fallback;
}

/** Restarts the fallback generator of {@link defaultRng} at `seed` (default 0). */
export function resetDefaultRng(seed = 0): void {
  fallback = createRng(seed);
}

/** The caller's generator, or the fallback; throws an OptionError for something that is not one. */
export function resolveRng(fn: string, rng: unknown): Rng {
  if (rng === undefined) return defaultRng();
  if (typeof rng !== 'object' || rng === null || typeof (rng as Rng).normalArray !== 'function'
    || typeof (rng as Rng).choice !== 'function') {
    throw new OptionError(`${fn}: expected rng to be a generator from createRng(seed), got ${rng === null ? 'null' : typeof rng}.`);
  }
  return rng as Rng;
}
