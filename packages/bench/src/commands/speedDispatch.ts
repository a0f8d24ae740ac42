// `keepdist-bench speed`: checks the flags against the chosen suite, then runs the methods suite or the workloads suite.
import type { CommandContext } from '../commandContext.js';
import { UsageError } from '../usageError.js';
import { parseSize, runSpeed, type PrepareSpeedCase, type SpeedOptions, type SpeedReport } from './speed.js';
import { runSpeedSuite, type SpeedSuiteCore, type SpeedSuiteReport } from './speedSuite.js';

/** The numeric pieces `speed` needs: one case of the methods suite, the stacks and data of the workloads suite. */
export interface SpeedCore {
  readonly prepareSpeedCase: PrepareSpeedCase;
  readonly speedSuite: SpeedSuiteCore;
}

/** Flags that only one suite reads; giving one with the other suite is a usage error. */
export const SUITE_ONLY_FLAGS = {
  methods: ['sizes', 'methods'],
  workloads: ['workloads', 'against', 'python', 'scale'],
} as const satisfies Record<SpeedOptions['suite'], readonly string[]>;

/**
 * Checks what the parser cannot: no flag of the other suite was given, and (methods suite) every
 * size has n ≥ 2, since every regularizer needs two points.
 * @throws UsageError naming the flag and the fix.
 */
export function checkSpeedFlags(options: SpeedOptions, given: ReadonlySet<string>): void {
  const other = options.suite === 'methods' ? 'workloads' : 'methods';
  for (const flag of SUITE_ONLY_FLAGS[other]) {
    if (given.has(flag)) {
      throw new UsageError(
        `speed --${flag}: expected --suite ${other} with it, got --suite ${options.suite}. Add --suite ${other}, or drop --${flag}.`,
        'speed',
      );
    }
  }
  if (options.suite === 'methods') {
    const tooSmall = options.sizes.find((s) => parseSize(s).n < 2);
    if (tooSmall !== undefined) {
      throw new UsageError(
        `speed --sizes: expected n >= 2 in every <n>x<d> (a dispersion loss needs two or more points), got '${tooSmall}'.`,
        'speed',
      );
    }
  }
}

/** Runs `speed` with parsed flags: `--suite methods` (each regularizer per size and backend) or `--suite workloads`. */
export async function runSpeedCommand(
  options: SpeedOptions,
  given: ReadonlySet<string>,
  core: SpeedCore,
  ctx: CommandContext,
): Promise<SpeedReport | SpeedSuiteReport> {
  checkSpeedFlags(options, given);
  if (options.suite === 'methods') return runSpeed(options, core.prepareSpeedCase, ctx);
  const { workloads, backend, against, python, repeats, warmup, seed, scale, out, force } = options;
  return runSpeedSuite({ workloads, backend, against, python, repeats, warmup, seed, scale, out, force }, core.speedSuite, ctx);
}
