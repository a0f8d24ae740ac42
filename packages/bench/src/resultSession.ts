// Runs a command's measurement loop so that results are saved when it ends, fails, or is interrupted.
import type { CommandContext } from './commandContext.js';
import { checkOutDir, claimDefaultOutDir, removeIfEmpty, resolveOutDir } from './output.js';

/** How a command saves its results; `complete` is false for partial results (interrupt or error). */
export interface ResultSaver {
  /** Writes the results gathered so far (JSON, and SVG where there is data to plot). */
  readonly save: (complete: boolean) => Promise<void>;
  /** True once at least one measurement exists, i.e. once there is anything worth writing. */
  readonly hasResults: () => boolean;
  /** Where the results go (named in the messages on Ctrl-C). */
  readonly outDir?: string;
  /** On Ctrl-C, before saving: adds what the work in progress has measured so far (tammes: the current start). */
  readonly captureInProgress?: () => Promise<void>;
  /** On Ctrl-C, after saving: prints the summary of the partial results (the table). */
  readonly printPartial?: () => void;
  /** When the run ends having written nothing: undoes what was prepared (removes an empty default folder). */
  readonly discard?: () => void;
}

/**
 * Runs `body` with a Ctrl-C handler installed: on Ctrl-C the work in progress is captured, the partial results
 * are saved and summarised (when there are any; otherwise it says that nothing was written) and the process
 * exits with code 130. When `body` finishes, the complete results are saved; when it throws, the partial
 * results are saved (when there are any) and the error is rethrown. Returns `body`'s value.
 */
export async function runWithResults<R>(ctx: CommandContext, saver: ResultSaver, body: () => Promise<R>): Promise<R> {
  const where = saver.outDir === undefined ? '' : ` to ${saver.outDir}`;
  const dispose = ctx.onInterrupt(async () => {
    await saver.captureInProgress?.();
    if (!saver.hasResults()) {
      saver.discard?.();
      ctx.stderr('Nothing was measured yet: no results written.\n');
      return;
    }
    ctx.stderr(`Writing the results measured so far${where}...\n`);
    await saver.save(false);
    saver.printPartial?.();
  });
  try {
    const value = await body();
    await saver.save(true);
    return value;
  } catch (err) {
    if (saver.hasResults()) {
      await saver.save(false).catch((saveErr: unknown) => {
        ctx.stderr(`Could not save partial results: ${saveErr instanceof Error ? saveErr.message : String(saveErr)}\n`);
      });
    } else {
      saver.discard?.();
    }
    throw err;
  } finally {
    dispose();
  }
}

/** The fields every command's report starts with. */
export interface ReportStart {
  /** When the command started (ISO 8601). */
  startedAt: string;
  /** Where its results go. */
  outDir: string;
  /** False until the run has finished. */
  complete: boolean;
}

/**
 * The start of `command`'s report: the start time and the results folder of one instant. The folder is
 * checked before any work (see `checkOutDir`: a UsageError, exit code 2, for a file, a path under a file,
 * /dev/null, /proc, or a folder that already holds files unless `force`); without `--out` a fresh default
 * folder is created, unique even for runs started within the same second.
 */
export function reportStart(command: string, out: string | undefined, ctx: CommandContext, force = false): ReportStart {
  const now = ctx.date();
  let outDir: string;
  if (out === undefined) {
    outDir = claimDefaultOutDir(command, now, ctx.cwd);
  } else {
    outDir = resolveOutDir(command, out, now, ctx.cwd);
    checkOutDir(command, out, outDir, force);
  }
  return { startedAt: now.toISOString(), outDir, complete: false };
}

/** The `discard` of a {@link ResultSaver}: removes the results folder if this run created it (no `--out`) and it is empty. */
export function discardOutDir(outDir: string, out: string | undefined): () => void {
  return () => {
    if (out === undefined) removeIfEmpty(outDir);
  };
}
