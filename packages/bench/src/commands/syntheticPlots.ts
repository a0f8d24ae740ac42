// The four figures of `synthetic`: minimum angle and circular variance against iterations and against time.
import { curvePlot, type CurveSeries } from '../plots.js';
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

function series(results: readonly SyntheticMethodResult[], x: Axis, y: Metric): CurveSeries[] {
  const pick = (k: keyof SyntheticRecord) => (r: SyntheticMethodResult): number[] => r.records.map((rec) => rec[k]);
  return results.map((r) => ({ method: r.method, x: pick(x)(r), y: pick(y)(r) }));
}

/**
 * Renders, for methods with at least one record, minimum angle and circular variance against iterations and
 * against elapsed time: one line per method in each. Returns SVG text by file name.
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
