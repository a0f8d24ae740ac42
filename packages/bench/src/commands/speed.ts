// `keepdist-bench speed`: flags, the numeric core's interface, timing loop (warm-up, repeats, median), outputs.
import type { CommandContext } from '../commandContext.js';
import { BACKENDS, forceFlag, methodsFlag, outFlag, seedFlag, type BackendName } from '../commonFlags.js';
import type { CommandSpec, FlagValues } from '../flagTypes.js';
import { writeJson } from '../output.js';
import { discardOutDir, runWithResults, reportStart } from '../resultSession.js';
import { WORKLOAD_IDS } from '../speed/workloads.js';
import { median } from '../stats.js';
import { createStepHooks } from '../stepHooks.js';
import { formatTable } from '../table.js';
import { OTHER_STACKS } from './speedSuite.js';

/** What `speed` runs: each regularizer per size and backend, or issue 11's workloads on keepdist, tfjs and torch. */
export const SPEED_SUITES = ['methods', 'workloads'] as const;

/** The `speed` subcommand's spec; `methods` are the valid method names (the dispersion regularizers). */
export function speedCommand(methods: readonly string[]) {
  return {
    name: 'speed',
    summary:
      'Speed: time of one loss + gradient per method, per size and per backend (median of repeats after warm-up), ' +
      'matmul GFLOP/s, and speed-ups against the first backend listed; or, with --suite workloads, five fixed ' +
      'workloads (matmul, mmd, lloyd, sliced) on keepdist, TensorFlow.js and PyTorch side by side, with ratios.',
    flags: {
      suite: {
        type: 'enum',
        choices: SPEED_SUITES,
        default: 'methods',
        help:
          'methods: every --methods regularizer at every --sizes on every --backend. workloads: W1 matmul 1024³ (forward), ' +
          'W2 mmd gaussian n = 1024 and 4096, W3 lloyd m = n = 4096, W4 sliced n = 20000 (loss and gradient, d = 64, ' +
          'float32, the same seeded data for every stack) on each --backend and each --against stack',
      },
      sizes: {
        type: 'list',
        item: { pattern: /^[1-9]\d*x[1-9]\d*$/, hint: '<n>x<d> such as 1024x64' },
        default: ['1024x64', '4096x64'],
        help: 'Problem sizes n x d (n points on S^{d-1}, n >= 2); --suite methods only',
      },
      methods: methodsFlag(methods, 'Methods (regularizers) to run; --suite methods only'),
      workloads: {
        type: 'list',
        choices: WORKLOAD_IDS,
        default: ['all'],
        help: 'Workloads to run; --suite workloads only',
      },
      backend: {
        type: 'list',
        choices: BACKENDS,
        default: ['cpu'],
        help:
          'keepdist backends, comma-separated; with --suite methods the first is the baseline of the speed-ups, ' +
          'with --suite workloads each gets its time over every other stack\'s, and one that cannot start (wasm without ' +
          'WebAssembly SIMD, a GPU mode this machine lacks) is skipped with the reason',
      },
      against: {
        type: 'list',
        choices: OTHER_STACKS,
        default: ['all'],
        help:
          'Stacks to compare keepdist with (--suite workloads only): TensorFlow.js cpu and wasm (dev dependencies of the bench), ' +
          'PyTorch CPU with 1 and 2 threads (install: bash packages/bench/scripts/install-torch.sh; each also runs lloyd as ' +
          'acos of the row maxima). One that is absent is skipped with the reason',
      },
      python: {
        type: 'string',
        help: 'Python interpreter with torch (--suite workloads only); default: the first of /usr/bin/python3, python3, python that imports torch',
      },
      scale: {
        type: 'float',
        default: 1,
        positive: true,
        help: 'Multiply the workloads\' row counts by this factor, for a quick check (--suite workloads only); 1 is the issue\'s sizes',
      },
      repeats: { type: 'int', default: 3, min: 1, help: 'Timed runs per case (the median is reported)' },
      warmup: { type: 'int', default: 1, min: 0, help: 'Untimed runs per case before timing' },
      seed: seedFlag,
      out: outFlag,
      force: forceFlag,
    },
  } as const satisfies CommandSpec;
}

/** Parsed options of `speed`. */
export type SpeedOptions = FlagValues<ReturnType<typeof speedCommand>['flags']>;

/** A size parsed from `--sizes`: n points in dimension d. */
export interface ProblemSize {
  readonly n: number;
  readonly d: number;
}

/** Parses `1024x64` into `{ n: 1024, d: 64 }` (the parser has already checked the form). */
export function parseSize(text: string): ProblemSize {
  const [n, d] = text.split('x').map(Number);
  return { n: n as number, d: d as number };
}

/**
 * One case to time: the loss + gradient of a method at X (n × d, rows on the sphere), or the matmul
 * X · Xᵀ of the same X (2·n²·d floating point operations).
 */
export type SpeedCaseInput =
  | { readonly task: 'lossGrad'; readonly method: string; readonly n: number; readonly d: number; readonly backend: BackendName; readonly seed: number }
  | { readonly task: 'matmul'; readonly n: number; readonly d: number; readonly backend: BackendName; readonly seed: number };

/** A prepared case: `run` does the timed work once and returns only when the result is computed (read back or synced). */
export interface SpeedCase {
  run(): void | Promise<void>;
  dispose?(): void | Promise<void>;
}

/** The numeric core of `speed`: set up the inputs of one case (untimed) and return what to time. */
export type PrepareSpeedCase = (input: SpeedCaseInput) => SpeedCase | Promise<SpeedCase>;

/** One timed case. `speedup` is the baseline backend's median over this one's (> 1: faster than baseline). */
export interface SpeedCaseResult {
  readonly task: SpeedCaseInput['task'];
  /** The method, or `matmul`. */
  readonly method: string;
  readonly n: number;
  readonly d: number;
  readonly backend: BackendName;
  readonly timesMs: number[];
  medianMs: number | undefined;
  /** matmul only: 2·n²·d / median time. */
  gflops: number | undefined;
  speedup: number | undefined;
  error: string | undefined;
}

/** Everything `speed` measured; written as `results.json`. */
export interface SpeedReport {
  readonly command: 'speed';
  readonly options: SpeedOptions;
  readonly baseline: BackendName;
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  readonly results: SpeedCaseResult[];
}

/** Fills `speedup` of each result from the baseline backend's result of the same task, method and size. */
export function computeSpeedups(results: readonly SpeedCaseResult[], baseline: BackendName): void {
  const key = (r: SpeedCaseResult): string => `${r.method}|${r.n}|${r.d}`;
  const base = new Map(results.filter((r) => r.backend === baseline).map((r) => [key(r), r.medianMs]));
  for (const r of results) {
    const b = base.get(key(r));
    r.speedup = b !== undefined && r.medianMs !== undefined && r.medianMs > 0 ? b / r.medianMs : undefined;
  }
}

/** The stdout summary of a speed report. */
export function speedTable(report: SpeedReport): string {
  return formatTable<SpeedCaseResult>(
    [
      { header: 'task', value: (r) => r.method },
      { header: 'n x d', value: (r) => `${r.n}x${r.d}`, align: 'right' },
      { header: 'backend', value: (r) => r.backend },
      { header: 'median (ms)', value: (r) => r.medianMs, digits: 3 },
      { header: 'GFLOP/s', value: (r) => r.gflops, digits: 2 },
      { header: `speed-up vs ${report.baseline}`, value: (r) => r.speedup, digits: 2 },
      { header: 'note', value: (r) => r.error ?? '' },
    ],
    report.results,
  );
}

/**
 * Runs `speed --suite methods`: for each backend, size and task (matmul first, then each method) prepares the case, runs it
 * `warmup` times untimed and `repeats` times timed, and records the median. A case that fails (say, a gpu mode
 * this machine lacks) is recorded with its error and the run goes on; when every case fails, or every
 * loss + gradient case (only matmul ran), the run fails.
 * Writes `results.json`, prints the table; Ctrl-C writes what was timed.
 */
export async function runSpeed(options: SpeedOptions, prepare: PrepareSpeedCase, ctx: CommandContext): Promise<SpeedReport> {
  const baseline = options.backend[0] as BackendName; // the parser never yields an empty list
  const report: SpeedReport = {
    command: 'speed',
    options,
    baseline,
    ...reportStart('speed', options.out, ctx, options.force),
    results: [],
  };
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    computeSpeedups(report.results, baseline);
    writeJson(report.outDir, 'results.json', report);
  };
  const sizes = options.sizes.map(parseSize);
  const tasks = ['matmul', ...options.methods];
  const runsPerCase = options.warmup + options.repeats;
  const total = options.backend.length * sizes.length * tasks.length * runsPerCase;
  await runWithResults(ctx, {
    save, hasResults: () => report.results.some((r) => r.timesMs.length > 0), discard: discardOutDir(report.outDir, options.out),
  }, async () => {
    const progress = ctx.createProgress({ total, label: 'speed' });
    let done = 0;
    try {
      for (const backend of options.backend) {
        for (const { n, d } of sizes) {
          for (const method of tasks) {
            const input: SpeedCaseInput = method === 'matmul'
              ? { task: 'matmul', n, d, backend, seed: options.seed }
              : { task: 'lossGrad', method, n, d, backend, seed: options.seed };
            const result: SpeedCaseResult = {
              task: input.task, method, n, d, backend, timesMs: [], medianMs: undefined, gflops: undefined, speedup: undefined, error: undefined,
            };
            report.results.push(result);
            const hooks = createStepHooks(progress, done, `${method} ${n}x${d} ${backend}`);
            try {
              await timeCase(prepare, input, options, result, hooks.step, ctx.now);
            } catch (err) {
              result.error = err instanceof Error ? err.message : String(err);
              ctx.stderr(`speed: ${method} ${n}x${d} on ${backend} failed: ${result.error}\n`);
            }
            done += runsPerCase;
          }
        }
      }
    } finally {
      progress.stop();
    }
    const failed = report.results.filter((r) => r.error !== undefined);
    if (failed.length === report.results.length && failed[0] !== undefined) {
      throw new Error(`speed: every case failed; the first with: ${failed[0].error}`);
    }
    const methodCases = report.results.filter((r) => r.task === 'lossGrad');
    const failedMethod = methodCases.find((r) => r.error !== undefined);
    if (methodCases.length > 0 && methodCases.every((r) => r.error !== undefined) && failedMethod !== undefined) {
      throw new Error(`speed: every method failed (only matmul ran); the first with: ${failedMethod.error}`);
    }
  });
  ctx.stdout(speedTable(report));
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}

async function timeCase(
  prepare: PrepareSpeedCase,
  input: SpeedCaseInput,
  options: SpeedOptions,
  result: SpeedCaseResult,
  step: (i: number) => Promise<void>,
  now: () => number,
): Promise<void> {
  const c = await prepare(input);
  try {
    for (let i = 1; i <= options.warmup; i++) {
      await c.run();
      await step(i);
    }
    for (let i = 1; i <= options.repeats; i++) {
      const t0 = now();
      await c.run();
      result.timesMs.push(now() - t0);
      result.medianMs = median(result.timesMs);
      await step(options.warmup + i);
    }
    if (input.task === 'matmul' && result.medianMs !== undefined && result.medianMs > 0) {
      result.gflops = (2 * input.n * input.n * input.d) / (result.medianMs * 1e6);
    }
  } finally {
    await c.dispose?.();
  }
}
