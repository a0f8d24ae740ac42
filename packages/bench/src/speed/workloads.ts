// The five workloads of `keepdist-bench speed --suite workloads` (issue 11's targets): what each computes, its sizes, its inputs.

/** Workload ids, in the order the suite runs them. */
export const WORKLOAD_IDS = ['w1-matmul', 'w2-mmd-1024', 'w2-mmd-4096', 'w3-lloyd', 'w4-sliced'] as const;

/** One of {@link WORKLOAD_IDS}. */
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/**
 * What a workload computes, in float32 on inputs with unit rows (every stack writes the same formula):
 * - `matmul`: C = A·B (A n × d, B d × m), forward only.
 * - `mmd`: C = X·Xᵀ, L = 2/(n(n−1)) · (Σ_ij exp(C_ij) − Σ_i exp(‖x_i‖²)), loss and ∂L/∂X.
 * - `lloyd`: D = acos(clamp(S·Xᵀ, −1+1e−7, 1−1e−7))² (S m × d), L = mean_s min_i D_si, loss and ∂L/∂X.
 * - `sliced`: θ = atan2(X·q, X·p); ranks from a sort of θ; target_i = mean(θ) + φ_{rank_i},
 *   φ_r = −π + (2r−1)π/n; L = ½ Σ (θ − target)², mean(θ) differentiable; loss and ∂L/∂X.
 */
export type WorkloadKind = 'matmul' | 'mmd' | 'lloyd' | 'sliced';

/** One workload: its kind and sizes. */
export interface Workload {
  readonly id: WorkloadId;
  readonly kind: WorkloadKind;
  /** Rows of X (matmul: rows of A). */
  readonly n: number;
  /** Columns of X (matmul: columns of A = rows of B). */
  readonly d: number;
  /** matmul: columns of B; lloyd: rows of S (samples); otherwise 0. */
  readonly m: number;
}

/** The clamp ε of the lloyd workload: cosines are clamped to [−1 + ε, 1 − ε] before acos. */
export const LLOYD_CLAMP_EPS = 1e-7;

/** The workloads at the sizes. */
export const WORKLOADS: Readonly<Record<WorkloadId, Workload>> = {
  'w1-matmul': { id: 'w1-matmul', kind: 'matmul', n: 1024, d: 1024, m: 1024 },
  'w2-mmd-1024': { id: 'w2-mmd-1024', kind: 'mmd', n: 1024, d: 64, m: 0 },
  'w2-mmd-4096': { id: 'w2-mmd-4096', kind: 'mmd', n: 4096, d: 64, m: 0 },
  'w3-lloyd': { id: 'w3-lloyd', kind: 'lloyd', n: 4096, d: 64, m: 4096 },
  'w4-sliced': { id: 'w4-sliced', kind: 'sliced', n: 20000, d: 64, m: 0 },
};

/**
 * `w` with its row counts multiplied by `scale` (rounded, at least 2): n, and m where it counts rows;
 * matmul scales all three sizes. The ambient dimension d = 64 of the other workloads stays.
 */
export function scaleWorkload(w: Workload, scale: number): Workload {
  const s = (v: number): number => (v === 0 ? 0 : Math.max(2, Math.round(v * scale)));
  return { ...w, n: s(w.n), m: s(w.m), d: w.kind === 'matmul' ? s(w.d) : w.d };
}

/** A line naming the workload and its sizes, such as `W2 mmd gaussian n=4096 d=64 (loss + gradient)`. */
export function workloadLabel(w: Workload): string {
  switch (w.kind) {
    case 'matmul':
      return `W1 matmul ${w.n}x${w.d} by ${w.d}x${w.m} (forward)`;
    case 'mmd':
      return `W2 mmd gaussian n=${w.n} d=${w.d} (loss + gradient)`;
    case 'lloyd':
      return `W3 lloyd m=${w.m} n=${w.n} d=${w.d} (loss + gradient)`;
    case 'sliced':
      return `W4 sliced n=${w.n} d=${w.d} (loss + gradient)`;
  }
}

/** Floating-point operations of a matmul workload (2·n·d·m); undefined for the others. */
export function workloadFlops(w: Workload): number | undefined {
  return w.kind === 'matmul' ? 2 * w.n * w.d * w.m : undefined;
}

/** One named float32 input of a workload, row-major. */
export interface WorkloadArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A workload's inputs, the same for every stack: matmul A, B; mmd X; lloyd X, S; sliced X, p, q
 * (p, q orthonormal vectors of length d).
 */
export interface WorkloadData {
  readonly arrays: readonly WorkloadArray[];
}

/** The names of a workload's inputs, in the order {@link WorkloadData} holds them. */
export function inputNames(kind: WorkloadKind): readonly string[] {
  switch (kind) {
    case 'matmul':
      return ['A', 'B'];
    case 'mmd':
      return ['X'];
    case 'lloyd':
      return ['X', 'S'];
    case 'sliced':
      return ['X', 'p', 'q'];
  }
}

/** The input `name` of `data`. @throws Error when it has none of that name. */
export function inputOf(data: WorkloadData, name: string): WorkloadArray {
  const a = data.arrays.find((x) => x.name === name);
  if (a === undefined) throw new Error(`speed: expected a workload input named ${name}, got ${data.arrays.map((x) => x.name).join(', ')}.`);
  return a;
}

/**
 * What one stack computed for a workload: C for matmul, otherwise the loss and ∂L/∂X (n × d),
 * read back into float32 arrays.
 */
export type WorkloadValues =
  | { readonly kind: 'forward'; readonly output: Float32Array }
  | { readonly kind: 'lossGrad'; readonly loss: number; readonly grad: Float32Array };
