/**
 * Best known minimum angles (degrees) of the Tammes problem: n points on S² (d = 3).
 * Copied from the project's shared `tammes.json` (best known spherical codes; n = 24 is the snub cube,
 * proven optimal by Robinson 1961); a test keeps the two equal.
 */
export const TAMMES_OPTIMA_DEG: Readonly<Record<number, number>> = {
  4: 109.4712206,
  5: 90.0,
  6: 90.0,
  8: 74.8584922,
  12: 63.4349488,
  13: 57.1367031,
  14: 55.67057,
  24: 43.6907671,
};

/** The best known minimum angle for n points on S², in degrees, or `undefined` when not tabulated. */
export function tammesOptimumDeg(n: number): number | undefined {
  return Object.hasOwn(TAMMES_OPTIMA_DEG, n) ? TAMMES_OPTIMA_DEG[n] : undefined;
}
