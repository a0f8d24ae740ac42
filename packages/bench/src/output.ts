// Where results go (--out), writing JSON and SVG files, and saving on Ctrl-C.
import { accessSync, constants, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './usageError.js';

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

/**
 * Pseudo file systems where results cannot be written; Node's recursive mkdir under /proc never
 * returns, so these are refused by name before anything is created.
 */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/** The error of a bad `--out`, a usage error of `command` (exit code 2). */
function outError(command: string, out: string, why: string, fix = 'Choose another --out.'): UsageError {
  return new UsageError(`${command} --out: expected a directory where results can be written, got '${out}', ${why}. ${fix}`, command);
}

/** `statSync` that returns undefined where nothing is (also when a component of the path is a file). */
function statOrNone(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Throws unless `dir` is a directory this process may write into. */
function checkWritable(command: string, out: string, dir: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw outError(command, out, `and '${dir}' is not writable`);
  }
}

/**
 * Checks the results directory of a run before any work, so that nothing measured is lost at the
 * end: `out` (resolved against `cwd`) must be an empty directory, or one that does not exist yet
 * under a writable directory, or (with `force`) a directory that already holds files. A file,
 * a path under a file, /dev/null and anything under /proc, /sys or /dev are refused.
 * @throws UsageError naming `--out`, the path and the fix (exit code 2)
 */
export function checkOutDir(command: string, out: string, dir: string, force: boolean): void {
  const st = statOrNone(dir);
  if (st && !st.isDirectory()) throw outError(command, out, 'which is a file, not a directory');
  const pseudo = PSEUDO_ROOTS.find((root) => isUnder(dir, root));
  if (pseudo) throw outError(command, out, `which is under ${pseudo} (not a place for files)`);
  if (st) {
    checkWritable(command, out, dir);
    if (!force && readdirSync(dir).length > 0) {
      throw outError(command, out, 'which already holds files (results of an earlier run?)',
        'Pass --force to write into it anyway (replacing results.json and the plots), or choose another --out.');
    }
    return;
  }
  let parent = dirname(dir);
  for (;;) {
    const pst = statOrNone(parent);
    if (pst) {
      if (!pst.isDirectory()) throw outError(command, out, `which is under '${parent}', a file`);
      checkWritable(command, out, parent);
      return;
    }
    const up = dirname(parent);
    if (up === parent) return;
    parent = up;
  }
}

/**
 * Creates the default results directory `<cwd>/keepdist-results/<command>-<timestamp>` of a run and
 * returns it: unique even for runs started within the same second (`-2`, `-3`, … are appended when
 * the name is taken; each directory is claimed by one non-recursive mkdir, which only one run wins).
 */
export function claimDefaultOutDir(command: string, now: Date, cwd: string): string {
  const parent = resolve(cwd, DEFAULT_RESULTS_DIR);
  checkOutDir(command, parent, parent, true);
  mkdirSync(parent, { recursive: true });
  const base = `${command}-${timestamp(now)}`;
  for (let k = 1; ; k++) {
    const dir = join(parent, k === 1 ? base : `${base}-${k}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** Removes `dir` when it is empty (a default results directory of a run that wrote nothing). */
export function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // already gone, or not ours to remove: leave it
  }
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
 * Installs a SIGINT (Ctrl-C) handler that says so, awaits `save()` (which writes what was measured so far, or
 * says that nothing was) and then exits with code 130. A second Ctrl-C while saving exits at once. Returns a disposer that removes the handler.
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
    report('\nInterrupted (Ctrl-C).\n');
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
