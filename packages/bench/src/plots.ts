// SVG figures: vega-lite specs compiled to vega and rendered headless (no canvas, no fonts needed).
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One method's sorted per-point minimum angles (degrees), for {@link tammesPlot}. */
export interface TammesSeries {
  readonly method: string;
  readonly sortedMinAnglesDeg: readonly number[];
}

/**
 * One method's curve: y against x, equal lengths, for {@link curvePlot}; with `band`, the lower and
 * upper edges of a shaded band around it at the same x (e.g. the min and max over seeds).
 */
export interface CurveSeries {
  readonly method: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly band?: { readonly lower: readonly number[]; readonly upper: readonly number[] };
}

/** Titles of a {@link curvePlot}. */
export interface CurvePlotOptions {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
}

/** Name of the vega-lite layer holding one line per method; its marks carry the class `series_marks`. */
export const SERIES_LAYER = 'series';
/** Name of the vega-lite layer holding the shaded bands of {@link curvePlot} (`band_marks`). */
export const BAND_LAYER = 'band';
/** Name of the layer holding the optimum's horizontal rule (`optimum_marks`). */
export const OPTIMUM_LAYER = 'optimum';

/** A layered vega-lite spec and one of its layers, derived from the public `TopLevelSpec` type. */
type LayeredSpec = Extract<TopLevelSpec, { layer: unknown }>;
type Layer = LayeredSpec['layer'][number];

const WIDTH = 520;
const HEIGHT = 320;

/**
 * Renders a vega-lite spec to an SVG string: `vega-lite.compile` → `vega.parse` →
 * `new vega.View(..., { renderer: 'none' }).toSVG()`; the view is finalized afterwards.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function checkSeries(fn: string, methods: readonly string[], lengths: readonly number[]): void {
  const seen = new Set<string>();
  methods.forEach((m, i) => {
    if (seen.has(m)) throw new Error(`${fn}: expected one series per method, got '${m}' twice.`);
    seen.add(m);
    if (lengths[i] === 0) throw new Error(`${fn}: expected at least one point for method '${m}', got none.`);
  });
}

function seriesLayer(
  values: Record<string, string | number | undefined>[],
  methods: readonly string[],
  x: 'rank' | 'value',
  xTitle: string,
  yTitle: string,
): Layer {
  return {
    name: SERIES_LAYER,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x:
        x === 'rank'
          ? { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 }, scale: { zero: false, nice: false } }
          : { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: methodColor(methods),
    },
  };
}

/** The colour encoding of the methods, shared by the lines and their bands so that both get one scale and legend. */
function methodColor(methods: readonly string[]) {
  return {
    field: 'method',
    type: 'nominal',
    title: 'method',
    sort: [...methods],
    // tableau10 keeps neighbours distinct; tableau20 (paired shades) only when more methods than that.
    scale: { scheme: methods.length <= 10 ? 'tableau10' : 'tableau20' },
    legend: { labelLimit: 320 },
  } as const;
}

/**
 * Tammes figure: for each method, its per-point minimum angles sorted ascending against point rank
 * (1..n), one line per method, plus a dashed horizontal rule at the best known optimum (omitted when
 * `optimumDeg` is undefined).
 * @throws Error when a method appears twice or has no points.
 */
export function tammesPlot(series: readonly TammesSeries[], optimumDeg: number | undefined): Promise<string> {
  const methods = series.map((s) => s.method);
  checkSeries('tammesPlot', methods, series.map((s) => s.sortedMinAnglesDeg.length));
  const values = series.flatMap((s) => s.sortedMinAnglesDeg.map((y, i) => ({ method: s.method, x: i + 1, y })));
  const n = Math.max(0, ...series.map((s) => s.sortedMinAnglesDeg.length));
  const layers: Layer[] = [
    seriesLayer(values, methods, 'rank', 'point rank (sorted by minimum angle)', 'minimum angle to nearest point (degrees)'),
  ];
  if (optimumDeg !== undefined) {
    layers.push({
      name: OPTIMUM_LAYER,
      data: { values: [{ y: optimumDeg, label: `best known ${optimumDeg.toFixed(3)}°` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [6, 4], color: 'black' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: 'black' },
          encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
        },
      ],
    });
  }
  return renderSvg({
    title: `Tammes problem, n = ${n}: sorted per-point minimum angles`,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    layer: layers,
  });
}

/** The band layer: one translucent area per method between `lower` and `upper`, coloured as its line. */
function bandLayer(values: Record<string, string | number | undefined>[], methods: readonly string[]): Layer {
  return {
    name: BAND_LAYER,
    data: { values },
    mark: { type: 'area', opacity: 0.2 },
    encoding: {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'lower', type: 'quantitative' },
      y2: { field: 'upper' },
      color: methodColor(methods),
    },
  };
}

/**
 * Line chart with one line per method (e.g. minimum angle or circular variance against iterations or time),
 * under which the series that have a `band` get it shaded in their colour.
 * @throws Error when x, y and a band differ in length, a method appears twice, or a method has no points.
 */
export function curvePlot(series: readonly CurveSeries[], options: CurvePlotOptions): Promise<string> {
  for (const s of series) {
    if (s.x.length !== s.y.length) {
      throw new Error(`curvePlot: expected x and y of equal length for method '${s.method}', got ${s.x.length} and ${s.y.length}.`);
    }
    if (s.band && (s.band.lower.length !== s.x.length || s.band.upper.length !== s.x.length)) {
      throw new Error(
        `curvePlot: expected the band of method '${s.method}' as long as x (${s.x.length}), got lower ${s.band.lower.length} and upper ${s.band.upper.length}.`,
      );
    }
  }
  const methods = series.map((s) => s.method);
  checkSeries('curvePlot', methods, series.map((s) => s.x.length));
  const values = series.flatMap((s) => s.x.map((x, i) => ({ method: s.method, x, y: s.y[i] })));
  const bands = series.flatMap((s) => (s.band ? s.x.map((x, i) => ({ method: s.method, x, lower: s.band?.lower[i], upper: s.band?.upper[i] })) : []));
  const lines = seriesLayer(values, methods, 'value', options.xTitle, options.yTitle);
  return renderSvg({
    title: options.title,
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    layer: bands.length > 0 ? [bandLayer(bands, methods), lines] : [lines],
  });
}
