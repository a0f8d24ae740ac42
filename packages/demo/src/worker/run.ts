/**
 * One optimisation run inside the worker: fresh uniform points on S^{d−1}, the method's
 * regularizer, a Riemannian optimizer, and the frames the page draws.
 */
import { createRng, tidy, type Backend, type Tensor } from '@keepdist/autograd';
import { minAngleDegrees } from '@keepdist/dispersion';
import { RiemannianAdam, RiemannianSGD, randomUniform } from '@keepdist/sphere';
import { methodRegularizer } from '../methods.js';
import type { AngleHistogram, Frame, RunConfig } from '../protocol.js';
import { pairAngleHistogram } from './histogram.js';

/** The histogram counts the pairs among at most this many points (2000: about 2·10⁶ pairs). */
export const HISTOGRAM_MAX_POINTS = 2000;

/** A run: step it, snapshot it. */
export class Run {
  /** Iterations done. */
  iteration = 0;
  private readonly X: Tensor;
  private readonly opt: RiemannianAdam | RiemannianSGD;
  private readonly loss: (X: Tensor) => Tensor;
  private lastLoss: Tensor | null = null;
  private lastFrame = { iteration: 0, time: 0 };

  /** @param config the run's settings; `backend` and `dtype` where its tensors live */
  constructor(readonly config: RunConfig, readonly backend: Backend, dtype: 'float32' | 'float64') {
    const { n, d, seed, lr, retraction } = config;
    this.X = randomUniform(n, d, { rng: createRng(seed), dtype, backend, requiresGrad: true });
    this.loss = methodRegularizer(config.method, config.options, seed + 1);
    this.opt = config.optimizer === 'adam' ? new RiemannianAdam([this.X], { lr, retraction }) : new RiemannianSGD([this.X], { lr, retraction });
    this.lastFrame.time = performance.now();
  }

  /** One optimizer step; the loss tensor of the latest step is kept (the others are freed). */
  step(): void {
    const value = tidy(() => {
      this.opt.zeroGrad();
      const l = this.loss(this.X);
      l.backward();
      this.opt.step();
      return l;
    });
    this.lastLoss?.dispose();
    this.lastLoss = value;
    this.iteration++;
  }

  /** The current points, metrics and (per the config) histogram; reads the device on gpu backends. */
  async frame(): Promise<Frame> {
    const { n, d, histogramBins } = this.config;
    const rows = Float32Array.from(await this.X.data());
    const minAngleDeg = await minAngleDegrees(this.X);
    const loss = this.lastLoss ? (await this.lastLoss.data())[0]! : Number.NaN;
    const now = performance.now();
    const itersPerSecond = ((this.iteration - this.lastFrame.iteration) * 1000) / Math.max(1e-3, now - this.lastFrame.time);
    this.lastFrame = { iteration: this.iteration, time: now };
    return {
      iteration: this.iteration, minAngleDeg, loss, itersPerSecond,
      ...(d === 3 ? { positions: rows } : {}),
      ...(histogramBins > 0 ? { histogram: this.histogram(rows, histogramBins) } : {}),
    };
  }

  /**
   * The pair-angle histogram of the first {@link HISTOGRAM_MAX_POINTS} points (all of them for
   * smaller n): the rows of a uniform start are exchangeable, so these pairs are a fair sample, and
   * the frame's cost stays bounded at n of a few thousand.
   */
  private histogram(rows: Float32Array, bins: number): AngleHistogram {
    const { n, d } = this.config, m = Math.min(n, HISTOGRAM_MAX_POINTS);
    return pairAngleHistogram(rows.subarray(0, m * d), m, d, bins);
  }

  /** Frees the run's tensors. */
  dispose(): void {
    this.lastLoss?.dispose();
    this.X.dispose();
  }
}
