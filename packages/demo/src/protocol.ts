/**
 * The messages between the demo page and its optimisation worker, and the run settings they
 * carry. Both sides import these types; nothing here runs.
 */

/** A backend the worker can run on: autograd's cpu backend, a gpu.js mode, or a wasm backend. */
export type BackendId = 'wasm' | 'webgpu' | 'webgl2' | 'cpu';

/** Optimizers of @keepdist/sphere. */
export type OptimizerId = 'adam' | 'sgd';

/** A regularizer option value as the form holds it. */
export type OptionValue = number | string | boolean;

/** Everything one run needs; the worker starts from fresh points whenever this changes. */
export interface RunConfig {
  /** A bench method name (`mma`, `mmd-riesz-euclidean`, …). */
  method: string;
  /** Options of the method's regularizer; omitted keys take the regularizer's defaults. */
  options: Record<string, OptionValue>;
  /** Number of points. */
  n: number;
  /** Ambient dimension (points on S^{d−1}). */
  d: number;
  /** Learning rate. */
  lr: number;
  /** RiemannianAdam or RiemannianSGD. */
  optimizer: OptimizerId;
  /** The retraction of every step. */
  retraction: 'expmap' | 'retr';
  /** Where the tensors live. */
  backend: BackendId;
  /** Seed of the uniform start (the regularizer's draws use seed + 1). */
  seed: number;
  /** Frames are posted after multiples of `postEvery` iterations (and at most every 40 ms). */
  postEvery: number;
  /** Bins of the pair-angle histogram (d > 3 view); 0 for none. */
  histogramBins: number;
}

/** Whether a backend can run in this browser's worker, and what it is. */
export interface BackendProbe {
  /** The backend. */
  id: BackendId;
  /** True when it can be made here. */
  available: boolean;
  /** The device it runs on, or why it is unavailable. */
  detail: string;
  /** True for a software rasteriser (SwiftShader): available, but slower than the cpu backend. */
  software: boolean;
}

/** The pair-angle histogram of one frame: counts of θ_ij (i < j) in equal bins of [0°, 180°]. */
export interface AngleHistogram {
  /** Pair counts per bin, bin k covering [k·w, (k + 1)·w) degrees with w = 180 / counts.length. */
  counts: number[];
  /** The pairs counted are those among the first `points` points (all of them up to 2000). */
  points: number;
}

/** One snapshot of a run. */
export interface Frame {
  /** Iterations done. */
  iteration: number;
  /** min_{i<j} θ_ij in degrees. */
  minAngleDeg: number;
  /** The regularizer's value at the last iteration (NaN before the first). */
  loss: number;
  /** Iterations per second since the previous frame. */
  itersPerSecond: number;
  /** The points (n × d, row-major), sent for d = 3 only. */
  positions?: Float32Array;
  /** Sent when the run's `histogramBins` > 0. */
  histogram?: AngleHistogram;
}

/** Page → worker. */
export type ToWorker =
  | { type: 'probe' }
  | { type: 'configure'; config: RunConfig }
  | { type: 'run' }
  | { type: 'pause' };

/** Worker → page. */
export type FromWorker =
  | { type: 'probed'; backends: BackendProbe[] }
  | { type: 'ready'; backend: string; dtype: string }
  | { type: 'frame'; frame: Frame }
  | { type: 'paused'; iteration: number }
  | { type: 'error'; message: string };
