/**
 * Best known minimum angles of the Tammes problem (n points on S²), from the repository's
 * testdata/tammes.json (n = 24 is the snub cube, 43.6907671°).
 */
import table from '../../../../testdata/tammes.json';

/** The best known minimum angle of n points on S² in degrees, or undefined when none is tabulated. */
export function tammesOptimumDeg(n: number): number | undefined {
  const optima: Record<string, number> = table.optimum_degrees;
  return Object.hasOwn(optima, String(n)) ? optima[String(n)] : undefined;
}
