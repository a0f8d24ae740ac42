// Dispatch of keepdist-bench: pick the subcommand, parse its flags, run it; map errors to exit codes.
import { PROGRAM, parseFlags, selectCommand, wantsHelp } from './args.js';
import { defaultContext, type CommandContext } from './commandContext.js';
import { prototypesCommand, runPrototypes } from './commands/prototypes.js';
import { speedCommand } from './commands/speed.js';
import { runSpeedCommand } from './commands/speedDispatch.js';
import { resolveSeeds, runSynthetic, syntheticCommand } from './commands/synthetic.js';
import { runTammes, tammesCommand } from './commands/tammes.js';
import { parseDrawCounts } from './drawCounts.js';
import { commandHelp, globalHelp } from './help.js';
import type { NumericCore } from './numericCore.js';
import { UsageError } from './usageError.js';

/** The subcommand specs for a given list of valid method names. */
export function commandSpecs(methods: readonly string[]) {
  return {
    tammes: tammesCommand(methods), synthetic: syntheticCommand(methods), prototypes: prototypesCommand(methods), speed: speedCommand(methods),
  };
}

/** Name of a subcommand. */
export type CommandName = keyof ReturnType<typeof commandSpecs>;

/** Exit codes of keepdist-bench (130 for Ctrl-C is set by the interrupt handler). */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/**
 * Runs keepdist-bench on `argv` (arguments after the script name) and returns the exit code:
 * 0 when done or help was shown, 2 on a bad command line (message and a pointer to `--help` on stderr),
 * 1 on any other error (its message on stderr).
 */
export async function main(argv: readonly string[], core: NumericCore, ctx: CommandContext = defaultContext()): Promise<number> {
  const specs = commandSpecs(core.methods);
  try {
    const selection = selectCommand(argv, Object.keys(specs));
    if (selection.kind === 'globalHelp') {
      ctx.stdout(globalHelp(Object.values(specs)));
      return EXIT.ok;
    }
    const command = selection.command as CommandName;
    if (selection.kind === 'commandHelp' || wantsHelp(selection.argv)) {
      ctx.stdout(commandHelp(specs[command]));
      return EXIT.ok;
    }
    switch (command) {
      case 'tammes': {
        const { values, preset } = parseFlags(specs.tammes, selection.argv);
        parseDrawCounts('tammes', values.samples, core.methods);
        await runTammes(values, preset, core.runTammesMethod, ctx);
        break;
      }
      case 'synthetic': {
        const { values, given, preset } = parseFlags(specs.synthetic, selection.argv);
        parseDrawCounts('synthetic', values.samples, core.methods);
        await runSynthetic(resolveSeeds(values, given), preset, core.runSyntheticMethod, ctx);
        break;
      }
      case 'prototypes': {
        const { values } = parseFlags(specs.prototypes, selection.argv);
        parseDrawCounts('prototypes', values.samples, core.methods);
        await runPrototypes(values, core.runPrototypesMethod, ctx);
        break;
      }
      case 'speed': {
        const { values, given } = parseFlags(specs.speed, selection.argv);
        await runSpeedCommand(values, given, core, ctx);
        break;
      }
    }
    return EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError) {
      const help = err.command === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${err.command} --help`;
      ctx.stderr(`${err.message}\nRun '${help}' for usage.\n`);
      return EXIT.usage;
    }
    ctx.stderr(`${PROGRAM}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.error;
  }
}
