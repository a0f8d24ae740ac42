import { indexSelect, type Rng, type Tensor } from '@keepdist/autograd';

/**
 * Minibatching of docs/math.md §2.10: the rows `X[idx]` for b indices drawn uniformly without replacement
 * (`rng.choice(n, b)`), afresh at each call. The gather is differentiable: rows outside the batch
 * get a zero gradient. Without a batch size, X itself.
 */
export function minibatch(X: Tensor, batchSize: number | undefined, rng: Rng): Tensor {
  const n = X.shape[0]!;
  if (batchSize === undefined || batchSize >= n) return X;
  return indexSelect(X, 0, rng.choice(n, batchSize));
}
