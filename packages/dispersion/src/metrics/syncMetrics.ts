import { KeepdistError, Tensor } from '@keepdist/autograd';
import { angleSummary, circularVariance, meanAngle, medianAngle, minAngle, minAngleDegrees, minAnglePerPoint, type AngleSummary } from './angles.js';
import type { MetricInput } from './hostRows.js';

/**
 * Runs `metric` where it is synchronous (nested arrays, or a tensor on a synchronous backend such
 * as wasm or cpu) and returns its value with a synchronous type; an asynchronous backend is refused
 * before anything is read.
 */
function synchronously<T>(fn: string, X: MetricInput, metric: (X: MetricInput) => T | Promise<T>): T {
  if (X instanceof Tensor && !X.backend.synchronous) {
    throw new KeepdistError(`${fn}: expected X on a synchronous backend (wasm, cpu), got one on '${X.backend.name}'. Use await ${fn.slice(0, -'Sync'.length)}(X) there.`);
  }
  return metric(X) as T;
}

/** {@link minAngle} typed for synchronous callers (radians); throws on an asynchronous backend. */
export function minAngleSync(X: MetricInput): number {
  return synchronously('minAngleSync', X, minAngle);
}

/** {@link minAngleDegrees} typed for synchronous callers (degrees); throws on an asynchronous backend. */
export function minAngleDegreesSync(X: MetricInput): number {
  return synchronously('minAngleDegreesSync', X, minAngleDegrees);
}

/** {@link minAnglePerPoint} typed for synchronous callers; throws on an asynchronous backend. */
export function minAnglePerPointSync(X: MetricInput): Float64Array {
  return synchronously('minAnglePerPointSync', X, minAnglePerPoint);
}

/** {@link meanAngle} typed for synchronous callers; throws on an asynchronous backend. */
export function meanAngleSync(X: MetricInput): number {
  return synchronously('meanAngleSync', X, meanAngle);
}

/** {@link medianAngle} typed for synchronous callers; throws on an asynchronous backend. */
export function medianAngleSync(X: MetricInput): number {
  return synchronously('medianAngleSync', X, medianAngle);
}

/** {@link circularVariance} typed for synchronous callers; throws on an asynchronous backend. */
export function circularVarianceSync(X: MetricInput): number {
  return synchronously('circularVarianceSync', X, circularVariance);
}

/** {@link angleSummary} typed for synchronous callers; throws on an asynchronous backend. */
export function angleSummarySync(X: MetricInput): AngleSummary {
  return synchronously('angleSummarySync', X, angleSummary);
}
