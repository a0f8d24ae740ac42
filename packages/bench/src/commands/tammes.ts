// `keepdist-bench tammes`: flags, the numeric core's interface, and the loop over methods with its outputs.
import type { CommandContext } from '../commandContext.js';
import {
  backendFlag, conventionsFlag, forceFlag, lrDecayFlag, methodsFlag, outFlag, seedFlag, type BackendName, type Conventions,
} from '../commonFlags.js';
import type { CommandSpec, FlagValues } from '../flagTypes.js';
import type { LrDecay } from '../lrSchedule.js';
import { writeJson, writeSvg } from '../output.js';
import { tammesPlot } from '../plots.js';
import { drawsFor, parseDrawCounts, samplesFlag } from '../drawCounts.js';
import { discardOutDir, runWithResults, reportStart } from '../resultSession.js';
import { createStepHooks, type StepHooks } from '../stepHooks.js';
import { tammesOptimumDeg } from '../tammesOptima.js';
import { TAMMES_FILES, measureStart, summarize, tammesTable, type StartRun, type TammesReport, type TammesStart } from './tammesResults.js';

export { TAMMES_FILES, tammesTable, type TammesMethodResult, type TammesReport, type TammesStart } from './tammesResults.js';

/** The `tammes` subcommand's spec; `methods` are the valid method names (the dispersion regularizers). */
export function tammesCommand(methods: readonly string[]) {
  return {
    name: 'tammes',
    summary:
      'Tammes problem: spread n points on the sphere S² (d = 3) with each method and compare the reached ' +
      'minimum angle with the best known optimum.',
    flags: {
      n: { type: 'int', default: 24, min: 2, help: 'Number of points on S² (d = 3)' },
      methods: methodsFlag(methods),
      iters: { type: 'int', default: 2500, min: 1, help: "Optimizer iterations per method (--preset paper: 2500, the paper's; --preset authors: 10000, their bench script's)" },
      lr: { type: 'float', default: 0.005, positive: true, help: 'Learning rate of the Riemannian optimizer' },
      'lr-decay': lrDecayFlag,
      gamma: {
        type: 'float',
        positive: true,
        help: "Bandwidth γ of the gaussian kernels; default: the paper's, 20 for n ≤ 14 and 25 otherwise (--preset authors: 1, their bench script's)",
      },
      samples: samplesFlag(
        "Default: the paper's Lloyd count, 200 for n ≤ 14 and 300 otherwise, and each other method's own " +
          "(--preset authors: lloyd=300,slicedAxis=24,ssw=50, their bench script's)",
      ),
      restarts: {
        type: 'int',
        default: 1,
        min: 1,
        help:
          'Independent uniform starts K per method, with seeds --seed, --seed + 1, …, --seed + K − 1; the table ' +
          'reports the best start (largest minimum angle) and, for K > 1, the number of starts, the best ' +
          "start's seed and the median minimum angle over starts; time and iter/s cover all K starts",
      },
      conventions: conventionsFlag(
        'The optimizer under authors re-projects the points and the first moment every step (stabilize = 1), as ' +
          "their Tammes script's RiemannianAdam; under keepdist it does not (stabilize off)",
      ),
      seed: seedFlag,
      backend: backendFlag,
      out: outFlag,
      force: forceFlag,
    },
    // paper: the paper's Tammes runs, n = 24, every method, RiemannianAdam lr 0.005 for 2500 epochs (γ and the
    // Lloyd samples follow n by default: see --gamma and --samples), one start at a constant lr, stated so that
    // --preset paper stays the paper's whatever the defaults, with keepdist's regularizers (the results README's tables).
    // authors: the Tammes runs of the authors' bench script (ltl-uva/ledoh-torch examples/bench/bench_simple.py):
    // 10000 iterations at lr 0.005, γ = 1 for the gaussian kernel, Lloyd 300 samples, slicedAxis 24 slices, ssw 50
    // projections, with exactly their choices (--conventions authors: chord, ssw sqrt, MHE, stabilize = 1).
    presets: {
      paper: { n: 24, methods: ['all'], iters: 2500, lr: 0.005, 'lr-decay': 'none', restarts: 1, conventions: 'keepdist' },
      authors: {
        n: 24, methods: ['all'], iters: 10000, lr: 0.005, 'lr-decay': 'none', restarts: 1, conventions: 'authors',
        gamma: 1, samples: ['lloyd=300', 'slicedAxis=24', 'ssw=50'],
      },
    },
  } as const satisfies CommandSpec;
}

/** Parsed options of `tammes`. */
export type TammesOptions = FlagValues<ReturnType<typeof tammesCommand>['flags']>;

/** What the numeric core gets to optimize one method on the Tammes problem. */
export interface TammesMethodInput {
  readonly method: string;
  readonly n: number;
  readonly d: 3;
  readonly iters: number;
  readonly lr: number;
  /** Learning-rate schedule over the `iters` steps (`scheduledLr`). */
  readonly lrDecay: LrDecay;
  /** Gaussian bandwidth γ; undefined: the paper's choice for n. */
  readonly gamma: number | undefined;
  /** Draws per step of stochastic methods; undefined: the paper's Lloyd count for n, each other method's default. */
  readonly samples: number | undefined;
  /** keepdist's regularizers and optimizer, or the authors' (stabilize = 1; docs/math.md §6). */
  readonly conventions: Conventions;
  readonly seed: number;
  readonly backend: BackendName;
}

/** What the numeric core returns for one method: final per-point minimum angles and iterations done. */
export interface TammesMethodOutput {
  /** min_{j≠i} θ_ij per point i, in degrees (docs/math.md §3 minAnglePerPoint, converted). */
  readonly perPointMinAnglesDeg: ArrayLike<number>;
  /** Iterations actually run (normally `iters`). */
  readonly iterations: number;
}

/** Hooks of one Tammes start: `step` after each iteration, and `snapshot` to offer the state so far. */
export interface TammesHooks extends StepHooks {
  /**
   * Registers how to measure the start in progress (its per-point angles after the iterations done so far),
   * so that a Ctrl-C keeps the method being run. Optional for a core to call; the command calls `measure`
   * only between iterations (at a `step` yield).
   */
  snapshot?(measure: () => TammesMethodOutput | Promise<TammesMethodOutput>): void;
}

/**
 * The numeric core of `tammes`: from random points (seeded), run `iters` optimizer steps of `method` on n
 * points of S², calling and awaiting `hooks.step(i)` after iteration i, and report the final angles.
 */
export type RunTammesMethod = (
  input: TammesMethodInput,
  hooks: TammesHooks,
) => TammesMethodOutput | Promise<TammesMethodOutput>;

/** The start being run, as far as a Ctrl-C needs it. */
interface InProgress {
  readonly k: number;
  readonly method: string;
  readonly seed: number;
  readonly t0: number;
  readonly starts: TammesStart[];
  readonly best: StartRun | undefined;
  measure?: () => TammesMethodOutput | Promise<TammesMethodOutput>;
}

/**
 * Runs `tammes`: each method in turn through `runMethod`, `--restarts` times (seeds seed, seed + 1, …), each
 * start timed, with a progress bar; then writes `results.json` and `min-angles.svg` (the best start of each
 * method) to the results directory and prints the table. An error writes the starts finished so far; Ctrl-C
 * also keeps the start in progress (its angles after the iterations done, marked `partial`, when the core
 * registered a `snapshot`) and prints the partial table. The results folder is checked before any work.
 */
export async function runTammes(
  options: TammesOptions,
  preset: string | undefined,
  runMethod: RunTammesMethod,
  ctx: CommandContext,
): Promise<TammesReport> {
  const draws = parseDrawCounts('tammes', options.samples);
  const optimumDeg = tammesOptimumDeg(options.n);
  if (optimumDeg === undefined) {
    ctx.stderr(`tammes: no best known optimum is tabulated for n = ${options.n}; the gap column stays empty.\n`);
  }
  const report: TammesReport = {
    command: 'tammes',
    options,
    preset,
    optimumDeg,
    ...reportStart('tammes', options.out, ctx, options.force),
    results: [],
  };
  let current: InProgress | undefined;
  // Ctrl-C: the start in progress becomes a partial start of its method (when the core offered a snapshot)
  const captureInProgress = async (): Promise<void> => {
    const c = current;
    if (!c?.measure) return;
    const out = await c.measure();
    if (out.iterations < 1) return;
    const run = measureStart(c.method, c.seed, out, (ctx.now() - c.t0) / 1000, true);
    const best = c.best === undefined || run.start.minAngleDeg > c.best.start.minAngleDeg ? run : c.best;
    report.results[c.k] = summarize(c.method, [...c.starts, run.start], best, optimumDeg);
  };
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    writeJson(report.outDir, TAMMES_FILES.json, report);
    if (report.results.length === 0) return;
    const series = report.results.map((r) => ({ method: r.method, sortedMinAnglesDeg: r.sortedMinAnglesDeg }));
    writeSvg(report.outDir, TAMMES_FILES.svg, await tammesPlot(series, optimumDeg));
  };
  const saver = {
    save,
    hasResults: () => report.results.length > 0,
    outDir: report.outDir,
    captureInProgress,
    printPartial: () => ctx.stdout(`Partial results (interrupted):\n${tammesTable(report)}`),
    discard: discardOutDir(report.outDir, options.out),
  };
  await runWithResults(ctx, saver, async () => {
    const total = options.methods.length * options.restarts * options.iters;
    const progress = ctx.createProgress({ total, label: 'tammes' });
    try {
      for (const [k, method] of options.methods.entries()) {
        const { n, iters, lr, gamma, backend, restarts, conventions } = options;
        const samples = drawsFor(draws, method);
        const lrDecay = options['lr-decay'];
        const starts: TammesStart[] = [];
        let best: StartRun | undefined;
        for (let s = 0; s < restarts; s++) {
          const seed = options.seed + s;
          const input: TammesMethodInput = {
            method, n, d: 3, iters, lr, lrDecay, gamma, samples, conventions, seed, backend,
          };
          const status = restarts === 1 ? method : `${method} ${s + 1}/${restarts}`;
          const t0 = ctx.now();
          const inProgress: InProgress = { k, method, seed, t0, starts: [...starts], best };
          current = inProgress;
          const hooks: TammesHooks = {
            ...createStepHooks(progress, (k * restarts + s) * iters, status),
            snapshot: (measure) => {
              inProgress.measure = measure;
            },
          };
          const out = await runMethod(input, hooks);
          current = undefined;
          const run = measureStart(method, seed, out, (ctx.now() - t0) / 1000);
          starts.push(run.start);
          if (best === undefined || run.start.minAngleDeg > best.start.minAngleDeg) best = run;
          report.results[k] = summarize(method, starts, best, optimumDeg);
        }
      }
    } finally {
      progress.stop();
    }
  });
  ctx.stdout(tammesTable(report));
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}
