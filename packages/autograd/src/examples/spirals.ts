/**
 * Example: a 2-layer MLP (2 → hidden → 2, tanh) learns two interleaved spirals with Adam and
 * cross-entropy, from a seed. `pnpm start` runs it and prints loss and accuracy per epoch.
 * @module
 */
import {
  Adam, add, argmax, createRng, eq, indexSelect, logSoftmax, matmul, mean, mul, neg, noGrad, sum, tanh, tensor,
  type Rng, type Tensor,
} from '../index.js';

/** A labelled 2-D data set. */
export interface Dataset {
  /** Points, shape [m, 2]. */
  x: Tensor;
  /** One-hot labels, shape [m, 2]. */
  y: Tensor;
  /** Class index per point. */
  labels: number[];
}

/**
 * Two interleaved spirals: class k has points r(cos φ, sin φ) with r = t, φ = 3π·t + kπ for t
 * uniform in [0.05, 1], plus Gaussian noise of standard deviation `noise`.
 */
export function makeSpirals(perClass: number, rng: Rng, noise = 0.04): Dataset {
  const pts: number[] = [], onehot: number[] = [], labels: number[] = [];
  for (let k = 0; k < 2; k++) {
    for (let i = 0; i < perClass; i++) {
      const t = 0.05 + 0.95 * rng.float();
      const phi = 3 * Math.PI * t + k * Math.PI;
      const [n1, n2] = rng.normalArray(2);
      pts.push(t * Math.cos(phi) + noise * n1!, t * Math.sin(phi) + noise * n2!);
      onehot.push(k === 0 ? 1 : 0, k === 1 ? 1 : 0);
      labels.push(k);
    }
  }
  const m = 2 * perClass;
  return { x: tensor(pts, { shape: [m, 2] }), y: tensor(onehot, { shape: [m, 2] }), labels };
}

/** The MLP's parameters. */
export interface Mlp {
  /** [2, h] */ w1: Tensor;
  /** [h] */ b1: Tensor;
  /** [h, 2] */ w2: Tensor;
  /** [2] */ b2: Tensor;
}

/** He-style initialisation from `rng`. */
export function initMlp(hidden: number, rng: Rng): Mlp {
  const scaled = (shape: number[], s: number): Tensor => noGrad(() => mul(rng.normal(shape), s)).requireGrad();
  return {
    w1: scaled([2, hidden], Math.sqrt(2)),
    b1: tensor(new Float32Array(hidden), { requiresGrad: true }),
    w2: scaled([hidden, 2], Math.sqrt(1 / hidden)),
    b2: tensor(new Float32Array(2), { requiresGrad: true }),
  };
}

/** Logits: tanh(x W1 + b1) W2 + b2. */
export function forward(p: Mlp, x: Tensor): Tensor {
  return add(matmul(tanh(add(matmul(x, p.w1), p.b1)), p.w2), p.b2);
}

/** Mean cross-entropy of logits against one-hot labels: −mean Σ_k y_k log softmax(z)_k. */
export function crossEntropy(logits: Tensor, y: Tensor): Tensor {
  return neg(mean(sum(mul(y, logSoftmax(logits, 1)), 1)));
}

/** Fraction of points whose arg-max logit is their label. */
export function accuracy(p: Mlp, data: Dataset): number {
  return noGrad(() => mean(eq(argmax(forward(p, data.x), 1), tensor(data.labels))).item());
}

/** Options of {@link trainSpirals}. */
export interface TrainOptions {
  /** Seed of data, initialisation and minibatch order (default 42). */
  seed?: number;
  /** Passes over the data (default 80). */
  epochs?: number;
  /** Hidden width (default 64). */
  hidden?: number;
  /** Minibatch size (default 25). */
  batch?: number;
  /** Adam learning rate (default 0.05). */
  lr?: number;
  /** Called after each epoch. */
  onEpoch?: (epoch: number, loss: number, accuracy: number) => void;
}

/** Trains the MLP on 200 points per class; returns the final training accuracy and loss. */
export function trainSpirals(opts: TrainOptions = {}): { accuracy: number; loss: number } {
  const rng = createRng(opts.seed ?? 42);
  const data = makeSpirals(200, rng);
  const p = initMlp(opts.hidden ?? 64, rng);
  const opt = new Adam([p.w1, p.b1, p.w2, p.b2], { lr: opts.lr ?? 0.05 });
  const m = data.labels.length, batch = opts.batch ?? 25;
  let loss = NaN, acc = 0;
  for (let epoch = 1; epoch <= (opts.epochs ?? 80); epoch++) {
    const order = rng.permutation(m);
    let total = 0;
    for (let s = 0; s < m; s += batch) {
      const idx = order.slice(s, s + batch);
      const l = crossEntropy(forward(p, indexRows(data.x, idx)), indexRows(data.y, idx));
      opt.zeroGrad();
      l.backward();
      opt.step();
      total += l.item() * idx.length;
    }
    loss = total / m;
    acc = accuracy(p, data);
    opts.onEpoch?.(epoch, loss, acc);
  }
  return { accuracy: acc, loss };
}

/** Rows `idx` of a matrix. */
function indexRows(x: Tensor, idx: number[]): Tensor {
  return indexSelect(x, 0, idx);
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  console.log('keepdist: 2-layer MLP on two interleaved spirals (400 points, Adam, seed 42)');
  const t0 = performance.now();
  const r = trainSpirals({
    onEpoch: (e, loss, acc) => console.log(`epoch ${String(e).padStart(3)}  loss ${loss.toFixed(4)}  accuracy ${(100 * acc).toFixed(1)}%`),
  });
  console.log(`final training accuracy ${(100 * r.accuracy).toFixed(1)}% in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
