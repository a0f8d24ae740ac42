/**
 * The two plots, drawn by uPlot: minimum angle against iterations (with the Tammes optimum as
 * a horizontal line when n has one), and the pair-angle histogram of the d > 3 view next to the
 * angle density of uniform points on S^{d−1}.
 */
import uPlot from 'uplot';
import type { AngleHistogram } from '../protocol.js';
import { uniformAngleShares } from './uniformAngles.js';

/** `k` in superscript digits. */
function superscript(k: number): string {
  return String(k).replace(/\d/g, (c) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(c)]!);
}

/** Width and height that fill `host`. */
function sizeOf(host: HTMLElement): { width: number; height: number } {
  return { width: Math.max(200, host.clientWidth), height: Math.max(160, host.clientHeight - 56) };
}

/** Keeps a uPlot sized to its host element. */
function track(host: HTMLElement, plot: () => uPlot): void {
  new ResizeObserver(() => plot().setSize(sizeOf(host))).observe(host);
}

/** Minimum angle (degrees) against iterations. */
export class MinAngleChart {
  private readonly iterations: number[] = [];
  private readonly angles: number[] = [];
  private optimum: number | undefined;
  private readonly plot: uPlot;

  /** @param host the element the chart fills */
  constructor(host: HTMLElement) {
    this.plot = new uPlot({
      ...sizeOf(host),
      title: 'minimum angle',
      legend: { live: false },
      scales: { x: { time: false }, y: { auto: true } },
      axes: [{ label: 'iteration', stroke: '#c8d3df', grid: { stroke: '#2a3644' } }, { label: 'degrees', stroke: '#c8d3df', grid: { stroke: '#2a3644' } }],
      series: [
        { label: 'iteration' },
        { label: 'min angle (°)', stroke: '#ffb347', width: 2, points: { show: false } },
        { label: 'Tammes optimum (°)', stroke: '#7fd1a0', width: 1.5, dash: [6, 4], points: { show: false } },
      ],
    }, [[], [], []], host);
    track(host, () => this.plot);
  }

  /** Clears the curve; `optimum` is the line to draw (undefined: none). */
  reset(optimum: number | undefined): void {
    this.iterations.length = 0;
    this.angles.length = 0;
    this.optimum = optimum;
    this.plot.setSeries(2, { show: optimum !== undefined });
    this.redraw();
  }

  /** Appends one point of the curve (drawn by the next {@link redraw}). */
  push(iteration: number, minAngleDeg: number): void {
    this.iterations.push(iteration);
    this.angles.push(minAngleDeg);
  }

  /** Draws the curve as it is now. */
  redraw(): void {
    const line = this.iterations.map(() => this.optimum ?? null);
    this.plot.setData([this.iterations, this.angles, line]);
  }
}

/** The pair-angle histogram (share of pairs per bin) with the uniform reference. */
export class HistogramChart {
  private readonly plot: uPlot;

  /** @param host the element the chart fills */
  constructor(host: HTMLElement) {
    this.plot = new uPlot({
      ...sizeOf(host),
      title: 'pair angles θ_ij',
      legend: { live: false },
      scales: { x: { time: false, range: [0, 180] }, y: { auto: true, range: (_u, _lo, hi) => [0, hi * 1.05 || 1] } },
      axes: [{ label: 'degrees', stroke: '#c8d3df', grid: { stroke: '#2a3644' } }, { label: 'share of pairs', stroke: '#c8d3df', grid: { stroke: '#2a3644' } }],
      series: [
        { label: 'angle (°)' },
        { label: 'these points', stroke: '#ffb347', fill: 'rgba(255,179,71,0.45)', paths: uPlot.paths.bars!({ size: [1, Infinity], gap: 0 }), points: { show: false } },
        { label: 'uniform points', stroke: '#7fd1a0', width: 1.5, points: { show: false } },
      ],
    }, [[], [], []], host);
    track(host, () => this.plot);
  }

  /** Draws `h` for `n` points in dimension `d` (an empty plot when `h` is undefined). */
  show(h: AngleHistogram | undefined, d: number, n: number): void {
    if (!h) {
      this.plot.setData([[], [], []]);
      return;
    }
    const title = this.plot.root.querySelector('.u-title');
    if (title) title.textContent = `pair angles θ_ij on S${superscript(d - 1)}: ${h.points < n ? `pairs of the first ${h.points} of ${n} points` : `all ${(n * (n - 1)) / 2} pairs`}`;
    const bins = h.counts.length, w = 180 / bins;
    const total = h.counts.reduce((a, b) => a + b, 0) || 1;
    this.plot.setData([
      h.counts.map((_, k) => (k + 0.5) * w),
      h.counts.map((c) => c / total),
      uniformAngleShares(d, bins),
    ]);
  }
}
