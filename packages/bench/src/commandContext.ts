// The outside world a subcommand talks to (streams, clock, progress bars, Ctrl-C), replaceable in tests.
import { onInterrupt } from './output.js';
import { createProgress, type Progress, type ProgressOptions } from './progress.js';

/** Everything a subcommand runner uses besides its options and numeric core. */
export interface CommandContext {
  /** Writes to standard output (the summary table, where results went). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (notes, warnings). */
  readonly stderr: (text: string) => void;
  /** Makes a progress bar (a no-op one when stdout is not a terminal). */
  readonly createProgress: (options: ProgressOptions) => Progress;
  /** Installs a Ctrl-C handler that saves and exits with code 130; returns its disposer. */
  readonly onInterrupt: (save: () => void | Promise<void>) => () => void;
  /** Monotonic clock in milliseconds, for timings. */
  readonly now: () => number;
  /** Wall-clock date, for the default results directory name and report time stamps. */
  readonly date: () => Date;
  /** Directory that a relative `--out` and the default results directory are resolved against. */
  readonly cwd: string;
}

/** The real context: process streams, `performance.now()`, cli-progress bars, SIGINT on `process`. */
export function defaultContext(): CommandContext {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    createProgress,
    onInterrupt: (save) => onInterrupt(save),
    now: () => performance.now(),
    date: () => new Date(),
    cwd: process.cwd(),
  };
}
