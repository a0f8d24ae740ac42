// `--samples`: draws per step of the stochastic methods, one count for all or one per method (lloyd=512,ssw=50).
import type { ListFlagSpec } from './flagTypes.js';
import { UsageError } from './usageError.js';

/** Parsed `--samples`: a count for every method (a bare integer) and counts by method name. */
export interface DrawCounts {
  /** The bare integer, if one was given: the count of every method not named. */
  readonly all: number | undefined;
  /** `method=count` items, by method. */
  readonly byMethod: Readonly<Record<string, number>>;
}

/** `--samples` as a list flag: items `N` or `method=N`; `defaults` says what an unnamed method gets. */
export function samplesFlag(defaults: string) {
  return {
    type: 'list',
    item: { pattern: /^(?:[A-Za-z][\w-]*=)?[-+]?\d+$/, hint: "an integer or method=integer, such as 512 or lloyd=512,ssw=50" },
    distinct: true,
    help:
      'Random draws per step of the stochastic methods (Lloyd samples, slices of sliced and slicedAxis, ssw projections): ' +
      'a bare integer for every such method, or method=count items for one method each (e.g. lloyd=512,slicedAxis=24,ssw=50), ' +
      `or both (the bare integer then covers the methods not named); the other methods take no draws. ${defaults}`,
  } as const satisfies ListFlagSpec;
}

/**
 * Reads `--samples` items into counts; with `methods` (the valid method names) a name outside them is an
 * error, without it a name is taken as given (a method that does not run never reads its count).
 * @throws UsageError for a count below 1, an unknown method, a method given twice or two bare counts.
 */
export function parseDrawCounts(command: string, items: readonly string[] | undefined, methods?: readonly string[]): DrawCounts {
  const byMethod: Record<string, number> = {};
  let all: number | undefined;
  const bad = (what: string, got: string, fix: string): UsageError =>
    new UsageError(`${command} --samples: expected ${what}, got ${got}. ${fix}`, command);
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    const method = eq < 0 ? undefined : item.slice(0, eq);
    const text = eq < 0 ? item : item.slice(eq + 1);
    const count = Number(text);
    if (!/^\+?\d+$/.test(text) || !Number.isSafeInteger(count) || count < 1) {
      throw bad('a count that is an integer ≥ 1', `'${item}'`, 'Give at least one draw per step.');
    }
    if (method === undefined) {
      if (all !== undefined) throw bad('at most one bare count', `${all} and ${count}`, 'Name the method of each other count (method=count).');
      all = count;
      continue;
    }
    if (methods !== undefined && !methods.includes(method)) throw bad(`a method among ${methods.join(', ')}`, `'${method}' in '${item}'`, 'Check the spelling.');
    if (Object.hasOwn(byMethod, method)) throw bad('each method once', `'${method}' twice`, 'Give one count per method.');
    byMethod[method] = count;
  }
  return { all, byMethod };
}

/** The count `method` runs with: its own, else the bare one, else undefined (the experiment's default). */
export function drawsFor(counts: DrawCounts, method: string): number | undefined {
  return Object.hasOwn(counts.byMethod, method) ? counts.byMethod[method] : counts.all;
}
