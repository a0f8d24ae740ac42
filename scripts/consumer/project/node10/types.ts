// Type-only use of every entry point under `moduleResolution: node10` (older TypeScript setups):
// the types must resolve (through "types" and "typesVersions"), not fall back to `any`.
import type { Tensor } from '@keepdist/autograd';
import type { GradcheckReport } from '@keepdist/autograd/testing';
import type { Dataset } from '@keepdist/autograd/examples/spirals';
import type { RiemannianAdamOptions } from '@keepdist/sphere';
import type { MmdOptions } from '@keepdist/dispersion';

export const shape = (t: Tensor): readonly number[] => t.shape;
export const ok = (r: GradcheckReport): boolean => r.ok;
export const labels = (d: Dataset): number[] => d.labels;
export const lr = (o: RiemannianAdamOptions): number | undefined => o.lr;
export const kernel = (o: MmdOptions): string => o.kernel;
// @ts-expect-error: a misspelt field must be an error (it would pass silently if the types were `any`)
export const wrong = (o: MmdOptions): string => o.kernal;
import type { PairKernel } from '@keepdist/autograd/internal';
import type { KernelSpec } from '@keepdist/dispersion/internal';
export const kind = (k: PairKernel): string => k.kernel;
export const spec = (k: KernelSpec): number => k.gamma;
