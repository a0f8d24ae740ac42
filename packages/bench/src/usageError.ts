/**
 * A bad command line: unknown subcommand or flag, a value of the wrong type or outside its choices.
 * The message names the flag, the bad value and the valid choices; the CLI prints it and exits with code 2.
 * `command` is the subcommand the error belongs to, when there is one (its `--help` is then suggested).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
