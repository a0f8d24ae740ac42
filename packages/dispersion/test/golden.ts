// Loads the golden vectors of testdata/golden (float64 reference of docs/math.md; see its README).
import { readFileSync } from 'node:fs';
import { tensor, type DType, type Tensor } from '@keepdist/autograd';
import type { Plane, RegularizerName } from '@keepdist/dispersion';

/** One case of regularizers.json. */
export interface RegularizerCase {
  id: string;
  name: RegularizerName;
  options: Record<string, number | string>;
  n: number;
  d: number;
  X: number[][];
  samples?: number[][];
  planes?: [number[], number[]][];
  pairs?: [number, number][];
  loss: number;
  grad: number[][];
  rgrad: number[][];
  gradDirect?: number[][];
}

/** One case of metrics.json. */
export interface MetricCase {
  id: string;
  n: number;
  d: number;
  X: number[][];
  minAngle: number;
  minAngleDegrees: number;
  meanAngle: number;
  medianAngle: number;
  medianAngleLower: number;
  medianAngleUpper: number;
  circularVariance: number;
  minAnglePerPoint: number[];
}

function load<T>(file: string): { cases: T[] } {
  return JSON.parse(readFileSync(new URL(`../../../testdata/golden/${file}`, import.meta.url), 'utf8')) as { cases: T[] };
}

export const regularizerCases: RegularizerCase[] = load<RegularizerCase>('regularizers.json').cases;
export const metricCases: MetricCase[] = load<MetricCase>('metrics.json').cases;

/** Rounds nested numbers to float32 when asked (the float32 golden runs use rounded inputs). */
export function rounded(a: number[][], dtype: DType): number[][] {
  return dtype === 'float32' ? a.map((r) => r.map((v) => Math.fround(v))) : a;
}

/** The case's regularizer options with its explicit draws, in `dtype`. */
export function caseOptions(c: RegularizerCase, dtype: DType): Record<string, unknown> {
  const o: Record<string, unknown> = { ...c.options };
  if (c.name === 'lloyd') {
    o.points = tensor(rounded(c.samples!, dtype), { dtype });
  }
  if (c.planes) {
    o.planes = c.planes.map(([p, q]): Plane => [tensor(rounded([p], dtype)[0]!, { dtype }), tensor(rounded([q], dtype)[0]!, { dtype })]);
  }
  if (c.pairs) o.pairs = c.pairs;
  return o;
}

/** The case's X as a tensor of `dtype`. */
export function caseX(c: RegularizerCase | MetricCase, dtype: DType): Tensor {
  return tensor(rounded(c.X, dtype), { dtype });
}
