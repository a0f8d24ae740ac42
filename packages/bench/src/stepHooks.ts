// The hook a numeric core calls once per iteration: moves the progress bar and lets Ctrl-C through.
import type { Progress } from './progress.js';

/** What a command gives its numeric core for one method's run. */
export interface StepHooks {
  /**
   * Call after each iteration (1-based count of iterations done) and await it: it moves the progress bar
   * and, every ~50 ms, yields to the event loop so that a Ctrl-C (SIGINT) handler can run and save results.
   */
  step(iteration: number): Promise<void>;
}

const YIELD_EVERY_MS = 50;
const resolved: Promise<void> = Promise.resolve();

/**
 * Step hooks for one method whose iterations occupy progress values `offset + 1 ... offset + iters`;
 * the bar's status shows `status`. `now` (milliseconds) is injectable for tests.
 */
export function createStepHooks(
  progress: Progress,
  offset: number,
  status: string,
  now: () => number = () => performance.now(),
): StepHooks {
  let lastYield = now();
  return {
    step(iteration: number): Promise<void> {
      progress.update(offset + iteration, status);
      const t = now();
      if (t - lastYield < YIELD_EVERY_MS) return resolved;
      lastYield = t;
      return new Promise((resolve) => setImmediate(resolve));
    },
  };
}
