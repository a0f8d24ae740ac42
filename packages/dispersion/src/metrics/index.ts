export { minAngle, minAngleDegrees, minAnglePerPoint, meanAngle, medianAngle, circularVariance, angleSummary, toDegrees, type AngleSummary } from './angles.js';
export type { MetricInput } from './hostRows.js';
export {
  minAngleSync, minAngleDegreesSync, minAnglePerPointSync, meanAngleSync, medianAngleSync, circularVarianceSync, angleSummarySync,
} from './syncMetrics.js';
