// The stdout tables of `speed --suite workloads`: one per workload with keepdist's ratios, then a summary grid.
import { formatTable, type TableColumn } from '../table.js';
import type { SpeedSuiteReport, StackResult, WorkloadResult } from './speedSuite.js';

/** The table of one workload: each stack's median and fastest run, GFLOP/s (matmul) or loss, and each keepdist stack's time over it. */
export function workloadTable(result: WorkloadResult): string {
  const keepdist = result.rows.filter((r) => r.keepdist).map((r) => r.stack);
  const matmul = result.workload.kind === 'matmul';
  const columns: TableColumn<StackResult>[] = [
    { header: 'stack', value: (r) => r.stack },
    { header: 'median (ms)', value: (r) => r.medianMs, digits: 2 },
    { header: 'min (ms)', value: (r) => r.minMs, digits: 2 },
    matmul
      ? { header: 'GFLOP/s', value: (r) => r.gflops, digits: 2 }
      : { header: 'loss', value: (r) => r.loss, digits: 6 },
    ...keepdist.map((k): TableColumn<StackResult> => ({ header: `${k} / this`, value: (r) => r.ratios[k], digits: 2 })),
    { header: 'note', value: (r) => r.error ?? '' },
  ];
  return `${result.label}\n${formatTable(columns, result.rows)}`;
}

/** Median times (ms) in a grid: a row per workload, a column per stack (`-` where it did not run). */
export function summaryGrid(report: SpeedSuiteReport): string {
  const stacks = [...new Set(report.results.flatMap((r) => r.rows.map((x) => x.stack)))];
  const columns: TableColumn<WorkloadResult>[] = [
    { header: 'workload (median ms)', value: (r) => r.label.replace(/ \(.*\)$/, '') },
    ...stacks.map((s): TableColumn<WorkloadResult> => ({
      header: s, value: (r) => r.rows.find((x) => x.stack === s)?.medianMs, digits: 1, align: 'right',
    })),
  ];
  return formatTable(columns, report.results);
}

/**
 * Everything the suite prints after measuring: a table per workload, the summary grid, and how to
 * read the ratios (noisy when other processes share the machine).
 */
export function speedSuiteTables(report: SpeedSuiteReport): string {
  const blocks = report.results.map(workloadTable);
  blocks.push(summaryGrid(report));
  const note = `'<keepdist stack> / this' is that keepdist stack's median time over this row's (> 1: keepdist is slower). ` +
    `Median of ${report.options.repeats} timed runs after ${report.options.warmup} warm-up (min: the fastest run); ` +
    `load average at the start ${report.machine.loadAverage.map((x) => x.toFixed(2)).join(', ')} on ${report.machine.cores} cores: ` +
    'other processes on the machine make the ratios noisy.\n';
  return `\n${blocks.join('\n')}\n${note}`;
}
