// Flags of `synthetic` about the start: the initialisations and --init's help.
import type { EnumFlagSpec } from '../flagTypes.js';

/**
 * Initialisations of the synthetic experiment (drawn by the core from the run's seed):
 * `concentrated-e1` (power-spherical κ around e₁, keepdist's default), `concentrated` (power-spherical κ
 * around a random mean direction, the authors'), `uniform`, `normal` (coordinates 10 + N(0, 1), normalised)
 * and `decay` (power-spherical around (1, …, 1)/√d with κ rising linearly from --kappa to 1000 over the rows).
 */
export const SYNTHETIC_INITS = ['concentrated-e1', 'concentrated', 'uniform', 'normal', 'decay'] as const;

/** One of {@link SYNTHETIC_INITS}. */
export type SyntheticInit = (typeof SYNTHETIC_INITS)[number];

/** `synthetic --init`: the start, each choice spelled out. */
export const initFlag = {
  type: 'enum',
  choices: SYNTHETIC_INITS,
  default: 'concentrated-e1',
  help:
    'Initial points, drawn from the seed. concentrated-e1 (the default, keepdist\'s): power-spherical with concentration ' +
    '--kappa around e₁ = (1, 0, …, 0). concentrated (the authors\' ps100, --preset authors): power-spherical with --kappa ' +
    'around a mean direction drawn uniformly from the seed (slicedAxis is not rotation invariant, so the mean matters). ' +
    'uniform: uniform on the sphere. normal (the authors\' gaussian): coordinates 10 + N(0, 1), each row normalised, a ' +
    'tight cap around (1, …, 1)/√d. decay (the authors\' powerspherical_decay): power-spherical around (1, …, 1)/√d, row ' +
    'i of n with its own concentration κ_i = κ + (1000 − κ)·i/(n − 1), from --kappa at the first row to 1000 at the last',
} as const satisfies EnumFlagSpec<SyntheticInit>;
