// `keepdist-bench prototypes`: k class prototypes on S^{d−1} with each method, for every k and d; flags, core interface, loop.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandContext } from '../commandContext.js';
import {
  backendFlag, checkOptimizerDecay, conventionsFlag, forceFlag, lrDecayFlag, methodsFlag, optimizerFlag, outFlag, seedFlag,
  type BackendName, type Conventions, type OptimizerName,
} from '../commonFlags.js';
import { drawsFor, parseDrawCounts, samplesFlag } from '../drawCounts.js';
import type { CommandSpec, FlagValues } from '../flagTypes.js';
import type { LrDecay } from '../lrSchedule.js';
import { writeJson } from '../output.js';
import { discardOutDir, reportStart, runWithResults } from '../resultSession.js';
import { createStepHooks, type StepHooks } from '../stepHooks.js';
import { UsageError } from '../usageError.js';
import { PROTOTYPES_FILES, prototypesTable, type PrototypeAngles, type PrototypesReport, type PrototypesResult } from './prototypesResults.js';

export {
  PROTOTYPES_FILES, minAngleBoundDeg, prototypesTable, type PrototypeAngles, type PrototypesReport, type PrototypesResult,
} from './prototypesResults.js';

const SIZE_ITEM = { pattern: /^\d{1,7}$/, hint: 'integers ≥ 2 such as 100,1000' } as const;

/** The `prototypes` subcommand's spec; `methods` are the valid method names (the dispersion regularizers). */
export function prototypesCommand(methods: readonly string[]) {
  return {
    name: 'prototypes',
    summary:
      'Class prototypes: place k prototypes on S^{d-1} with each method (pairwise methods on all k at once) from one ' +
      'uniform start per size, for every k and d given, and report the minimum, mean nearest-neighbour and mean angle ' +
      'reached and the time: a quick way to choose a method for a model with k classes and d-dimensional embeddings.',
    flags: {
      k: { type: 'list', item: SIZE_ITEM, distinct: true, default: ['100', '1000'], help: 'Numbers of prototypes (classes), each ≥ 2' },
      d: { type: 'list', item: SIZE_ITEM, distinct: true, default: ['16', '64', '256'], help: 'Embedding dimensions (prototypes lie on S^{d-1}), each ≥ 2' },
      methods: methodsFlag(methods),
      iters: { type: 'int', default: 300, min: 1, help: 'Optimizer iterations per method and size' },
      lr: { type: 'float', default: 0.01, positive: true, help: 'Learning rate of the optimizer' },
      'lr-decay': lrDecayFlag,
      optimizer: optimizerFlag('RiemannianAdam and RiemannianSGD re-project the prototypes every step (stabilize = 1)'),
      samples: samplesFlag("Default: each method's own (Lloyd 100 samples, sliced and slicedAxis 1 slice, ssw 100 projections)"),
      conventions: conventionsFlag('The optimizer is the same under both'),
      seed: { ...seedFlag, help: 'Seed of the uniform start (one per size, shared by every method) and of the methods\' draws' },
      backend: backendFlag,
      out: outFlag,
      force: forceFlag,
    },
  } as const satisfies CommandSpec;
}

/** Parsed options of `prototypes`. */
export type PrototypesOptions = FlagValues<ReturnType<typeof prototypesCommand>['flags']>;

/** What the numeric core gets to place k prototypes in dimension d with one method. */
export interface PrototypesMethodInput {
  readonly method: string;
  readonly k: number;
  readonly d: number;
  readonly iters: number;
  readonly lr: number;
  readonly lrDecay: LrDecay;
  readonly optimizer: OptimizerName;
  /** Draws per step of a stochastic method; undefined: the method's own default. */
  readonly samples: number | undefined;
  readonly conventions: Conventions;
  readonly seed: number;
  readonly backend: BackendName;
}

/** What the numeric core returns: the start's and the final angles, iterations run and optimisation time. */
export interface PrototypesMethodOutput {
  readonly start: PrototypeAngles;
  readonly final: PrototypeAngles;
  readonly iterations: number;
  /** Seconds spent in the optimizer steps (drawing the start and measuring angles excluded). */
  readonly optimiseS: number;
}

/**
 * The numeric core of `prototypes`: draw k uniform points on S^{d−1} from `seed`, run `iters` full-batch steps
 * of `method`, calling and awaiting `hooks.step(i)` after iteration i, and measure the angles before and after.
 */
export type RunPrototypesMethod = (
  input: PrototypesMethodInput,
  hooks: StepHooks,
) => PrototypesMethodOutput | Promise<PrototypesMethodOutput>;

/** The sizes of a run, k-major: every d for the first k, then for the next. @throws UsageError for k or d below 2. */
export function prototypeSizes(options: Pick<PrototypesOptions, 'k' | 'd'>): { k: number; d: number }[] {
  for (const flag of ['k', 'd'] as const) {
    const small = options[flag].find((v) => Number(v) < 2);
    if (small !== undefined) {
      throw new UsageError(`prototypes --${flag}: expected every value ≥ 2, got '${small}'. Two prototypes are the fewest with an angle between them.`, 'prototypes');
    }
  }
  return options.k.flatMap((k) => options.d.map((d) => ({ k: Number(k), d: Number(d) })));
}

/**
 * Runs `prototypes`: for each size (k, d) and each method, one run through `runMethod` with a progress bar; then
 * writes `results.json` (every result) and `table.txt` (the printed table) to the results folder and prints the
 * table. Ctrl-C or an error writes the results finished so far. Bad sizes, counts or flag pairs are refused, and
 * the results folder is checked, before any work.
 */
export async function runPrototypes(options: PrototypesOptions, runMethod: RunPrototypesMethod, ctx: CommandContext): Promise<PrototypesReport> {
  const sizes = prototypeSizes(options);
  checkOptimizerDecay('prototypes', options.optimizer, options['lr-decay']);
  const draws = parseDrawCounts('prototypes', options.samples);
  const report: PrototypesReport = {
    command: 'prototypes',
    options,
    ...reportStart('prototypes', options.out, ctx, options.force),
    results: [],
  };
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    writeJson(report.outDir, PROTOTYPES_FILES.json, report);
    if (report.results.length > 0) writeFileSync(join(report.outDir, PROTOTYPES_FILES.table), prototypesTable(report));
  };
  const saver = {
    save,
    hasResults: () => report.results.length > 0,
    outDir: report.outDir,
    printPartial: () => ctx.stdout(`Partial results (interrupted):\n${prototypesTable(report)}`),
    discard: discardOutDir(report.outDir, options.out),
  };
  await runWithResults(ctx, saver, async () => {
    const { iters, lr, optimizer, conventions, seed, backend } = options;
    const runs = sizes.flatMap((size) => options.methods.map((method) => ({ ...size, method })));
    const progress = ctx.createProgress({ total: runs.length * iters, label: 'prototypes' });
    try {
      for (const [j, { k, d, method }] of runs.entries()) {
        const input: PrototypesMethodInput = {
          method, k, d, iters, lr, lrDecay: options['lr-decay'], optimizer, samples: drawsFor(draws, method), conventions, seed, backend,
        };
        const out = await runMethod(input, createStepHooks(progress, j * iters, `${method} k=${k} d=${d}`));
        const result: PrototypesResult = { k, d, method, ...out };
        report.results.push(result);
      }
    } finally {
      progress.stop();
    }
  });
  ctx.stdout(prototypesTable(report));
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}
