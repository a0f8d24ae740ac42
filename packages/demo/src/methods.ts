/**
 * The bench's 14 methods (each mmd kernel × distance, then every other regularizer) and the
 * options the demo offers for each, read from @keepdist/dispersion's registry so that a new
 * option appears in the form without touching the demo.
 */
import { createRng } from '@keepdist/autograd';
import {
  MMD_DISTANCES, MMD_KERNELS, regularizer, regularizerInfo, regularizerNames,
  type OptionSchema, type Regularizer, type RegularizerName, type RegularizerOptionsMap,
} from '@keepdist/dispersion';
import type { OptionValue } from './protocol.js';

/** Method names in the bench's order (`keepdist-bench --methods all`). */
export const DEMO_METHODS: readonly string[] = [
  ...MMD_KERNELS.flatMap((k) => MMD_DISTANCES.map((d) => `mmd-${k}-${d}`)),
  ...regularizerNames.filter((r) => r !== 'mmd'),
];

/** Option types a form field can hold (explicit draws and generators are not offered). */
const FORM_TYPES = new Set(['number', 'integer', 'boolean', 'enum']);

/** Options never offered: the input check (the demo's rows are on the sphere) and what the method name fixes. */
const HIDDEN = new Set(['checkSphere', 'sphereTol', 'kernel', 'distance']);

/** A method's regularizer name and the options its name fixes (an mmd kernel and distance). */
export function methodBase(method: string): { name: RegularizerName; fixed: Record<string, string> } {
  const mmd = /^mmd-(\w+)-(\w+)$/.exec(method);
  if (mmd) return { name: 'mmd', fixed: { kernel: mmd[1]!, distance: mmd[2]! } };
  regularizerInfo('demo', method);
  return { name: method as RegularizerName, fixed: {} };
}

/** The options a form shows for `method`, in the registry's order. */
export function methodOptions(method: string): OptionSchema[] {
  const { name } = methodBase(method);
  return regularizerInfo('demo', name).options.filter((o) => FORM_TYPES.has(o.type) && !HIDDEN.has(o.name));
}

/**
 * The regularizer behind `method` with the form's `options` bound (unknown keys throw, as in
 * `regularizer`), its random draws from `createRng(seed)`, and the sphere check off.
 */
export function methodRegularizer(method: string, options: Record<string, OptionValue>, seed: number): Regularizer {
  const { name, fixed } = methodBase(method);
  return regularizer(name, { ...options, ...fixed, rng: createRng(seed), checkSphere: false } as Partial<RegularizerOptionsMap[RegularizerName]>);
}
