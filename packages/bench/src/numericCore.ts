// The numeric pieces keepdist-bench calls, in one place: method names and one entry point per subcommand.
import type { PrepareSpeedCase } from './commands/speed';
import type { RunSyntheticMethod } from './commands/synthetic';
import type { RunTammesMethod } from './commands/tammes';

/** What the subcommands need from the numeric packages (autograd, sphere, dispersion). */
export interface NumericCore {
  /** Valid `--methods` names, in the order `all` runs them. */
  readonly methods: readonly string[];
  /** Optimizes one method on the Tammes problem (`tammes`). */
  readonly runTammesMethod: RunTammesMethod;
  /** Optimizes one method in the synthetic experiment (`synthetic`). */
  readonly runSyntheticMethod: RunSyntheticMethod;
  /** Prepares one timed case (`speed`). */
  readonly prepareSpeedCase: PrepareSpeedCase;
}

/** Method names of the dispersion regularizers (SPEC §2): the six mmd kernel/distance variants, then the rest. */
export const METHOD_NAMES: readonly string[] = [
  ...['gaussian', 'laplace', 'riesz'].flatMap((k) => ['euclidean', 'geodesic'].map((d) => `mmd-${k}-${d}`)),
  'uniformity',
  'mma',
  'mmcs',
  'koleo',
  'lloyd',
  'sliced',
  'slicedAxis',
  'ssw',
];

/** The numeric core the `keepdist-bench` executable uses. */
export const numericCore: NumericCore = {
  methods: METHOD_NAMES,
  runTammesMethod: () => {
    throw new Error('tammes: numeric core not wired yet');
  },
  runSyntheticMethod: () => {
    throw new Error('synthetic: numeric core not wired yet');
  },
  prepareSpeedCase: () => {
    throw new Error('speed: numeric core not wired yet');
  },
};
