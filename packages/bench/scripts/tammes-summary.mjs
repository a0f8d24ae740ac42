// One markdown line on a `keepdist-bench tammes` results.json: the best method, its gap and whether
// it is within 1% of the tabulated optimum; with a second argument (a proven optimum in degrees,
// where the tabulated value is not attainable) also the gap against that value.
// Numbers are rounded as the printed table rounds them (angles 4 digits, gaps 2).
// Usage: node packages/bench/scripts/tammes-summary.mjs <results.json> [provenOptimumDeg]
import { readFileSync } from 'node:fs';

const [file, provenArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('tammes-summary: expected <results.json> [provenOptimumDeg], got no arguments.');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
if (report.command !== 'tammes' || report.results.length === 0) {
  console.error(`tammes-summary: expected a tammes results.json with results, got ${file}.`);
  process.exit(2);
}
const deg = (x) => `${x.toFixed(4)}°`;
const pct = (x) => `${x.toFixed(2)}%`;
const best = report.results.reduce((a, b) => (b.minAngleDeg > a.minAngleDeg ? b : a));
// Methods that print the same angle as the best one (4 digits) are named with it.
const ties = report.results.filter((r) => r !== best && deg(r.minAngleDeg) === deg(best.minAngleDeg)).map((r) => r.method);
const { n, restarts } = report.options;
const starts = restarts > 1 ? ` (best of ${restarts} starts, seed ${best.bestSeed})` : '';
const names = ties.length < 2 ? ties.join('') : `${ties.slice(0, -1).join(', ')} and ${ties.at(-1)}`;
const tied = ties.length > 0 ? `; ${names} ${ties.length > 1 ? 'reach' : 'reaches'} the same angle to 4 decimals` : '';
let line = `**n = ${n}:** best method ${best.method}, ${deg(best.minAngleDeg)}${starts}${tied}. `;
if (best.gapPercent === undefined || best.gapPercent === null) {
  line += 'No optimum is tabulated for this n, so no gap.';
} else {
  const met = best.gapPercent <= 1;
  line += `Gap ${pct(best.gapPercent)} to the tabulated ${deg(best.optimumDeg)}: the 1% goal is ${met ? 'met' : 'not met'}`;
  if (provenArg !== undefined) {
    const proven = Number(provenArg);
    const gap = ((proven - best.minAngleDeg) / proven) * 100;
    line += ` (nor can it be: the proven optimum is ${provenArg}°). Against ${provenArg}° the gap is ${pct(gap)}`;
    line += gap <= 1 ? ', within 1%.' : ', more than 1%.';
  } else {
    line += '.';
  }
}
console.log(line);
