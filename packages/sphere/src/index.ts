/**
 * @keepdist/sphere: the unit sphere S^{d−1} as autograd graph ops, row-wise on n × d tensors (the
 * product manifold (S^{d−1})^n): tangent and point projections, exponential and logarithmic maps,
 * the projection retraction, vector and parallel transport, geodesic distance (docs/math.md §1);
 * seeded samplers (uniform, von Mises–Fisher, power-spherical); and the Riemannian optimizers
 * `RiemannianSGD` and `RiemannianAdam`. Every op is differentiable and numerically safe where the
 * formulas have removable singularities (‖u‖ → 0, y → x).
 *
 * Conventions: points `x, y` and tangent vectors `u, v, g` are n × d tensors, one per row; a row
 * count of 1 broadcasts. Shapes and dtypes are always checked; values (rows on the sphere to 1e-5,
 * tangency of u in `expmap`, y ≠ −x in `logmap`/`ptransp`) on synchronous backends, with a
 * DomainError that says how to fix the input. Every op has the plain signature
 * `(...xs: Tensor[]) => Tensor`, so it composes with `grad`, `valueAndGrad` and `gradcheck`.
 * @document ../../../docs/sphere.md
 * @module @keepdist/sphere
 */
export { proj, egrad2rgrad, projx, transp } from './tangent.js';
export { expmap, expmapDelta, logmap, retr } from './maps.js';
export { dist, inner } from './distance.js';
export { ptransp } from './transport.js';
export {
  randomUniform, randomVmf, randomPowerSpherical, type SamplerOptions, type ConcentratedSamplerOptions,
} from './samplers.js';
export type { Retraction, RiemannianUpdate } from './optim/riemannianOptions.js';
export { RiemannianSGD, type RiemannianSGDOptions, type RiemannianSGDState } from './optim/riemannianSgd.js';
export { RiemannianAdam, type RiemannianAdamOptions, type RiemannianAdamState } from './optim/riemannianAdam.js';
