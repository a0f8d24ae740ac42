// The kernels of @keepdist/autograd's wasm backend. Each export takes addresses in linear memory
// that the TypeScript side allocated; no kernel allocates. One export per dtype (_f32, _f64).
export * from './elementwise';
export * from './reduce';
export * from './matmul';
export * from './layout';
export * from './sort';
export * from './sortedRows';
export * from './pairwise';
export * from './optim';
export * from './nearestSelf';
export * from './nearestSmall';

/** First free byte after the module's static data: where the TypeScript heap starts. */
export function heapBase(): usize {
  return __heap_base;
}
