import { describe, expect, it } from 'vitest';
import { OPTIMUM_LAYER, SERIES_LAYER, curvePlot, tammesPlot } from '../src/plots.js';
import { assertWellFormed, countMarks } from './svgInspect.js';

const seriesClass = `${SERIES_LAYER}_marks`;
const methodOf = (label: string): string | undefined => /method: ([^;]+)$/.exec(label)?.[1];

describe('tammesPlot', () => {
  const series = [
    { method: 'mma', sortedMinAnglesDeg: [40, 41.5, 45, 47, 48] },
    { method: 'koleo', sortedMinAnglesDeg: [42, 43, 44, 46, 48.2] },
    { method: 'mmd-gaussian-euclidean', sortedMinAnglesDeg: [30, 35, 39, 44, 47] },
  ];

  it('renders well-formed SVG with one line per method and the optimum rule', async () => {
    const svg = await tammesPlot(series, 43.6907671);
    expect(svg.startsWith('<svg')).toBe(true);
    assertWellFormed(svg);
    const lines = countMarks(svg, seriesClass);
    expect(lines.groups).toBe(3);
    expect(lines.paths).toBe(3);
    expect(lines.labels.map(methodOf).sort()).toEqual(['koleo', 'mma', 'mmd-gaussian-euclidean']);
    expect(svg).toContain(`${OPTIMUM_LAYER}_layer_0_marks`);
    expect(svg).toContain('best known 43.691°');
  });

  it('omits the rule when no optimum is known, and draws a single method', async () => {
    const svg = await tammesPlot(series.slice(0, 1), undefined);
    assertWellFormed(svg);
    expect(countMarks(svg, seriesClass).paths).toBe(1);
    expect(svg).not.toContain(`${OPTIMUM_LAYER}_`);
  });

  it('escapes method names into valid XML', async () => {
    const svg = await tammesPlot([{ method: 'a<b>&"c"', sortedMinAnglesDeg: [1, 2] }], 3);
    assertWellFormed(svg);
    expect(countMarks(svg, seriesClass).paths).toBe(1);
  });

  it.each([
    [[{ method: 'mma', sortedMinAnglesDeg: [] }], /tammesPlot: expected at least one point for method 'mma', got none/],
    [[series[0], series[0]], /tammesPlot: expected one series per method, got 'mma' twice/],
  ])('rejects bad series %#', (bad, pattern) => {
    expect(() => tammesPlot(bad as typeof series, 1)).toThrow(pattern);
  });
});

describe('curvePlot', () => {
  const options = { title: 'minimum angle vs iteration', xTitle: 'iteration', yTitle: 'minimum angle (degrees)' };

  it.each([1, 2, 5, 14])('renders one line series per method (%i methods)', async (k) => {
    const series = Array.from({ length: k }, (_, i) => ({
      method: `method-${i}`,
      x: [0, 10, 20, 30],
      y: [1 + i, 2 + i, 2.5 + i, 2.7 + i],
    }));
    const svg = await curvePlot(series, options);
    assertWellFormed(svg);
    const lines = countMarks(svg, seriesClass);
    expect(lines.groups).toBe(k);
    expect(lines.paths).toBe(k);
    expect(new Set(lines.labels.map(methodOf))).toEqual(new Set(series.map((s) => s.method)));
    expect(svg).toContain(options.title);
  });

  it('draws series of different lengths, including a single point', async () => {
    const svg = await curvePlot(
      [
        { method: 'a', x: [0, 1, 2], y: [3, 2, 1] },
        { method: 'b', x: [0.5], y: [2] },
      ],
      options,
    );
    assertWellFormed(svg);
    expect(countMarks(svg, seriesClass).paths).toBe(2);
  });

  it.each([
    [[{ method: 'a', x: [1, 2], y: [1] }], /curvePlot: expected x and y of equal length for method 'a', got 2 and 1/],
    [[{ method: 'a', x: [], y: [] }], /curvePlot: expected at least one point for method 'a', got none/],
    [[{ method: 'a', x: [1, 2], y: [1, 2], band: { lower: [0, 1], upper: [2] } }], /curvePlot: expected the band of method 'a' as long as x \(2\), got lower 2 and upper 1\./],
    [[{ method: 'a', x: [1], y: [1] }, { method: 'a', x: [2], y: [2] }], /curvePlot: expected one series per method, got 'a' twice/],
  ])('rejects bad series %#', (bad, pattern) => {
    expect(() => curvePlot(bad, options)).toThrow(pattern);
  });
});
