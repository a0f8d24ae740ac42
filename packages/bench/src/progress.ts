// Progress bars for long runs (cli-progress), silent when the output stream is not a terminal.
import { Presets, SingleBar } from 'cli-progress';

/** A progress bar: move it to an absolute value with a short status text, then stop it. */
export interface Progress {
  update(value: number, status?: string): void;
  stop(): void;
}

/** A stream a progress bar can draw on; only terminals (`isTTY`) get a bar. */
export type ProgressStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Value at completion (e.g. methods × iterations). */
  readonly total: number;
  /** Text before the bar, e.g. the subcommand name. */
  readonly label: string;
  /** Where to draw; default `process.stdout`. Nothing is drawn unless `stream.isTTY` is true. */
  readonly stream?: ProgressStream;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A cli-progress bar on `stream` (default stdout) showing label, bar, percentage, value/total, ETA and status;
 * a no-op object when the stream is not a TTY (piped or redirected output stays clean).
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stdout;
  if (!stream.isTTY) return SILENT;
  const bar = new SingleBar(
    {
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {status}`,
      stream,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(options.total, 0, { status: '' });
  let stopped = false;
  return {
    update: (value, status) => {
      if (!stopped) bar.update(Math.min(value, options.total), status === undefined ? {} : { status });
    },
    stop: () => {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
