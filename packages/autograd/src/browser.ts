/**
 * The browser bundle's entry (`@keepdist/autograd/browser`): the main entry and the building blocks
 * of `@keepdist/autograd/internal` in one self-contained file, so that a page's import map can
 * point both specifiers at it and sphere and dispersion (which import both) share one Tensor class.
 * @module
 */
export * from './index.js';
export * from './internal.js';
