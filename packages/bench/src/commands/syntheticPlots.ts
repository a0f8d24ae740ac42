// The four figures of `synthetic`: minimum angle and circular variance against iterations and against time.
import { curvePlot, type CurveSeries } from '../plots.js';
import { spread } from '../stats.js';
import type { SyntheticMethodResult, SyntheticRecord } from './synthetic.js';

type Metric = 'minAngleDeg' | 'circularVariance';
type Axis = 'iteration' | 'elapsedS';

const METRICS: readonly { key: Metric; slug: string; title: string }[] = [
  { key: 'minAngleDeg', slug: 'min-angle', title: 'minimum angle (degrees)' },
  { key: 'circularVariance', slug: 'circular-variance', title: 'circular variance' },
];
const AXES: readonly { key: Axis; slug: string; title: string }[] = [
  { key: 'iteration', slug: 'iterations', title: 'iteration' },
  { key: 'elapsedS', slug: 'time', title: 'time (s)' },
];

/** File names of the synthetic figures, e.g. `min-angle-vs-iterations.svg`, in the order they are rendered. */
export const SYNTHETIC_PLOT_FILES: readonly string[] = METRICS.flatMap((m) => AXES.map((a) => `${m.slug}-vs-${a.slug}.svg`));

/**
 * One curve per method. A method run once is its records; a method run with several seeds is, at each
 * record index that every seed reached, the mean over seeds of x and of y, with the min–max band of y.
 */
function series(results: readonly SyntheticMethodResult[], x: Axis, y: Metric): CurveSeries[] {
  const byMethod = new Map<string, SyntheticMethodResult[]>();
  for (const r of results) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  return [...byMethod].map(([method, runs]) => {
    const at = (k: keyof SyntheticRecord, i: number): number[] => runs.map((r) => (r.records[i] as SyntheticRecord)[k]);
    const length = Math.min(...runs.map((r) => r.records.length));
    const index = Array.from({ length }, (_, i) => i);
    const ys = index.map((i) => spread(at(y, i)));
    const curve = { method, x: index.map((i) => spread(at(x, i)).mean), y: ys.map((s) => s.mean) };
    return runs.length === 1 ? curve : { ...curve, band: { lower: ys.map((s) => s.min), upper: ys.map((s) => s.max) } };
  });
}

/**
 * Renders, for methods with at least one record, minimum angle and circular variance against iterations and
 * against elapsed time: one line per method in each; for a method run with several seeds the line is the
 * mean over seeds (of time too, against time) and a band spans their min to max. Returns SVG text by file name.
 */
export async function syntheticPlots(results: readonly SyntheticMethodResult[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const m of METRICS) {
    for (const a of AXES) {
      out[`${m.slug}-vs-${a.slug}.svg`] = await curvePlot(series(results, a.key, m.key), {
        title: `${m.title} vs ${a.title}`,
        xTitle: a.title,
        yTitle: m.title,
      });
    }
  }
  return out;
}
