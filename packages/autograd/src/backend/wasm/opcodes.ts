/**
 * Op codes of the kernels: the position of each op in these lists is the integer the kernels
 * switch on (assembly/elementwise.ts and assembly/reduce.ts use the same order).
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';

/** Unary ops in kernel order. */
export const unaryCodes: readonly UnaryOp[] = [
  'neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'sin', 'cos', 'acos', 'asin', 'tanh', 'sigmoid', 'relu', 'square', 'reciprocal',
];

/** Binary ops in kernel order. */
export const binaryCodes: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'pow', 'atan2', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge',
];

/** Reductions in kernel order. */
export const reduceCodes: readonly ReduceOp[] = ['sum', 'max', 'min', 'argmax', 'argmin'];
