// Runs a command's measurement loop so that results are saved when it ends, fails, or is interrupted.
import type { CommandContext } from './commandContext.js';
import { resolveOutDir } from './output.js';

/** How a command saves its results; `complete` is false for partial results (interrupt or error). */
export interface ResultSaver {
  /** Writes the results gathered so far (JSON, and SVG where there is data to plot). */
  readonly save: (complete: boolean) => Promise<void>;
  /** True once at least one measurement exists, i.e. once there is anything worth writing. */
  readonly hasResults: () => boolean;
}

/**
 * Runs `body` with a Ctrl-C handler installed: on Ctrl-C the partial results are saved (when there are any)
 * and the process exits with code 130. When `body` finishes, the complete results are saved; when it throws,
 * the partial results are saved (when there are any) and the error is rethrown. Returns `body`'s value.
 */
export async function runWithResults<R>(ctx: CommandContext, saver: ResultSaver, body: () => Promise<R>): Promise<R> {
  const dispose = ctx.onInterrupt(() => (saver.hasResults() ? saver.save(false) : undefined));
  try {
    const value = await body();
    await saver.save(true);
    return value;
  } catch (err) {
    if (saver.hasResults()) {
      await saver.save(false).catch((saveErr: unknown) => {
        ctx.stderr(`Could not save partial results: ${saveErr instanceof Error ? saveErr.message : String(saveErr)}\n`);
      });
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

/** The start of `command`'s report: the start time and the results folder (`--out`, else the default) of one instant. */
export function reportStart(command: string, out: string | undefined, ctx: CommandContext): ReportStart {
  const now = ctx.date();
  return { startedAt: now.toISOString(), outDir: resolveOutDir(command, out, now, ctx.cwd), complete: false };
}
