export { minAngle, minAngleDegrees, minAnglePerPoint, meanAngle, medianAngle, circularVariance, angleSummary, toDegrees, type AngleSummary } from './angles.js';
export type { MetricInput } from './hostRows.js';
