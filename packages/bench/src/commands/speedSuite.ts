// `keepdist-bench speed --suite workloads`: issue 11's five workloads on keepdist's backends, TensorFlow.js and
// PyTorch in one run; a table per workload with each stack's time and keepdist's ratio to it.
import { arch, cpus, loadavg, platform } from 'node:os';
import type { CommandContext } from '../commandContext.js';
import type { BackendName } from '../commonFlags.js';
import { writeJson } from '../output.js';
import { reportStart, runWithResults } from '../resultSession.js';
import { median } from '../stats.js';
import {
  WORKLOADS, scaleWorkload, workloadFlops, workloadLabel,
  type Workload, type WorkloadData, type WorkloadId, type WorkloadKind,
} from '../speed/workloads.js';
import { speedSuiteTables } from './speedSuiteTables.js';

/** The reference stacks `--against` can name: TensorFlow.js's cpu and wasm backends, PyTorch CPU with 1 and 2 threads. */
export const OTHER_STACKS = ['tfjs-cpu', 'tfjs-wasm', 'torch-1', 'torch-2'] as const;

/** One of {@link OTHER_STACKS}. */
export type OtherStackName = (typeof OTHER_STACKS)[number];

/** How a stack times a workload: `warmup` untimed runs, then `repeats` timed ones; `step` after each run (progress, Ctrl-C). */
export interface Timing {
  readonly warmup: number;
  readonly repeats: number;
  /** Monotonic clock in ms (stacks that time in another process use their own). */
  readonly now: () => number;
  readonly step: () => Promise<void>;
}

/** What a stack measured: one time per timed run, and the loss of the last run (undefined for matmul). */
export interface Measurement {
  readonly timesMs: number[];
  readonly loss: number | undefined;
}

/** One implementation of the workloads: a keepdist backend, a tfjs backend, torch at a thread count. */
export interface SpeedStack {
  /** Row name in the tables, e.g. `keepdist cpu`, `tfjs-wasm`, `torch-2`. */
  readonly name: string;
  /** True for keepdist's backends: the tables give their time over every other stack's. */
  readonly keepdist: boolean;
  /** One line on what runs: versions, threads, BLAS kernel. */
  readonly info: string;
  /** The workload kinds it runs (a variant may run only one); undefined: all. */
  readonly kinds?: readonly WorkloadKind[];
  /** More about what runs, for results.json (torch: its build configuration, threads and BLAS). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Sets up `w` on `data` (untimed), times it, frees it. */
  measure(w: Workload, data: WorkloadData, timing: Timing): Promise<Measurement>;
}

/** A stack that could not be loaded, and why. */
export interface SkippedStack {
  readonly name: string;
  readonly reason: string;
}

/** Which stacks a run asks for: keepdist `backends` (--backend), the others (--against), the Python for torch. */
export interface StackRequest {
  readonly backends: readonly BackendName[];
  readonly against: readonly OtherStackName[];
  readonly python: string | undefined;
}

/** The numeric side of the suite: loading the stacks and drawing a workload's inputs. */
export interface SpeedSuiteCore {
  loadStacks(request: StackRequest): Promise<{ stacks: SpeedStack[]; skipped: SkippedStack[] }>;
  workloadData(w: Workload, seed: number): WorkloadData;
}

/** Options of the workloads suite (the `speed` flags it reads). */
export interface SpeedSuiteOptions {
  readonly workloads: readonly WorkloadId[];
  readonly backend: readonly BackendName[];
  readonly against: readonly OtherStackName[];
  readonly python: string | undefined;
  readonly repeats: number;
  readonly warmup: number;
  readonly seed: number;
  readonly scale: number;
  readonly out: string | undefined;
  /** Write into a non-empty `out` (`--force`). */
  readonly force?: boolean;
}

/** One stack's result on one workload. `ratios[k]`: keepdist stack k's median over this one's (> 1: keepdist slower). */
export interface StackResult {
  readonly stack: string;
  readonly keepdist: boolean;
  readonly timesMs: number[];
  medianMs: number | undefined;
  /** The fastest timed run: less disturbed than the median when other processes share the machine. */
  minMs: number | undefined;
  /** matmul only: 2·n·d·m / median time. */
  gflops: number | undefined;
  loss: number | undefined;
  error: string | undefined;
  ratios: Record<string, number | undefined>;
}

/** One workload's results, a row per stack that runs it. */
export interface WorkloadResult {
  readonly workload: Workload;
  readonly label: string;
  readonly rows: StackResult[];
}

/** Everything the suite measured; written as `results.json`. */
export interface SpeedSuiteReport {
  readonly command: 'speed';
  readonly suite: 'workloads';
  /** The command line that reproduces this run (every flag explicit). */
  readonly commandLine: string;
  readonly options: SpeedSuiteOptions;
  readonly machine: { node: string; platform: string; cpu: string; cores: number; loadAverage: number[] };
  readonly startedAt: string;
  readonly outDir: string;
  complete: boolean;
  stacks: { name: string; keepdist: boolean; info: string; details?: Readonly<Record<string, unknown>> }[];
  skipped: SkippedStack[];
  readonly results: WorkloadResult[];
}

/** The command line with every option of the run spelled out, so that it reproduces the run. */
export function suiteCommandLine(o: SpeedSuiteOptions): string {
  const parts = [
    'keepdist-bench speed --suite workloads', `--workloads ${o.workloads.join(',')}`, `--backend ${o.backend.join(',')}`,
    `--against ${o.against.join(',')}`, `--repeats ${o.repeats}`, `--warmup ${o.warmup}`, `--seed ${o.seed}`, `--scale ${o.scale}`,
  ];
  if (o.python !== undefined) parts.push(`--python ${o.python}`);
  if (o.out !== undefined) parts.push(`--out ${o.out}`);
  return parts.join(' ');
}

/** Fills medians, fastest runs, GFLOP/s and every keepdist stack's ratio to each row of each workload. */
export function computeRatios(results: readonly WorkloadResult[]): void {
  for (const { workload, rows } of results) {
    const flops = workloadFlops(workload);
    for (const r of rows) {
      r.medianMs = r.timesMs.length > 0 ? median(r.timesMs) : undefined;
      r.minMs = r.timesMs.length > 0 ? Math.min(...r.timesMs) : undefined;
      r.gflops = flops !== undefined && r.medianMs !== undefined && r.medianMs > 0 ? flops / (r.medianMs * 1e6) : undefined;
    }
    for (const r of rows) {
      r.ratios = {};
      for (const k of rows.filter((x) => x.keepdist)) {
        r.ratios[k.stack] = k.medianMs !== undefined && r.medianMs !== undefined && r.medianMs > 0 ? k.medianMs / r.medianMs : undefined;
      }
    }
  }
}

/**
 * Runs the workloads suite: loads the stacks (printing each one's description, and the reason for each
 * one skipped), then for each workload draws its inputs once and times every stack on them in turn.
 * A stack that fails on a workload is recorded with its error and the run goes on; when every
 * measurement fails, the run fails. Writes `results.json` and prints the command, the tables and ratios.
 */
export async function runSpeedSuite(options: SpeedSuiteOptions, core: SpeedSuiteCore, ctx: CommandContext): Promise<SpeedSuiteReport> {
  const commandLine = suiteCommandLine(options);
  ctx.stdout(`$ ${commandLine}\n`);
  const cpu = cpus();
  const report: SpeedSuiteReport = {
    command: 'speed', suite: 'workloads', commandLine, options,
    machine: { node: process.version, platform: `${platform()} ${arch()}`, cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, loadAverage: loadavg() },
    ...reportStart('speed', options.out, ctx, options.force ?? false), stacks: [], skipped: [], results: [],
  };
  const { stacks, skipped } = await core.loadStacks({ backends: options.backend, against: options.against, python: options.python });
  report.stacks = stacks.map(({ name, keepdist, info, details }) => ({ name, keepdist, info, ...(details ? { details } : {}) }));
  report.skipped = skipped;
  for (const s of stacks) ctx.stdout(`${s.name}: ${s.info}\n`);
  for (const s of skipped) ctx.stdout(`${s.name}: skipped: ${s.reason}\n`);
  if (stacks.length === 0) throw new Error('speed: expected at least one stack to run, got none: every stack was skipped (reasons above).');
  const workloads = options.workloads.map((id) => scaleWorkload(WORKLOADS[id], options.scale));
  const runs = (w: Workload): SpeedStack[] => stacks.filter((s) => s.kinds === undefined || s.kinds.includes(w.kind));
  const total = workloads.reduce((t, w) => t + runs(w).length, 0) * (options.warmup + options.repeats);
  const save = async (complete: boolean): Promise<void> => {
    report.complete = complete;
    computeRatios(report.results);
    writeJson(report.outDir, 'results.json', report);
  };
  const measured = (): StackResult[] => report.results.flatMap((r) => r.rows);
  await runWithResults(ctx, { save, hasResults: () => measured().some((r) => r.timesMs.length > 0) }, async () => {
    const progress = ctx.createProgress({ total, label: 'speed' });
    let done = 0;
    try {
      for (const w of workloads) {
        const entry: WorkloadResult = { workload: w, label: workloadLabel(w), rows: [] };
        report.results.push(entry);
        const data = core.workloadData(w, options.seed);
        for (const stack of runs(w)) {
          const row: StackResult = {
            stack: stack.name, keepdist: stack.keepdist, timesMs: [], medianMs: undefined, minMs: undefined,
            gflops: undefined, loss: undefined, error: undefined, ratios: {},
          };
          entry.rows.push(row);
          const step = async (): Promise<void> => {
            progress.update(++done, `${w.id} ${stack.name}`);
            await new Promise((resolve) => setImmediate(resolve));
          };
          try {
            const m = await stack.measure(w, data, { warmup: options.warmup, repeats: options.repeats, now: ctx.now, step });
            row.timesMs.push(...m.timesMs);
            row.loss = m.loss;
          } catch (err) {
            row.error = err instanceof Error ? err.message : String(err);
            ctx.stderr(`speed: ${w.id} on ${stack.name} failed: ${row.error}\n`);
          }
        }
      }
    } finally {
      progress.stop();
    }
    const failed = measured().filter((r) => r.error !== undefined);
    if (failed.length === measured().length && failed[0] !== undefined) {
      throw new Error(`speed: every measurement failed; the first with: ${failed[0].error}`);
    }
  });
  ctx.stdout(speedSuiteTables(report));
  ctx.stdout(`Results written to ${report.outDir}\n`);
  return report;
}
