// `keepdist-bench synthetic`: flags, the numeric core's interface, the loop over methods and its outputs.
import type { CommandContext } from '../commandContext.js';
import {
  backendFlag, checkOptimizerDecay, conventionsFlag, forceFlag, lrDecayFlag, methodsFlag, optimizerFlag, outFlag, seedFlag,
  type BackendName, type Conventions, type OptimizerName,
} from '../commonFlags.js';
import type { CommandSpec, FlagValues } from '../flagTypes.js';
import type { LrDecay } from '../lrSchedule.js';
import { writeJson, writeSvg } from '../output.js';
import { drawsFor, parseDrawCounts, samplesFlag } from '../drawCounts.js';
import { discardOutDir, runWithResults, reportStart } from '../resultSession.js';
import { UsageError } from '../usageError.js';
import { createStepHooks, type StepHooks } from '../stepHooks.js';
import { formatTable } from '../table.js';
import { syntheticPlots } from './syntheticPlots.js';
import { initFlag, type SyntheticInit } from './syntheticFlags.js';
import { seedsTable, summarizeSeeds, type SyntheticSeedSummary } from './syntheticSeeds.js';

export { SYNTHETIC_INITS, type SyntheticInit } from './syntheticFlags.js';

/** The `synthetic` subcommand's spec; `methods` are the valid method names (the dispersion regularizers). */
export function syntheticCommand(methods: readonly string[]) {
  return {
    name: 'synthetic',
    summary:
      'Synthetic dispersion: optimize n points on S^{d-1} from a concentrated (or uniform) start with each method, ' +
      'recording loss, minimum angle, circular variance and time every k iterations.',
    flags: {
      n: { type: 'int', default: 2000, min: 2, help: 'Number of points' },
      d: { type: 'int', default: 64, min: 2, help: 'Ambient dimension (points lie on S^{d-1})' },
      iters: { type: 'int', default: 500, min: 1, help: 'Optimizer iterations per method (the paper: 5000, see --preset paper)' },
      lr: { type: 'float', default: 0.001, positive: true, help: 'Learning rate of the optimizer' },
      'lr-decay': lrDecayFlag,
      optimizer: optimizerFlag('RiemannianAdam and RiemannianSGD re-project the points every step (stabilize = 1), as the authors\' synthetic script'),
      init: initFlag,
      kappa: { type: 'float', default: 100, positive: true, help: 'Concentration κ of the power-spherical starts (concentrated, concentrated-e1; the first row of decay); the paper: 100' },
      batch: {
        type: 'int', default: 256, min: 0,
        help: 'Minibatch size of pairwise methods and Lloyd (the paper: 512), at least 2; 0, or a size ≥ --n, uses all n points (recorded as 0)',
      },
      samples: samplesFlag(
        "Default: the paper's, Lloyd as many samples as the batch (512), slicedAxis and ssw 13, sliced its own (1)",
      ),
      every: { type: 'int', default: 50, min: 1, help: 'Record metrics every k iterations' },
      methods: methodsFlag(methods),
      conventions: conventionsFlag(
        "The optimizer re-projects the points every step (stabilize = 1) under both, as the authors' synthetic script",
      ),
      seed: seedFlag,
      seeds: {
        type: 'list',
        item: { pattern: /^\d{1,15}$/, hint: 'non-negative integers such as 42,52,62' },
        distinct: true,
        help:
          'Run every method once per seed (in place of --seed; the authors: 42,52,62); the table then shows, per method, ' +
          'mean ± sd over the seeds of the final minimum angle, circular variance and loss and of the time, the JSON ' +
          'one result per method and seed plus those statistics, and the plots the mean curve with a min–max band. ' +
          "A --seed given on the command line replaces a preset's --seeds; giving both flags is an error",
      },
      backend: backendFlag,
      out: outFlag,
      force: forceFlag,
    },
    // docs/math.md §2.10: the paper's synthetic runs use n = 20000, d = 64, minibatches of 512, a concentrated start.
    // The authors' settings (their public code): n = 20000, d = 64, 5000 iterations of RiemannianAdam at
    // lr 1e-3, power-spherical start with κ = 100, minibatches of 512 rows (samples: see --samples).
    // Their lr is constant ('lr-decay': 'none').
    // paper: with keepdist's regularizers and e₁ as the start's mean; authors: the same with exactly the authors'
    // choices (--conventions authors) and their start, power-spherical around a random mean ('concentrated').
    presets: {
      paper: {
        n: 20000, d: 64, iters: 5000, lr: 0.001, batch: 512, init: 'concentrated-e1', kappa: 100, methods: ['all'], 'lr-decay': 'none',
        conventions: 'keepdist', optimizer: 'adam',
      },
      authors: {
        n: 20000, d: 64, iters: 5000, lr: 0.001, batch: 512, init: 'concentrated', kappa: 100, methods: ['all'], 'lr-decay': 'none',
        conventions: 'authors', seeds: ['42', '52', '62'], optimizer: 'adam',
      },
    },
  } as const satisfies CommandSpec;
}

/** Parsed options of `synthetic`. */
export type SyntheticOptions = FlagValues<ReturnType<typeof syntheticCommand>['flags']>;

/** What the numeric core gets to optimize one method in the synthetic experiment. */
export interface SyntheticMethodInput {
  readonly method: string;
  readonly n: number;
  readonly d: number;
  readonly iters: number;
  readonly lr: number;
  /** Learning-rate schedule over the `iters` steps (`scheduledLr`). */
  readonly lrDecay: LrDecay;
  /** RiemannianAdam, RiemannianSGD, or plain Adam with renormalised rows. */
  readonly optimizer: OptimizerName;
  readonly init: SyntheticInit;
  readonly kappa: number;
  /** Minibatch size; undefined = all n points. */
  readonly batch: number | undefined;
  /** Draws per step for stochastic methods; undefined = the method's default. */
  readonly samples: number | undefined;
  /** Record metrics at iteration 0, every `every` iterations, and after the last one. */
  readonly every: number;
  /** keepdist's regularizers, or the authors' choices (docs/math.md §6). */
  readonly conventions: Conventions;
  readonly seed: number;
  readonly backend: BackendName;
}

/** One recorded point of a synthetic run. */
export interface SyntheticRecord {
  readonly iteration: number;
  readonly loss: number;
  /** minAngle(X) in degrees (docs/math.md §3). */
  readonly minAngleDeg: number;
  /** circularVariance(X) = 1 − ‖mean of rows‖ (docs/math.md §3). */
  readonly circularVariance: number;
  /** Seconds spent optimizing so far, excluding the time spent computing these metrics. */
  readonly elapsedS: number;
}

/** Hooks of a synthetic run: `step` after each iteration, `record` whenever metrics are computed. */
export interface SyntheticHooks extends StepHooks {
  record(record: SyntheticRecord): void;
}

/** What the numeric core returns for one method. */
export interface SyntheticMethodOutput {
  /** Iterations actually run (normally `iters`). */
  readonly iterations: number;
}

/**
 * The numeric core of `synthetic`: draw the initial points (seeded), run `iters` optimizer steps of
 * `method`, call and await `hooks.step(i)` after iteration i, and `hooks.record(...)` at iteration 0,
 * every `every` iterations and after the last one.
 */
export type RunSyntheticMethod = (
  input: SyntheticMethodInput,
  hooks: SyntheticHooks,
) => SyntheticMethodOutput | Promise<SyntheticMethodOutput>;

/** One method's part of the synthetic results. */
export interface SyntheticMethodResult {
  readonly method: string;
  /** The seed of this run (`--seed`, or one of `--seeds`). */
  readonly seed: number;
  readonly records: SyntheticRecord[];
  complete: boolean;
  iterations: number;
  wallTimeS: number;
}

/** Everything `synthetic` measured; written as `results.json`. */
export interface SyntheticReport {
  readonly command: 'synthetic';
  readonly options: SyntheticOptions;
  readonly preset: string | undefined;
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  /** One run per method and seed, methods in order, each method's seeds in `--seeds` order. */
  readonly results: SyntheticMethodResult[];
  /** With `--seeds`: per method, the statistics over its seeds of the final metrics (those of `results`). */
  seedSummary?: SyntheticSeedSummary[];
}

/** The stdout summary of a synthetic report: the last record of each method. */
export function syntheticTable(report: SyntheticReport): string {
  const last = (r: SyntheticMethodResult): SyntheticRecord | undefined => r.records[r.records.length - 1];
  return formatTable<SyntheticMethodResult>(
    [
      { header: 'method', value: (r) => r.method },
      { header: 'iteration', value: (r) => last(r)?.iteration, digits: 0 },
      { header: 'min angle (°)', value: (r) => last(r)?.minAngleDeg, digits: 3 },
      { header: 'circ. var.', value: (r) => last(r)?.circularVariance, digits: 4 },
      { header: 'loss', value: (r) => last(r)?.loss, digits: 5 },
      { header: 'time (s)', value: (r) => r.wallTimeS, digits: 2 },
      { header: 'iter/s', value: (r) => (r.wallTimeS > 0 ? r.iterations / r.wallTimeS : undefined), digits: 1 },
    ],
    report.results,
  );
}

/**
 * Settles `--seed` against `--seeds` after parsing (`given`: the flags on the command line): both given
 * is a usage error; a given `--seed` wins over seeds that came from a preset (flags given still win).
 * @throws UsageError when both flags are given.
 */
export function resolveSeeds(options: SyntheticOptions, given: ReadonlySet<string>): SyntheticOptions {
  if (!given.has('seed')) return options;
  if (given.has('seeds')) {
    throw new UsageError(`synthetic --seeds: expected either --seed or --seeds, got both. Put every seed in --seeds.`, 'synthetic');
  }
  return { ...options, seeds: undefined };
}

/**
 * Runs `synthetic`: each method in turn through `runMethod`, once per seed of `--seeds` (or once with `--seed`),
 * with a progress bar; then writes `results.json` (with `--seeds`, also `seedSummary`: the statistics over
 * seeds of each method's final metrics) and the four curve plots to the results directory and prints the
 * table (with `--seeds`, mean ± sd per method). Ctrl-C or an error writes the
 * records gathered so far, including those of the method in progress (Ctrl-C also prints the partial table).
 * `--batch 1` is a usage error; the report records the batch that ran (0 for the full set). The results
 * folder is checked before any work.
 */
export async function runSynthetic(
  options: SyntheticOptions,
  preset: string | undefined,
  runMethod: RunSyntheticMethod,
  ctx: CommandContext,
): Promise<SyntheticReport> {
  checkOptimizerDecay('synthetic', options.optimizer, options['lr-decay']);
  const draws = parseDrawCounts('synthetic', options.samples);
  if (options.batch === 1) {
    throw new UsageError("synthetic --batch: expected 0 (all points) or a minibatch of at least 2 rows (a pair needs two points), got '1'.", 'synthetic');
  }
  // the batch that runs: a size ≥ n is the full set, recorded as 0 like --batch 0
  const batch = options.batch === 0 || options.batch >= options.n ? undefined : options.batch;
  if (options.batch > 0 && batch === undefined) {
    ctx.stderr(`synthetic: --batch ${options.batch} ≥ --n ${options.n}: every step uses all ${options.n} points (recorded as batch 0).\n`);
  }
  const report: SyntheticReport = {
    command: 'synthetic',
    options: { ...options, batch: batch ?? 0 },
    preset,
    ...reportStart('synthetic', options.out, ctx, options.force),
    results: [],
  };
  const seeds = options.seeds?.map(Number) ?? [options.seed];
  const withRecords = (): SyntheticMethodResult[] => report.results.filter((r) => r.records.length > 0);
  const table = (): string => (options.seeds === undefined ? syntheticTable(report) : seedsTable(summarizeSeeds(report.results)));
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    if (options.seeds !== undefined) report.seedSummary = summarizeSeeds(report.results);
    writeJson(report.outDir, 'results.json', report);
    if (withRecords().length === 0) return;
    for (const [file, svg] of Object.entries(await syntheticPlots(withRecords()))) writeSvg(report.outDir, file, svg);
  };
  const saver = {
    save,
    hasResults: () => withRecords().length > 0,
    outDir: report.outDir,
    printPartial: () => ctx.stdout(`Partial results (interrupted):\n${table()}`),
    discard: discardOutDir(report.outDir, options.out),
  };
  await runWithResults(ctx, saver, async () => {
    const progress = ctx.createProgress({ total: options.methods.length * seeds.length * options.iters, label: 'synthetic' });
    try {
      for (const [k, [method, seed]] of options.methods.flatMap((m) => seeds.map((sd) => [m, sd] as const)).entries()) {
        const { n, d, iters, lr, optimizer, init, kappa, every, backend, conventions } = options;
        const samples = drawsFor(draws, method);
        const lrDecay = options['lr-decay'];
        const input: SyntheticMethodInput = {
          method, n, d, iters, lr, lrDecay, optimizer, init, kappa, batch, samples, every, conventions, seed, backend,
        };
        const result: SyntheticMethodResult = { method, seed, records: [], complete: false, iterations: 0, wallTimeS: 0 };
        report.results.push(result);
        const t0 = ctx.now();
        const hooks: SyntheticHooks = {
          ...createStepHooks(progress, k * iters, seeds.length > 1 ? `${method} seed ${seed}` : method),
          record: (r) => {
            result.records.push({ ...r });
            result.iterations = r.iteration;
            result.wallTimeS = (ctx.now() - t0) / 1000;
          },
        };
        const out = await runMethod(input, hooks);
        result.iterations = out.iterations;
        result.wallTimeS = (ctx.now() - t0) / 1000;
        result.complete = true;
      }
    } finally {
      progress.stop();
    }
  });
  ctx.stdout(table());
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}
