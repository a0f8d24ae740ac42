import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TAMMES_OPTIMA_DEG, tammesOptimumDeg } from '../src/tammesOptima.js';

// The project's shared data lives beside the repository: <repo>/../shared/tammes.json.
const shared = fileURLToPath(new URL('../../../../shared/tammes.json', import.meta.url));

describe('tammes optima', () => {
  it('golden: n = 24 is 43.6907671° (tammes.json, the snub cube), n = 7 is not tabulated', () => {
    expect(tammesOptimumDeg(24)).toBe(43.6907671);
    expect(tammesOptimumDeg(4)).toBe(109.4712206);
    expect(tammesOptimumDeg(7)).toBeUndefined();
  });

  it.skipIf(!existsSync(shared))('equals ../shared/tammes.json (skipped where that file is absent)', () => {
    const json = JSON.parse(readFileSync(shared, 'utf8')) as { optimum_degrees: Record<string, number> };
    expect(Object.fromEntries(Object.entries(TAMMES_OPTIMA_DEG).map(([k, v]) => [k, v]))).toEqual(json.optimum_degrees);
  });
});
