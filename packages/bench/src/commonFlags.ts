// Flag specs shared by several subcommands: methods, backend, seed, conventions, optimizer, learning-rate decay, output directory.
import type { BooleanFlagSpec, EnumFlagSpec, IntFlagSpec, ListFlagSpec, StringFlagSpec } from './flagTypes.js';
import { LR_DECAYS, type LrDecay } from './lrSchedule.js';
import { UsageError } from './usageError.js';

/**
 * Backends a run can use: `wasm` (the default) is the WebAssembly SIMD backend with its default of
 * one thread, `wasm:1` and `wasm:2` with 1 and 2 threads; `cpu` is the plain TypeScript backend; `gpu:<mode>` is the gpu.js backend in that gpu.js mode (`gpu:auto`
 * lets gpu.js pick the best mode available).
 */
export const BACKENDS = [
  'cpu',
  'wasm',
  'wasm:1',
  'wasm:2',
  'gpu:webgpu',
  'gpu:webgl2',
  'gpu:webgl',
  'gpu:headlessgl',
  'gpu:webasm',
  'gpu:cpu',
  'gpu:auto',
] as const;

/** One of {@link BACKENDS}. */
export type BackendName = (typeof BACKENDS)[number];

/** `--methods`: which regularizers to run, validated against the injected method names. */
export function methodsFlag(methods: readonly string[], help = 'Methods (regularizers) to run'): ListFlagSpec & {
  readonly default: readonly string[];
} {
  return { type: 'list', choices: methods, default: ['all'], help };
}

/** `--backend`: one backend for the whole run. */
export const backendFlag = {
  type: 'enum',
  choices: BACKENDS,
  default: 'wasm',
  help: 'Compute backend: wasm (WebAssembly SIMD; wasm:<threads> for a thread count), cpu (the plain TypeScript reference), or the gpu.js backend in the given mode',
} as const satisfies EnumFlagSpec<BackendName>;

/** `--seed`: seed of every random draw (initial points, minibatches, slices). */
export const seedFlag = {
  type: 'int',
  default: 42,
  min: 0,
  help: 'Seed of every random draw (initial points, minibatches, slices)',
} as const satisfies IntFlagSpec;

/** `--lr-decay`: the learning-rate schedule over the iterations (the formulas: `scheduledLr`); none is the paper's. */
export const lrDecayFlag = {
  type: 'enum',
  choices: LR_DECAYS,
  default: 'none',
  help:
    'Learning-rate schedule over the T = --iters steps t = 0, …, T−1: none keeps --lr constant (the paper\'s); ' +
    'cosine anneals it as lr·(1 + cos(πt/T))/2 and linear as lr·(1 − t/T), both towards 0 with lr > 0 at every step',
} as const satisfies EnumFlagSpec<LrDecay>;

/** `--out`: results directory; when absent, `./keepdist-results/<command>-<timestamp>`. */
export const outFlag = {
  type: 'string',
  help: 'Directory for results (JSON, SVG); default ./keepdist-results/<command>-<timestamp>',
} as const satisfies StringFlagSpec;

/** `--force`: write into an `--out` directory that already holds files (results of an earlier run). */
export const forceFlag = {
  type: 'boolean',
  default: false,
  help: 'Write into an --out directory that is not empty (overwriting results.json and the plots there); without it such a directory is refused before any work',
} as const satisfies BooleanFlagSpec;

/**
 * Which regularizer conventions a run uses: `keepdist` (keepdist's defaults, docs/math.md §2) or
 * `authors` (the choices of the paper's public code, docs/math.md §6; see {@link conventionsFlag}).
 */
export const CONVENTIONS = ['keepdist', 'authors'] as const;

/** One of {@link CONVENTIONS}. */
export type Conventions = (typeof CONVENTIONS)[number];

/**
 * `--conventions`: keepdist's regularizers, or exactly the authors' (ltl-uva/ledoh-torch) choices;
 * `optimizer` says what the command's optimizer does under each (it differs between commands).
 */
export function conventionsFlag(optimizer: string) {
  return {
    type: 'enum',
    choices: CONVENTIONS,
    default: 'keepdist',
    help:
      "Regularizer conventions (docs/math.md §6). keepdist: the true chord √(2 − 2c + ε) in mmd-laplace-euclidean and " +
      'mmd-riesz-euclidean, ssw the squared distance, mmd-riesz-geodesic with s = 1 as 2·mean over pairs. ' +
      "authors, as the paper's public code: the chord √(2 − c) (chord: 'authors') in mmd-laplace-euclidean and " +
      'mmd-riesz-euclidean; ssw with its square root (sqrt: true); mmd-riesz-geodesic as their MHE, s = 0 summed over ' +
      'the pairs, i.e. the loss multiplied by P/2 = n(n − 1)/4 (by 1/2 with a minibatch, their mean over the batch\'s pairs). ' +
      'The loss is scaled, not the learning rate: the two are the same only for plain SGD; Adam\'s step is nearly ' +
      'unchanged by a scale of the loss (only its eps sees it) but grows with the learning rate, so only the scaled ' +
      `loss reproduces their runs. ${optimizer}`,
  } as const satisfies EnumFlagSpec<Conventions>;
}

/**
 * Optimizers of the experiments: `adam` (RiemannianAdam), `sgd` (RiemannianSGD), both with the exact
 * exponential map, and `euclidean-adam`, the authors' Euclidean baseline: plain Adam on the ambient
 * coordinates, each row renormalised after every step.
 */
export const OPTIMIZERS = ['adam', 'sgd', 'euclidean-adam'] as const;

/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** `--optimizer`: which optimizer moves the points (`stabilize` says how the Riemannian ones re-project under this command). */
export function optimizerFlag(stabilize: string) {
  return {
    type: 'enum',
    choices: OPTIMIZERS,
    default: 'adam',
    help:
      'Optimizer of the points, at --lr. adam (the default): RiemannianAdam (betas 0.9, 0.999, eps 1e-8) with the exact ' +
      'exponential map; sgd: RiemannianSGD (no momentum) with the exponential map; euclidean-adam: the authors\' Euclidean ' +
      'baseline, plain Adam on the ambient coordinates (a Euclidean gradient step) and then every row divided by its norm ' +
      '(its time includes that renormalisation, which the authors\' timer leaves out; Adam\'s moments are not touched; only ' +
      `--lr-decay none, as autograd's Adam has a fixed learning rate). ${stabilize}`,
  } as const satisfies EnumFlagSpec<OptimizerName>;
}

/**
 * Refuses `--optimizer euclidean-adam` with a decayed learning rate (autograd's Adam keeps its lr fixed).
 * @throws UsageError naming both flags.
 */
export function checkOptimizerDecay(command: string, optimizer: OptimizerName, lrDecay: LrDecay): void {
  if (optimizer === 'euclidean-adam' && lrDecay !== 'none') {
    throw new UsageError(
      `${command} --lr-decay: expected none with --optimizer euclidean-adam, got '${lrDecay}'. Its plain Adam keeps --lr fixed; use --optimizer adam or sgd for a schedule.`,
      command,
    );
  }
}
