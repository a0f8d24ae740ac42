// The numeric pieces keepdist-bench calls, in one place: method names and one entry point per subcommand.
import type { RunPrototypesMethod } from './commands/prototypes.js';
import type { PrepareSpeedCase } from './commands/speed.js';
import type { SpeedSuiteCore } from './commands/speedSuite.js';
import type { RunSyntheticMethod } from './commands/synthetic.js';
import type { RunTammesMethod } from './commands/tammes.js';
import { BENCH_METHODS } from './numeric/methods.js';
import { runPrototypesMethod } from './numeric/prototypes.js';
import { prepareSpeedCase } from './numeric/speed.js';
import { runSyntheticMethod } from './numeric/synthetic.js';
import { runTammesMethod } from './numeric/tammes.js';
import { speedSuiteCore } from './speed/stacks.js';

/** What the subcommands need from the numeric packages (autograd, sphere, dispersion). */
export interface NumericCore {
  /** Valid `--methods` names, in the order `all` runs them. */
  readonly methods: readonly string[];
  /** Optimizes one method on the Tammes problem (`tammes`). */
  readonly runTammesMethod: RunTammesMethod;
  /** Optimizes one method in the synthetic experiment (`synthetic`). */
  readonly runSyntheticMethod: RunSyntheticMethod;
  /** Places k prototypes with one method (`prototypes`). */
  readonly runPrototypesMethod: RunPrototypesMethod;
  /** Prepares one timed case (`speed --suite methods`). */
  readonly prepareSpeedCase: PrepareSpeedCase;
  /** Loads the stacks and draws the inputs of `speed --suite workloads`. */
  readonly speedSuite: SpeedSuiteCore;
}

/** Method names: the six mmd kernel/distance variants, then the other regularizers of docs/math.md §2. */
export const METHOD_NAMES: readonly string[] = BENCH_METHODS;

/** The numeric core the `keepdist-bench` executable uses. */
export const numericCore: NumericCore = {
  methods: METHOD_NAMES, runTammesMethod, runSyntheticMethod, runPrototypesMethod, prepareSpeedCase, speedSuite: speedSuiteCore,
};
