// The data behind a `keepdist-bench synthetic` run's curve plots as a markdown table: per method,
// the mean over its seeds of one recorded metric at each recorded iteration (min–max over the seeds
// in brackets when there is more than one), and the mean wall time per run.
// Usage: node packages/bench/scripts/synthetic-curves.mjs <results.json> [minAngleDeg|circularVariance|loss]
import { readFileSync } from 'node:fs';

const METRICS = ['minAngleDeg', 'circularVariance', 'loss'];
const [file, metric = 'minAngleDeg'] = process.argv.slice(2);
if (file === undefined || !METRICS.includes(metric)) {
  console.error(`synthetic-curves: expected <results.json> [${METRICS.join('|')}], got ${process.argv.slice(2).join(' ') || 'no arguments'}.`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
if (report.command !== 'synthetic' || !Array.isArray(report.results) || report.results.length === 0) {
  console.error(`synthetic-curves: expected a synthetic results.json with results, got ${file}.`);
  process.exit(2);
}

/** Runs grouped by method, in the order they appear. */
const byMethod = new Map();
for (const run of report.results) {
  if (!byMethod.has(run.method)) byMethod.set(run.method, []);
  byMethod.get(run.method).push(run);
}
const iterations = [...new Set(report.results.flatMap((r) => r.records.map((rec) => rec.iteration)))].sort((a, b) => a - b);
const digits = metric === 'minAngleDeg' ? 2 : 4;
const fmt = (x) => x.toFixed(digits);

/** Mean (and [min–max] over several runs) of the metric at one iteration, or '' where no run recorded it. */
function cell(runs, iteration) {
  const values = runs.map((r) => r.records.find((rec) => rec.iteration === iteration)?.[metric]).filter((v) => v !== undefined);
  if (values.length === 0) return '';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.length === 1 ? fmt(mean) : `${fmt(mean)} [${fmt(Math.min(...values))}–${fmt(Math.max(...values))}]`;
}

console.log(`| method (seeds) | ${iterations.map((i) => `it ${i}`).join(' | ')} | wall s per run |`);
console.log(`|---|${iterations.map(() => '---').join('|')}|---|`);
for (const [method, runs] of byMethod) {
  const wall = runs.reduce((a, r) => a + r.wallTimeS, 0) / runs.length;
  const complete = runs.every((r) => r.complete) ? '' : ', incomplete';
  console.log(`| ${method} (${runs.map((r) => r.seed).join(', ')}${complete}) | ${iterations.map((i) => cell(runs, i)).join(' | ')} | ${wall.toFixed(1)} |`);
}
