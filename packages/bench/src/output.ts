// Where results go (--out), writing JSON and SVG files, and saving on Ctrl-C.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Default parent directory of results, relative to the working directory. */
export const DEFAULT_RESULTS_DIR = 'keepdist-results';

const pad = (v: number): string => String(v).padStart(2, '0');

/** Local time as `YYYYMMDD-HHMMSS`, safe in file names. */
export function timestamp(date: Date): string {
  const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
  return `${day}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/**
 * The absolute results directory of a run: `out` when given (resolved against `cwd`), otherwise
 * `<cwd>/keepdist-results/<command>-<timestamp>`. Nothing is created here; the writers create it.
 */
export function resolveOutDir(command: string, out: string | undefined, now: Date = new Date(), cwd: string = process.cwd()): string {
  return out === undefined ? resolve(cwd, DEFAULT_RESULTS_DIR, `${command}-${timestamp(now)}`) : resolve(cwd, out);
}

/** JSON.stringify replacer that writes typed arrays (Float64Array, ...) as plain arrays. */
function typedArraysAsArrays(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

/** Writes `data` as indented JSON to `dir/file` (creating `dir`), returns the file's path. */
export function writeJson(dir: string, file: string, data: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify(data, typedArraysAsArrays, 2)}\n`);
  return path;
}

/** Writes an SVG document to `dir/file` (creating `dir`), returns the file's path. */
export function writeSvg(dir: string, file: string, svg: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, svg.endsWith('\n') ? svg : `${svg}\n`);
  return path;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Options of {@link onInterrupt}; both default to the real process and are replaced in tests. */
export interface InterruptOptions {
  /** Ends the process; default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Where SIGINT arrives; default `process`. */
  readonly target?: NodeJS.EventEmitter;
  /** Where a failure of `save` is reported; default stderr. */
  readonly report?: (message: string) => void;
}

/**
 * Installs a SIGINT (Ctrl-C) handler that awaits `save()` (writing what was measured so far) and then exits
 * with code 130. A second Ctrl-C while saving exits at once. Returns a disposer that removes the handler.
 */
export function onInterrupt(save: () => void | Promise<void>, options: InterruptOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const target = options.target ?? process;
  const report = options.report ?? ((message: string) => void process.stderr.write(message));
  let saving = false;
  const handler = (): void => {
    if (saving) {
      exit(INTERRUPTED_EXIT_CODE);
      return;
    }
    saving = true;
    report('\nInterrupted: writing the results measured so far...\n');
    Promise.resolve()
      .then(save)
      .catch((err: unknown) => report(`Could not save results: ${err instanceof Error ? err.message : String(err)}\n`))
      .finally(() => exit(INTERRUPTED_EXIT_CODE));
  };
  target.on('SIGINT', handler);
  return () => {
    target.off('SIGINT', handler);
  };
}
