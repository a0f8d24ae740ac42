// `keepdist-bench tammes`: flags, the numeric core's interface, and the loop over methods with its outputs.
import type { CommandContext } from '../commandContext';
import { backendFlag, lrDecayFlag, methodsFlag, outFlag, seedFlag, type BackendName } from '../commonFlags';
import type { CommandSpec, FlagValues } from '../flagTypes';
import type { LrDecay } from '../lrSchedule';
import { resolveOutDir, writeJson, writeSvg } from '../output';
import { tammesPlot } from '../plots';
import { runWithResults } from '../resultSession';
import { createStepHooks, type StepHooks } from '../stepHooks';
import { formatTable } from '../table';
import { tammesOptimumDeg } from '../tammesOptima';

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
      iters: { type: 'int', default: 2500, min: 1, help: 'Optimizer iterations per method' },
      lr: { type: 'float', default: 0.005, positive: true, help: 'Learning rate of the Riemannian optimizer' },
      'lr-decay': lrDecayFlag,
      gamma: {
        type: 'float',
        positive: true,
        help: "Bandwidth γ of the gaussian kernels; default: the paper's, 20 for n ≤ 14 and 25 otherwise",
      },
      samples: {
        type: 'int',
        min: 1,
        help: "Lloyd samples (or slices/projections of sliced, slicedAxis, ssw) per step; default: the paper's Lloyd count, 200 for n ≤ 14 and 300 otherwise, and each other method's own",
      },
      seed: seedFlag,
      backend: backendFlag,
      out: outFlag,
    },
    // The authors' Tammes runs: n = 24, every method, RiemannianAdam lr 0.005 for 2500 epochs
    // (γ and the Lloyd samples follow n by default: see --gamma and --samples).
    // Constant lr: the paper's, stated so that --preset paper stays the paper's whatever the defaults.
    presets: { paper: { n: 24, methods: ['all'], iters: 2500, lr: 0.005, 'lr-decay': 'none' } },
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
  readonly seed: number;
  readonly backend: BackendName;
}

/** What the numeric core returns for one method: final per-point minimum angles and iterations done. */
export interface TammesMethodOutput {
  /** min_{j≠i} θ_ij per point i, in degrees (SPEC §3 minAnglePerPoint, converted). */
  readonly perPointMinAnglesDeg: ArrayLike<number>;
  /** Iterations actually run (normally `iters`). */
  readonly iterations: number;
}

/**
 * The numeric core of `tammes`: from random points (seeded), run `iters` optimizer steps of `method` on n
 * points of S², calling and awaiting `hooks.step(i)` after iteration i, and report the final angles.
 */
export type RunTammesMethod = (
  input: TammesMethodInput,
  hooks: StepHooks,
) => TammesMethodOutput | Promise<TammesMethodOutput>;

/** One method's row of the Tammes results. */
export interface TammesMethodResult {
  readonly method: string;
  readonly minAngleDeg: number;
  readonly optimumDeg: number | undefined;
  /** (optimum − reached) / optimum · 100; undefined when no optimum is tabulated for n. */
  readonly gapPercent: number | undefined;
  readonly wallTimeS: number;
  readonly iterations: number;
  readonly iterationsPerS: number;
  readonly sortedMinAnglesDeg: number[];
}

/** Everything `tammes` measured; written as `results.json`. */
export interface TammesReport {
  readonly command: 'tammes';
  readonly options: TammesOptions;
  readonly preset: string | undefined;
  readonly optimumDeg: number | undefined;
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  readonly results: TammesMethodResult[];
}

/** File names written by `tammes` into the results directory. */
export const TAMMES_FILES = { json: 'results.json', svg: 'min-angles.svg' } as const;

function summarize(
  method: string,
  out: TammesMethodOutput,
  wallTimeS: number,
  optimumDeg: number | undefined,
): TammesMethodResult {
  const sorted = Array.from(out.perPointMinAnglesDeg).sort((a, b) => a - b);
  if (sorted.length === 0) throw new Error(`tammes: expected per-point angles from method '${method}', got none.`);
  const minAngleDeg = sorted[0] as number;
  return {
    method,
    minAngleDeg,
    optimumDeg,
    gapPercent: optimumDeg === undefined ? undefined : ((optimumDeg - minAngleDeg) / optimumDeg) * 100,
    wallTimeS,
    iterations: out.iterations,
    iterationsPerS: wallTimeS > 0 ? out.iterations / wallTimeS : Number.POSITIVE_INFINITY,
    sortedMinAnglesDeg: sorted,
  };
}

/** The stdout summary of a Tammes report. */
export function tammesTable(report: TammesReport): string {
  return formatTable<TammesMethodResult>(
    [
      { header: 'method', value: (r) => r.method },
      { header: 'min angle (°)', value: (r) => r.minAngleDeg, digits: 4 },
      { header: 'optimum (°)', value: (r) => r.optimumDeg, digits: 4 },
      { header: 'gap (%)', value: (r) => r.gapPercent, digits: 2 },
      { header: 'time (s)', value: (r) => r.wallTimeS, digits: 2 },
      { header: 'iter/s', value: (r) => r.iterationsPerS, digits: 1 },
    ],
    report.results,
  );
}

/**
 * Runs `tammes`: each method in turn through `runMethod`, timed, with a progress bar; then writes
 * `results.json` and `min-angles.svg` to the results directory and prints the table. Ctrl-C or an error
 * writes the methods finished so far.
 */
export async function runTammes(
  options: TammesOptions,
  preset: string | undefined,
  runMethod: RunTammesMethod,
  ctx: CommandContext,
): Promise<TammesReport> {
  const optimumDeg = tammesOptimumDeg(options.n);
  if (optimumDeg === undefined) {
    ctx.stderr(`tammes: no best known optimum is tabulated for n = ${options.n}; the gap column stays empty.\n`);
  }
  const report: TammesReport = {
    command: 'tammes',
    options,
    preset,
    optimumDeg,
    startedAt: ctx.date().toISOString(),
    outDir: resolveOutDir('tammes', options.out, ctx.date(), ctx.cwd),
    complete: false,
    results: [],
  };
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    writeJson(report.outDir, TAMMES_FILES.json, report);
    if (report.results.length === 0) return;
    const series = report.results.map((r) => ({ method: r.method, sortedMinAnglesDeg: r.sortedMinAnglesDeg }));
    writeSvg(report.outDir, TAMMES_FILES.svg, await tammesPlot(series, optimumDeg));
  };
  await runWithResults(ctx, { save, hasResults: () => report.results.length > 0 }, async () => {
    const progress = ctx.createProgress({ total: options.methods.length * options.iters, label: 'tammes' });
    try {
      for (const [k, method] of options.methods.entries()) {
        const { n, iters, lr, gamma, samples, seed, backend } = options;
        const lrDecay = options['lr-decay'];
        const input: TammesMethodInput = { method, n, d: 3, iters, lr, lrDecay, gamma, samples, seed, backend };
        const t0 = ctx.now();
        const out = await runMethod(input, createStepHooks(progress, k * options.iters, method));
        report.results.push(summarize(method, out, (ctx.now() - t0) / 1000, optimumDeg));
      }
    } finally {
      progress.stop();
    }
  });
  ctx.stdout(tammesTable(report));
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}
